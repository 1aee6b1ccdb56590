//! A finding items CSV. What loads round-trips through JSON.
//!
//! `bash fuzz/run.sh 600 finding_items_csv` (see docs/reliability.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| xuncha_fuzz_checks::finding_items_csv(data));
