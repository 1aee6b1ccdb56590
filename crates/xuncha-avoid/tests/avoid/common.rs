//! Shared fixtures: the embedded Fujian hierarchy, a few units, dates.

use std::sync::OnceLock;

use chrono::NaiveDate;
use xuncha_avoid::{Engine, Person, Place, RuleSet};
use xuncha_org::{Code, Hierarchy, Units};

pub(crate) fn fujian() -> &'static Hierarchy {
    static FUJIAN: OnceLock<Hierarchy> = OnceLock::new();
    FUJIAN.get_or_init(Hierarchy::fujian)
}

pub(crate) fn code(text: &str) -> Code {
    Code::parse(text).expect("valid test code")
}

pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

/// The round date the tests use.
pub(crate) fn today() -> NaiveDate {
    date(2026, 11, 27)
}

/// 平和县民政局 with a branch in 小溪镇, 平和县财政局, and 漳州市公路局 with
/// its 平和 branch (`testdata/units/pinghe.csv`, shared with the other
/// crates' tests).
pub(crate) fn units() -> &'static Units {
    static UNITS: OnceLock<Units> = OnceLock::new();
    UNITS.get_or_init(|| {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../testdata/units/pinghe.csv"
        );
        Units::from_csv_path(path, fujian()).expect("valid test units")
    })
}

pub(crate) fn engine() -> Engine<'static> {
    Engine::new(fujian(), units(), RuleSet::default())
}

pub(crate) fn division(text: &str) -> Place {
    Place::Division(code(text))
}

/// A person from 南靖县 (350627) with no facts.
pub(crate) fn person() -> Person {
    Person::new("P1", "王芳", code("350627"))
}
