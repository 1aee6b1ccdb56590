//! Fixtures: the embedded Fujian hierarchy, a few units, dates (as in
//! xuncha-avoid's own tests).

use std::sync::OnceLock;

use chrono::NaiveDate;
use xuncha_avoid::{Engine, RuleSet};
use xuncha_org::{Code, Hierarchy, Unit, UnitId, UnitKind, Units};

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

fn unit(id: &str, name: &str, kind: UnitKind, division: &str, parent: Option<&str>) -> Unit {
    Unit {
        id: UnitId::from(id),
        name: name.to_owned(),
        kind,
        division: code(division),
        parent: parent.map(UnitId::from),
    }
}

/// 平和县民政局 with a branch in 小溪镇, 平和县财政局, and 漳州市公路局 with
/// its 平和 branch.
pub(crate) fn units() -> &'static Units {
    static UNITS: OnceLock<Units> = OnceLock::new();
    UNITS.get_or_init(|| {
        Units::new(
            vec![
                unit("ph-civil", "平和县民政局", UnitKind::Bureau, "350628", None),
                unit(
                    "ph-civil-xx",
                    "平和县民政局小溪站",
                    UnitKind::Branch,
                    "350628100",
                    Some("ph-civil"),
                ),
                unit(
                    "ph-finance",
                    "平和县财政局",
                    UnitKind::Bureau,
                    "350628",
                    None,
                ),
                unit("zz-road", "漳州市公路局", UnitKind::Bureau, "3506", None),
                unit(
                    "ph-road",
                    "漳州市公路局平和分局",
                    UnitKind::Branch,
                    "350628",
                    Some("zz-road"),
                ),
            ],
            fujian(),
        )
        .expect("valid test units")
    })
}

pub(crate) fn engine() -> Engine<'static> {
    Engine::new(fujian(), units(), RuleSet::default())
}
