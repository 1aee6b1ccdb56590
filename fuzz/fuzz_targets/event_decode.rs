//! The ledger's stored events: one input is a log, one event a line. Each
//! event that decodes encodes to bytes that decode to it; a store of them
//! replays to a state or refuses with a typed error.
//!
//! `bash fuzz/run.sh 600 event_decode` (see docs/reliability.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| xuncha_fuzz_checks::event_decode(data));
