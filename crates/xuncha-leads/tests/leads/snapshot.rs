//! The snapshot: a ledger opened from it is the full replay of its events,
//! a damaged, stale or old one is rebuilt, a forged one fails `verify`, and
//! ledger files of schema version 2 open and gain one.

use std::path::Path;

use chrono::Duration;
use proptest::prelude::*;
use rusqlite::Connection;
use xuncha_leads::snapshot::RecordKind;
use xuncha_leads::{
    Appender, Command, Error, Ledger, MemoryStore, SCHEMA_VERSION, SqliteStore, Stage, Store,
};

use crate::common::{Refuse, assert_snapshot_is_replay, key, ledger, run, transferred};
use crate::properties::{Step, action, steps};

/// Runs `steps`, closing the ledger and opening it again from its store
/// before each step `reopen` marks.
fn play_reopening(steps: &[Step], reopen: &[bool]) -> MemoryStore {
    let (mut ledger, clock) = ledger(MemoryStore::new());
    for (i, step) in steps.iter().enumerate() {
        if reopen.get(i).copied().unwrap_or(false) {
            ledger = Ledger::open(ledger.into_store())
                .unwrap()
                .with_clock(clock.clone())
                .with_identity_key(key());
        }
        clock.advance(Duration::days(i64::from(step.days) * 2));
        let (actor, action) = action(step);
        let _ = run(&mut ledger, &format!("cmd-{i}"), &actor, action);
    }
    ledger.into_store()
}

/// As [`play_reopening`], through an [`Appender`] that reads only the
/// leads each command names; returns the store and which commands were
/// accepted.
fn play_appending(steps: &[Step], reopen: &[bool]) -> (MemoryStore, Vec<bool>) {
    let (ledger, clock) = ledger(MemoryStore::new());
    let open = |store| {
        Appender::open(store)
            .unwrap()
            .with_clock(clock.clone())
            .with_identity_key(key())
    };
    let mut appender = open(ledger.into_store());
    assert!(appender.from_snapshot());
    let mut accepted = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        if reopen.get(i).copied().unwrap_or(false) {
            appender = open(appender.into_store());
        }
        clock.advance(Duration::days(i64::from(step.days) * 2));
        let (actor, action) = action(step);
        let command = Command::new(format!("cmd-{i}"), actor, action);
        accepted.push(appender.execute(&command, Some(&Refuse)).is_ok());
    }
    (appender.into_store(), accepted)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn an_appender_appends_exactly_what_the_whole_ledger_appends(
        steps in steps(),
        reopen in prop::collection::vec(any::<bool>(), 60),
    ) {
        let (appended, accepted) = play_appending(&steps, &reopen);
        let whole = play_reopening(&steps, &[]);
        let (events, checkpoints) = appended.clone().into_parts();
        let (whole_events, whole_checkpoints) = whole.into_parts();
        prop_assert_eq!(events.len(), whole_events.len(), "accepted: {:?}", accepted);
        prop_assert_eq!(events, whole_events);
        prop_assert_eq!(checkpoints, whole_checkpoints);
        assert_snapshot_is_replay(appended);
    }

    #[test]
    fn a_ledger_opened_from_its_snapshot_is_the_full_replay(
        steps in steps(),
        reopen in prop::collection::vec(any::<bool>(), 60),
    ) {
        assert_snapshot_is_replay(play_reopening(&steps, &reopen));
    }

    #[test]
    fn a_damaged_snapshot_is_rebuilt_from_the_events(
        steps in steps(),
        damage in 0u8..5,
        pick in any::<prop::sample::Index>(),
    ) {
        let mut store = play_reopening(&steps, &[]);
        let replayed = {
            let (events, checkpoints) = store.clone().into_parts();
            Ledger::open(MemoryStore::from_parts(events, checkpoints)).unwrap()
        };
        let mut leads: Vec<String> = replayed.state().leads.keys().cloned().collect();
        leads.sort();
        let lead = if leads.is_empty() { "none".to_owned() } else { leads[pick.index(leads.len())].clone() };
        match damage {
            0 => store.tamper_snapshot(None, "", None),
            1 => store.tamper_snapshot(None, "", Some(b"{\"format\":1,\"size\":".to_vec())),
            // Another format: what a later build might have written.
            2 => store.tamper_snapshot(None, "", Some(b"{\"format\":99}".to_vec())),
            3 => store.tamper_snapshot(Some(RecordKind::Lead), &lead, Some(b"\x00\x01 not json".to_vec())),
            _ => store.tamper_snapshot(Some(RecordKind::Lead), &lead, None),
        }
        let opened = Ledger::open(store).unwrap();
        prop_assert_eq!(opened.state(), replayed.state());
        prop_assert_eq!(opened.checkpoint(), replayed.checkpoint());
        // Rebuilt: it verifies, snapshot included.
        let report = opened.verify().unwrap();
        prop_assert_eq!(report.snapshot, Some(replayed.checkpoint().size));
    }
}

#[test]
fn a_forged_snapshot_is_refused_by_every_reader() {
    let (mut ledger, _) = ledger(MemoryStore::new());
    transferred(&mut ledger, "L1");
    transferred(&mut ledger, "L2");
    let mut store = ledger.into_store();
    let clean = store.clone();
    // The insider closes L1 in the snapshot, consistently: it decodes and
    // the summary counts it ...
    let mut lead = Ledger::open(store.clone()).unwrap().state().leads["L1"].clone();
    lead.stage = Stage::Closed;
    lead.holder = None;
    lead.deadline = None;
    let forged = serde_json::to_vec(&lead).unwrap();
    store.tamper_snapshot(Some(RecordKind::Lead), "L1", Some(forged));
    // ... but its row no longer hashes to the state root the last event
    // commits to: a full open refuses, and so does an appender reading it.
    let root_named =
        |err: &Error| matches!(err, Error::Tampered(why) if why.contains("state root"));
    let err = Ledger::open(store.clone()).unwrap_err();
    assert!(root_named(&err), "{err}");
    let mut appender = Appender::open(store.clone()).unwrap();
    let err = appender.lead("L1").unwrap_err();
    assert!(root_named(&err), "{err}");
    // The lead it does not read is read as it is.
    assert_eq!(appender.lead("L2").unwrap().stage, Stage::Transferred);
    // The insider recomputes the summary's state root over the forged
    // state: it is then not the root the last event commits to.
    let mut state = Ledger::open(clean.clone()).unwrap().state().clone();
    state.leads.insert("L1".into(), lead.clone());
    let (_, summary) = store.snapshot_summary().unwrap().unwrap();
    let honest_root = Ledger::open(clean.clone())
        .unwrap()
        .state()
        .root()
        .to_string();
    let summary = String::from_utf8(summary)
        .unwrap()
        .replace(&honest_root, &state.root().to_string());
    store.tamper_snapshot(None, "", Some(summary.into_bytes()));
    let err = Ledger::open(store.clone()).unwrap_err();
    assert!(
        matches!(&err, Error::Tampered(why) if why.contains("commits to")),
        "{err}"
    );
    let err = Appender::open(store).unwrap_err();
    assert!(
        matches!(&err, Error::Tampered(why) if why.contains("commits to")),
        "{err}"
    );
    // A lead added to the snapshot alone is not trusted (the summary
    // counts the records): the ledger replays and rebuilds.
    let mut extra = clean;
    let mut ghost = lead.clone();
    ghost.facts.id = "L9".into();
    extra.tamper_snapshot(
        Some(RecordKind::Lead),
        "L9",
        Some(serde_json::to_vec(&ghost).unwrap()),
    );
    let rebuilt = Ledger::open(extra.clone()).unwrap();
    assert!(!rebuilt.state().leads.contains_key("L9"));
    // With the count raised too, it is refused: its row is not in the map.
    let (_, summary) = extra.snapshot_summary().unwrap().unwrap();
    let summary = String::from_utf8(summary)
        .unwrap()
        .replace("\"records\":[2,", "\"records\":[3,");
    extra.tamper_snapshot(None, "", Some(summary.into_bytes()));
    let err = Ledger::open(extra.clone()).unwrap_err();
    assert!(root_named(&err), "{err}");
    // The appender, which reads no row it is not asked for, refuses it
    // when asked (the row's bucket does not list it).
    let err = Appender::open(extra).unwrap().lead("L9").unwrap_err();
    assert!(root_named(&err), "{err}");
}

fn snapshot_rows(path: &Path) -> Vec<(String, Vec<Vec<rusqlite::types::Value>>)> {
    let conn = Connection::open(path).unwrap();
    ["snapshot", "snapshot_records", "snapshot_commands"]
        .iter()
        .map(|table| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
            let columns = stmt.column_count();
            let rows = stmt
                .query_map([], |row| {
                    (0..columns)
                        .map(|i| row.get::<_, rusqlite::types::Value>(i))
                        .collect()
                })
                .unwrap()
                .collect::<Result<Vec<_>, _>>()
                .unwrap();
            ((*table).to_owned(), rows)
        })
        .collect()
}

fn put_snapshot_rows(path: &Path, tables: &[(String, Vec<Vec<rusqlite::types::Value>>)]) {
    let conn = Connection::open(path).unwrap();
    for (table, rows) in tables {
        conn.execute(&format!("DELETE FROM {table}"), []).unwrap();
        for row in rows {
            let marks = vec!["?"; row.len()].join(", ");
            conn.execute(
                &format!("INSERT INTO {table} VALUES ({marks})"),
                rusqlite::params_from_iter(row.iter()),
            )
            .unwrap();
        }
    }
}

#[test]
fn a_stale_snapshot_is_caught_up_and_a_mixed_one_is_not_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    let (mut ledger, clock) = ledger(SqliteStore::create(&path).unwrap());
    transferred(&mut ledger, "L1");
    drop(ledger);
    let old = snapshot_rows(&path);
    let reopen = || {
        Ledger::open(SqliteStore::open(&path).unwrap())
            .unwrap()
            .with_clock(clock.clone())
            .with_identity_key(key())
    };
    let mut ledger = reopen();
    transferred(&mut ledger, "L2");
    let state = ledger.state().clone();
    let checkpoint = ledger.checkpoint();
    drop(ledger);
    let new = snapshot_rows(&path);
    // The whole snapshot of earlier: the events after it are replayed, and
    // the snapshot is brought up to date.
    put_snapshot_rows(&path, &old);
    let ledger = reopen();
    assert_eq!((ledger.state(), ledger.checkpoint()), (&state, checkpoint));
    assert_eq!(ledger.verify().unwrap().snapshot, Some(checkpoint.size));
    drop(ledger);
    // The old summary over the new records: not one snapshot, replayed.
    put_snapshot_rows(&path, &[old[0].clone()]);
    let ledger = reopen();
    assert_eq!((ledger.state(), ledger.checkpoint()), (&state, checkpoint));
    assert_eq!(ledger.verify().unwrap().snapshot, Some(checkpoint.size));
    drop(ledger);
    // A stale snapshot under a writer: its next append writes it whole.
    put_snapshot_rows(&path, &old);
    let store = SqliteStore::open(&path).unwrap();
    let mut ledger = Ledger::open(store)
        .unwrap()
        .with_clock(clock.clone())
        .with_identity_key(key());
    put_snapshot_rows(&path, &old);
    transferred(&mut ledger, "L3");
    assert_eq!(
        ledger.verify().unwrap().snapshot,
        Some(ledger.checkpoint().size)
    );
    assert_ne!(snapshot_rows(&path), new);
}

#[test]
fn a_version_2_ledger_opens_and_gains_a_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    let (mut ledger, clock) = ledger(SqliteStore::create(&path).unwrap());
    transferred(&mut ledger, "L1");
    let state = ledger.state().clone();
    drop(ledger);
    // As version 2 wrote it: no snapshot tables.
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TABLE snapshot; DROP TABLE snapshot_records; DROP TABLE snapshot_commands;
         PRAGMA user_version = 2;",
    )
    .unwrap();
    drop(conn);
    // Read only, it is replayed and left as it is.
    let read = SqliteStore::open_read_only(&path).unwrap();
    assert!(!read.keeps_snapshot());
    let ledger = Ledger::open(read).unwrap();
    assert_eq!(ledger.state(), &state);
    assert_eq!(ledger.verify().unwrap().snapshot, None);
    drop(ledger);
    // Opened to write, it gains the tables and the snapshot.
    let ledger = Ledger::open(SqliteStore::open(&path).unwrap()).unwrap();
    assert!(ledger.store().keeps_snapshot());
    assert_eq!(ledger.state(), &state);
    assert_eq!(
        ledger.verify().unwrap().snapshot,
        Some(ledger.checkpoint().size)
    );
    drop(ledger);
    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let size: i64 = conn
        .query_row("SELECT size FROM snapshot", [], |row| row.get(0))
        .unwrap();
    assert_eq!(u64::try_from(size).unwrap(), state.events);
    drop(conn);
    // And later commands keep it.
    let mut ledger = Ledger::open(SqliteStore::open(&path).unwrap())
        .unwrap()
        .with_clock(clock)
        .with_identity_key(key());
    transferred(&mut ledger, "L2");
    assert_eq!(
        ledger.verify().unwrap().snapshot,
        Some(ledger.checkpoint().size)
    );
}

#[test]
fn an_appender_behind_another_writer_reads_the_leads_it_changed_again() {
    use xuncha_leads::{Action, Disposal};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    let (mut ledger, clock) = ledger(SqliteStore::create(&path).unwrap());
    transferred(&mut ledger, "L1");
    transferred(&mut ledger, "L2");
    // The appender reads L1 for a first command, so it holds it ...
    let mut appender = Appender::open(SqliteStore::open(&path).unwrap())
        .unwrap()
        .with_clock(clock.clone())
        .with_identity_key(key());
    assert!(appender.from_snapshot());
    assert_eq!(appender.lead("L1").unwrap().stage, Stage::Transferred);
    // ... when another writer has L1 received.
    run(
        &mut ledger,
        "other/receive",
        &crate::common::handler("H0"),
        Action::Receive { lead: "L1".into() },
    )
    .unwrap();
    let dispose = Command::new(
        "mine/dispose",
        crate::common::handler("H0"),
        Action::Dispose {
            lead: "L1".into(),
            disposal: Disposal::Inquiry,
            reason: "谈话函询".into(),
        },
    );
    // A command on another lead meets the other writer's append, catches
    // up and succeeds; L1, which the caught-up event changed, is read again.
    let receive = Command::new(
        "mine/receive",
        crate::common::handler("H1"),
        Action::Receive { lead: "L2".into() },
    );
    appender.execute(&receive, Some(&Refuse)).unwrap();
    assert_eq!(appender.lead("L1").unwrap().stage, Stage::Received);
    let receipt = appender.execute(&dispose, Some(&Refuse)).unwrap();
    assert!(!receipt.duplicate);
    assert_eq!(appender.lead("L1").unwrap().stage, Stage::Inquiry);
    // And a refresh catches up without a command.
    let level = appender.lead("L2").unwrap().level;
    run(
        &mut ledger,
        "other/escalate",
        &crate::common::group(),
        Action::Escalate { lead: "L2".into() },
    )
    .unwrap();
    assert_eq!(appender.lead("L2").unwrap().level, level);
    appender.refresh().unwrap();
    assert_eq!(appender.lead("L2").unwrap().level, level.parent().unwrap());
    drop(appender);
    let opened = Ledger::open(SqliteStore::open(&path).unwrap()).unwrap();
    assert_eq!(
        opened.verify().unwrap().snapshot,
        Some(opened.checkpoint().size)
    );
    drop(ledger);
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("DELETE FROM snapshot").unwrap();
    drop(conn);
    let replayed = Ledger::open(SqliteStore::open_read_only(&path).unwrap()).unwrap();
    assert_eq!(replayed.state(), opened.state());
}

#[test]
fn a_command_id_pointed_at_another_commands_events_is_refused() {
    let (mut ledger, clock) = ledger(MemoryStore::new());
    transferred(&mut ledger, "L1");
    let store = ledger.into_store();
    // The insider plants an index row that makes the next escalation of
    // L1 look already recorded, pointing at the transfer's event.
    let transfer = Ledger::open(store.clone())
        .unwrap()
        .events()
        .unwrap()
        .into_iter()
        .find(|e| e.change.kind() == "transferred")
        .unwrap();
    let mut sqlite_like = store.clone();
    sqlite_like.tamper_command("planted", transfer.seq, 1);
    let mut appender = Appender::open(sqlite_like)
        .unwrap()
        .with_clock(clock.clone())
        .with_identity_key(key());
    let command = Command::new(
        "planted",
        crate::common::leader(),
        xuncha_leads::Action::Transfer {
            lead: "L1".into(),
            body: xuncha_leads::Body::DisciplineCommission,
            level: xuncha_org::Level::County,
        },
    );
    let err = appender.execute(&command, Some(&Refuse)).unwrap_err();
    assert!(
        matches!(&err, Error::Tampered(why) if why.contains("index of command ids")),
        "{err}"
    );
}
