//! A ledger's log export (JSON), as copied between machines. What imports
//! exports again to the same log, and replays to a state, or a typed error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xuncha_leads::export::{import_log_json, read_log_json, write_log_json};
use xuncha_leads::{Ledger, MemoryStore};

fuzz_target!(|data: &[u8]| {
    let Ok((events, checkpoint)) = read_log_json(data, "log.json") else {
        return;
    };
    let mut json = Vec::new();
    write_log_json(&events, checkpoint, &mut json).expect("a log exports");
    let (again, same) = read_log_json(json.as_slice(), "again.json").expect("an export reads back");
    assert_eq!(again, events);
    assert_eq!(same, checkpoint);
    let mut store = MemoryStore::new();
    import_log_json(json.as_slice(), "again.json", &mut store).expect("an empty store imports");
    if let Ok(ledger) = Ledger::open(store) {
        assert_eq!(ledger.checkpoint(), checkpoint);
        let _ = ledger.verify().expect("an imported log verifies");
    }
});
