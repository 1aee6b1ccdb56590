//! Avoidance rules in TOML. What loads formats back to TOML and reads again
//! to the same rules, and checks people without panicking.
//!
//! `bash fuzz/run.sh 600 rules_toml` (see docs/reliability.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| xuncha_fuzz_checks::rules_toml(data));
