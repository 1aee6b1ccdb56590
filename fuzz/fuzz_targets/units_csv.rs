//! A units CSV over Fujian. What loads has known divisions and parents that
//! do not lead back to themselves.
//!
//! `bash fuzz/run.sh 600 units_csv` (see docs/reliability.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| xuncha_fuzz_checks::units_csv(data));
