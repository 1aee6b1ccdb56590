//! The `SQLite` store: reopening, tampering through SQL, racing writers.

use std::sync::{Arc, Barrier};

use xuncha_leads::{Action, Error, Ledger, SqliteStore, Store, verify_store};

use crate::common::{add_lead, facts, ledger, member, run, transferred};

#[test]
fn a_ledger_file_reopens_to_the_same_state_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    let (mut first, _) = ledger(SqliteStore::create(&path).unwrap());
    for i in 0..20 {
        transferred(&mut first, &format!("L{i}"));
    }
    let state = first.state().clone();
    let checkpoint = first.checkpoint();
    drop(first);
    let reopened = Ledger::open(SqliteStore::open(&path).unwrap()).unwrap();
    assert_eq!(reopened.state(), &state);
    assert_eq!(reopened.checkpoint(), checkpoint);
    let report = reopened.verify().unwrap();
    assert_eq!(report.events, checkpoint.size);
    assert_eq!(report.head, checkpoint);
}

#[test]
fn a_byte_changed_in_the_file_behind_the_triggers_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    let (mut ledger, _) = ledger(SqliteStore::create(&path).unwrap());
    transferred(&mut ledger, "L1");
    drop(ledger);
    // Someone with the file drops the trigger and rewrites one summary.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let refused = conn.execute("UPDATE events SET body = body || ' ' WHERE seq = 2", []);
    assert!(refused.is_err(), "the trigger must refuse an update");
    conn.execute_batch("DROP TRIGGER events_no_update;")
        .unwrap();
    conn.execute(
        "UPDATE events SET body = replace(body, '工程款', '工程费') WHERE seq = 2",
        [],
    )
    .unwrap();
    drop(conn);
    // The dropped trigger is named on opening.
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(err.to_string().contains("events_no_update"), "{err}");
    // Put back, the trigger hides nothing: the changed event fails.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;",
    )
    .unwrap();
    drop(conn);
    let store = SqliteStore::open(&path).unwrap();
    let err = verify_store(&store).unwrap_err();
    assert!(matches!(err, Error::Tampered(_)), "{err}");
    // Opened from its snapshot, the ledger does not read the old event, but
    // everything that reads it fails: verification, the events, a proof.
    let ledger = Ledger::open(store).unwrap();
    for err in [
        ledger.verify().unwrap_err(),
        ledger.events().unwrap_err(),
        ledger.prove_lead("L1").unwrap_err(),
    ] {
        assert!(matches!(err, Error::Tampered(_)), "{err}");
    }
    drop(ledger);
    // Without its snapshot the ledger replays everything and refuses.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("DELETE FROM snapshot").unwrap();
    drop(conn);
    // The report after the changed event carries the checkpoint of the log
    // as it was: re-deciding it from the log as it is now gives another.
    let err = Ledger::open(SqliteStore::open(&path).unwrap()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Undecided {
                kind: "reported",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn two_writers_racing_on_one_file_never_fork_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    drop(ledger(SqliteStore::create(&path).unwrap()));
    let barrier = Arc::new(Barrier::new(2));
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let path = path.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let (mut ledger, _) = ledger(SqliteStore::open(&path).unwrap());
                barrier.wait();
                let mut receipts = Vec::new();
                for i in 0..60 {
                    let id = format!("W{w}-{i}");
                    let receipt = run(&mut ledger, &id, &member(), add_lead(&id)).unwrap();
                    receipts.push(receipt);
                }
                receipts
            })
        })
        .collect();
    let receipts: Vec<_> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    let ledger = Ledger::open(SqliteStore::open(&path).unwrap()).unwrap();
    let report = ledger.verify().unwrap();
    assert_eq!(report.events, 122);
    assert_eq!(ledger.state().leads.len(), 120);
    // Every checkpoint a writer was handed is a prefix of the one log.
    for receipt in &receipts {
        assert!(ledger.prove_extends(&receipt.checkpoint).unwrap().verify());
        let seq = receipt.events[0].seq;
        let stored = ledger.events().unwrap();
        assert_eq!(
            stored[usize::try_from(seq).unwrap()].command,
            receipt.command
        );
    }
    assert_eq!(ledger.store().len().unwrap(), 122);
}

#[test]
fn a_long_log_replays_on_threads_to_the_same_state_and_a_bad_event_stops_it() {
    use xuncha_leads::{Command, MemoryStore};
    let (mut ledger, _) = ledger(MemoryStore::new());
    for b in 0..25 {
        let batch: Vec<Command> = (0..1_000)
            .map(|i| {
                let id = format!("B{b}-{i}");
                Command::new(
                    id.clone(),
                    member(),
                    Action::AddLead {
                        lead: facts(&id, i % 7 == 0),
                        petitioner: None,
                    },
                )
            })
            .collect();
        ledger.execute_batch(&batch, None).unwrap();
    }
    let state = ledger.state().clone();
    let checkpoint = ledger.checkpoint();
    let store = ledger.into_store();
    let (mut events, checkpoints) = store.clone().into_parts();
    let replayed = Ledger::open_replaying(store).unwrap();
    assert_eq!(replayed.state(), &state);
    assert_eq!(replayed.checkpoint(), checkpoint);
    // A repeated command is still recognised after a threaded replay.
    let mut replayed = replayed;
    let again = run(&mut replayed, "B3-5", &member(), add_lead("B3-5")).unwrap();
    assert!(again.duplicate);

    events[17_001][3] = b'X';
    let err = Ledger::open(MemoryStore::from_parts(events, checkpoints)).unwrap_err();
    assert!(matches!(err, Error::Replay { seq: 17_001, .. }), "{err}");
}

#[test]
fn verify_and_export_under_three_writers_never_raise_a_false_alarm() {
    use std::sync::atomic::{AtomicU64, Ordering};
    use xuncha_leads::export::{read_log_json, write_log_json};
    const PER_WRITER: u64 = 150;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    drop(ledger(SqliteStore::create(&path).unwrap()));
    let written = Arc::new(AtomicU64::new(0));
    let writers: Vec<_> = (0..3)
        .map(|w| {
            let path = path.clone();
            let written = written.clone();
            std::thread::spawn(move || {
                let (mut ledger, _) = ledger(SqliteStore::open(&path).unwrap());
                for i in 0..PER_WRITER {
                    let id = format!("W{w}-{i}");
                    run(&mut ledger, &id, &member(), add_lead(&id)).unwrap();
                    written.fetch_add(1, Ordering::Relaxed);
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
            })
        })
        .collect();
    let mut verified = 0;
    let mut during = 0;
    let mut exported = 0;
    while verified < 300 {
        let busy = written.load(Ordering::Relaxed) < 3 * PER_WRITER;
        // A fresh read-only connection each time, as `leads verify` opens.
        let store = SqliteStore::open_read_only(&path).unwrap();
        let report = verify_store(&store).unwrap_or_else(|e| panic!("false alarm: {e}"));
        assert!(report.events >= 2);
        verified += 1;
        during += u32::from(busy);
        if verified % 5 == 0 {
            let ledger = Ledger::open(store).unwrap_or_else(|e| panic!("false alarm: {e}"));
            let mut json = Vec::new();
            write_log_json(&ledger.events().unwrap(), ledger.checkpoint(), &mut json).unwrap();
            let (events, checkpoint) = read_log_json(json.as_slice(), "log.json")
                .unwrap_or_else(|e| panic!("an export taken during writes is refused: {e}"));
            assert_eq!(checkpoint, ledger.checkpoint());
            assert_eq!(events.len() as u64, checkpoint.size);
            exported += 1;
        }
    }
    for writer in writers {
        writer.join().unwrap();
    }
    assert!(
        during >= 50,
        "only {during} verifications ran during the writes"
    );
    assert_eq!(exported, 60);
    let report = verify_store(&SqliteStore::open(&path).unwrap()).unwrap();
    assert_eq!(report.events, 2 + 3 * PER_WRITER);
}
