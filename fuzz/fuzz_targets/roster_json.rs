//! A roster JSON over Fujian. What loads serialises and reads again to the
//! same people.
//!
//! `bash fuzz/run.sh 600 roster_json` (see docs/reliability.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| xuncha_fuzz_checks::roster_json(data));
