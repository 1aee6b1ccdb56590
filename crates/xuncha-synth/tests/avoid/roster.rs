//! A synthetic roster round-trips through xuncha-avoid's CSV.

use std::path::Path;

use xuncha_avoid::Roster;

use crate::fixtures::{fujian, units};

#[test]
fn a_synthetic_roster_round_trips_through_csv() {
    let roster = xuncha_synth::RosterSpec::new(300, 3, crate::fixtures::today())
        .roster(fujian(), units())
        .expect("synthetic");
    let mut csv = Vec::new();
    roster.write_csv(&mut csv).expect("write");
    let again = Roster::from_csv_reader(Path::new("synth.csv"), csv.as_slice(), fujian(), units())
        .expect("reads back");
    assert_eq!(again.people(), roster.people());
}
