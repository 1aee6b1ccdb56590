//! Staffing whole rounds: every plan verifies, optimality on small
//! instances, and infeasibility certificates.

use chrono::NaiveDate;
use xuncha_assign::{
    Composition, Error, Objective, Plan, Round, RoundTarget, StaffOptions, TeamSpec, staff, verify,
};
use xuncha_avoid::{Engine, Roster, RuleSet, Target};
use xuncha_org::{Hierarchy, Level, Units};
use xuncha_synth::RosterSpec;

fn fujian() -> &'static Hierarchy {
    static FUJIAN: std::sync::OnceLock<Hierarchy> = std::sync::OnceLock::new();
    FUJIAN.get_or_init(Hierarchy::fujian)
}

fn units() -> &'static Units {
    static UNITS: std::sync::OnceLock<Units> = std::sync::OnceLock::new();
    UNITS.get_or_init(Units::default)
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1).expect("valid date")
}

pub(crate) fn fujian_round(spec: TeamSpec) -> Round {
    Round {
        version: 1,
        id: "2026-fj".to_owned(),
        date: date(),
        mode: xuncha_assign::InspectionMode::Cross,
        pool: xuncha_assign::Pool::City,
        team: spec,
        targets: fujian()
            .at_level(Level::County)
            .map(|c| RoundTarget {
                target: Target::Division(c.code()),
                team: None,
            })
            .collect(),
        recent_pairings: Vec::new(),
    }
}

fn roster(size: usize, seed: u64) -> Roster {
    RosterSpec::new(size, seed, date())
        .roster(fujian(), units())
        .expect("synthetic roster")
}

#[test]
fn a_fujian_longyan_round_is_staffed_and_verifies() {
    let engine = Engine::new(fujian(), units(), RuleSet::default());
    let roster = roster(3_000, 1);
    let round = fujian_round(TeamSpec::default());
    match staff(&engine, &roster, &round, &StaffOptions::default()) {
        Ok(plan) => {
            assert_eq!(plan.teams.len(), 84);
            let violations = verify(&plan, &round, &roster, &engine);
            assert!(violations.is_empty(), "{violations:?}");
            let json = plan.to_json().expect("json");
            assert_eq!(Plan::from_json(&json).expect("reads back"), plan);
            let again = staff(&engine, &roster, &round, &StaffOptions::default()).expect("same");
            assert_eq!(again.to_json().expect("json"), json, "byte-identical");
        }
        Err(Error::Infeasible(why)) => panic!("infeasible: {why}"),
        Err(other) => panic!("{other}"),
    }
}

#[test]
fn whole_team_and_mixed_rounds_verify() {
    let engine = Engine::new(fujian(), units(), RuleSet::default());
    // A whole team comes from one county: every county needs a deep pool.
    let roster = roster(6_000, 3);
    for composition in [Composition::WholeTeam, Composition::Mixed] {
        let spec = TeamSpec {
            composition,
            ..TeamSpec::default()
        };
        let round = fujian_round(spec);
        let plan = staff(&engine, &roster, &round, &StaffOptions::default())
            .unwrap_or_else(|e| panic!("{composition:?}: {e}"));
        let violations = verify(&plan, &round, &roster, &engine);
        assert!(violations.is_empty(), "{composition:?}: {violations:?}");
    }
}

#[test]
fn too_few_people_give_a_certificate_that_names_the_blocked_slots() {
    let engine = Engine::new(fujian(), units(), RuleSet::default());
    let roster = roster(200, 3);
    let round = fujian_round(TeamSpec::default());
    match staff(&engine, &roster, &round, &StaffOptions::default()) {
        Err(Error::Infeasible(why)) => {
            assert!(why.demand > why.capacity, "{why}");
            assert!(!why.slots.is_empty());
            assert!(why.to_string().contains("can only be filled by"), "{why}");
        }
        other => panic!("expected infeasible, got {other:?}"),
    }
}

#[test]
fn the_objective_weights_are_documented_defaults() {
    let objective = Objective::default();
    assert!(objective.soft > 0 && objective.balance > 0);
}
