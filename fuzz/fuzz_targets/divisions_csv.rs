//! The five NBS division files (provinces, cities, areas, streets,
//! villages), given as one input split at NUL bytes. What loads must be a
//! consistent hierarchy: every code parses back from its text, and every
//! division lies within its parent.
#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use xuncha_org::{Code, CodeHistory, Hierarchy};

fuzz_target!(|data: &[u8]| {
    let parts = xuncha_fuzz::parts(data, 5);
    let names = ["provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv"];
    let sources: [(PathBuf, &[u8]); 5] =
        std::array::from_fn(|i| (PathBuf::from(names[i]), parts[i]));
    let Ok(hierarchy) = Hierarchy::from_nbs_readers(sources, CodeHistory::builtin(), "fuzz") else {
        return;
    };
    for division in hierarchy.iter() {
        let code = division.code();
        assert_eq!(Code::parse(&code.to_text()).ok(), Some(code));
        assert_eq!(hierarchy.get(code).map(|d| d.code()), Some(code));
        if let Some(parent) = division.parent() {
            assert!(parent.contains(division));
            assert!(parent.level() < division.level());
        }
    }
});
