//! A plan in JSON. What loads formats back and reads again to the same
//! plan, writes as CSV, and verifies against the example round and roster
//! (violations listed, no panic).
//!
//! `bash fuzz/run.sh 600 plan_json` (see docs/reliability.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| xuncha_fuzz_checks::plan_json(data));
