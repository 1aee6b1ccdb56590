//! The replay re-decides every command: an insider who writes events the
//! rules would have refused into the file (and drops the snapshot, or
//! rewrites every checkpoint after them) is caught by every full replay
//! (`open`, `verify`), each for the reason the rules give.

use chrono::Duration;
use xuncha_leads::merkle::Hash;
use xuncha_leads::{
    Action, Actor, ActorRole, Change, Disposal, Error, Event, Ledger, MemoryStore, Outcome,
    ReportRecipient,
};

use crate::common::{add_lead, handler, ledger, rebuild, run, transferred};

/// An honest ledger: L1 transferred and reported to both levels, L2 found,
/// L3 received by H1.
fn honest() -> Vec<Event> {
    let (mut ledger, clock) = ledger(MemoryStore::new());
    transferred(&mut ledger, "L1");
    run(
        &mut ledger,
        "L2/add",
        &crate::common::member(),
        add_lead("L2"),
    )
    .unwrap();
    transferred(&mut ledger, "L3");
    clock.advance(Duration::hours(1));
    run(
        &mut ledger,
        "L3/receive",
        &handler("H1"),
        Action::Receive { lead: "L3".into() },
    )
    .unwrap();
    ledger.events().unwrap()
}

/// The honest events followed by `forged` (each given the next number, the
/// time and command of its own), the whole log rebuilt as the insider
/// would: every checkpoint recomputed, no snapshot.
fn with(forged: Vec<(Actor, Change)>) -> MemoryStore {
    let mut events = honest();
    let time = events.last().unwrap().time + Duration::hours(1);
    for (n, (actor, change)) in forged.into_iter().enumerate() {
        events.push(Event {
            signature: None,
            seq: 0,
            time,
            actor,
            command: format!("forged-{n}"),
            change,
            state: None,
        });
    }
    let rebuilt = rebuild(events);
    let (bodies, checkpoints) = rebuilt.into_iter().unzip();
    MemoryStore::from_parts(bodies, checkpoints)
}

/// Asserts that the ledger `store` holds fails to open and to verify with
/// [`Error::Undecided`] at the first forged event, of `kind`, for a reason
/// holding `why`.
fn refused(store: MemoryStore, kind: &str, why: &str) {
    let first = honest().len() as u64;
    let err = Ledger::open(store.clone()).unwrap_err();
    match &err {
        Error::Undecided {
            seq,
            kind: found,
            why: reason,
            ..
        } => {
            assert_eq!(*seq, first, "{err}");
            assert_eq!(*found, kind, "{err}");
            assert!(reason.contains(why), "expected `{why}` in: {err}");
        }
        other => panic!("expected the event to be re-decided and refused, got {other}"),
    }
    // The same from `verify`, which replays whatever the ledger opened from.
    let mut parts = store.into_parts();
    parts.0.truncate(usize::try_from(first).unwrap());
    parts.1.retain(|c| c.size <= first);
    let honest_store = MemoryStore::from_parts(parts.0, parts.1);
    Ledger::open(honest_store).unwrap().verify().unwrap();
}

#[test]
fn the_honest_log_rebuilt_the_same_way_verifies() {
    let store = with(Vec::new());
    let ledger = Ledger::open(store).unwrap();
    ledger.verify().unwrap();
    assert_eq!(
        ledger.state().lead("L3").unwrap().stage.as_str(),
        "received"
    );
}

#[test]
fn a_receive_under_a_roster_of_ones_own_is_refused() {
    // The handler brings a check that finds no conflict of his: its
    // fingerprint is not the registered one.
    let store = with(vec![(
        handler("H2"),
        Change::Received {
            lead: "L1".into(),
            handler: "H2".into(),
            check: Some(Hash([7; 32])),
        },
    )]);
    refused(store, "received", "registered");
}

#[test]
fn a_receive_with_no_check_recorded_is_refused() {
    let store = with(vec![(
        handler("H2"),
        Change::Received {
            lead: "L1".into(),
            handler: "H2".into(),
            check: None,
        },
    )]);
    refused(store, "received", "names no check");
}

#[test]
fn a_report_of_a_lead_never_transferred_is_refused() {
    let store = with(vec![(
        crate::common::office(),
        Change::Reported {
            lead: "L2".into(),
            to: ReportRecipient::CityLeadingGroup,
            checkpoint: xuncha_leads::Checkpoint::empty(),
        },
    )]);
    refused(store, "reported", "is found");
}

#[test]
fn a_disposal_in_a_role_that_may_not_dispose_is_refused() {
    let store = with(vec![(
        Actor::new("P-leader", ActorRole::TeamLeader),
        Change::Disposed {
            lead: "L3".into(),
            disposal: Disposal::Closed,
            reason: "查无实据".into(),
        },
    )]);
    refused(store, "disposed", "may not be issued");
}

#[test]
fn a_disposal_by_a_handler_who_does_not_hold_the_lead_is_refused() {
    let store = with(vec![(
        handler("H9"),
        Change::Disposed {
            lead: "L3".into(),
            disposal: Disposal::Closed,
            reason: "查无实据".into(),
        },
    )]);
    refused(store, "disposed", "does not hold it");
}

#[test]
fn a_conclusion_out_of_order_is_refused() {
    let store = with(vec![(
        handler("H1"),
        Change::Concluded {
            lead: "L3".into(),
            outcomes: vec![Outcome::NoAction {
                reason: "无".into(),
            }],
            reason: "结案".into(),
        },
    )]);
    refused(store, "concluded", "not allowed there");
}

#[test]
fn a_refusal_without_its_escalation_is_refused() {
    // A conflicted handler is refused and the lead raised a level; the
    // insider keeps the refusal and drops the escalation.
    let store = with(vec![
        (
            handler("bad-H"),
            Change::HandlerRefused {
                lead: "L1".into(),
                handler: "bad-H".into(),
                conflicts: vec!["bad-H is conflicted".into()],
                check: Some(crate::common::Refuse::FINGERPRINT),
            },
        ),
        (
            handler("H1"),
            Change::CaseFiled {
                lead: "L3".into(),
                reason: "x".into(),
            },
        ),
    ]);
    let err = Ledger::open(store).unwrap_err();
    assert!(
        matches!(&err, Error::Undecided { why, .. } if why.contains("more change")),
        "{err}"
    );
}

#[test]
fn an_event_dated_before_the_one_before_it_is_refused() {
    let mut events = honest();
    let last = events.last().unwrap().clone();
    events.push(Event {
        signature: None,
        seq: 0,
        time: last.time - Duration::days(30),
        actor: handler("H1"),
        command: "backdated".into(),
        change: Change::Disposed {
            lead: "L3".into(),
            disposal: Disposal::Inquiry,
            reason: "初核".into(),
        },
        state: None,
    });
    let (bodies, checkpoints) = rebuild(events).into_iter().unzip();
    refused(
        MemoryStore::from_parts(bodies, checkpoints),
        "disposed",
        "never go backwards",
    );
}
