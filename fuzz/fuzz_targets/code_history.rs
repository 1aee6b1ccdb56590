//! A code-history CSV. What loads merges with the built-in history, and
//! every change can be followed from its old code without panicking.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use xuncha_org::CodeHistory;

fuzz_target!(|data: &[u8]| {
    let Ok(history) = CodeHistory::from_csv_reader(Path::new("code-changes.csv"), data) else {
        return;
    };
    let count = history.len();
    for change in history.changes() {
        assert!(!history.changes_from(change.old).is_empty());
    }
    let merged = CodeHistory::builtin().merge(history);
    assert!(merged.len() >= count);
});
