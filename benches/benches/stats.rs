//! Benchmarks of xuncha-stats: aggregating a million ledger events and a
//! hundred thousand petitions, by city, county and mode.
//!
//! The events are built once, in memory (a synthetic season over Fujian's
//! 84 counties applied to a `MemoryStore` ledger, then decoded); the
//! benchmark measures aggregation over the decoded events, not `SQLite`
//! reads or JSON decoding (see `leads` for replay).
//!
//! Run with `cargo bench -p xuncha-benches --bench stats`.
#![expect(
    missing_docs,
    reason = "criterion_group! generates an undocumented public function"
)]

use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use xuncha_assign::InspectionMode;
use xuncha_leads::{Event, Ledger, ManualClock, MemoryStore, State};
use xuncha_org::{Code, Hierarchy, Level};
use xuncha_stats::{By, DateRange, Petition, Records, Rounds, aggregate};
use xuncha_synth::SeasonSpec;

fn season() -> (Vec<Event>, State, Vec<Petition>) {
    let fujian = Hierarchy::fujian();
    let counties: Vec<Code> = fujian
        .at_level(Level::County)
        .map(xuncha_org::Division::code)
        .collect();
    let start = NaiveDate::from_ymd_opt(2026, 3, 2).expect("a date");
    let mut spec = SeasonSpec::new(0x5eed, Code::parse("35").expect("a code"), counties, start);
    // About 6.5 events per lead: 1,800 leads per county make a million.
    spec.leads_per_county = 1_800;
    spec.items_per_county = 20;
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0)
            .single()
            .expect("a time"),
    ));
    let mut ledger = Ledger::open(MemoryStore::new())
        .expect("an empty ledger")
        .with_clock(clock.clone())
        .with_identity_key(xuncha_leads::IdentityKey::from_bytes([7; 32]));
    spec.season()
        .apply(&mut ledger, &clock)
        .expect("the season applies");
    let mut events = ledger.events().expect("the events");
    events.truncate(1_000_000);
    // The state of exactly those events.
    let mut state = State::default();
    for event in &events {
        state.apply(event.clone()).expect("a valid log");
    }
    let per_county = 100_000usize.div_ceil(spec.counties.len());
    let mut petitions = spec.petitions(per_county, Some(InspectionMode::Cross));
    petitions.truncate(100_000);
    (events, state, petitions)
}

fn bench(c: &mut Criterion) {
    let (events, state, petitions) = season();
    assert!(events.len() == 1_000_000, "{} events", events.len());
    let mut rounds = Rounds::default();
    rounds.set_mode("2026-35", InspectionMode::Cross);
    let by_id = Records::new(&events)
        .with_petitions(&petitions)
        .with_rounds(&rounds);
    let records = by_id.with_state(&state);
    let mut group = c.benchmark_group("stats");
    group.sample_size(10);
    group.throughput(Throughput::Elements(
        (events.len() + petitions.len()) as u64,
    ));
    for by in [By::City, By::County, By::Mode] {
        group.bench_function(
            format!("aggregate 1M events + 100k petitions by {by}"),
            |b| {
                b.iter(|| aggregate(&records, by, &DateRange::all()));
            },
        );
    }
    group.bench_function(
        "aggregate 1M events + 100k petitions by county, leads by id (no state)",
        |b| {
            b.iter(|| aggregate(&by_id, By::County, &DateRange::all()));
        },
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
