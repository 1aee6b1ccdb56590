//! Benchmarks of xuncha-assign: whole rounds over real Fujian and the
//! national list, and the flow core against the textbook oracle.
//!
//! Run with `cargo bench -p xuncha-benches --bench assign`.
#![expect(
    missing_docs,
    reason = "criterion_group! generates an undocumented public function"
)]

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use xuncha_assign::{
    Change, FractionalPlan, OriginCap, RandomOptions, ReplanOptions, Replanner, Round, RoundTarget,
    SkillRequirement, StaffOptions, replan, staff, staff_randomized, verify,
};
use xuncha_avoid::{Engine, RuleSet, Skill, Target};
use xuncha_benches::national_dir;
use xuncha_org::{Hierarchy, Level, Units};
use xuncha_synth::RosterSpec;

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1).expect("valid date")
}

fn county_round(hierarchy: &Hierarchy) -> Round {
    Round::cross(
        "bench",
        date(),
        hierarchy
            .at_level(Level::County)
            .map(xuncha_org::Division::code),
    )
}

fn fujian(c: &mut Criterion) {
    let hierarchy = Hierarchy::fujian();
    let units = Units::default();
    let roster = RosterSpec::new(3_000, 1, date())
        .roster(&hierarchy, &units)
        .expect("roster");
    let engine = Engine::new(&hierarchy, &units, RuleSet::default());
    let round = county_round(&hierarchy);
    let mut group = c.benchmark_group("assign/fujian");
    group.bench_function("round_84_counties_3000_people_index_staff_verify", |b| {
        b.iter(|| {
            let plan = staff(
                &engine,
                black_box(&roster),
                &round,
                &StaffOptions::default(),
            )
            .expect("feasible");
            assert!(verify(&plan, &round, &roster, &engine).is_empty());
            plan.objective
        });
    });
    group.bench_function("round_one_thread", |b| {
        let options = StaffOptions {
            threads: 1,
            ..StaffOptions::default()
        };
        b.iter(|| {
            staff(&engine, black_box(&roster), &round, &options)
                .expect("feasible")
                .objective
        });
    });
    // The cap counted across roles (branch and bound over networks), beside
    // the same round with the cap on ordinary members only (one network).
    let mut capped = round.clone();
    capped.team.origin_cap = OriginCap::Team;
    // Three skill requirements a person may meet several of (branch and
    // bound over the layouts of the specialists).
    let mut three_skills = round.clone();
    three_skills.team.require = [Skill::FinanceAudit, Skill::Law, Skill::DisciplineInspection]
        .iter()
        .map(|&skill| SkillRequirement { skill, count: 1 })
        .collect();
    for (name, round) in [
        ("staff_cap_members", &round),
        ("staff_cap_team", &capped),
        ("staff_three_skills", &three_skills),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                staff(&engine, black_box(&roster), round, &StaffOptions::default())
                    .expect("feasible")
                    .objective
            });
        });
    }
    group.finish();
}

fn national(c: &mut Criterion) {
    let hierarchy = Hierarchy::from_nbs_dir(national_dir()).expect("national list");
    let units = Units::default();
    let roster = RosterSpec::new(100_000, 1, date())
        .roster(&hierarchy, &units)
        .expect("roster");
    let engine = Engine::new(&hierarchy, &units, RuleSet::default());
    let mut round = county_round(&hierarchy);
    round.targets = xuncha_benches::rotatable_counties(&hierarchy)
        .into_iter()
        .map(|c| RoundTarget::new(Target::Division(c)))
        .collect();
    let mut group = c.benchmark_group("assign/national");
    group.sample_size(10);
    // Every county-level division, small cities drawing on their province.
    let mut every = county_round(&hierarchy);
    every.pool = xuncha_assign::Pool::CityOrProvince;
    every.targets = hierarchy
        .at_level(xuncha_org::Level::County)
        .map(|d| RoundTarget::new(Target::Division(d.code())))
        .collect();
    group.bench_function(
        "round_all_2978_counties_city_or_province_100k_people",
        |b| {
            b.iter(|| {
                staff(
                    &engine,
                    black_box(&roster),
                    &every,
                    &StaffOptions::default(),
                )
                .expect("every county staffed")
                .objective
            });
        },
    );
    group.bench_function("round_2978_counties_100k_people", |b| {
        b.iter(|| {
            match staff(
                &engine,
                black_box(&roster),
                &round,
                &StaffOptions::default(),
            ) {
                Ok(plan) => plan.objective,
                Err(e) => i64::try_from(e.to_string().len()).unwrap_or(0),
            }
        });
    });
    group.finish();
}

fn randomized(c: &mut Criterion) {
    let hierarchy = Hierarchy::fujian();
    let units = Units::default();
    let roster = RosterSpec::new(3_000, 1, date())
        .roster(&hierarchy, &units)
        .expect("roster");
    let engine = Engine::new(&hierarchy, &units, RuleSet::default());
    let round = county_round(&hierarchy);
    let options = StaffOptions::default();
    let random = RandomOptions::default();
    let fractional =
        FractionalPlan::solve(&engine, &roster, &round, &options, &random).expect("feasible");
    let mut group = c.benchmark_group("assign/randomized");
    let mut seed = 0u64;
    group.bench_function("draw_84_teams_3000_people_cap_0_5", |b| {
        b.iter(|| {
            seed += 1;
            fractional.draw(black_box(seed)).expect("draw").objective
        });
    });
    group.sample_size(10);
    group.bench_function("solve_fractional_and_draw_84_teams", |b| {
        b.iter(|| {
            staff_randomized(&engine, black_box(&roster), &round, &options, &random)
                .expect("draw")
                .objective
        });
    });
    group.finish();
}

fn replanning(c: &mut Criterion) {
    let hierarchy = Hierarchy::fujian();
    let units = Units::default();
    let roster = RosterSpec::new(3_000, 1, date())
        .roster(&hierarchy, &units)
        .expect("roster");
    let engine = Engine::new(&hierarchy, &units, RuleSet::default());
    let round = county_round(&hierarchy);
    let options = StaffOptions::default();
    let session =
        Replanner::new(&engine, &roster, &round, &options, ReplanOptions::default()).expect("plan");
    let plan = session.plan().clone();
    let people: Vec<_> = plan.assignments().map(|(_, m)| m.person.clone()).collect();
    let mut k = 0usize;
    let mut next = || {
        k = (k + 37) % people.len();
        Change {
            withdrawn: vec![people[k].clone()],
            ..Change::default()
        }
    };
    let mut group = c.benchmark_group("assign/replan");
    group.bench_function("warm_one_withdrawal_84_teams", |b| {
        b.iter_batched(
            || (session.clone(), next()),
            |(mut s, change)| s.apply(&change).expect("replan").changes,
            BatchSize::LargeInput,
        );
    });
    group.bench_function("cold_staff_84_teams", |b| {
        b.iter(|| {
            staff(&engine, black_box(&roster), &round, &options)
                .expect("plan")
                .objective
        });
    });
    group.bench_function("from_plan_file_one_withdrawal_84_teams", |b| {
        b.iter(|| {
            replan(
                &engine,
                &roster,
                &round,
                black_box(&plan),
                &next(),
                &options,
                ReplanOptions::default(),
            )
            .expect("replan")
            .changes
        });
    });
    group.finish();
}

criterion_group!(benches, fujian, randomized, replanning, national);
criterion_main!(benches);
