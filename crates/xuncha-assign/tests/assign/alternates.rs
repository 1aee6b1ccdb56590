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

/// Alternates for every role: in a Longyan round (where the deputy and the
/// liaison come from the inspected county and the others must not) a
/// team's alternates are spread over its kinds of slot in turn, member,
/// specialist, deputy leader, liaison, leader, so that with as many
/// alternates as kinds every role has one, not only deputies.
#[test]
fn alternates_cover_every_role_of_a_longyan_team() {
    use xuncha_avoid::Role;
    let engine = Engine::new(fujian(), units(), RuleSet::default());
    let roster = crate::fixtures::roster_within(2_000, 7, "3506");
    let spec = TeamSpec::default();
    let kinds = 4 + spec.require.len();
    let round = crate::fixtures::round_of(&["350602", "350603", "350622", "350623"], spec);
    let options = StaffOptions {
        alternates: u32::try_from(kinds).unwrap(),
        ..StaffOptions::default()
    };
    let plan = staff(&engine, &roster, &round, &options).expect("plan");
    check(&plan, &engine, &roster, kinds);
    assert!(verify(&plan, &round, &roster, &engine).is_empty());
    for team in &plan.teams {
        for role in [
            Role::Leader,
            Role::DeputyLeader,
            Role::Liaison,
            Role::Member,
        ] {
            assert!(
                team.alternates.iter().any(|a| a.role == role),
                "{}: no {role} among {:?}",
                team.id,
                team.alternates.iter().map(|a| a.role).collect::<Vec<_>>()
            );
        }
        let specialists = team
            .alternates
            .iter()
            .filter(|a| !a.specialist.is_empty())
            .count();
        assert_eq!(specialists, round.team.require.len(), "{}", team.id);
    }
    // Fewer alternates than kinds: the first kinds in turn, member first.
    let two = staff(
        &engine,
        &roster,
        &round,
        &StaffOptions {
            alternates: 2,
            ..StaffOptions::default()
        },
    )
    .expect("plan");
    for team in &two.teams {
        let mut roles: Vec<Role> = team.alternates.iter().map(|a| a.role).collect();
        roles.sort();
        assert_eq!(roles, [Role::Member, Role::Member], "{}", team.id);
        assert_eq!(
            team.alternates
                .iter()
                .filter(|a| a.specialist.is_empty())
                .count(),
            1
        );
    }
}
