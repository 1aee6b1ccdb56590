//! Benchmarks of xuncha-org on the real national division list:
//! loading, `contains` queries, code lookups and name search.
//!
//! Run with `cargo bench -p xuncha-benches --bench org`.
#![expect(
    missing_docs,
    reason = "criterion_group! generates an undocumented public function"
)]

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use xuncha_benches::{SplitMix64, national_dir};
use xuncha_org::{Division, DivisionId, Hierarchy, Level};

fn load(c: &mut Criterion) {
    let dir = national_dir();
    let mut group = c.benchmark_group("org/load");
    group.sample_size(10);
    group.bench_function("national", |b| {
        b.iter(|| Hierarchy::from_nbs_dir(black_box(&dir)).expect("national list loads"));
    });
    // The peer: only reading the five files' records with the csv crate,
    // building nothing. The ratio says what the hierarchy costs on top.
    group.bench_function("national_csv_records_only", |b| {
        b.iter(|| {
            let mut rows = 0usize;
            for file in ["provinces", "cities", "areas", "streets", "villages"] {
                let path = dir.join(format!("{file}.csv"));
                let mut reader = csv::Reader::from_path(path).expect("file opens");
                let mut record = csv::ByteRecord::new();
                while reader.read_byte_record(&mut record).expect("valid CSV") {
                    rows += record.len();
                }
            }
            rows
        });
    });
    // The same list decompressed from the crate as it is read.
    group.bench_function("national_embedded", |b| b.iter(Hierarchy::national));
    group.bench_function("fujian_embedded", |b| b.iter(Hierarchy::fujian));
    group.finish();
}

/// Pairs of divisions: half an ancestor and its descendant, half random.
fn pairs(hierarchy: &Hierarchy, n: usize) -> Vec<(DivisionId, DivisionId)> {
    let mut rng = SplitMix64::new(0x7875_6e63_6861);
    (0..n)
        .map(|_| {
            let b = hierarchy
                .division_at(rng.below(hierarchy.len()))
                .expect("in range");
            let a = if rng.next_u64() & 1 == 0 {
                let level = Level::ALL[rng.below(5)];
                b.ancestor_at(level).unwrap_or(b)
            } else {
                hierarchy
                    .division_at(rng.below(hierarchy.len()))
                    .expect("in range")
            };
            (a.id(), b.id())
        })
        .collect()
}

fn contains(c: &mut Criterion) {
    let hierarchy = Hierarchy::from_nbs_dir(national_dir()).expect("national list loads");
    let pairs = pairs(&hierarchy, 1 << 20);
    let mut group = c.benchmark_group("org/contains");
    group.throughput(Throughput::Elements(pairs.len() as u64));
    group.bench_function("intervals", |b| {
        b.iter(|| {
            pairs
                .iter()
                .filter(|&&(a, b)| hierarchy.contains(black_box(a), black_box(b)))
                .count()
        });
    });
    let codes: Vec<_> = pairs
        .iter()
        .map(|&(a, b)| {
            let code = |id| hierarchy.division(id).expect("in range").code();
            (code(a), code(b))
        })
        .collect();
    group.bench_function("code_arithmetic", |b| {
        b.iter(|| {
            codes
                .iter()
                .filter(|&&(a, b)| black_box(a).contains(black_box(b)))
                .count()
        });
    });
    // The peer: the obvious walk up the parents.
    group.bench_function("walk_parents", |b| {
        b.iter(|| {
            pairs
                .iter()
                .filter(|&&(a, b)| {
                    let a = hierarchy.division(black_box(a)).expect("in range");
                    let b: Division<'_> = hierarchy.division(black_box(b)).expect("in range");
                    a == b || b.ancestors().any(|x| x == a)
                })
                .count()
        });
    });
    group.finish();
}

fn lookup(c: &mut Criterion) {
    let hierarchy = Hierarchy::from_nbs_dir(national_dir()).expect("national list loads");
    let mut rng = SplitMix64::new(7);
    let codes: Vec<_> = (0..1 << 16)
        .map(|_| {
            hierarchy
                .division_at(rng.below(hierarchy.len()))
                .expect("in range")
                .code()
        })
        .collect();
    let mut group = c.benchmark_group("org/lookup");
    group.throughput(Throughput::Elements(codes.len() as u64));
    group.bench_function("get_by_code", |b| {
        b.iter(|| {
            codes
                .iter()
                .filter(|&&code| hierarchy.get(black_box(code)).is_some())
                .count()
        });
    });
    group.finish();

    let mut group = c.benchmark_group("org/find");
    group.sample_size(10);
    group.bench_function("first_search_builds_index", |b| {
        b.iter_batched(
            || hierarchy.clone(),
            |fresh| fresh.find("城关镇").len(),
            BatchSize::PerIteration,
        );
    });
    hierarchy.find("warm up the index");
    group.bench_function("exact_name", |b| {
        b.iter(|| hierarchy.find(black_box("城关镇")).len());
    });
    group.bench_function("prefix", |b| {
        b.iter(|| hierarchy.find_prefix(black_box("平和")).len());
    });
    group.finish();
}

criterion_group!(benches, load, contains, lookup);
criterion_main!(benches);
