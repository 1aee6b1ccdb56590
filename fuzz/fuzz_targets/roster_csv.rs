//! A roster CSV over Fujian. What loads writes back as CSV and reads again
//! to the same people.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use xuncha_avoid::Roster;
use xuncha_fuzz::{FUJIAN, UNITS};

fuzz_target!(|data: &[u8]| {
    let Ok(roster) = Roster::from_csv_reader(Path::new("roster.csv"), data, &FUJIAN, &UNITS) else {
        return;
    };
    let mut csv = Vec::new();
    roster.write_csv(&mut csv).expect("a roster writes");
    let again = Roster::from_csv_reader(Path::new("again.csv"), csv.as_slice(), &FUJIAN, &UNITS)
        .expect("a written roster reads back");
    assert_eq!(roster.people(), again.people());
});
