//! A ledger's log export (JSON), as copied between machines. What imports
//! exports again to the same log and replays to a state that verifies, or
//! gives a typed error.
//!
//! `bash fuzz/run.sh 600 ledger_import` (see docs/reliability.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| xuncha_fuzz_checks::ledger_import(data));
