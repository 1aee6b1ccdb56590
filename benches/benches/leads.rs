//! Benchmarks of xuncha-leads: durable appends to `SQLite`, and verifying
//! and replaying a log of a million events, each beside a peer measured in
//! the same run (bare `SQLite` inserts, bare SHA-256 of the rows, bare JSON
//! decoding).
//!
//! Run with `cargo bench -p xuncha-benches --bench leads`. The first run
//! builds the million-event ledger under `target/xuncha-bench/` (a minute
//! or so) and later runs reuse it.
#![expect(
    missing_docs,
    reason = "criterion_group! generates an undocumented public function"
)]

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sha2::{Digest, Sha256};
use xuncha_leads::{
    Action, Actor, ActorRole, Appender, Command, DeadlinePolicy, Event, LeadFacts, LeadSource,
    Ledger, ManualClock, SqliteStore, Store, verify_store,
};
use xuncha_org::{Code, Hierarchy};
use xuncha_synth::SeasonSpec;

const BATCH: usize = 1_000;
const MILLION: u64 = 1_000_000;

fn lead(id: &str) -> LeadFacts {
    LeadFacts {
        id: id.to_owned(),
        round: "2026-1".into(),
        team: "2026-1/350628".into(),
        target: Code::parse("350628").expect("a code"),
        persons: vec!["干部123".into()],
        units: vec!["350628".into()],
        summary: "村级工程项目未经招标".into(),
        source: LeadSource::Interview,
        found_on: NaiveDate::from_ymd_opt(2026, 3, 2).expect("a date"),
        fast_track: false,
        found_from: Vec::new(),
    }
}

fn batch(n: usize) -> Vec<Command> {
    let member = Actor::new("member", ActorRole::TeamMember);
    (0..BATCH)
        .map(|i| {
            let id = format!("L{n}-{i}");
            Command::new(
                id.clone(),
                member.clone(),
                Action::AddLead {
                    lead: lead(&id),
                    petitioner: None,
                },
            )
        })
        .collect()
}

fn append(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut group = c.benchmark_group("leads/append_sqlite");
    group.sample_size(20);
    group.throughput(Throughput::Elements(BATCH as u64));
    let mut ledger = Ledger::open(SqliteStore::create(&dir.path().join("a.db")).expect("a ledger"))
        .expect("opens");
    ledger
        .execute(
            &Command::new(
                "open",
                Actor::new("office", ActorRole::InspectionOffice),
                Action::Open {
                    authorities: None,
                    jurisdiction: Code::parse("3506").expect("a code"),
                    policy: DeadlinePolicy::default(),
                },
            ),
            None,
        )
        .expect("opens");
    let mut n = 0;
    group.bench_function("batch_1000", |b| {
        b.iter(|| {
            n += 1;
            ledger.execute_batch(&batch(n), None).expect("appends")
        });
    });
    // The peer: the same bytes inserted in one transaction per batch with
    // the same durability settings, and nothing else (no decisions, no
    // hashing, no checkpoint).
    let bodies: Vec<Vec<u8>> = ledger
        .events()
        .expect("events")
        .iter()
        .skip(1)
        .take(BATCH)
        .map(Event::encode)
        .collect();
    let conn = rusqlite::Connection::open(dir.path().join("peer.db")).expect("opens");
    conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get::<_, String>(0))
        .expect("WAL");
    conn.pragma_update(None, "synchronous", "FULL")
        .expect("FULL");
    conn.execute_batch("CREATE TABLE events (seq INTEGER PRIMARY KEY, body BLOB NOT NULL)")
        .expect("table");
    let mut conn = conn;
    let mut seq: i64 = 0;
    group.bench_function("peer_bare_sqlite_batch_1000", |b| {
        b.iter(|| {
            let tx = conn.transaction().expect("tx");
            {
                let mut insert = tx
                    .prepare_cached("INSERT INTO events (seq, body) VALUES (?1, ?2)")
                    .expect("stmt");
                for body in &bodies {
                    insert
                        .execute(rusqlite::params![seq, body])
                        .expect("insert");
                    seq += 1;
                }
            }
            tx.commit().expect("commit");
        });
    });
    group.finish();
}

/// The million-event ledger: a synthetic season over Fujian's 84 counties,
/// cut at a million events.
fn million() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/xuncha-bench");
    std::fs::create_dir_all(&dir).expect("the bench directory");
    // v4: the ledger's schema version 3 (the snapshot beside the log).
    let path = dir.join("leads-1m-v4.db");
    if let Ok(store) = SqliteStore::open(&path)
        && store.len().unwrap_or(0) >= MILLION
    {
        return path;
    }
    let _ = std::fs::remove_file(&path);
    let fujian = Hierarchy::fujian();
    let counties = fujian
        .at_level(xuncha_org::Level::County)
        .map(xuncha_org::Division::code)
        .collect::<Vec<_>>();
    let mut spec = SeasonSpec::new(
        0xbe7c,
        Code::parse("35").expect("a code"),
        counties,
        NaiveDate::from_ymd_opt(2026, 3, 2).expect("a date"),
    );
    spec.leads_per_county = 1_800;
    spec.items_per_county = 200;
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0)
            .single()
            .expect("a time"),
    ));
    let mut ledger = Ledger::open(SqliteStore::create(&path).expect("a ledger"))
        .expect("opens")
        .with_clock(clock.clone())
        .with_identity_key(xuncha_leads::IdentityKey::from_bytes([7; 32]));
    spec.season()
        .apply(&mut ledger, &clock)
        .expect("the season applies");
    assert!(
        ledger.checkpoint().size >= MILLION,
        "the season has {} events",
        ledger.checkpoint().size
    );
    path
}

fn verify_and_replay(c: &mut Criterion) {
    let path = million();
    let mut group = c.benchmark_group("leads/million");
    group.sample_size(10);
    let store = SqliteStore::open(&path).expect("opens");
    let events = store.len().expect("len");
    group.throughput(Throughput::Elements(events));
    group.bench_function("verify", |b| {
        b.iter(|| verify_store(&store).expect("verifies"));
    });
    // Replay ends when `open_replaying` returns the rebuilt ledger (read
    // only: the snapshot is not rewritten); freeing it afterwards (about
    // half a second for 151,200 leads) is not timed.
    group.bench_function("replay", |b| {
        b.iter_with_large_drop(|| {
            Ledger::open_replaying(SqliteStore::open_read_only(&path).expect("opens"))
                .expect("replays")
        });
    });
    // Peers: reading every row and hashing it once (what any integrity
    // check must do), and reading and decoding every event (what any
    // replay must do).
    group.bench_function("peer_read_and_sha256_rows", |b| {
        b.iter(|| {
            let mut acc = [0u8; 32];
            store
                .for_each(0, &mut |_, bytes| {
                    let digest: [u8; 32] = Sha256::digest(bytes).into();
                    acc[0] ^= digest[0];
                    Ok(())
                })
                .expect("reads");
            acc
        });
    });
    // From the snapshot: the whole state (every lead decoded from its row),
    // and an appender (the summary and the Merkle frontier only).
    group.bench_function("open_from_snapshot", |b| {
        b.iter_with_large_drop(|| {
            Ledger::open(SqliteStore::open(&path).expect("opens")).expect("opens")
        });
    });
    group.bench_function("appender_open", |b| {
        b.iter_with_large_drop(|| {
            Appender::open(SqliteStore::open(&path).expect("opens")).expect("opens")
        });
    });
    // The peer of an open: a connection to the file and one small row read.
    group.bench_function("peer_connect_and_read_a_row", |b| {
        b.iter(|| {
            let conn = rusqlite::Connection::open(&path).expect("opens");
            let size: i64 = conn
                .query_row("SELECT MAX(size) FROM checkpoints", [], |row| row.get(0))
                .expect("a row");
            size
        });
    });
    // What `xuncha stats` reads: every event once, checked against the root
    // the snapshot's frontier gives.
    group.bench_function("stats_read", |b| {
        b.iter_with_large_drop(|| {
            Appender::open(SqliteStore::open_read_only(&path).expect("opens"))
                .expect("opens")
                .events()
                .expect("reads")
        });
    });
    group.bench_function("peer_read_decode_and_keep_rows", |b| {
        b.iter_with_large_drop(|| {
            let mut events = Vec::new();
            store
                .for_each(0, &mut |seq, bytes| {
                    events.push(Event::decode(bytes, seq)?);
                    Ok(())
                })
                .expect("reads");
            events
        });
    });
    group.bench_function("peer_read_and_decode_rows", |b| {
        b.iter(|| {
            let mut n = 0u64;
            store
                .for_each(0, &mut |seq, bytes| {
                    n += Event::decode(bytes, seq)?.seq;
                    Ok(())
                })
                .expect("reads");
            n
        });
    });
    group.finish();
}

criterion_group!(benches, append, verify_and_replay);
criterion_main!(benches);
