//! A units CSV over Fujian. What loads has unique ids, known divisions and
//! parents that do not lead back to themselves.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use xuncha_org::Units;

fuzz_target!(|data: &[u8]| {
    let Ok(units) = Units::from_csv_reader(Path::new("units.csv"), data, &xuncha_fuzz::FUJIAN)
    else {
        return;
    };
    for unit in &units {
        assert!(xuncha_fuzz::FUJIAN.get(unit.division).is_some());
        let mut steps = 0;
        let mut at = unit;
        while let Some(parent) = at.parent.as_ref().and_then(|p| units.get(p)) {
            steps += 1;
            assert!(steps <= units.len(), "a cycle of parents survived loading");
            at = parent;
        }
    }
});
