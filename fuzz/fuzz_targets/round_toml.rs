//! A round in TOML. What loads formats back and reads again to the same
//! round; staffing it gives a plan that verifies, or a typed error.
//!
//! `bash fuzz/run.sh 600 round_toml` (see docs/reliability.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| xuncha_fuzz_checks::round_toml(data));
