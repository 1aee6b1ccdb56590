//! Shared inputs of the tests: real Fujian, synthetic rosters, rounds.

use chrono::NaiveDate;
use xuncha_assign::{Round, RoundTarget, TeamSpec};
use xuncha_avoid::{Roster, Target};
use xuncha_org::{Code, Hierarchy, Level, Units};
use xuncha_synth::RosterSpec;

pub(crate) fn fujian() -> &'static Hierarchy {
    static FUJIAN: std::sync::OnceLock<Hierarchy> = std::sync::OnceLock::new();
    FUJIAN.get_or_init(Hierarchy::fujian)
}

pub(crate) fn units() -> &'static Units {
    static UNITS: std::sync::OnceLock<Units> = std::sync::OnceLock::new();
    UNITS.get_or_init(Units::default)
}

pub(crate) fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1).expect("valid date")
}

/// Every Fujian county, with the given team spec: 84 teams.
pub(crate) fn fujian_round(spec: TeamSpec) -> Round {
    Round {
        team: spec,
        ..Round::cross(
            "2026-fj",
            date(),
            fujian()
                .at_level(Level::County)
                .map(xuncha_org::Division::code),
        )
    }
}

/// A synthetic roster over Fujian.
pub(crate) fn roster(size: usize, seed: u64) -> Roster {
    RosterSpec::new(size, seed, date())
        .roster(fujian(), units())
        .expect("synthetic roster")
}

/// A synthetic roster within one division.
pub(crate) fn roster_within(size: usize, seed: u64, within: &str) -> Roster {
    RosterSpec::new(size, seed, date())
        .within(Code::parse(within).expect("code"))
        .roster(fujian(), units())
        .expect("synthetic roster")
}

/// A round over the given counties with the given spec.
pub(crate) fn round_of(counties: &[&str], spec: TeamSpec) -> Round {
    let mut round = fujian_round(spec);
    round.targets = counties
        .iter()
        .map(|c| RoundTarget {
            target: Target::Division(Code::parse(c).expect("code")),
            team: None,
        })
        .collect();
    round
}
