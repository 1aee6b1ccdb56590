//! Benchmarks of xuncha-avoid and xuncha-synth on the real national
//! division list: generating rosters, building the conflict index, and
//! single checks.
//!
//! Run with `cargo bench -p xuncha-benches --bench avoid`.
#![expect(
    missing_docs,
    reason = "criterion_group! generates an undocumented public function"
)]

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use xuncha_avoid::{Engine, FactKind, Role, Rule, RuleSet, Target, TieGraph, TieSpec};
use xuncha_benches::{SplitMix64, all_pairs_ties, national_dir, tie_facts};
use xuncha_org::{Hierarchy, Level, Units};
use xuncha_synth::{OfficialsSpec, RosterSpec};

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).expect("valid date")
}

fn synth(c: &mut Criterion) {
    let china = Hierarchy::from_nbs_dir(national_dir()).expect("national list loads");
    let units = Units::default();
    let mut group = c.benchmark_group("synth");
    group.sample_size(10);
    group.throughput(Throughput::Elements(100_000));
    group.bench_function("people_100k_national", |b| {
        b.iter(|| {
            RosterSpec::new(100_000, 1, date())
                .people(black_box(&china))
                .len()
        });
    });
    let people = RosterSpec::new(100_000, 1, date()).people(&china);
    group.bench_function("roster_check_100k_national", |b| {
        b.iter(|| {
            xuncha_avoid::Roster::new(people.clone(), &china, &units)
                .expect("valid")
                .len()
        });
    });
    group.finish();
}

fn index(c: &mut Criterion) {
    let china = Hierarchy::from_nbs_dir(national_dir()).expect("national list loads");
    let units = Units::default();
    let roster = RosterSpec::new(100_000, 1, date())
        .roster(&china, &units)
        .expect("synthetic roster");
    let counties: Vec<Target> = china
        .at_level(Level::County)
        .map(|d| Target::Division(d.code()))
        .collect();
    let engine = Engine::new(&china, &units, RuleSet::default());
    let mut group = c.benchmark_group("avoid/index");
    group.sample_size(10);
    group.bench_function("100k_people_x_2978_counties", |b| {
        b.iter(|| {
            engine
                .index(black_box(&roster), &counties, date())
                .blocked_pairs()
        });
    });
    // The peer: every pair tested with `check`, on 1 % of the people; the
    // ratio against the index is per pair.
    let sample: Vec<_> = roster.people().iter().step_by(100).collect();
    group.bench_function("all_pairs_check_1k_people_x_2978_counties", |b| {
        b.iter(|| {
            let mut blocked = 0usize;
            for person in &sample {
                for target in &counties {
                    if !engine
                        .check(person, target, Role::Member, date())
                        .is_allowed()
                    {
                        blocked += 1;
                    }
                }
            }
            blocked
        });
    });
    group.finish();

    let index = engine.index(&roster, &counties, date());
    let mut rng = SplitMix64::new(3);
    let pairs: Vec<(usize, usize, Role)> = (0..4096)
        .map(|_| {
            (
                rng.below(roster.len()),
                rng.below(counties.len()),
                Role::ALL[rng.below(4)],
            )
        })
        .collect();
    let mut group = c.benchmark_group("avoid/query");
    // Random people from a pool of 1,000: the person's facts in cache, as
    // when a caller checks one person against several targets.
    let warm: Vec<(usize, usize, Role)> =
        pairs.iter().map(|&(p, t, r)| (p % 1_000, t, r)).collect();
    let mut i = 0;
    group.bench_function("check_one_pair_warm", |b| {
        b.iter(|| {
            let (p, t, role) = warm[i % warm.len()];
            i += 1;
            engine
                .check(black_box(&roster.people()[p]), &counties[t], role, date())
                .is_allowed()
        });
    });
    // Random people from all 100,000: every fact a cache miss.
    let mut i = 0;
    group.bench_function("check_one_pair_cold", |b| {
        b.iter(|| {
            let (p, t, role) = pairs[i % pairs.len()];
            i += 1;
            engine
                .check(black_box(&roster.people()[p]), &counties[t], role, date())
                .is_allowed()
        });
    });
    let mut i = 0;
    group.bench_function("index_allowed_one_pair", |b| {
        b.iter(|| {
            let (p, t, role) = pairs[i % pairs.len()];
            i += 1;
            index.allowed(black_box(p), t, role)
        });
    });
    group.finish();
}

/// The acquaintance graph for 100,000 roster people and 29,780 officials
/// (10 a county) over the national divisions, and the tie index at path
/// length 2 against every county; the peer is the all-pairs comparison of
/// a 1 % sample of the people with everyone, in the same run.
fn ties(c: &mut Criterion) {
    let china = Hierarchy::from_nbs_dir(national_dir()).expect("national list loads");
    // Careers of 15 posts, those in a county seat held in its bureaus, as
    // the national figure asks.
    let units = Units::new(xuncha_synth::county_bureaus(&china, None), &china).expect("bureaus");
    let roster = RosterSpec::new(100_000, 1, date())
        .with_earlier_posts(15..=15)
        .roster(&china, &units)
        .expect("synthetic roster");
    let officials = OfficialsSpec::new(10, 1, date())
        .with_earlier_posts(15..=15)
        .checked(&china, &units)
        .expect("synthetic officials");
    let counties: Vec<Target> = china
        .at_level(Level::County)
        .map(|d| Target::Division(d.code()))
        .collect();
    let spec = TieSpec {
        path: 2,
        ..TieSpec::default()
    };
    let rules = RuleSet::new(vec![Rule {
        window: Some(xuncha_avoid::Window::Years(10)),
        ties: Some(spec.clone()),
        ..Rule::new("ties", FactKind::Ties)
    }])
    .expect("valid rules");
    let specs = [spec.clone()];
    let mut group = c.benchmark_group("avoid/ties");
    group.sample_size(10);
    group.bench_function("graph_130k_national", |b| {
        b.iter(|| TieGraph::build(&roster, &officials, &units, black_box(&specs)).ties());
    });
    let engine = Engine::new(&china, &units, rules).with_officials(&roster, &officials);
    group.bench_function("index_path2_counties", |b| {
        b.iter(|| {
            engine
                .index(&roster, black_box(&counties), date())
                .blocked_pairs()
        });
    });
    // The peer: every pair of one sampled person and anyone, compared by
    // their facts (posts in the same place overlapping a year, the same
    // township of upbringing, school and year).
    let everyone = tie_facts(&roster, &officials);
    let sample: Vec<usize> = (0..everyone.len()).step_by(100).collect();
    group.bench_function("peer_all_pairs_1pct", |b| {
        b.iter(|| all_pairs_ties(&everyone, black_box(&sample), date()));
    });
    group.finish();
}

criterion_group!(benches, synth, index, ties);
criterion_main!(benches);
