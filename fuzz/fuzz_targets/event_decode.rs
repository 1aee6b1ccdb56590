//! The ledger's stored events: one input is a log, one event a line. Each
//! event that decodes encodes back to bytes that decode to it; opening a
//! store of them replays to a state or refuses with a typed error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xuncha_leads::{Event, Ledger, MemoryStore};

fuzz_target!(|data: &[u8]| {
    let lines: Vec<Vec<u8>> = data.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
    for (seq, line) in lines.iter().enumerate() {
        if let Ok(event) = Event::decode(line, seq as u64) {
            let bytes = event.encode();
            assert_eq!(Event::decode(&bytes, seq as u64).expect("an encoded event decodes"), event);
        }
    }
    let _ = Ledger::open(MemoryStore::from_parts(lines, Vec::new()));
});
