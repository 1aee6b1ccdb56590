//! A term schedule in JSON. What loads formats back and reads again to the same schedule.
//!
//! `bash fuzz/run.sh 600 term_schedule_json` (see docs/reliability.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| xuncha_fuzz_checks::term_schedule_json(data));
