//! What the fuzz targets share: Fujian's hierarchy and a small planning
//! scenario, built once per process.

#![forbid(unsafe_code)]

use std::path::Path;
use std::sync::LazyLock;

use xuncha_assign::Round;
use xuncha_avoid::{Engine, Roster, RuleSet};
use xuncha_org::{Hierarchy, Units};

/// Fujian's divisions (embedded).
pub static FUJIAN: LazyLock<Hierarchy> = LazyLock::new(Hierarchy::fujian);

/// No units.
pub static UNITS: LazyLock<Units> = LazyLock::new(Units::default);

/// The facade's example roster (Fujian).
pub static ROSTER: LazyLock<Roster> = LazyLock::new(|| {
    let text = include_str!("../../crates/xuncha/examples/data/roster.csv");
    Roster::from_csv_reader(Path::new("roster.csv"), text.as_bytes(), &FUJIAN, &UNITS)
        .expect("the example roster loads")
});

/// The facade's example round.
pub static ROUND: LazyLock<Round> = LazyLock::new(|| {
    Round::from_toml_str(include_str!("../../crates/xuncha/examples/data/round.toml"))
        .expect("the example round loads")
});

/// The default rules over Fujian.
pub fn engine() -> Engine<'static> {
    Engine::new(&FUJIAN, &UNITS, RuleSet::default())
}

/// Splits `data` at NUL bytes into at most `n` parts (missing parts are
/// empty), so one fuzz input can stand for several files.
pub fn parts(data: &[u8], n: usize) -> Vec<&[u8]> {
    let mut out: Vec<&[u8]> = data.splitn(n, |b| *b == 0).collect();
    out.resize(n, &[]);
    out
}

/// Staffs `round` with the example roster under the default rules: either
/// a typed error, or a plan that verifies and formats back to itself.
///
/// # Panics
///
/// When the engine's own plan does not verify: the bug the fuzzer hunts.
pub fn staff_and_verify(round: &Round) {
    // Big rounds cost time, not coverage.
    if round.targets.len() > 40 {
        return;
    }
    let engine = engine();
    let Ok(plan) = xuncha_assign::staff(&engine, &ROSTER, round, &xuncha_assign::StaffOptions::default())
    else {
        return;
    };
    let violations = xuncha_assign::verify(&plan, round, &ROSTER, &engine);
    assert!(violations.is_empty(), "the engine's plan does not verify: {violations:?}");
    let json = plan.to_json().expect("a plan formats");
    assert_eq!(xuncha_assign::Plan::from_json(&json).expect("a plan reads back"), plan);
}
