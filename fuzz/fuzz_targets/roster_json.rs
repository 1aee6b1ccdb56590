//! A roster JSON over Fujian. What loads serialises and reads again to the
//! same people.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use xuncha_avoid::Roster;
use xuncha_fuzz::{FUJIAN, UNITS};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(roster) = Roster::from_json_str(Path::new("roster.json"), text, &FUJIAN, &UNITS) else {
        return;
    };
    let json = serde_json::to_string(&roster).expect("a roster serialises");
    let again = Roster::from_json_str(Path::new("again.json"), &json, &FUJIAN, &UNITS)
        .expect("a serialised roster reads back");
    assert_eq!(roster.people(), again.people());
});
