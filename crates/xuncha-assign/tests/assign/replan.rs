//! Replanning: every replan verifies, is optimal under the change cost
//! (against a cold solve and, on tiny rounds, against every plan), moves
//! few people, and reports exactly what changed.

use std::collections::HashMap;

use proptest::prelude::*;
use xuncha_assign::{
    Assignment, Change, Composition, Error, Objective, Plan, PlanDiff, ReplanOptions, Replanner,
    Round, StaffOptions, TeamPlan, TeamSpec, replan, staff, verify,
};
use xuncha_avoid::{Engine, Person, PersonId, Role, Roster, RuleSet};
use xuncha_org::Code;

use crate::fixtures::{fujian, fujian_round, roster, roster_within, round_of, units};

const COLD: ReplanOptions = ReplanOptions {
    change_cost: 1_000,
    warm: false,
};

#[test]
fn after_one_withdrawal_the_plan_verifies_matches_a_cold_solve_and_the_median_moves_at_most_three()
{
    let engine = Engine::new(fujian(), units(), RuleSet::default());
    let roster = roster(3_000, 1);
    let round = fujian_round(TeamSpec::default());
    let options = StaffOptions::default();
    let session =
        Replanner::new(&engine, &roster, &round, &options, ReplanOptions::default()).expect("plan");
    assert_eq!(
        session.plan(),
        &staff(&engine, &roster, &round, &options).expect("plan")
    );
    let everyone: Vec<PersonId> = session
        .plan()
        .assignments()
        .map(|(_, m)| m.person.clone())
        .collect();
    let mut moved = Vec::new();
    for id in everyone.iter().step_by(everyone.len() / 40) {
        let change = Change {
            withdrawn: vec![id.clone()],
            ..Change::default()
        };
        let warm = session.clone().apply(&change).expect("replan");
        let violations = verify(&warm.plan, &round, &roster, &engine);
        assert!(violations.is_empty(), "{id}: {violations:?}");
        assert!(warm.plan.assignments().all(|(_, m)| &m.person != id));
        assert!(
            warm.diff
                .moves
                .iter()
                .any(|m| &m.person == id && m.to.is_none())
        );
        let mut cold_session =
            Replanner::new(&engine, &roster, &round, &options, COLD).expect("plan");
        let cold = cold_session.apply(&change).expect("replan");
        assert_eq!(warm.penalized(), cold.penalized(), "{id}");
        // From the plan alone (as the command line does): the same optimum.
        let from_file = replan(
            &engine,
            &roster,
            &round,
            session.plan(),
            &change,
            &options,
            ReplanOptions::default(),
        )
        .expect("replan");
        assert_eq!(from_file.penalized(), warm.penalized(), "{id}");
        assert_eq!(
            from_file.diff,
            PlanDiff::between(session.plan(), &from_file.plan)
        );
        moved.push(warm.moved);
    }
    moved.sort_unstable();
    let median = moved[moved.len() / 2];
    assert!(moved.len() >= 40, "{}", moved.len());
    assert!(median <= 3, "median {median} moved: {moved:?}");
}

#[test]
fn a_late_conflict_takes_the_person_off_that_team_only() {
    let engine = Engine::new(fujian(), units(), RuleSet::default());
    let roster = roster(3_000, 1);
    let round = fujian_round(TeamSpec::default());
    let mut session = Replanner::new(
        &engine,
        &roster,
        &round,
        &StaffOptions::default(),
        ReplanOptions::default(),
    )
    .expect("plan");
    let team = session.plan().teams[5].clone();
    let person = team.members[0].person.clone();
    let change = Change {
        conflicts: vec![(person.clone(), team.target.clone())],
        ..Change::default()
    };
    let out = session.apply(&change).expect("replan");
    assert!(verify(&out.plan, &round, &roster, &engine).is_empty());
    assert!(out.plan.teams[5].members.iter().all(|m| m.person != person));
    assert!(out.changes >= 1);
    // Back again: the person is allowed on the team once more only if the
    // conflict is lifted, which a change cannot do; adding them back after
    // a withdrawal restores their availability.
    let withdraw = Change {
        withdrawn: vec![person.clone()],
        ..Change::default()
    };
    session.apply(&withdraw).expect("replan");
    let back = Change {
        added: vec![person.clone()],
        ..Change::default()
    };
    let out = session.apply(&back).expect("replan");
    assert!(verify(&out.plan, &round, &roster, &engine).is_empty());
    assert_eq!(out.changes, 0, "nothing to gain from moving them back");
}

#[test]
fn a_change_naming_nobody_known_is_a_typed_error() {
    let engine = Engine::new(fujian(), units(), RuleSet::default());
    let roster = roster(3_000, 1);
    let round = fujian_round(TeamSpec::default());
    let plan = staff(&engine, &roster, &round, &StaffOptions::default()).expect("plan");
    let change = Change {
        withdrawn: vec![PersonId("NOBODY".into())],
        ..Change::default()
    };
    match replan(
        &engine,
        &roster,
        &round,
        &plan,
        &change,
        &StaffOptions::default(),
        ReplanOptions::default(),
    ) {
        Err(e @ Error::Change { .. }) => assert!(e.to_string().contains("NOBODY"), "{e}"),
        other => panic!("{other:?}"),
    }
}

/// Two teams of three (leader, deputy leader, one member): six slots.
fn tiny_round(composition: Composition) -> Round {
    round_of(
        &["350627", "350628"],
        TeamSpec {
            liaison: false,
            members: 1,
            require: Vec::new(),
            min_leader_rank: None,
            composition,
            max_per_origin: 1,
            origin_cap: xuncha_assign::OriginCap::Members,
        },
    )
}

const SLOTS: [(usize, Role); 6] = [
    (0, Role::Leader),
    (0, Role::DeputyLeader),
    (0, Role::Member),
    (1, Role::Leader),
    (1, Role::DeputyLeader),
    (1, Role::Member),
];

/// For every valid plan without `out`, (objective, new assignments against
/// `previous`), by enumeration.
fn every_plan(
    engine: &Engine<'_>,
    roster: &Roster,
    round: &Round,
    previous: &Plan,
    out: &PersonId,
) -> Vec<(i64, usize)> {
    fn go(k: usize, chosen: &mut Vec<usize>, people: usize, visit: &mut dyn FnMut(&[usize])) {
        if k == SLOTS.len() {
            visit(chosen);
            return;
        }
        for p in 0..people {
            if !chosen.contains(&p) {
                chosen.push(p);
                go(k + 1, chosen, people, visit);
                chosen.pop();
            }
        }
    }
    let objective = Objective::default();
    let before: std::collections::HashSet<(PersonId, usize, Role)> = previous
        .teams
        .iter()
        .enumerate()
        .flat_map(|(t, team)| {
            team.members
                .iter()
                .map(move |m| (m.person.clone(), t, m.role))
        })
        .collect();
    let people: Vec<&Person> = roster.people().iter().filter(|p| &p.id != out).collect();
    let mut found = Vec::new();
    let mut visit = |chosen: &[usize]| {
        let mut teams: Vec<TeamPlan> = round
            .targets
            .iter()
            .map(|t| TeamPlan {
                id: format!("{}/{}", round.id, t.target),
                target: t.target.clone(),
                inspector: None,
                kind: t.kind,
                members: Vec::new(),
                alternates: Vec::new(),
            })
            .collect();
        let mut cost = 0i64;
        let mut changes = 0usize;
        let mut per_origin: HashMap<Code, i64> = HashMap::new();
        for (&p, &(t, role)) in chosen.iter().zip(&SLOTS) {
            let person = people[p];
            let spec = round.spec(t);
            let soft = engine
                .check(person, &round.targets[t].target, role, round.date)
                .soft_cost();
            let division = round.targets[t].target.divisions(engine.units())[0];
            let priced = objective.terms(person, role, role == Role::Member, spec, division, soft);
            cost += priced.total();
            *per_origin.entry(person.origin).or_default() += 1;
            changes += usize::from(!before.contains(&(person.id.clone(), t, role)));
            teams[t].members.push(Assignment {
                person: person.id.clone(),
                name: person.name.clone(),
                role,
                specialist: Vec::new(),
                origin: person.origin,
                cost: priced,
            });
        }
        cost += per_origin
            .values()
            .map(|&n| objective.balance * n * (n - 1) / 2)
            .sum::<i64>();
        let plan = Plan {
            teams,
            ..previous.clone()
        };
        if verify(&plan, round, roster, engine).is_empty() {
            found.push((cost, changes));
        }
    };
    go(0, &mut Vec::new(), people.len(), &mut visit);
    found
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// On tiny rounds, the replan after one withdrawal is the least
    /// objective plus change cost over every valid plan, so also the
    /// cheapest plan with as many changes as it makes; and a cold solve
    /// with the same change costs agrees.
    #[test]
    fn a_replan_is_optimal_among_plans_with_as_many_changes(
        seed in any::<u64>(),
        longyan in any::<bool>(),
        which in 0usize..6,
        change_cost in prop_oneof![Just(1i64), Just(7), Just(40), Just(1_000)],
    ) {
        let engine = Engine::new(fujian(), units(), RuleSet::default());
        let roster = roster_within(9, seed, "3506");
        let composition = if longyan { Composition::Longyan } else { Composition::Mixed };
        let round = tiny_round(composition);
        let options = StaffOptions::default();
        let Ok(plan) = staff(&engine, &roster, &round, &options) else {
            return Ok(());
        };
        let out = plan.assignments().nth(which).map(|(_, m)| m.person.clone()).expect("six");
        let change = Change { withdrawn: vec![out.clone()], ..Change::default() };
        let warm = ReplanOptions { change_cost, warm: true };
        let cold = ReplanOptions { change_cost, warm: false };
        let plans = every_plan(&engine, &roster, &round, &plan, &out);
        let best = plans.iter().map(|&(c, k)| c + change_cost * i64::try_from(k).expect("small")).min();
        match replan(&engine, &roster, &round, &plan, &change, &options, warm) {
            Ok(new) => {
                prop_assert!(verify(&new.plan, &round, &roster, &engine).is_empty());
                prop_assert_eq!(Some(new.penalized()), best);
                let same_changes = plans.iter().filter(|&&(_, k)| k == new.changes).map(|&(c, _)| c).min();
                prop_assert_eq!(Some(new.plan.objective), same_changes);
                let again = replan(&engine, &roster, &round, &plan, &change, &options, cold).expect("cold");
                prop_assert_eq!(again.penalized(), new.penalized());
            }
            Err(Error::Infeasible(why)) => {
                prop_assert_eq!(best, None, "{}", why);
            }
            Err(other) => prop_assert!(false, "{}", other),
        }
    }
}
