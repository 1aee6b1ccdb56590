//! Several skill requirements on one team, which one person may meet at
//! once: the engine's plan against brute force over every team and every
//! way of naming its specialists, on rosters where people with two of the
//! skills are common.

use proptest::prelude::*;
use xuncha_assign::{
    Assignment, Composition, Error, Objective, OriginCap, Round, SkillRequirement, StaffOptions,
    TeamSpec, staff, verify,
};
use xuncha_avoid::{Engine, Person, Role, Roster, RuleSet, Skill};

use crate::fixtures::{brute_plan, fujian, objective_of, priced, roster_within, round_of, units};

const SKILLS: [Skill; 2] = [Skill::FinanceAudit, Skill::Law];

/// One team: leader, deputy leader, three members, at least one member
/// with finance and audit and one with law, at most one ordinary member
/// (or, with the cap across roles, one person) from any one county.
fn round(composition: Composition, cap: OriginCap) -> Round {
    round_of(
        &["350627"],
        TeamSpec {
            liaison: false,
            members: 3,
            require: SKILLS
                .iter()
                .map(|&skill| SkillRequirement { skill, count: 1 })
                .collect(),
            min_leader_rank: None,
            composition,
            max_per_origin: 1,
            origin_cap: cap,
        },
    )
}

/// Eight people of 漳州市, each with each of the two skills at odds of one
/// in three: often only a person or two has law, or finance and audit.
fn roster(seed: u64) -> Roster {
    let base = roster_within(8, seed, "3506");
    let mut state = seed ^ 0x5DEE_CE66;
    let mut people: Vec<Person> = base.people().to_vec();
    for person in &mut people {
        person.skills.clear();
        for skill in SKILLS {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            if (state >> 32).is_multiple_of(3) {
                person.skills.push(skill);
            }
        }
    }
    Roster::new(people, fujian(), units()).expect("roster")
}

/// Every way to name each member a specialist for some of the required
/// skills they have (or for none).
fn namings(members: &[&Person]) -> Vec<Vec<Vec<Skill>>> {
    let mut out = vec![Vec::new()];
    for person in members {
        let held: Vec<Skill> = SKILLS
            .iter()
            .copied()
            .filter(|&s| person.has_skill(s))
            .collect();
        let mut next = Vec::new();
        for partial in &out {
            for subset in 0..(1u32 << held.len()) {
                let named: Vec<Skill> = held
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| subset & (1 << i) != 0)
                    .map(|(_, &s)| s)
                    .collect();
                let mut longer: Vec<Vec<Skill>> = partial.clone();
                longer.push(named);
                next.push(longer);
            }
        }
        out = next;
    }
    out
}

/// The least objective of a plan that `verify` accepts, over every choice
/// of leader, deputy leader and members and every naming of specialists.
fn best(engine: &Engine<'_>, roster: &Roster, round: &Round) -> Option<i64> {
    let objective = Objective::default();
    let people = roster.people();
    let roles = [
        Role::Leader,
        Role::DeputyLeader,
        Role::Member,
        Role::Member,
        Role::Member,
    ];
    let mut best: Option<i64> = None;
    let n = people.len();
    for leader in 0..n {
        for deputy in (0..n).filter(|&d| d != leader) {
            for a in 0..n {
                for b in a + 1..n {
                    for c in b + 1..n {
                        let team = [leader, deputy, a, b, c];
                        if (2..5).any(|i| team[i] == leader || team[i] == deputy) {
                            continue;
                        }
                        let assignments: Vec<Assignment> = team
                            .iter()
                            .zip(&roles)
                            .map(|(&p, &role)| {
                                priced(engine, &objective, round, 0, &people[p], role)
                            })
                            .collect();
                        let cost = objective_of(&objective, &assignments);
                        if best.is_some_and(|b| b <= cost) {
                            continue;
                        }
                        let members: Vec<&Person> = team[2..].iter().map(|&p| &people[p]).collect();
                        for naming in namings(&members) {
                            let mut members = assignments.clone();
                            for (m, named) in members[2..].iter_mut().zip(naming) {
                                m.specialist = named;
                            }
                            let plan = brute_plan(round, vec![members], cost);
                            if verify(&plan, round, roster, engine).is_empty() {
                                best = Some(cost);
                                break;
                            }
                        }
                    }
                }
            }
        }
    }
    best
}

/// Staffs and compares with the brute force; `true` when the plan names a
/// member as a specialist for both skills.
fn check(seed: u64, composition: Composition, cap: OriginCap) -> Result<bool, TestCaseError> {
    let engine = Engine::new(fujian(), units(), RuleSet::default());
    let roster = roster(seed);
    let round = round(composition, cap);
    let expected = best(&engine, &roster, &round);
    match staff(&engine, &roster, &round, &StaffOptions::default()) {
        Ok(plan) => {
            prop_assert_eq!(Some(plan.objective), expected, "seed {}", seed);
            let violations = verify(&plan, &round, &roster, &engine);
            prop_assert!(violations.is_empty(), "{:?}", violations);
            Ok(plan.assignments().any(|(_, m)| m.specialist.len() == 2))
        }
        Err(Error::Infeasible(why)) => {
            prop_assert_eq!(expected, None, "seed {}: {}", seed, why);
            prop_assert!(why.confirm(&round, &roster, &engine), "{}", why);
            Ok(false)
        }
        Err(Error::OriginCap { .. }) if cap == OriginCap::Team => {
            prop_assert_eq!(expected, None, "seed {}", seed);
            Ok(false)
        }
        Err(other) => Err(TestCaseError::fail(format!("seed {seed}: {other}"))),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn several_requirements_are_met_optimally_against_brute_force(
        seed in any::<u64>(),
        longyan in any::<bool>(),
        whole_team_cap in any::<bool>(),
    ) {
        let composition = if longyan { Composition::Longyan } else { Composition::Mixed };
        let cap = if whole_team_cap { OriginCap::Team } else { OriginCap::Members };
        check(seed, composition, cap)?;
    }
}

/// The comparison bites: over seeded rosters, some optimal plans name one
/// person for both skills, which one specialist per requirement could not.
#[test]
fn one_person_meets_two_requirements_where_that_is_best() {
    let mut combined = 0;
    for seed in 0..40u64 {
        match check(seed, Composition::Mixed, OriginCap::Members) {
            Ok(true) => combined += 1,
            Ok(false) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert!(
        combined >= 3,
        "only {combined} of 40 plans named one person for both skills"
    );
}

/// Nobody with law: no plan, and the certificate names the law slot.
#[test]
fn a_missing_skill_still_gives_a_certificate() {
    let engine = Engine::new(fujian(), units(), RuleSet::default());
    let mut people: Vec<Person> = roster(7).people().to_vec();
    for (i, person) in people.iter_mut().enumerate() {
        person.skills = if i % 2 == 0 {
            vec![Skill::FinanceAudit]
        } else {
            Vec::new()
        };
    }
    let roster = Roster::new(people, fujian(), units()).expect("roster");
    let round = round(Composition::Mixed, OriginCap::Members);
    match staff(&engine, &roster, &round, &StaffOptions::default()) {
        Err(Error::Infeasible(why)) => {
            assert!(why.confirm(&round, &roster, &engine), "{why}");
            assert!(
                why.slots.iter().any(|s| s.skill == Some(Skill::Law)),
                "{why}"
            );
        }
        other => panic!("{other:?}"),
    }
}

/// A whole Fujian round (84 Longyan teams, 3,000 people) whose teams each
/// ask for finance and audit, law and discipline inspection: staffed
/// exactly, verified, never dearer than one specialist per requirement
/// (a restriction of the same round), and naming some people for two
/// skills.
#[test]
fn a_fujian_round_with_three_requirements_is_staffed_and_verifies() {
    use crate::fixtures::{fujian_round, roster as fujian_roster};
    let engine = Engine::new(fujian(), units(), RuleSet::default());
    let roster = fujian_roster(3_000, 1);
    let spec = TeamSpec {
        require: [Skill::FinanceAudit, Skill::Law, Skill::DisciplineInspection]
            .iter()
            .map(|&skill| SkillRequirement { skill, count: 1 })
            .collect(),
        ..TeamSpec::default()
    };
    let round = fujian_round(spec);
    let plan = staff(&engine, &roster, &round, &StaffOptions::default()).expect("a plan");
    let violations = verify(&plan, &round, &roster, &engine);
    assert!(violations.is_empty(), "{violations:?}");
    assert_eq!(plan.teams.len(), 84);
    let named_twice = plan
        .assignments()
        .filter(|(_, m)| m.specialist.len() >= 2)
        .count();
    // The same round with every requirement's specialist a different
    // person: a plan of that round is a plan of this one.
    let mut people: Vec<Person> = roster.people().to_vec();
    for person in &mut people {
        // Keep one skill each, so nobody can count twice.
        person.skills.truncate(1);
    }
    let single = Roster::new(people, fujian(), units()).expect("roster");
    if let Ok(restricted) = staff(&engine, &single, &round, &StaffOptions::default()) {
        assert!(verify(&restricted, &round, &roster, &engine).is_empty());
        assert!(plan.objective <= restricted.objective);
    }
    assert!(named_twice > 0, "nobody counted for two requirements");
}
