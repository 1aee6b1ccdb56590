//! Builders shared by the tests.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use xuncha_leads::merkle::Hash;
use xuncha_leads::{
    Action, Actor, ActorRole, Body, Command, DeadlinePolicy, Error, HandlerCheck, IdentityKey,
    LeadFacts, LeadSource, Ledger, ManualClock, MemoryStore, PetitionChannel, Receipt,
    ReportRecipient, Store,
};
use xuncha_org::{Code, Level};

pub(crate) fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

pub(crate) fn office() -> Actor {
    Actor::new("office-3506", ActorRole::InspectionOffice)
}

pub(crate) fn leader() -> Actor {
    Actor::new("P-leader", ActorRole::TeamLeader)
}

pub(crate) fn member() -> Actor {
    Actor::new("P-member", ActorRole::TeamMember)
}

pub(crate) fn handler(id: &str) -> Actor {
    Actor::new(id, ActorRole::DisciplineHandler)
}

pub(crate) fn group() -> Actor {
    Actor::new("lg-3506", ActorRole::LeadingGroup)
}

pub(crate) fn supervision() -> Actor {
    Actor::new("dd-1", ActorRole::SupervisionGroup)
}

/// A check that refuses only handlers whose id starts with `bad`.
#[derive(Debug)]
pub(crate) struct Refuse;

impl Refuse {
    pub(crate) const FINGERPRINT: Hash = Hash([0x5e; 32]);
}

impl HandlerCheck for Refuse {
    fn fingerprint(&self) -> Hash {
        Refuse::FINGERPRINT
    }

    fn conflicts(&self, handler: &str, _: &LeadFacts, _: NaiveDate) -> Result<Vec<String>, Error> {
        Ok(if handler.starts_with("bad") {
            vec![format!("{handler} is conflicted")]
        } else {
            Vec::new()
        })
    }
}

pub(crate) fn facts(id: &str, fast_track: bool) -> LeadFacts {
    LeadFacts {
        id: id.to_owned(),
        round: "2026-1".to_owned(),
        team: "2026-1/350628".to_owned(),
        target: Code::parse("350628").unwrap(),
        persons: vec!["某某".to_owned()],
        units: vec!["350628".to_owned()],
        summary: format!("线索 {id}: 工程款去向不明"),
        source: LeadSource::Petition {
            channel: PetitionChannel::Letter,
            reference: None,
        },
        found_on: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        fast_track,
        found_from: Vec::new(),
    }
}

/// Records lead `id`, not fast-tracked, with no petitioner.
pub(crate) fn add_lead(id: &str) -> Action {
    Action::AddLead {
        lead: facts(id, false),
        petitioner: None,
    }
}

/// The office's identity key in the tests.
pub(crate) fn key() -> IdentityKey {
    IdentityKey::from_bytes([42; 32])
}

/// A ledger for 漳州市 on a manual clock, with the office's key: opened,
/// and the test's conflict check [`Refuse`] registered.
pub(crate) fn ledger<S: Store>(store: S) -> (Ledger<S>, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(start()));
    let mut ledger = Ledger::open(store)
        .unwrap()
        .with_clock(clock.clone())
        .with_identity_key(key());
    if ledger.state().jurisdiction.is_none() {
        run(
            &mut ledger,
            "open",
            &office(),
            Action::Open {
                authorities: None,
                jurisdiction: Code::parse("3506").unwrap(),
                policy: DeadlinePolicy::default(),
            },
        )
        .unwrap();
        run(
            &mut ledger,
            "register-check",
            &office(),
            Action::RegisterCheck {
                fingerprint: Refuse::FINGERPRINT,
                description: "the tests' check".into(),
            },
        )
        .unwrap();
    }
    (ledger, clock)
}

pub(crate) fn run<S: Store>(
    ledger: &mut Ledger<S>,
    id: &str,
    actor: &Actor,
    action: Action,
) -> Result<Receipt, Error> {
    ledger.execute(&Command::new(id, actor.clone(), action), Some(&Refuse))
}

/// Adds, transfers and dual-reports lead `id`.
pub(crate) fn transferred<S: Store>(ledger: &mut Ledger<S>, id: &str) {
    run(ledger, &format!("{id}/add"), &member(), add_lead(id)).unwrap();
    run(
        ledger,
        &format!("{id}/transfer"),
        &leader(),
        Action::Transfer {
            lead: id.to_owned(),
            body: Body::DisciplineCommission,
            level: Level::County,
        },
    )
    .unwrap();
    for to in ReportRecipient::BOTH {
        run(
            ledger,
            &format!("{id}/report/{}", to.as_str()),
            &office(),
            Action::Report {
                lead: id.to_owned(),
                to,
            },
        )
        .unwrap();
    }
}

/// What an insider who rewrites the whole log makes of `events`: each
/// renumbered, every report's carried checkpoint and every committed state
/// root recomputed, encoded, with the checkpoint after it, as the ledger
/// would have written them.
pub(crate) fn rebuild(
    mut events: Vec<xuncha_leads::Event>,
) -> Vec<(Vec<u8>, xuncha_leads::Checkpoint)> {
    use xuncha_leads::merkle::{MerkleTree, leaf_hash};
    use xuncha_leads::{Change, Checkpoint};
    let mut tree = MerkleTree::new();
    let mut state = xuncha_leads::State::default();
    let mut out = Vec::with_capacity(events.len());
    for (seq, event) in (0u64..).zip(events.iter_mut()) {
        event.seq = seq;
        if let Change::Reported { checkpoint, .. } = &mut event.change {
            *checkpoint = Checkpoint {
                size: seq,
                root: tree.root(),
            };
        }
        // Every state root the log commits to, recomputed over the state
        // the rewritten events make (an event the state cannot take is
        // left as it was, for the replay to refuse).
        if state.apply(event.clone()).is_ok() && event.state.is_some() {
            event.state = Some(state.root());
        }
        let body = event.encode();
        tree.push(leaf_hash(&body));
        out.push((
            body,
            Checkpoint {
                size: tree.len(),
                root: tree.root(),
            },
        ));
    }
    out
}

/// Checks that the ledger `store` holds opens from its snapshot to exactly
/// the state, checkpoint and id of a full replay of its events, and that
/// the snapshot verifies.
pub(crate) fn assert_snapshot_is_replay(store: MemoryStore) {
    let from_snapshot = Ledger::open(store.clone()).unwrap();
    let (events, checkpoints) = store.into_parts();
    let replayed = Ledger::open(MemoryStore::from_parts(events, checkpoints)).unwrap();
    assert_eq!(from_snapshot.state(), replayed.state());
    assert_eq!(from_snapshot.checkpoint(), replayed.checkpoint());
    assert_eq!(from_snapshot.log_id(), replayed.log_id());
    let report = from_snapshot.verify().unwrap();
    assert_eq!(report.snapshot, Some(replayed.checkpoint().size));
}
