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
        .map(|c| RoundTarget::new(Target::Division(Code::parse(c).expect("code"))))
        .collect();
    round
}

/// `person` in `role` on team `t` of `round`, priced as the objective
/// prices them (soft costs from `engine.check`): the brute force's member.
pub(crate) fn priced(
    engine: &xuncha_avoid::Engine<'_>,
    objective: &xuncha_assign::Objective,
    round: &Round,
    t: usize,
    person: &xuncha_avoid::Person,
    role: xuncha_avoid::Role,
) -> xuncha_assign::Assignment {
    let target = &round.targets[t].target;
    let soft = engine.check(person, target, role, round.date).soft_cost();
    let division = target.divisions(engine.units())[0];
    xuncha_assign::Assignment {
        person: person.id.clone(),
        name: person.name.clone(),
        role,
        specialist: Vec::new(),
        origin: person.origin,
        cost: objective.terms(
            person,
            role,
            role == xuncha_avoid::Role::Member,
            round.spec(t),
            division,
            soft,
        ),
    }
}

/// The objective of the brute force's members: their costs and the
/// convex balance of the counts each origin sends.
pub(crate) fn objective_of<'a>(
    objective: &xuncha_assign::Objective,
    members: impl IntoIterator<Item = &'a xuncha_assign::Assignment>,
) -> i64 {
    let mut cost = 0i64;
    let mut per_origin: std::collections::HashMap<Code, i64> = std::collections::HashMap::new();
    for m in members {
        cost += m.cost.total();
        *per_origin.entry(m.origin).or_default() += 1;
    }
    cost + per_origin
        .values()
        .map(|&n| objective.balance * n * (n - 1) / 2)
        .sum::<i64>()
}

/// A plan of the brute force: `members[t]` on team `t` of `round`, for
/// `verify`.
pub(crate) fn brute_plan(
    round: &Round,
    members: Vec<Vec<xuncha_assign::Assignment>>,
    objective: i64,
) -> xuncha_assign::Plan {
    xuncha_assign::Plan {
        version: 1,
        round: round.id.clone(),
        date: round.date,
        seed: 0,
        solver: "brute force".into(),
        objective,
        balance: 0,
        rotation: Vec::new(),
        teams: round
            .targets
            .iter()
            .zip(members)
            .map(|(t, members)| xuncha_assign::TeamPlan {
                id: format!("{}/{}", round.id, t.target),
                target: t.target.clone(),
                inspector: None,
                kind: t.kind,
                members,
                alternates: Vec::new(),
            })
            .collect(),
        randomized: None,
    }
}
