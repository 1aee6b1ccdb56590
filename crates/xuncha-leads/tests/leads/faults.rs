//! I/O faults at the store boundary: a store that fails its n-th write
//! (before it, or after it with the acknowledgement lost).
//! After every injected failure the command returns an error, nothing it
//! began is half-written, and the ledger reopens to exactly the last
//! committed state and verifies.

use std::cell::Cell;

use xuncha_leads::snapshot::{RecordKind, SnapshotUpdate};
use xuncha_leads::{
    Action, Checkpoint, Command, Error, FindingItemFacts, FindingListFacts, Ledger,
    ReportRecipient, SqliteStore, State, Store, Visit, VisitRecord,
};

use crate::common::{Refuse, add_lead, facts, handler, leader, ledger, member, office};

/// A store that passes everything to `inner` but fails its `fail_at`-th
/// append (counting from 0), as a full disk or a revoked permission would;
/// with `after`, it fails once the append is written (the
/// acknowledgement lost, as when the sync's answer never arrives).
struct Faulty<S> {
    inner: S,
    appends: Cell<usize>,
    fail_at: usize,
    after: bool,
}

impl<S> Faulty<S> {
    fn new(inner: S, fail_at: usize, after: bool) -> Faulty<S> {
        Faulty {
            inner,
            appends: Cell::new(0),
            fail_at,
            after,
        }
    }
}

impl<S: Store> Store for Faulty<S> {
    fn len(&self) -> Result<u64, Error> {
        self.inner.len()
    }

    fn for_each(&self, from: u64, visit: &mut Visit<'_>) -> Result<(), Error> {
        self.inner.for_each(from, visit)
    }

    fn checkpoints(&self) -> Result<Vec<Checkpoint>, Error> {
        self.inner.checkpoints()
    }

    fn append(
        &mut self,
        expected: u64,
        events: &[Vec<u8>],
        checkpoint: Checkpoint,
        petitioners: &[(String, Vec<u8>)],
    ) -> Result<(), Error> {
        self.faulty(|inner| inner.append(expected, events, checkpoint, petitioners))
    }

    fn petitioner(&self, reference: &str) -> Result<Option<Vec<u8>>, Error> {
        self.inner.petitioner(reference)
    }

    // The snapshot passes through, and its appends fail as the others.
    fn keeps_snapshot(&self) -> bool {
        self.inner.keeps_snapshot()
    }

    fn snapshot_summary(&self) -> Result<Option<(u64, Vec<u8>)>, Error> {
        self.inner.snapshot_summary()
    }

    fn snapshot_record(&self, kind: RecordKind, id: &str) -> Result<Option<(u64, Vec<u8>)>, Error> {
        self.inner.snapshot_record(kind, id)
    }

    fn snapshot_records(&self, kind: RecordKind, visit: &mut VisitRecord<'_>) -> Result<(), Error> {
        self.inner.snapshot_records(kind, visit)
    }

    fn snapshot_command(&self, id: &str) -> Result<Option<(u64, u64)>, Error> {
        self.inner.snapshot_command(id)
    }

    fn snapshot_commands(
        &self,
        visit: &mut dyn FnMut(&str, u64, u64) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.inner.snapshot_commands(visit)
    }

    fn append_with_snapshot(
        &mut self,
        expected: u64,
        events: &[Vec<u8>],
        checkpoint: Checkpoint,
        petitioners: &[(String, Vec<u8>)],
        snapshot: &SnapshotUpdate,
    ) -> Result<(), Error> {
        self.faulty(|inner| {
            inner.append_with_snapshot(expected, events, checkpoint, petitioners, snapshot)
        })
    }

    fn write_snapshot(&mut self, snapshot: &SnapshotUpdate) -> Result<bool, Error> {
        self.inner.write_snapshot(snapshot)
    }
}

impl<S: Store> Faulty<S> {
    /// Runs the append `write`, unless it is the one to fail.
    fn faulty(&mut self, write: impl FnOnce(&mut S) -> Result<(), Error>) -> Result<(), Error> {
        let n = self.appends.get();
        self.appends.set(n + 1);
        if n == self.fail_at {
            if self.after {
                write(&mut self.inner)?;
            }
            return Err(Error::Store {
                what: "faulty store".into(),
                kind: xuncha_leads::StoreFailure::Full,
                message: "No space left on device (injected)".into(),
            });
        }
        write(&mut self.inner)
    }
}

/// A realistic sequence: a lead from finding to a filed case, in single
/// commands and one batch, and a finding list.
fn script() -> Vec<Vec<Command>> {
    let one = |id: &str, actor: xuncha_leads::Actor, action: Action| {
        vec![Command::new(id, actor, action)]
    };
    let mut steps = vec![
        one(
            "reg",
            office(),
            Action::RegisterCheck {
                fingerprint: Refuse::FINGERPRINT,
                description: "the tests' check".into(),
            },
        ),
        one(
            "a1",
            member(),
            Action::AddLead {
                lead: facts("L1", false),
                petitioner: Some("王某".into()),
            },
        ),
        one(
            "t1",
            leader(),
            Action::Transfer {
                lead: "L1".into(),
                body: xuncha_leads::Body::DisciplineCommission,
                level: xuncha_org::Level::County,
            },
        ),
        one(
            "r1",
            office(),
            Action::Report {
                lead: "L1".into(),
                to: ReportRecipient::CityLeadingGroup,
            },
        ),
        one(
            "r2",
            office(),
            Action::Report {
                lead: "L1".into(),
                to: ReportRecipient::CountyLeadingGroup,
            },
        ),
        one("rc", handler("H1"), Action::Receive { lead: "L1".into() }),
        one(
            "d1",
            handler("H1"),
            Action::Dispose {
                lead: "L1".into(),
                disposal: xuncha_leads::Disposal::PreliminaryVerification,
                reason: "线索具体".into(),
            },
        ),
    ];
    steps.push(
        (0..5)
            .map(|i| {
                let id = format!("B{i}");
                Command::new(id.clone(), member(), add_lead(&id))
            })
            .collect(),
    );
    let item = FindingItemFacts {
        finding: "问题".into(),
        responsible: "某".into(),
        measures: "改".into(),
        deadline: chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
    };
    steps.push(one(
        "f1",
        office(),
        Action::IssueFindings {
            list: FindingListFacts {
                id: "F1".into(),
                round: "R".into(),
                unit: "350628".into(),
                issued_on: chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
                items: vec![item],
            },
        },
    ));
    steps.push(one(
        "c1",
        handler("H1"),
        Action::FileCase {
            lead: "L1".into(),
            reason: "初核属实".into(),
        },
    ));
    steps
}

#[test]
fn every_write_position_fails_cleanly_and_the_ledger_reopens_to_the_last_commit() {
    let steps = script();
    // +1 for the `open` command the fixture issues first.
    for fail_at in 0..=steps.len() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.db");
        let store = Faulty::new(SqliteStore::create(&path).unwrap(), fail_at, false);
        let clock = std::sync::Arc::new(xuncha_leads::ManualClock::new(crate::common::start()));
        let mut ledger = Ledger::open(store)
            .unwrap()
            .with_clock(clock)
            .with_identity_key(crate::common::key());
        let open = Command::new(
            "open",
            office(),
            Action::Open {
                authorities: None,
                jurisdiction: xuncha_org::Code::parse("3506").unwrap(),
                policy: xuncha_leads::DeadlinePolicy::default(),
            },
        );
        let mut committed: State = ledger.state().clone();
        let mut checkpoint = ledger.checkpoint();
        let mut failed = false;
        for batch in std::iter::once(vec![open]).chain(steps.iter().cloned()) {
            let before = (ledger.state().clone(), ledger.checkpoint());
            match ledger.execute_batch(&batch, Some(&Refuse)) {
                Ok(_) => {
                    assert!(
                        !failed,
                        "a command after the failure went through on a broken disk? (fail_at {fail_at})"
                    );
                    committed = ledger.state().clone();
                    checkpoint = ledger.checkpoint();
                }
                Err(err) => {
                    assert!(
                        matches!(err, Error::Store { .. }),
                        "fail_at {fail_at}: {err}"
                    );
                    // Nothing half-applied in memory either.
                    assert_eq!(
                        (ledger.state().clone(), ledger.checkpoint()),
                        before,
                        "fail_at {fail_at}"
                    );
                    failed = true;
                    break;
                }
            }
        }
        assert!(failed || fail_at == steps.len() + 1);
        drop(ledger);
        let reopened = Ledger::open(SqliteStore::open(&path).unwrap()).unwrap();
        assert_eq!(reopened.state(), &committed, "fail_at {fail_at}");
        assert_eq!(reopened.checkpoint(), checkpoint, "fail_at {fail_at}");
        if checkpoint.size == 0 {
            // Nothing was ever written: an empty file, which is no ledger.
            assert!(reopened.verify().is_err());
        } else {
            reopened.verify().unwrap();
        }
    }
}

#[test]
fn a_failed_write_leaves_the_same_ledger_usable_once_the_disk_recovers() {
    let (mut ledger, _) = ledger(Faulty::new(xuncha_leads::MemoryStore::new(), 3, false));
    crate::common::run(&mut ledger, "a", &member(), add_lead("L1")).unwrap();
    let err = crate::common::run(&mut ledger, "b", &member(), add_lead("L2")).unwrap_err();
    assert!(err.to_string().contains("injected"), "{err}");
    // The next write succeeds and the log is whole.
    crate::common::run(&mut ledger, "b", &member(), add_lead("L2")).unwrap();
    assert_eq!(ledger.state().leads.len(), 2);
    ledger.verify().unwrap();
}

#[test]
fn a_write_whose_acknowledgement_is_lost_is_not_repeated_when_the_command_is_sent_again() {
    let (mut ledger, _) = ledger(Faulty::new(xuncha_leads::MemoryStore::new(), 2, true));
    let err = crate::common::run(&mut ledger, "a", &member(), add_lead("L1")).unwrap_err();
    assert!(err.to_string().contains("injected"), "{err}");
    // The event is on disk though the command failed; sent again with the
    // same id, the command appends nothing and answers with that event.
    let receipt = crate::common::run(&mut ledger, "a", &member(), add_lead("L1")).unwrap();
    assert!(receipt.duplicate);
    assert_eq!(receipt.events.len(), 1);
    assert_eq!(ledger.state().leads.len(), 1);
    let size = ledger.checkpoint().size;
    crate::common::run(&mut ledger, "b", &member(), add_lead("L2")).unwrap();
    assert_eq!(ledger.checkpoint().size, size + 1);
    assert_eq!(ledger.state().leads.len(), 2);
    ledger.verify().unwrap();
}
