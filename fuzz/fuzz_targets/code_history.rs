//! A code-history CSV. What loads can be followed from every old code and
//! merges with the built-in history.
//!
//! `bash fuzz/run.sh 600 code_history` (see docs/reliability.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| xuncha_fuzz_checks::code_history(data));
