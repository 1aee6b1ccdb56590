//! A roster CSV over Fujian. What loads writes back as CSV and reads again
//! to the same people.
//!
//! `bash fuzz/run.sh 600 roster_csv` (see docs/reliability.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| xuncha_fuzz_checks::roster_csv(data));
