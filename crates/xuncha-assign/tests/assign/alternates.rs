//! Alternates (候补): allowed on their team's target, on no team, named
//! once; and the verifier catches a broken one.

use std::collections::HashSet;

use xuncha_assign::{RandomOptions, StaffOptions, TeamSpec, staff, staff_randomized, verify};
use xuncha_avoid::{Engine, PersonId, RuleSet};

use crate::fixtures::{fujian, fujian_round, roster, units};

fn check(plan: &xuncha_assign::Plan, engine: &Engine<'_>, roster: &xuncha_avoid::Roster, k: usize) {
    let mut seen: HashSet<&PersonId> = HashSet::new();
    for (_, m) in plan.assignments() {
        assert!(seen.insert(&m.person), "{} twice", m.person);
    }
    for team in &plan.teams {
        assert_eq!(team.alternates.len(), k, "{}", team.id);
        for a in &team.alternates {
            assert!(
                seen.insert(&a.person),
                "alternate {} placed twice",
                a.person
            );
            let person = roster.get(&a.person).expect("in the roster");
            let verdict = engine.check(person, &team.target, a.role, plan.date);
            assert!(
                verdict.is_allowed(),
                "{} conflicts with {}",
                a.person,
                team.target
            );
        }
    }
}

#[test]
fn alternates_never_conflict_with_their_target_and_are_never_placed_twice() {
    let engine = Engine::new(fujian(), units(), RuleSet::default());
    let roster = roster(3_000, 1);
    let round = fujian_round(TeamSpec::default());
    let options = StaffOptions {
        alternates: 2,
        ..StaffOptions::default()
    };
    let plan = staff(&engine, &roster, &round, &options).expect("plan");
    check(&plan, &engine, &roster, 2);
    assert!(verify(&plan, &round, &roster, &engine).is_empty());
    let without = staff(&engine, &roster, &round, &StaffOptions::default()).expect("plan");
    assert!(plan.objective >= without.objective);
    for seed in 0..20 {
        let drawn = staff_randomized(
            &engine,
            &roster,
            &round,
            &StaffOptions { seed, ..options },
            &RandomOptions::default(),
        )
        .expect("draw");
        check(&drawn, &engine, &roster, 2);
        assert!(verify(&drawn, &round, &roster, &engine).is_empty());
    }
}

#[test]
fn the_verifier_rejects_an_alternate_who_is_on_a_team() {
    let engine = Engine::new(fujian(), units(), RuleSet::default());
    let roster = roster(3_000, 1);
    let round = fujian_round(TeamSpec::default());
    let options = StaffOptions {
        alternates: 1,
        ..StaffOptions::default()
    };
    let mut plan = staff(&engine, &roster, &round, &options).expect("plan");
    let member = plan.teams[1].members[0].clone();
    plan.teams[0].alternates[0] = member;
    let violations = verify(&plan, &round, &roster, &engine);
    assert!(
        violations
            .iter()
            .any(|v| v.message.contains("alternate who is on a team")),
        "{violations:?}"
    );
}
