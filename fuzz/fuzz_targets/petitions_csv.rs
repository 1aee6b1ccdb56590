//! A petitions CSV. What loads writes and reads back to the same petitions.
//!
//! `bash fuzz/run.sh 600 petitions_csv` (see docs/reliability.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| xuncha_fuzz_checks::petitions_csv(data));
