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
fn a_fujian_round_with_the_cap_across_roles_is_staffed_and_verifies() {
    use xuncha_assign::OriginCap;
    let engine = Engine::new(fujian(), units(), RuleSet::default());
    let roster = roster(3_000, 1);
    // Mixed teams of seven under a cap of 3; Longyan teams (five people
    // counted) under a cap of 2.
    for (composition, cap) in [(Composition::Longyan, 2), (Composition::Mixed, 3)] {
        let spec = TeamSpec {
            composition,
            max_per_origin: cap,
            origin_cap: OriginCap::Team,
            ..TeamSpec::default()
        };
        let round = fujian_round(spec.clone());
        let plan = staff(&engine, &roster, &round, &StaffOptions::default())
            .unwrap_or_else(|e| panic!("{composition:?}: {e}"));
        assert!(verify(&plan, &round, &roster, &engine).is_empty());
        // Counting ordinary members only is a relaxation: never dearer.
        let relaxed = fujian_round(TeamSpec {
            origin_cap: OriginCap::Members,
            ..spec
        });
        let cheaper = staff(&engine, &roster, &relaxed, &StaffOptions::default()).expect("relaxed");
        assert!(cheaper.objective <= plan.objective, "{composition:?}");
    }
    // 莆田市 has five counties: a Longyan team of five people from outside
    // the target (leader, four members) cannot keep one per origin.
    let spec = TeamSpec {
        max_per_origin: 1,
        origin_cap: OriginCap::Team,
        ..TeamSpec::default()
    };
    let round = fujian_round(spec);
    let err = staff(&engine, &roster, &round, &StaffOptions::default()).unwrap_err();
    assert!(
        matches!(&err, Error::OriginCap { group } if group == "3503"),
        "{err}"
    );
    // The randomized draw keeps ordinary-member caps only, and says so.
    let err = xuncha_assign::staff_randomized(
        &engine,
        &roster,
        &round,
        &StaffOptions::default(),
        &xuncha_assign::RandomOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidOption { option, .. } if option.contains("origin_cap")),
        "{err}"
    );
}

#[test]
fn too_few_people_give_a_certificate_that_names_the_blocked_slots() {
    let engine = Engine::new(fujian(), units(), RuleSet::default());
    let roster = roster(200, 3);
    let round = fujian_round(TeamSpec::default());
    match staff(&engine, &roster, &round, &StaffOptions::default()) {
        Err(Error::Infeasible(why)) => {
            assert!(why.demand > why.capacity, "{why}");
            assert!(
                why.confirm(&round, &roster, &engine),
                "the certificate holds: {why}"
            );
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

mod brute {
    //! Staffing is optimal: against every injective assignment on tiny
    //! rounds.

    use super::*;
    use crate::fixtures::{brute_plan, objective_of, priced};
    use proptest::prelude::*;
    use xuncha_assign::Assignment;
    use xuncha_avoid::{Person, Role};
    use xuncha_org::Code;

    fn tiny_round(composition: Composition) -> Round {
        tiny_round_capped(composition, xuncha_assign::OriginCap::Members)
    }

    fn tiny_round_capped(composition: Composition, cap: xuncha_assign::OriginCap) -> Round {
        let spec = TeamSpec {
            liaison: false,
            members: 1,
            require: Vec::new(),
            min_leader_rank: None,
            composition,
            max_per_origin: 1,
            origin_cap: cap,
        };
        let mut round = fujian_round(spec);
        round.targets = ["350627", "350628"]
            .iter()
            .map(|c| RoundTarget::new(Target::Division(Code::parse(c).expect("code"))))
            .collect();
        round
    }

    const SLOTS: [(usize, Role); 6] = [
        (0, Role::Leader),
        (0, Role::DeputyLeader),
        (0, Role::Member),
        (1, Role::Leader),
        (1, Role::DeputyLeader),
        (1, Role::Member),
    ];

    /// The least objective over every valid assignment, by enumeration.
    fn best(
        engine: &Engine<'_>,
        roster: &Roster,
        round: &Round,
        objective: &Objective,
    ) -> Option<i64> {
        fn go(
            k: usize,
            chosen: &mut Vec<usize>,
            people: &[Person],
            check: &mut dyn FnMut(&[usize]),
        ) {
            if k == SLOTS.len() {
                check(chosen);
                return;
            }
            for p in 0..people.len() {
                if !chosen.contains(&p) {
                    chosen.push(p);
                    go(k + 1, chosen, people, check);
                    chosen.pop();
                }
            }
        }
        let people = roster.people();
        let mut best: Option<i64> = None;
        let mut check = |chosen: &[usize]| {
            let mut members: Vec<Vec<Assignment>> = vec![Vec::new(); round.targets.len()];
            for (&p, &(t, role)) in chosen.iter().zip(&SLOTS) {
                members[t].push(priced(engine, objective, round, t, &people[p], role));
            }
            let cost = objective_of(objective, members.iter().flatten());
            let plan = brute_plan(round, members, cost);
            if verify(&plan, round, roster, engine).is_empty() && best.is_none_or(|b| cost < b) {
                best = Some(cost);
            }
        };
        go(0, &mut Vec::new(), people, &mut check);
        best
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn staffing_is_optimal_against_brute_force(
            seed in any::<u64>(),
            longyan in any::<bool>(),
            whole_team_cap in any::<bool>(),
        ) {
            let engine = Engine::new(fujian(), units(), RuleSet::default());
            let roster = RosterSpec::new(8, seed, date())
                .within(Code::parse("3506").expect("code"))
                .roster(fujian(), units())
                .expect("roster");
            let composition = if longyan { Composition::Longyan } else { Composition::Mixed };
            let cap = if whole_team_cap {
                xuncha_assign::OriginCap::Team
            } else {
                xuncha_assign::OriginCap::Members
            };
            let round = tiny_round_capped(composition, cap);
            let objective = Objective::default();
            let expected = best(&engine, &roster, &round, &objective);
            let options = StaffOptions { objective, ..StaffOptions::default() };
            match staff(&engine, &roster, &round, &options) {
                Ok(plan) => {
                    prop_assert_eq!(Some(plan.objective), expected);
                    prop_assert!(verify(&plan, &round, &roster, &engine).is_empty());
                }
                Err(Error::Infeasible(why)) => {
                    prop_assert_eq!(expected, None, "{}", why);
                    prop_assert!(why.confirm(&round, &roster, &engine), "{}", why);
                }
                Err(Error::OriginCap { .. }) if whole_team_cap => prop_assert_eq!(expected, None),
                Err(other) => prop_assert!(false, "{}", other),
            }
        }
    }

    /// The whole-team cap bites: over seeded rosters, the relaxed optimum
    /// (ordinary members capped) often puts two people of one origin on a
    /// mixed team; the branch and bound then finds the optimum that keeps
    /// the cap, equal to the brute force's, and never below the relaxed
    /// one.
    #[test]
    fn the_whole_team_cap_is_kept_exactly_where_the_relaxation_breaks_it() {
        use xuncha_assign::OriginCap;
        let engine = Engine::new(fujian(), units(), RuleSet::default());
        let mut bitten = 0;
        for seed in 0..60u64 {
            let roster = RosterSpec::new(8, seed, date())
                .within(Code::parse("3506").expect("code"))
                .roster(fujian(), units())
                .expect("roster");
            let relaxed_round = tiny_round_capped(Composition::Mixed, OriginCap::Members);
            let capped_round = tiny_round_capped(Composition::Mixed, OriginCap::Team);
            let Ok(relaxed) = staff(&engine, &roster, &relaxed_round, &StaffOptions::default())
            else {
                continue;
            };
            if verify(&relaxed, &capped_round, &roster, &engine).is_empty() {
                continue;
            }
            bitten += 1;
            let expected = best(&engine, &roster, &capped_round, &Objective::default());
            match staff(&engine, &roster, &capped_round, &StaffOptions::default()) {
                Ok(plan) => {
                    assert!(verify(&plan, &capped_round, &roster, &engine).is_empty());
                    assert_eq!(Some(plan.objective), expected, "seed {seed}");
                    assert!(plan.objective >= relaxed.objective);
                }
                Err(Error::OriginCap { .. }) => assert_eq!(expected, None, "seed {seed}"),
                Err(other) => panic!("seed {seed}: {other}"),
            }
        }
        assert!(
            bitten >= 5,
            "the relaxation broke the cap for only {bitten} of 60 rosters"
        );
    }

    #[test]
    fn most_tiny_mixed_rounds_are_feasible_so_the_comparison_bites() {
        let engine = Engine::new(fujian(), units(), RuleSet::default());
        let feasible = (0..20u64)
            .filter(|&seed| {
                let roster = RosterSpec::new(8, seed, date())
                    .within(Code::parse("3506").expect("code"))
                    .roster(fujian(), units())
                    .expect("roster");
                staff(
                    &engine,
                    &roster,
                    &tiny_round(Composition::Mixed),
                    &StaffOptions::default(),
                )
                .is_ok()
            })
            .count();
        assert!(feasible >= 10, "only {feasible} of 20 feasible");
    }
}

/// A cluster of villages across 平和县 and 南靖县: every county it touches
/// counts as the inspected county, so the plan is the same whichever
/// county's village is written first; a Longyan deputy and liaison come
/// from one of the two, a mixed team has no one from either.
#[test]
fn a_cluster_across_two_counties_counts_both_in_either_order() {
    use xuncha_assign::RoundTarget;
    use xuncha_org::Code;
    let village = |county: &str| {
        fujian()
            .get(Code::parse(county).expect("code"))
            .and_then(|c| c.subtree().find(|d| d.level() == Level::Village))
            .map(xuncha_org::Division::code)
            .expect("a village")
    };
    let (pinghe, nanjing) = (village("350628"), village("350627"));
    let counties = [
        Code::parse("350627").expect("code"),
        Code::parse("350628").expect("code"),
    ];
    let engine = Engine::new(fujian(), units(), RuleSet::default());
    let roster = RosterSpec::new(400, 2, date())
        .within(Code::parse("3506").expect("code"))
        .roster(fujian(), units())
        .expect("roster");
    for composition in [Composition::Longyan, Composition::Mixed] {
        let plan_of = |codes: Vec<Code>| {
            let mut round = Round::cross("2026-cluster", date(), [pinghe]);
            round.team.composition = composition;
            round.targets = vec![RoundTarget::new(Target::Cluster(codes))];
            let plan = staff(&engine, &roster, &round, &StaffOptions::default())
                .unwrap_or_else(|e| panic!("{composition:?}: {e}"));
            assert!(verify(&plan, &round, &roster, &engine).is_empty());
            plan
        };
        let forward = plan_of(vec![pinghe, nanjing]);
        let backward = plan_of(vec![nanjing, pinghe]);
        let members = |plan: &Plan| -> Vec<(String, xuncha_avoid::Role)> {
            plan.teams[0]
                .members
                .iter()
                .map(|m| (m.person.to_string(), m.role))
                .collect()
        };
        assert_eq!(members(&forward), members(&backward), "{composition:?}");
        for member in &forward.teams[0].members {
            let origin = roster.get(&member.person).expect("in the roster").origin;
            let local = counties.contains(&origin);
            let local_role = matches!(
                member.role,
                xuncha_avoid::Role::DeputyLeader | xuncha_avoid::Role::Liaison
            );
            match composition {
                Composition::Longyan => assert_eq!(local, local_role, "{member:?}"),
                _ => assert!(!local, "{member:?}"),
            }
        }
    }
}
