//! Property tests over random command sequences and random tampering.

use chrono::Duration;
use proptest::prelude::*;
use xuncha_leads::{
    Action, Actor, Body, Checkpoint, Disposal, Error, Ledger, MemoryStore, Outcome,
    ReportRecipient, SanctionKind, verify_store,
};
use xuncha_leads::{
    AuthorisationRequest, CriticismNotice, FindingItemFacts, FindingListFacts, Obstruction,
    ObstructionKind, TeamPost,
};
use xuncha_org::{Code, Level};

fn day(d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 4, d).expect("a day of April")
}

use crate::common::{
    add_lead, facts, group, handler, leader, ledger, member, office, run, supervision,
};

/// One step of a random history: an operation on one of five leads.
#[derive(Clone, Debug)]
pub(crate) struct Step {
    op: u8,
    lead: u8,
    variant: u8,
    pub(crate) days: u8,
}

/// Random histories that go deep: each of five leads follows its own
/// lifecycle (found, transferred, reported to both levels, a conflicted
/// handler refused, received, disposed of in one of three ways, a case
/// filed, concluded), cut short at a random stage; each of two finding
/// lists is issued, closed item by item, looked back on and given rules
/// and follow-ups; and all of it is interleaved at random with noise: any
/// command at all, wrong roles and empty reasons among them. The coverage
/// this reaches is printed and checked by
/// `random_histories_reach_every_change_and_stage`.
pub(crate) fn steps() -> impl Strategy<Value = Vec<Step>> {
    let noise = (0u8..24, 0u8..5, 0u8..4, 0u8..4).prop_map(|(op, lead, variant, days)| Step {
        op,
        lead,
        variant,
        days,
    });
    (
        prop::collection::vec((0u8..4, 0usize..=LIFECYCLE.len(), any::<bool>()), 5),
        prop::collection::vec((0usize..=RECTIFICATION.len(), 0u8..4), 2),
        prop::collection::vec(noise, 0..30),
        prop::collection::vec((0u8..8, 0u8..4), 120),
    )
        .prop_map(|(leads, lists, noise, order)| {
            let mut queues: Vec<std::collections::VecDeque<Step>> = Vec::new();
            for (lead, (pick, cut, petition)) in (0u8..).zip(leads) {
                // The handler who receives decides the disposal (one
                // variant picks both); variant 2 is the conflicted one.
                let v = [0, 1, 3, 3][usize::from(pick)];
                queues.push(
                    LIFECYCLE[..cut]
                        .iter()
                        .map(|&(op, variant)| Step {
                            op,
                            lead,
                            variant: match variant {
                                Some(fixed) if op == 0 => u8::from(petition) * fixed,
                                Some(fixed) => fixed,
                                None => v,
                            },
                            days: 0,
                        })
                        .collect(),
                );
            }
            for (list, (cut, item)) in (0u8..).zip(lists) {
                queues.push(
                    RECTIFICATION[..cut]
                        .iter()
                        .map(|&(op, variant)| Step {
                            op,
                            lead: list,
                            variant: variant.unwrap_or(1 + item % 3),
                            days: 0,
                        })
                        .collect(),
                );
            }
            queues.push(noise.into_iter().collect());
            let mut out = Vec::new();
            for (pick, days) in order {
                let queue = usize::from(pick) % queues.len();
                let next = queues[queue].pop_front().or_else(|| {
                    queues
                        .iter_mut()
                        .find_map(std::collections::VecDeque::pop_front)
                });
                match next {
                    Some(mut step) => {
                        step.days = days;
                        out.push(step);
                    }
                    None => break,
                }
            }
            if out.is_empty() {
                out.push(Step {
                    op: 0,
                    lead: 0,
                    variant: 0,
                    days: 0,
                });
            }
            out
        })
}

/// A lead's lifecycle as steps `(op, variant)`: `None` takes the lead's
/// handler; the `add`'s variant 2 brings a petitioner.
const LIFECYCLE: [(u8, Option<u8>); 11] = [
    (0, Some(2)),
    (1, Some(0)),
    (2, Some(0)),
    (12, Some(0)),
    (2, Some(1)),
    (3, Some(2)),
    (3, None),
    (4, None),
    (5, None),
    (6, None),
    (8, Some(0)),
];

/// A finding list's life as steps: issued, items closed, a look-back that
/// reopens one, a rule, a follow-up, the reopened item closed again.
const RECTIFICATION: [(u8, Option<u8>); 9] = [
    (13, Some(0)),
    (14, Some(1)),
    (14, Some(2)),
    (14, Some(3)),
    (18, Some(0)),
    (15, None),
    (20, Some(0)),
    (14, None),
    (21, Some(0)),
];

pub(crate) fn action(step: &Step) -> (Actor, Action) {
    let lead = format!("L{}", step.lead);
    let who = ["H0", "H1", "bad-H2", "H3"][usize::from(step.variant)];
    match step.op {
        0 => (
            member(),
            Action::AddLead {
                lead: facts(&lead, step.variant == 1),
                petitioner: (step.variant == 2).then(|| "张某 13800000000".to_owned()),
            },
        ),
        1 => (
            leader(),
            Action::Transfer {
                lead,
                body: Body::DisciplineCommission,
                level: [Level::County, Level::City][usize::from(step.variant % 2)],
            },
        ),
        2 => (
            office(),
            Action::Report {
                lead,
                to: ReportRecipient::BOTH[usize::from(step.variant % 2)],
            },
        ),
        3 => (handler(who), Action::Receive { lead }),
        4 => (
            handler(who),
            Action::Dispose {
                lead,
                disposal: [
                    Disposal::Inquiry,
                    Disposal::PreliminaryVerification,
                    Disposal::Shelved,
                    Disposal::Closed,
                ][usize::from(step.variant)],
                reason: "理由".into(),
            },
        ),
        5 => (
            handler(who),
            Action::FileCase {
                lead,
                reason: "初核属实".into(),
            },
        ),
        6 => {
            let outcome = match step.variant {
                0 => Outcome::NoAction {
                    reason: "不实".into(),
                },
                1 => Outcome::Sanction {
                    person: "某某".into(),
                    sanction: SanctionKind::PartyWarning,
                    reason: "违纪".into(),
                },
                2 => Outcome::JudicialReferral {
                    person: "某某".into(),
                    reason: "涉嫌犯罪".into(),
                },
                _ => Outcome::FundsRecovered {
                    yuan: 1000,
                    reason: "追回".into(),
                },
            };
            (
                handler(who),
                Action::Conclude {
                    lead,
                    outcomes: vec![outcome],
                    reason: "办结".into(),
                },
            )
        }
        7 => (group(), Action::Escalate { lead }),
        8 => (office(), Action::EscalateOverdue),
        // Wrong roles and empty reasons: must be refused.
        9 => (
            member(),
            Action::Transfer {
                lead,
                body: Body::OrganisationDepartment,
                level: Level::County,
            },
        ),
        10 => (
            handler(who),
            Action::Dispose {
                lead,
                disposal: Disposal::Closed,
                reason: String::new(),
            },
        ),
        11 => (office(), Action::Receive { lead }),
        12 => (
            office(),
            Action::RevealPetitioner {
                lead,
                reason: "答复信访人".into(),
            },
        ),
        18 => (
            office(),
            Action::EstablishRule {
                list: format!("F{}", step.lead),
                title: "工程款管理办法".into(),
            },
        ),
        20 => (
            office(),
            Action::ScheduleFollowUp {
                list: format!("F{}", step.lead),
                on: day(20),
                note: "跟踪整改".into(),
            },
        ),
        21 => (
            group(),
            Action::SetPolicy {
                policy: xuncha_leads::DeadlinePolicy::default(),
            },
        ),
        // Rectification: lists, their items and look-backs, obstructions
        // and notices, on ids that collide across steps.
        13 => (
            office(),
            Action::IssueFindings {
                list: FindingListFacts {
                    id: format!("F{}", step.lead),
                    round: "2026-1".into(),
                    unit: "350628".into(),
                    issued_on: day(1),
                    items: (1..=3)
                        .map(|n| FindingItemFacts {
                            finding: format!("问题{n}"),
                            responsible: format!("责任人{n}"),
                            measures: format!("措施{n}"),
                            deadline: day(10 * n),
                        })
                        .collect(),
                },
            },
        ),
        14 => (
            office(),
            Action::CloseItem {
                list: format!("F{}", step.lead),
                item: u32::from(step.variant),
                evidence: "整改报告".into(),
            },
        ),
        15 => (
            group(),
            Action::LookBack {
                list: format!("F{}", step.lead),
                on: day(28),
                reopen: vec![(u32::from(step.variant), "未整改到位".into(), day(30))],
            },
        ),
        16 => (
            leader(),
            Action::RecordObstruction {
                obstruction: Obstruction {
                    id: format!("O{}", step.lead),
                    unit: ["350628-bureau", "350629-bureau"][usize::from(step.variant % 2)].into(),
                    team: "2026-1/350628".into(),
                    kind: ObstructionKind::ContradictoryMaterial,
                    detail: "报送人数与名单不符".into(),
                    mismatches: Vec::new(),
                },
            },
        ),
        // A supervision group (督导组) issues notices as the leading group
        // does.
        17 => (
            if step.variant == 3 {
                supervision()
            } else {
                group()
            },
            Action::IssueCriticism {
                notice: CriticismNotice {
                    id: format!("N{}", step.variant),
                    unit: "350628-bureau".into(),
                    obstructions: vec![format!("O{}", step.lead)],
                    text: "关于干扰巡察工作的通报".into(),
                },
            },
        ),
        // Two-level authorisations (市县两级授权) on colliding ids: the
        // same person at one level twice, or in another post.
        19 => (
            office(),
            Action::Authorise {
                authorisation: AuthorisationRequest {
                    round: "2026-1".into(),
                    team: "2026-1/350628".into(),
                    target: Code::parse("350628").unwrap(),
                    person: format!("P{}", step.lead % 3),
                    post: [TeamPost::Leader, TeamPost::DeputyLeader][usize::from(step.variant % 2)],
                    by: [Level::City, Level::County][usize::from(step.variant / 2)],
                },
            },
        ),
        _ => (
            handler(who),
            Action::Conclude {
                lead,
                outcomes: vec![],
                reason: "r".into(),
            },
        ),
    }
}

/// Runs the steps; checks after each that nothing is lost and that a
/// refused command changed nothing.
fn play(steps: &[Step]) -> (Ledger<MemoryStore>, Vec<bool>) {
    let (mut ledger, clock) = ledger(MemoryStore::new());
    let mut accepted = Vec::with_capacity(steps.len());
    for (i, step) in steps.iter().enumerate() {
        clock.advance(Duration::days(i64::from(step.days) * 2));
        let (actor, action) = action(step);
        let before = (ledger.state().clone(), ledger.checkpoint());
        match run(&mut ledger, &format!("cmd-{i}"), &actor, action) {
            Ok(receipt) => {
                assert!(!receipt.events.is_empty());
                accepted.push(true);
            }
            Err(err) => {
                assert!(
                    !matches!(err, Error::Replay { .. } | Error::Store { .. }),
                    "{err}"
                );
                assert_eq!(
                    (ledger.state().clone(), ledger.checkpoint()),
                    before,
                    "refused {step:?} changed the ledger: {err}"
                );
                accepted.push(false);
            }
        }
        ledger.state().check_invariants().unwrap();
    }
    (ledger, accepted)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn nothing_is_lost_refusals_change_nothing_and_replay_gives_the_same_state(steps in steps()) {
        let (ledger, _) = play(&steps);
        ledger.verify().unwrap();
        let state = ledger.state().clone();
        let checkpoint = ledger.checkpoint();
        let replayed = Ledger::open(ledger.into_store()).unwrap();
        prop_assert_eq!(replayed.state(), &state);
        prop_assert_eq!(replayed.checkpoint(), checkpoint);
    }

    #[test]
    fn a_repeated_command_id_appends_nothing(steps in steps(), pick in any::<prop::sample::Index>()) {
        let (mut ledger, accepted) = play(&steps);
        let i = pick.index(steps.len());
        prop_assume!(accepted[i]);
        let (actor, action) = action(&steps[i]);
        let size = ledger.checkpoint().size;
        let receipt = run(&mut ledger, &format!("cmd-{i}"), &actor, action).unwrap();
        prop_assert!(receipt.duplicate);
        prop_assert_eq!(ledger.checkpoint().size, size);
        let id = format!("cmd-{i}");
        prop_assert!(receipt.events.iter().all(|e| e.command == id));
    }

    #[test]
    fn any_change_to_a_stored_log_is_caught(steps in steps(), tamper in 0u8..8, a in any::<prop::sample::Index>(), b in any::<prop::sample::Index>(), bit in 0u8..8) {
        let (ledger, _) = play(&steps);
        let (mut events, mut checkpoints) = ledger.into_store().into_parts();
        let n = events.len();
        let i = a.index(n);
        let j = b.index(n);
        match tamper {
            // Flip one bit of one byte anywhere in one event.
            0..=2 => {
                let at = b.index(events[i].len());
                events[i][at] ^= 1 << bit;
            }
            // Remove an event.
            3 => { events.remove(i); }
            // Swap two different events.
            4 => {
                let j = if i == j { (i + 1) % n } else { j };
                prop_assume!(i != j);
                events.swap(i, j);
            }
            // Truncate the log.
            5 => events.truncate(i),
            // Insert a copy of an event.
            6 => { let copy = events[j].clone(); events.insert(i, copy); }
            // Flip a bit of a stored checkpoint.
            _ => {
                let k = a.index(checkpoints.len());
                checkpoints[k].root.0[usize::from(bit) * 4] ^= 1 << bit;
            }
        }
        let tampered = MemoryStore::from_parts(events, checkpoints);
        prop_assert!(matches!(verify_store(&tampered), Err(Error::Tampered(_))));
    }
}

#[test]
fn a_log_without_a_checkpoint_for_its_last_events_fails() {
    let (mut ledger, _) = ledger(MemoryStore::new());
    run(&mut ledger, "a", &member(), add_lead("L1")).unwrap();
    let (mut events, checkpoints) = ledger.into_store().into_parts();
    let mut extra = events[2].clone();
    extra[7] = b'3';
    events.push(extra);
    let err = verify_store(&MemoryStore::from_parts(events, checkpoints)).unwrap_err();
    assert!(err.to_string().contains("last checkpoint"), "{err}");
    // Deleting everything is caught too: a ledger holds its opening event.
    let err =
        verify_store(&MemoryStore::from_parts(vec![], vec![Checkpoint::empty()])).unwrap_err();
    assert!(err.to_string().contains("no events"), "{err}");
}

/// A store of `events` rewritten consistently ([`crate::common::rebuild`]).
fn rebuilt(events: Vec<xuncha_leads::Event>) -> MemoryStore {
    let (bodies, checkpoints) = crate::common::rebuild(events).into_iter().unzip();
    MemoryStore::from_parts(bodies, checkpoints)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A witness fed at random moments accepts every honest extension and
    /// catches every truncation or consistent rewrite of what it saw.
    #[test]
    fn a_witness_catches_any_rewrite_of_what_it_saw(
        history in steps(),
        watch in prop::collection::vec(any::<bool>(), 60),
        cut in any::<prop::sample::Index>(),
        drop_at in any::<prop::sample::Index>(),
        how in 0u8..3,
    ) {
        let (mut ledger, clock) = ledger(MemoryStore::new());
        let mut witness = xuncha_leads::Witness::new(ledger.log_id().unwrap(), "city");
        ledger.witness(&mut witness, start_time()).unwrap();
        for (n, (step, look)) in history.iter().zip(&watch).enumerate() {
            clock.advance(Duration::days(i64::from(step.days)));
            let (actor, action) = action(step);
            let _ = run(&mut ledger, &format!("c{n}"), &actor, action);
            if *look {
                ledger.witness(&mut witness, start_time()).unwrap();
            }
        }
        // Honest: the ledger extends everything the witness saw.
        prop_assert!(ledger.check_witness(&witness).is_ok());
        let seen = witness.last().unwrap().size;
        prop_assume!(seen >= 2);
        let events = ledger.events().unwrap();
        let tampered: Vec<_> = match how {
            // Truncate below what the witness saw.
            0 => events[..cut.index(usize::try_from(seen).unwrap())].to_vec(),
            // Drop one event the witness saw (never the first).
            1 => {
                let i = 1 + drop_at.index(usize::try_from(seen - 1).unwrap());
                let mut e = events.clone();
                e.remove(i);
                e
            }
            // Change one event the witness saw.
            _ => {
                let i = 1 + drop_at.index(usize::try_from(seen - 1).unwrap());
                let mut e = events.clone();
                e[i].command.push('x');
                e
            }
        };
        let store = rebuilt(tampered);
        // Whatever the ledger alone says, the witness is not extended.
        if let Ok(forged) = Ledger::open(store) {
            prop_assert!(forged.check_witness(&witness).is_err());
        }
    }
}

fn start_time() -> chrono::DateTime<chrono::Utc> {
    crate::common::start()
}

/// The coverage of the random histories, printed (run with `--nocapture`)
/// and checked: every kind of change the ledger records and every stage of
/// a lead is reached, most of them often, so that the properties above (the
/// replay re-decides every command, the snapshot is the replay) are
/// exercised on deep histories, not on `add` and `transfer` alone.
#[test]
fn random_histories_reach_every_change_and_stage() {
    use proptest::strategy::ValueTree;
    use std::collections::BTreeMap;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut changes: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut stages: BTreeMap<&'static str, usize> = BTreeMap::new();
    let histories = 200;
    for _ in 0..histories {
        let history = steps().new_tree(&mut runner).unwrap().current();
        let (ledger, _) = play(&history);
        let mut seen = std::collections::BTreeSet::new();
        for event in ledger.events().unwrap() {
            seen.insert(event.change.kind());
        }
        for kind in seen {
            *changes.entry(kind).or_default() += 1;
        }
        let reached: std::collections::BTreeSet<_> = ledger
            .state()
            .leads
            .values()
            .map(|lead| lead.stage.as_str())
            .collect();
        for stage in reached {
            *stages.entry(stage).or_default() += 1;
        }
    }
    println!("of {histories} random histories, how many record each change:");
    for (kind, n) in &changes {
        println!("  {kind:<22} {n:>4}");
    }
    println!("and end with a lead at each stage:");
    for (stage, n) in &stages {
        println!("  {stage:<22} {n:>4}");
    }
    let every_change = [
        "opened",
        "policy-changed",
        "lead-found",
        "transferred",
        "reported",
        "received",
        "handler-refused",
        "check-registered",
        "petitioner-revealed",
        "escalated",
        "disposed",
        "case-filed",
        "concluded",
        "findings-issued",
        "item-closed",
        "rule-established",
        "follow-up-scheduled",
        "looked-back",
        "overdue-checked",
        "obstruction-recorded",
        "criticism-issued",
        "authorised",
    ];
    for kind in every_change {
        assert!(
            changes.get(kind).copied().unwrap_or(0) > 0,
            "no history records `{kind}`: {changes:?}"
        );
    }
    // The deep stages, in a good share of the histories.
    for stage in [
        "received",
        "preliminary-verification",
        "case-filed",
        "concluded",
        "closed",
    ] {
        let n = stages.get(stage).copied().unwrap_or(0);
        assert!(
            n * 20 >= histories,
            "only {n} of {histories} histories end with a lead {stage}: {stages:?}"
        );
    }
    for kind in [
        "received",
        "disposed",
        "concluded",
        "looked-back",
        "handler-refused",
    ] {
        let n = changes.get(kind).copied().unwrap_or(0);
        assert!(
            n * 4 >= histories,
            "only {n} of {histories} histories record `{kind}`: {changes:?}"
        );
    }
}
