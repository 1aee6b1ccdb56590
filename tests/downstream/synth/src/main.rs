//! xuncha-synth alone: a synthetic roster over Fujian.
fn main() {
    let fujian = xuncha_org::Hierarchy::fujian();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).expect("a date");
    let roster = xuncha_synth::RosterSpec::new(200, 7, date)
        .roster(&fujian, &xuncha_org::Units::default())
        .expect("a roster");
    assert_eq!(roster.len(), 200);
    println!("xuncha-synth: {} people", roster.len());
}
