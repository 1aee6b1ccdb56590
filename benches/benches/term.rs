//! Benchmark of term coverage planning: every village of China (620,573 on
//! the NBS 2023 list) clustered and scheduled, one plan per county
//! committee, beside the peer of merely walking the same villages.
//!
//! Run with `cargo bench -p xuncha-benches --bench term`.
#![expect(
    missing_docs,
    reason = "criterion_group! generates an undocumented public function"
)]

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use xuncha_assign::{TermLevel, TermSpec, plan_term, term_targets};
use xuncha_benches::national_dir;
use xuncha_org::{Division, Hierarchy, Level, Units};

/// Clusters and schedules every county's villages: ten rounds over five
/// years, three teams, the capacity the county needs. Returns the number
/// of villages scheduled.
fn plan_every_county(hierarchy: &Hierarchy, units: &Units) -> usize {
    let start = NaiveDate::from_ymd_opt(2022, 1, 1).expect("a date");
    let end = NaiveDate::from_ymd_opt(2026, 12, 31).expect("a date");
    let mut villages = 0;
    for county in hierarchy
        .at_level(Level::County)
        .filter(|d| !d.is_grouping())
    {
        let targets = term_targets(
            hierarchy,
            units,
            county.code(),
            TermLevel::Village { cluster_size: 10 },
        )
        .expect("the county's villages cluster");
        if targets.is_empty() {
            continue;
        }
        let capacity = targets.len().div_ceil(10 * 3);
        let schedule = plan_term(&targets, &TermSpec::new(start, end, 2, 3, capacity))
            .expect("the term plans");
        villages += schedule
            .rounds
            .iter()
            .flat_map(|r| &r.targets)
            .map(|s| match &s.target.target {
                xuncha_avoid::Target::Cluster(codes) => codes.len(),
                _ => 1,
            })
            .sum::<usize>();
    }
    villages
}

fn national_term(c: &mut Criterion) {
    let hierarchy = Hierarchy::from_nbs_dir(national_dir()).expect("the national list loads");
    let units = Units::default();
    let total = hierarchy
        .at_level(Level::Village)
        .filter(|d| !d.is_grouping())
        .count();
    assert_eq!(
        plan_every_county(&hierarchy, &units),
        total,
        "every village scheduled once"
    );
    let mut group = c.benchmark_group("term/national_villages");
    group.sample_size(10);
    group.throughput(Throughput::Elements(total as u64));
    group.bench_function("cluster_and_schedule_per_county", |b| {
        b.iter(|| plan_every_county(&hierarchy, &units));
    });
    // The peer: walking every county's townships and villages, building
    // nothing.
    group.bench_function("peer_walk_villages", |b| {
        b.iter(|| {
            hierarchy
                .at_level(Level::County)
                .flat_map(|c| c.children().flat_map(Division::children))
                .count()
        });
    });
    group.finish();
}

criterion_group!(benches, national_term);
criterion_main!(benches);
