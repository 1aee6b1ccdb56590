//! A rotation history CSV (inspecting,inspected). What loads is a non-empty list of valid pairings.
//!
//! `bash fuzz/run.sh 600 pairings_csv` (see docs/reliability.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| xuncha_fuzz_checks::pairings_csv(data));
