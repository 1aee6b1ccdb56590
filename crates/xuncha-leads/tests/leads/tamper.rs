//! The tamper suite: a county insider with the ledger file, `SQLite` and a
//! shell, against a ledger built through the public API whose reports the
//! city and the county witnessed. Each case is one row of the table in
//! `docs/leads.md`: what the insider does, whether the ledger alone
//! catches it, whether a witness does.

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use xuncha_leads::Clock as _;
use xuncha_leads::merkle::{MerkleTree, leaf_hash};
use xuncha_leads::{
    Action, Change, Error, Event, Ledger, ReportRecipient, SqliteStore, Witness, verify_store,
};

use crate::common::{add_lead, ledger, member, office, run};

/// An honest county ledger: three leads transferred and dual-reported, each
/// report witnessed by the level it went to, then a lead added after the
/// last report (which nobody has witnessed yet).
struct Honest {
    _dir: tempfile::TempDir,
    path: PathBuf,
    city: Witness,
    county: Witness,
}

fn honest() -> Honest {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("county.db");
    let (mut ledger, clock) = ledger(SqliteStore::create(&path).unwrap());
    let log = ledger.log_id().unwrap();
    let mut city = Witness::new(log, "the city leading group");
    let mut county = Witness::new(log, "the county leading group");
    for id in ["L1", "L2", "L3"] {
        run(&mut ledger, &format!("{id}/add"), &member(), add_lead(id)).unwrap();
        run(
            &mut ledger,
            &format!("{id}/transfer"),
            &crate::common::leader(),
            Action::Transfer {
                lead: id.into(),
                body: xuncha_leads::Body::DisciplineCommission,
                level: xuncha_org::Level::County,
            },
        )
        .unwrap();
        for (to, witness) in [
            (ReportRecipient::CityLeadingGroup, &mut city),
            (ReportRecipient::CountyLeadingGroup, &mut county),
        ] {
            run(
                &mut ledger,
                &format!("{id}/report/{}", to.as_str()),
                &office(),
                Action::Report {
                    lead: id.into(),
                    to,
                },
            )
            .unwrap();
            // The level reported to records the checkpoint covering the report.
            let seen = ledger.witness(witness, clock.now()).unwrap();
            assert_eq!(seen, ledger.checkpoint());
        }
    }
    let mut l4 = crate::common::facts("L4", false);
    l4.source = xuncha_leads::LeadSource::Petition {
        channel: xuncha_leads::PetitionChannel::Visit,
        reference: None,
    };
    run(
        &mut ledger,
        "L4/add",
        &member(),
        Action::AddLead {
            lead: l4,
            petitioner: Some("王秀英 13912345678".into()),
        },
    )
    .unwrap();
    Honest {
        _dir: dir,
        path,
        city,
        county,
    }
}

impl Honest {
    fn conn(&self) -> Connection {
        Connection::open(&self.path).unwrap()
    }

    /// What the ledger alone says: `Ok` when it opens and verifies.
    fn alone(&self) -> Result<(), Error> {
        let store = SqliteStore::open_read_only(&self.path)?;
        verify_store(&store)?;
        Ledger::open(store)?;
        Ok(())
    }

    /// What the witnesses say: `Ok` when the ledger opens and extends both.
    fn witnessed(&self) -> Result<(), Error> {
        let ledger = Ledger::open(SqliteStore::open_read_only(&self.path)?)?;
        ledger.check_witness(&self.city)?;
        ledger.check_witness(&self.county)?;
        Ok(())
    }

    fn events(&self) -> Vec<Vec<u8>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT body FROM events ORDER BY seq")
            .unwrap();
        stmt.query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// An insider who changes one event and recomputes every stored
    /// checkpoint over the result (one per event), leaving the checkpoints
    /// reports carry as they were: triggers dropped, then restored.
    fn replace_event(&self, seq: usize, body: &[u8]) {
        let conn = self.conn();
        let triggers = drop_triggers(&conn);
        conn.execute(
            "UPDATE events SET body = ?1 WHERE seq = ?2",
            rusqlite::params![body, i64::try_from(seq).unwrap()],
        )
        .unwrap();
        conn.execute_batch("DELETE FROM checkpoints").unwrap();
        let mut tree = MerkleTree::new();
        for (n, body) in (1i64..).zip(self.events()) {
            tree.push(leaf_hash(&body));
            conn.execute(
                "INSERT INTO checkpoints (size, root) VALUES (?1, ?2)",
                rusqlite::params![n, &tree.root().0[..]],
            )
            .unwrap();
        }
        restore_triggers(&conn, &triggers);
    }

    /// The strongest insider: drops the triggers, replaces the whole log by
    /// `events` (renumbered, every report's carried checkpoint and every
    /// stored checkpoint recomputed, as the ledger would have written them)
    /// and puts the triggers back, so the file looks untouched.
    fn rewrite(&self, edit: impl FnOnce(&mut Vec<Event>)) {
        let mut events: Vec<Event> = self
            .events()
            .iter()
            .enumerate()
            .map(|(seq, bytes)| Event::decode(bytes, seq as u64).unwrap())
            .collect();
        edit(&mut events);
        let bodies = crate::common::rebuild(events);
        let conn = self.conn();
        let triggers = drop_triggers(&conn);
        conn.execute_batch("DELETE FROM events; DELETE FROM checkpoints;")
            .unwrap();
        for (seq, (body, checkpoint)) in (0i64..).zip(&bodies) {
            conn.execute(
                "INSERT INTO events (seq, body) VALUES (?1, ?2)",
                rusqlite::params![seq, body],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO checkpoints (size, root) VALUES (?1, ?2)",
                rusqlite::params![seq + 1, &checkpoint.root.0[..]],
            )
            .unwrap();
        }
        restore_triggers(&conn, &triggers);
    }
}

fn drop_triggers(conn: &Connection) -> Vec<(String, String)> {
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        .unwrap();
    let triggers: Vec<(String, String)> = stmt
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (name, _) in &triggers {
        conn.execute_batch(&format!("DROP TRIGGER {name}")).unwrap();
    }
    triggers
}

fn restore_triggers(conn: &Connection, triggers: &[(String, String)]) {
    for (_, sql) in triggers {
        conn.execute_batch(sql).unwrap();
    }
}

/// Asserts that `result` failed as tampering is caught, for the reason
/// `why` names (a part of the error's message).
#[allow(clippy::needless_pass_by_value)] // Called on results, as `tampered(h.alone(), ..)`.
fn tampered(result: Result<(), Error>, case: &str, why: &str) {
    match &result {
        Err(
            err @ (Error::Tampered(_)
            | Error::Undecided { .. }
            | Error::Inconsistent { .. }
            | Error::Replay { .. }),
        ) => {
            assert!(
                err.to_string().contains(why),
                "{case}: expected the tampering to be caught because `{why}`, got: {err}"
            );
        }
        _ => panic!("{case}: expected the tampering to be caught, got {result:?}"),
    }
}

fn size(path: &Path) -> u64 {
    Ledger::open(SqliteStore::open_read_only(path).unwrap())
        .unwrap()
        .checkpoint()
        .size
}

#[test]
fn the_honest_ledger_verifies_alone_and_against_its_witnesses() {
    let h = honest();
    h.alone().unwrap();
    h.witnessed().unwrap();
    assert_eq!(h.city.seen.len(), 3);
}

#[test]
fn plain_sql_writes_are_refused_by_the_triggers() {
    let h = honest();
    let before = h.events();
    let conn = h.conn();
    for sql in [
        "UPDATE events SET body = replace(body, '工程款', '工程费') WHERE seq = 3",
        "DELETE FROM events WHERE seq = 3",
        "DELETE FROM events",
        "INSERT OR REPLACE INTO events (seq, body) SELECT seq, replace(body, '工程款', '工程费') FROM events WHERE seq = 3",
        "REPLACE INTO events (seq, body) VALUES (0, x'00')",
        "INSERT INTO events (seq, body) VALUES (0, x'00') ON CONFLICT(seq) DO UPDATE SET body = x'01'",
        "INSERT OR REPLACE INTO checkpoints (size, root) SELECT size, zeroblob(32) FROM checkpoints",
        "UPDATE checkpoints SET root = zeroblob(32)",
        "DELETE FROM checkpoints",
        "INSERT INTO events (seq, body) VALUES (1000, x'00')",
        "UPDATE petitioners SET sealed = x'00'",
    ] {
        let err = conn.execute_batch(sql).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    drop(conn);
    assert_eq!(h.events(), before);
    h.alone().unwrap();
    h.witnessed().unwrap();
    // And the file's bytes show no petitioner: the identity is sealed.
    let bytes = std::fs::read(&h.path).unwrap();
    let wal = std::fs::read(format!("{}-wal", h.path.display())).unwrap_or_default();
    for bytes in [bytes, wal] {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("王秀英") && !text.contains("13912345678"));
    }
}

#[test]
fn an_event_appended_outside_the_ledger_is_caught_alone() {
    let h = honest();
    let conn = h.conn();
    let n = i64::try_from(h.events().len()).unwrap();
    let mut body = h.events()[2].clone();
    let text = String::from_utf8(body.clone()).unwrap();
    body = text
        .replacen("{\"seq\":2,", &format!("{{\"seq\":{n},"), 1)
        .into_bytes();
    // The next position passes the trigger; no checkpoint covers it.
    conn.execute(
        "INSERT INTO events (seq, body) VALUES (?1, ?2)",
        rusqlite::params![n, body],
    )
    .unwrap();
    drop(conn);
    tampered(
        h.alone(),
        "appended outside",
        "events were added or checkpoints removed",
    );
    // And nothing can be appended over it: re-decided, the copy adds a lead
    // that is already there.
    let opened = Ledger::open(SqliteStore::open(&h.path).unwrap());
    assert!(
        matches!(&opened, Err(Error::Undecided { seq, kind: "lead-found", why, .. }) if *seq == n.cast_unsigned() && why.contains("already")),
        "{opened:?}"
    );
}

#[test]
fn a_changed_event_with_its_checkpoints_left_is_caught_alone() {
    let h = honest();
    let conn = h.conn();
    let triggers = drop_triggers(&conn);
    conn.execute(
        "UPDATE events SET body = replace(body, '工程款', '工程费') WHERE seq = 2",
        [],
    )
    .unwrap();
    restore_triggers(&conn, &triggers);
    drop(conn);
    tampered(h.alone(), "changed event", "but checkpoint 3 says");
    tampered(
        h.witnessed(),
        "changed event",
        "do not hash to the ledger's root",
    );
}

#[test]
fn a_change_before_a_report_with_the_checkpoints_recomputed_is_caught_alone() {
    // The insider recomputes the stored checkpoints but not the checkpoint
    // a later report carries inside its event.
    let h = honest();
    let changed = String::from_utf8(h.events()[2].clone())
        .unwrap()
        .replace("工程款", "工程费");
    h.replace_event(2, changed.as_bytes());
    let err = h.alone().unwrap_err();
    assert!(err.to_string().contains("carries checkpoint"), "{err}");
    tampered(
        h.witnessed(),
        "recomputed checkpoints",
        "carries checkpoint 4:",
    );
}

#[test]
fn a_consistent_rewrite_of_what_was_reported_is_caught_by_the_witnesses() {
    let h = honest();
    // Drop lead L2 entirely and rebuild everything as the ledger would.
    h.rewrite(|events| events.retain(|e| e.change.lead() != Some("L2")));
    h.alone().unwrap();
    let err = h.witnessed().unwrap_err();
    assert!(matches!(err, Error::Inconsistent { .. }), "{err}");
}

#[test]
fn truncation_including_a_report_is_caught_by_the_witnesses_only() {
    let h = honest();
    let all = h.events().len();
    // Remove the last report (to the county, of L3) and what came after.
    h.rewrite(|events| {
        let last_report = events
            .iter()
            .rposition(|e| matches!(e.change, Change::Reported { .. }))
            .unwrap();
        events.truncate(last_report);
    });
    assert!(size(&h.path) < all as u64);
    // A truncated log is a consistent log: nothing inside it can tell.
    h.alone().unwrap();
    let err = h.witnessed().unwrap_err();
    assert!(err.to_string().contains("has only"), "{err}");
}

#[test]
fn the_last_report_itself_cannot_be_deleted_unnoticed() {
    // The checkpoint a level keeps covers the report event itself.
    let h = honest();
    h.rewrite(|events| {
        events.pop(); // L4, never witnessed: not caught, and not claimed to be.
    });
    h.alone().unwrap();
    h.witnessed().unwrap();
    h.rewrite(|events| {
        events.pop(); // the report to the county of L3
    });
    h.alone().unwrap();
    tampered(h.witnessed(), "deleted report", "the log has only");
}

#[test]
fn deleting_everything_or_the_checkpoints_is_caught_alone() {
    let h = honest();
    let conn = h.conn();
    let triggers = drop_triggers(&conn);
    conn.execute_batch("DELETE FROM checkpoints").unwrap();
    restore_triggers(&conn, &triggers);
    drop(conn);
    tampered(
        h.alone(),
        "checkpoints deleted",
        "the last checkpoint covers 0",
    );
    // Nothing can be appended: no fresh checkpoint over the altered history.
    let err = Ledger::open(SqliteStore::open(&h.path).unwrap()).unwrap_err();
    assert!(
        err.to_string().contains("the last checkpoint covers 0"),
        "{err}"
    );

    let conn = h.conn();
    let triggers = drop_triggers(&conn);
    conn.execute_batch("DELETE FROM events").unwrap();
    restore_triggers(&conn, &triggers);
    drop(conn);
    let store = SqliteStore::open_read_only(&h.path).unwrap();
    let err = verify_store(&store).unwrap_err();
    assert!(err.to_string().contains("no events"), "{err}");
    tampered(h.witnessed(), "everything deleted", "it is empty");
}

#[test]
fn a_forged_checkpoint_inside_a_report_is_caught_alone() {
    let h = honest();
    let bodies = h.events();
    let seq = bodies
        .iter()
        .position(|b| String::from_utf8_lossy(b).contains("\"reported\""))
        .unwrap();
    // The carried root replaced by another well-formed one.
    let text = String::from_utf8(bodies[seq].clone()).unwrap();
    let at = text.find("\"checkpoint\":{").unwrap();
    let root = at + text[at..].find("\"root\":\"").unwrap() + "\"root\":\"".len();
    let forged = format!("{}{}{}", &text[..root], "ab".repeat(32), &text[root + 64..]).into_bytes();
    assert!(Event::decode(&forged, seq as u64).is_ok());
    // Rebuild the stored checkpoints over the forged event, as the insider would.
    h.replace_event(seq, &forged);
    tampered(
        h.alone(),
        "forged report checkpoint",
        "carries checkpoint 4:abab",
    );
}

#[test]
fn a_ledger_rebuilt_from_scratch_is_another_ledger_to_the_witnesses() {
    let h = honest();
    let witnessed = h.city.last().unwrap().size;
    // The insider re-enters the history without L2 in a new file, under the
    // old name, a day later and longer than anything witnessed: it
    // verifies, but its first event is not the witnessed one.
    let rebuild = |at: chrono::DateTime<chrono::Utc>| {
        std::fs::remove_file(&h.path).unwrap();
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", h.path.display()));
        }
        let clock = std::sync::Arc::new(xuncha_leads::ManualClock::new(at));
        let mut fresh = Ledger::open(SqliteStore::create(&h.path).unwrap())
            .unwrap()
            .with_clock(clock);
        run(
            &mut fresh,
            "open",
            &crate::common::office(),
            xuncha_leads::Action::Open {
                jurisdiction: xuncha_org::Code::parse("3506").unwrap(),
                policy: xuncha_leads::DeadlinePolicy::default(),
                authorities: None,
            },
        )
        .unwrap();
        for n in 0..witnessed + 2 {
            run(
                &mut fresh,
                &format!("again-{n}"),
                &member(),
                add_lead(&format!("L{n}")),
            )
            .unwrap();
        }
        assert!(fresh.checkpoint().size > witnessed);
    };
    rebuild(crate::common::start() + chrono::Duration::days(1));
    h.alone().unwrap();
    tampered(
        h.witnessed(),
        "rebuilt from scratch",
        "it was replaced or rebuilt",
    );
    // Rebuilt with the very same first event, it is the same ledger to the
    // witnesses, and its other history does not extend what they saw.
    rebuild(crate::common::start());
    h.alone().unwrap();
    tampered(
        h.witnessed(),
        "rebuilt with the same first event",
        "not to the witness's root",
    );
}

#[test]
fn a_laundered_export_imports_but_the_witnesses_catch_it() {
    use xuncha_leads::export::{import_log_json, write_log_json};
    let h = honest();
    // An export of a tampered file is refused: the ledger does not open.
    let conn = h.conn();
    let triggers = drop_triggers(&conn);
    conn.execute_batch("DELETE FROM checkpoints").unwrap();
    restore_triggers(&conn, &triggers);
    drop(conn);
    let err = Ledger::open(SqliteStore::open_read_only(&h.path).unwrap()).unwrap_err();
    assert!(
        err.to_string().contains("the last checkpoint covers 0"),
        "{err}"
    );
    // A hand-made export of a rewritten history imports and verifies ...
    let h = honest();
    assert!(!h.city.seen.is_empty());
    h.rewrite(|events| events.retain(|e| e.change.lead() != Some("L2")));
    let ledger = Ledger::open(SqliteStore::open_read_only(&h.path).unwrap()).unwrap();
    let mut json = Vec::new();
    write_log_json(&ledger.events().unwrap(), ledger.checkpoint(), &mut json).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let copy_path = dir.path().join("copy.db");
    let copy = SqliteStore::create_new(&copy_path, |mut store| {
        import_log_json(json.as_slice(), "log.json", &mut store)?;
        Ledger::open(store)?.verify()
    });
    copy.unwrap();
    // ... but is not what the city and the county saw.
    let copy = Ledger::open(SqliteStore::open_read_only(&copy_path).unwrap()).unwrap();
    for witness in [&h.city, &h.county] {
        let err = copy.check_witness(witness).unwrap_err();
        assert!(matches!(err, Error::Inconsistent { .. }), "{err}");
    }
}

#[test]
fn a_witness_refuses_a_checkpoint_that_does_not_extend_the_last_it_saw() {
    let h = honest();
    let mut city = h.city.clone();
    h.rewrite(|events| events.retain(|e| e.change.lead() != Some("L1")));
    let ledger = Ledger::open(SqliteStore::open_read_only(&h.path).unwrap()).unwrap();
    let before = city.clone();
    let err = ledger.witness(&mut city, chrono::Utc::now()).unwrap_err();
    assert!(matches!(err, Error::Inconsistent { .. }), "{err}");
    assert_eq!(city, before, "a refused checkpoint is not recorded");
}

#[test]
fn a_report_spelled_otherwise_is_still_checked() {
    // The insider rewrites a report with its key escaped and spaced, so no
    // byte pattern of the canonical form matches, and forges its checkpoint.
    let h = honest();
    let bodies = h.events();
    let seq = bodies
        .iter()
        .position(|b| String::from_utf8_lossy(b).contains("\"reported\""))
        .unwrap();
    let text = String::from_utf8(bodies[seq].clone()).unwrap();
    let at = text.find("\"checkpoint\":{").unwrap();
    let root = at + text[at..].find("\"root\":\"").unwrap() + "\"root\":\"".len();
    let forged = format!("{}{}{}", &text[..root], "cd".repeat(32), &text[root + 64..])
        .replacen(
            "\"change\":{\"reported\":",
            "\"change\" : { \"\\u0072eported\" :",
            1,
        )
        .into_bytes();
    let decoded = Event::decode(&forged, seq as u64).unwrap();
    assert!(matches!(decoded.change, Change::Reported { .. }));
    h.replace_event(seq, &forged);
    let store = SqliteStore::open_read_only(&h.path).unwrap();
    let err = verify_store(&store).unwrap_err();
    assert!(err.to_string().contains("carries checkpoint"), "{err}");
    tampered(
        h.alone(),
        "a report spelled otherwise",
        "carries checkpoint",
    );
}

#[test]
fn a_writer_that_meets_a_planted_event_refuses_to_append_over_it() {
    let h = honest();
    let (mut writer, _) = ledger(SqliteStore::open(&h.path).unwrap());
    // The insider plants an event at the next position, behind the writer.
    let n = i64::try_from(h.events().len()).unwrap();
    let planted = String::from_utf8(h.events()[2].clone()).unwrap().replacen(
        "{\"seq\":2,",
        &format!("{{\"seq\":{n},"),
        1,
    );
    h.conn()
        .execute(
            "INSERT INTO events (seq, body) VALUES (?1, ?2)",
            rusqlite::params![n, planted],
        )
        .unwrap();
    // The writer's append meets the planted event, reads it, and refuses.
    let err = run(&mut writer, "after", &member(), add_lead("L9")).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Undecided {
                kind: "lead-found",
                ..
            }
        ),
        "{err}"
    );
    // Asked again, it still refuses: no checkpoint is ever written over it.
    let err = run(&mut writer, "after", &member(), add_lead("L9")).unwrap_err();
    assert!(matches!(err, Error::Tampered(_)), "{err}");
    let count: i64 = h
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM checkpoints WHERE size > ?1",
            [n],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(count, 0);
}

#[test]
fn a_reveal_cannot_borrow_an_earlier_command_id_nor_a_lead_another_reference() {
    let h = honest();
    let (mut ledger, _) = ledger(SqliteStore::open(&h.path).unwrap());
    let reveal = |id: &str, lead: &str| {
        xuncha_leads::Command::new(
            id,
            office(),
            Action::RevealPetitioner {
                lead: lead.into(),
                reason: "答复信访人".into(),
            },
        )
    };
    let (_, identity) = ledger.reveal_petitioner(&reveal("r1", "L4")).unwrap();
    assert_eq!(identity, "王秀英 13912345678");
    // The id of an earlier command answers with its events: refused here.
    let size = ledger.checkpoint().size;
    let err = ledger
        .reveal_petitioner(&reveal("L1/add", "L4"))
        .unwrap_err();
    assert!(matches!(err, Error::CommandIdReused { .. }), "{err}");
    assert_eq!(ledger.checkpoint().size, size);
    // A lead added with a reference of its own choosing is refused.
    let mut decoy = crate::common::facts("L5", false);
    decoy.source = xuncha_leads::LeadSource::Petition {
        channel: xuncha_leads::PetitionChannel::Visit,
        reference: Some("petitioner/L4".into()),
    };
    let err = run(
        &mut ledger,
        "decoy",
        &member(),
        Action::AddLead {
            lead: decoy,
            petitioner: None,
        },
    )
    .unwrap_err();
    assert!(matches!(err, Error::OutOfRange { .. }), "{err}");
    // And the wrong key opens nothing and records nothing.
    let mut other = Ledger::open(SqliteStore::open(&h.path).unwrap())
        .unwrap()
        .with_identity_key(xuncha_leads::IdentityKey::from_bytes([9; 32]));
    let size = other.checkpoint().size;
    assert!(other.reveal_petitioner(&reveal("r2", "L4")).is_err());
    assert_eq!(other.checkpoint().size, size);
}
