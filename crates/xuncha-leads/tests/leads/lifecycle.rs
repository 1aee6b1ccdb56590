//! The lead lifecycle: transitions, dual report, roles, deadlines,
//! escalation.

use chrono::{Duration, TimeZone};
use xuncha_avoid::{Engine, Person, Place, Roster, RuleSet};
use xuncha_leads::Clock;
use xuncha_leads::{
    Action, AvoidanceCheck, Body, Change, Command, Disposal, Error, EscalationReason, HandlerCheck,
    Holder, MemoryStore, Outcome, ReportRecipient, SanctionKind, Stage,
};
use xuncha_org::{Code, Hierarchy, Level, Units};

use crate::common::{
    add_lead, facts, group, handler, leader, ledger, member, office, run, transferred,
};

#[test]
fn a_lead_goes_from_found_to_concluded_with_a_sanction() {
    let (mut ledger, clock) = ledger(MemoryStore::new());
    run(&mut ledger, "a", &member(), add_lead("L1")).unwrap();
    let lead = ledger.state().lead("L1").unwrap();
    assert_eq!(lead.stage, Stage::Found);
    assert_eq!(
        lead.holder,
        Some(Holder::Team {
            team: "2026-1/350628".into()
        })
    );
    // The first deadline runs from the day the lead was found (2026-03-02,
    // from its start), not from when it was recorded (09:00 that day).
    let found = chrono::Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap();
    assert_eq!(lead.deadline, Some(found + Duration::days(5)));

    run(
        &mut ledger,
        "t",
        &leader(),
        Action::Transfer {
            lead: "L1".into(),
            body: Body::DisciplineCommission,
            level: Level::County,
        },
    )
    .unwrap();
    run(
        &mut ledger,
        "r1",
        &office(),
        Action::Report {
            lead: "L1".into(),
            to: ReportRecipient::CityLeadingGroup,
        },
    )
    .unwrap();
    // Not yet reported to the county: the transfer is incomplete.
    let err = run(
        &mut ledger,
        "rcv0",
        &handler("H1"),
        Action::Receive { lead: "L1".into() },
    )
    .unwrap_err();
    assert!(
        matches!(&err, Error::TransferIncomplete { missing, .. } if missing == &[ReportRecipient::CountyLeadingGroup]),
        "{err}"
    );
    assert!(err.to_string().contains("county"));
    run(
        &mut ledger,
        "r2",
        &office(),
        Action::Report {
            lead: "L1".into(),
            to: ReportRecipient::CountyLeadingGroup,
        },
    )
    .unwrap();
    let lead = ledger.state().lead("L1").unwrap();
    assert!(lead.dual_reported());
    assert_eq!(
        lead.holder,
        Some(Holder::Body {
            body: Body::DisciplineCommission,
            level: Level::County
        })
    );

    clock.advance(Duration::days(1));
    run(
        &mut ledger,
        "rcv",
        &handler("H1"),
        Action::Receive { lead: "L1".into() },
    )
    .unwrap();
    run(
        &mut ledger,
        "d",
        &handler("H1"),
        Action::Dispose {
            lead: "L1".into(),
            disposal: Disposal::PreliminaryVerification,
            reason: "有具体线索".into(),
        },
    )
    .unwrap();
    run(
        &mut ledger,
        "c",
        &handler("H1"),
        Action::FileCase {
            lead: "L1".into(),
            reason: "初核属实".into(),
        },
    )
    .unwrap();
    let outcomes = vec![
        Outcome::Sanction {
            person: "某某".into(),
            sanction: SanctionKind::PartySeriousWarning,
            reason: "违规发放补贴".into(),
        },
        Outcome::FundsRecovered {
            yuan: 120_000,
            reason: "追回补贴".into(),
        },
    ];
    run(
        &mut ledger,
        "k",
        &handler("H1"),
        Action::Conclude {
            lead: "L1".into(),
            outcomes: outcomes.clone(),
            reason: "审查终结".into(),
        },
    )
    .unwrap();
    let lead = ledger.state().lead("L1").unwrap();
    assert_eq!(lead.stage, Stage::Concluded);
    assert_eq!(lead.holder, None);
    assert_eq!(lead.deadline, None);
    assert_eq!(lead.outcomes, outcomes);
    assert_eq!(lead.events.len(), 8);
    ledger.state().check_invariants().unwrap();
    ledger.verify().unwrap();
}

#[test]
fn an_illegal_transition_names_the_stage_and_the_command_and_changes_nothing() {
    let (mut ledger, _) = ledger(MemoryStore::new());
    run(&mut ledger, "a", &member(), add_lead("L1")).unwrap();
    let before = (ledger.state().clone(), ledger.checkpoint());
    let err = run(
        &mut ledger,
        "x",
        &handler("H1"),
        Action::FileCase {
            lead: "L1".into(),
            reason: "r".into(),
        },
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::IllegalTransition {
                stage: Stage::Found,
                command: "file-case",
                ..
            }
        ),
        "{err}"
    );
    let text = err.to_string();
    assert!(
        text.contains("found") && text.contains("file-case"),
        "{text}"
    );
    assert_eq!((ledger.state().clone(), ledger.checkpoint()), before);
}

#[test]
fn sanctions_need_a_filed_case_and_closing_needs_a_reason() {
    let (mut ledger, _) = ledger(MemoryStore::new());
    transferred(&mut ledger, "L1");
    run(
        &mut ledger,
        "rcv",
        &handler("H1"),
        Action::Receive { lead: "L1".into() },
    )
    .unwrap();
    let err = run(
        &mut ledger,
        "close",
        &handler("H1"),
        Action::Dispose {
            lead: "L1".into(),
            disposal: Disposal::Closed,
            reason: "  ".into(),
        },
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Incomplete {
                field: "a reason",
                ..
            }
        ),
        "{err}"
    );
    run(
        &mut ledger,
        "inq",
        &handler("H1"),
        Action::Dispose {
            lead: "L1".into(),
            disposal: Disposal::Inquiry,
            reason: "情节轻微".into(),
        },
    )
    .unwrap();
    let sanction = Outcome::Sanction {
        person: "某某".into(),
        sanction: SanctionKind::AdministrativeWarning,
        reason: "r".into(),
    };
    let err = run(
        &mut ledger,
        "k",
        &handler("H1"),
        Action::Conclude {
            lead: "L1".into(),
            outcomes: vec![sanction],
            reason: "r".into(),
        },
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::OutcomeNeedsCase {
                stage: Stage::Inquiry,
                ..
            }
        ),
        "{err}"
    );
    let err = run(
        &mut ledger,
        "k",
        &handler("H1"),
        Action::Conclude {
            lead: "L1".into(),
            outcomes: vec![],
            reason: "r".into(),
        },
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Incomplete {
                field: "an outcome",
                ..
            }
        ),
        "{err}"
    );
    run(
        &mut ledger,
        "k",
        &handler("H1"),
        Action::Conclude {
            lead: "L1".into(),
            outcomes: vec![Outcome::NoAction {
                reason: "已说清".into(),
            }],
            reason: "谈话函询了结".into(),
        },
    )
    .unwrap();
    assert_eq!(ledger.state().lead("L1").unwrap().stage, Stage::Concluded);
}

#[test]
fn every_command_checks_its_actors_role_and_handlers_must_hold_the_lead() {
    let (mut ledger, _) = ledger(MemoryStore::new());
    run(&mut ledger, "a", &member(), add_lead("L1")).unwrap();
    let err = run(
        &mut ledger,
        "t",
        &member(),
        Action::Transfer {
            lead: "L1".into(),
            body: Body::DisciplineCommission,
            level: Level::County,
        },
    )
    .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::NotPermitted {
                command: "transfer",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("team-leader"), "{err}");
    let err = run(&mut ledger, "a2", &office(), add_lead("L2")).unwrap_err();
    assert!(matches!(err, Error::NotPermitted { .. }));
    let err = run(
        &mut ledger,
        "n",
        &office(),
        Action::IssueCriticism {
            notice: xuncha_leads::CriticismNotice {
                id: "N".into(),
                unit: "u".into(),
                obstructions: vec![],
                text: "t".into(),
            },
        },
    )
    .unwrap_err();
    assert!(matches!(err, Error::NotPermitted { .. }));

    run(
        &mut ledger,
        "t",
        &leader(),
        Action::Transfer {
            lead: "L1".into(),
            body: Body::DisciplineCommission,
            level: Level::County,
        },
    )
    .unwrap();
    for to in ReportRecipient::BOTH {
        run(
            &mut ledger,
            to.as_str(),
            &office(),
            Action::Report {
                lead: "L1".into(),
                to,
            },
        )
        .unwrap();
    }
    let err = run(
        &mut ledger,
        "dup",
        &office(),
        Action::Report {
            lead: "L1".into(),
            to: ReportRecipient::CityLeadingGroup,
        },
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::IllegalTransition { .. } | Error::AlreadyReported { .. }
        ),
        "{err}"
    );
    run(
        &mut ledger,
        "rcv",
        &handler("H1"),
        Action::Receive { lead: "L1".into() },
    )
    .unwrap();
    let err = run(
        &mut ledger,
        "d",
        &handler("H2"),
        Action::Dispose {
            lead: "L1".into(),
            disposal: Disposal::Inquiry,
            reason: "r".into(),
        },
    )
    .unwrap_err();
    assert!(matches!(&err, Error::NotHolder { .. }), "{err}");
    assert!(err.to_string().contains("H1"), "{err}");
}

#[test]
fn deadlines_follow_the_policy_and_fast_tracked_leads_fall_due_sooner() {
    let (mut ledger, clock) = ledger(MemoryStore::new());
    run(&mut ledger, "a1", &member(), add_lead("slow")).unwrap();
    run(
        &mut ledger,
        "a2",
        &member(),
        Action::AddLead {
            lead: facts("fast", true),
            petitioner: None,
        },
    )
    .unwrap();
    clock.advance(Duration::days(3));
    let overdue = ledger.state().overdue(clock.now());
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].lead, "fast");
    assert_eq!(overdue[0].days_overdue, 1);
    assert_eq!(
        overdue[0].holder,
        Holder::Team {
            team: "2026-1/350628".into()
        }
    );
    clock.advance(Duration::days(3));
    let overdue: Vec<_> = ledger
        .state()
        .overdue(clock.now())
        .into_iter()
        .map(|o| o.lead)
        .collect();
    assert_eq!(overdue, ["fast", "slow"]);

    // Escalation raises both to the city's inspection office with a fresh deadline.
    let receipt = run(&mut ledger, "esc", &office(), Action::EscalateOverdue).unwrap();
    assert_eq!(receipt.events.len(), 3);
    assert!(matches!(
        receipt.events[2].change,
        Change::OverdueChecked { escalated: 2 }
    ));
    for event in &receipt.events[..2] {
        assert!(matches!(
            event.change,
            Change::Escalated {
                from: Level::County,
                to: Level::City,
                reason: EscalationReason::Overdue,
                ..
            }
        ));
    }
    assert!(ledger.state().overdue(clock.now()).is_empty());
    let lead = ledger.state().lead("slow").unwrap();
    assert_eq!(
        lead.holder,
        Some(Holder::InspectionOffice { level: Level::City })
    );
    assert_eq!(lead.deadline, Some(clock.now() + Duration::days(5)));
    // An escalated lead cannot be transferred back down.
    let err = run(
        &mut ledger,
        "down",
        &office(),
        Action::Transfer {
            lead: "slow".into(),
            body: Body::DisciplineCommission,
            level: Level::County,
        },
    )
    .unwrap_err();
    assert!(matches!(err, Error::LevelTooLow { .. }), "{err}");
    run(
        &mut ledger,
        "up",
        &office(),
        Action::Transfer {
            lead: "slow".into(),
            body: Body::DisciplineCommission,
            level: Level::City,
        },
    )
    .unwrap();
    // Nothing overdue: the command is still recorded, once.
    let receipt = run(&mut ledger, "esc2", &office(), Action::EscalateOverdue).unwrap();
    assert_eq!(receipt.events.len(), 1);
    assert!(matches!(
        receipt.events[0].change,
        Change::OverdueChecked { escalated: 0 }
    ));
    ledger.state().check_invariants().unwrap();
}

#[test]
fn a_conflicted_handler_is_refused_and_the_lead_escalated() {
    let fujian = Hierarchy::fujian();
    let units = Units::default();
    let mut local = Person::new("H-local", "林晓", Code::parse("350628").unwrap());
    local.workplace = Some(Place::Division(Code::parse("350628").unwrap()));
    let mut relative = Person::new("H-kin", "陈红", Code::parse("350602").unwrap());
    relative.relatives.push(xuncha_avoid::Relative {
        kinship: xuncha_avoid::Kinship::Spouse,
        word: None,
        id: None,
        name: "某某".into(),
        posts: vec![],
    });
    let outsider = Person::new("H-city", "郑强", Code::parse("350602").unwrap());
    let roster = Roster::new(vec![local, relative, outsider], &fujian, &units).unwrap();
    let engine = Engine::new(&fujian, &units, RuleSet::default());
    let check = AvoidanceCheck::new(&engine, &roster);

    let (mut ledger, _) = ledger(MemoryStore::new());
    transferred(&mut ledger, "L1");
    let receive =
        |id: &str, who: &str| Command::new(id, handler(who), Action::Receive { lead: "L1".into() });
    // The roster is not yet the registered one: refused, nothing recorded.
    let size = ledger.checkpoint().size;
    let err = ledger
        .execute(&receive("r0", "H-local"), Some(&check))
        .unwrap_err();
    assert!(matches!(err, Error::UnregisteredCheck { .. }), "{err}");
    assert_eq!(ledger.checkpoint().size, size);
    run(
        &mut ledger,
        "register",
        &office(),
        Action::RegisterCheck {
            fingerprint: check.fingerprint(),
            description: "漳州市 handlers".into(),
        },
    )
    .unwrap();

    let receipt = ledger
        .execute(&receive("r1", "H-local"), Some(&check))
        .unwrap();
    match &receipt.events[0].change {
        Change::HandlerRefused {
            handler, conflicts, ..
        } => {
            assert_eq!(handler, "H-local");
            assert!(
                conflicts.iter().any(|c| c.contains("350628")),
                "{conflicts:?}"
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(matches!(
        receipt.events[1].change,
        Change::Escalated {
            from: Level::County,
            to: Level::City,
            reason: EscalationReason::HandlerConflict,
            ..
        }
    ));
    let lead = ledger.state().lead("L1").unwrap();
    assert_eq!((lead.stage, lead.level), (Stage::Transferred, Level::City));
    assert_eq!(lead.refused_handlers, ["H-local"]);

    // Asking again records the refusal but does not push the lead higher:
    // a handler, who may not escalate, cannot raise a lead by asking.
    let receipt = ledger
        .execute(&receive("r1-again", "H-local"), Some(&check))
        .unwrap();
    assert_eq!(receipt.events.len(), 1, "{:?}", receipt.events);
    assert_eq!(ledger.state().lead("L1").unwrap().level, Level::City);

    // Nor can the handler bring a roster of their own without the conflict.
    let mut cleaned = roster.people().to_vec();
    cleaned[0].workplace = None;
    let own = Roster::new(cleaned, &fujian, &units).unwrap();
    let own_check = AvoidanceCheck::new(&engine, &own);
    let size = ledger.checkpoint().size;
    let err = ledger
        .execute(&receive("r1-own", "H-local"), Some(&own_check))
        .unwrap_err();
    assert!(matches!(err, Error::UnregisteredCheck { .. }), "{err}");
    assert_eq!(ledger.checkpoint().size, size);

    // The implicated person's spouse is refused too, and the lead goes up again.
    let receipt = ledger
        .execute(&receive("r2", "H-kin"), Some(&check))
        .unwrap();
    match &receipt.events[0].change {
        Change::HandlerRefused { conflicts, .. } => {
            assert!(conflicts[0].contains("配偶"), "{conflicts:?}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(ledger.state().lead("L1").unwrap().level, Level::Province);

    // A handler with no tie receives it.
    ledger
        .execute(&receive("r3", "H-city"), Some(&check))
        .unwrap();
    let lead = ledger.state().lead("L1").unwrap();
    assert_eq!(lead.stage, Stage::Received);
    assert_eq!(
        lead.holder,
        Some(Holder::Handler {
            handler: "H-city".into(),
            body: Body::DisciplineCommission,
            level: Level::Province
        })
    );
    // A handler missing from the roster cannot be checked: refused outright, nothing appended.
    let size = ledger.checkpoint().size;
    assert!(matches!(
        ledger.execute(&receive("r4", "nobody"), Some(&check)),
        Err(Error::IllegalTransition { .. } | Error::UnknownHandler { .. })
    ));
    assert_eq!(ledger.checkpoint().size, size);
    // Receiving without any check is refused.
    let (mut other, _) = crate::common::ledger(MemoryStore::new());
    transferred(&mut other, "L9");
    let err = other
        .execute(
            &Command::new("x", handler("H"), Action::Receive { lead: "L9".into() }),
            None,
        )
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Incomplete {
                field: "a conflict check",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_repeated_command_id_appends_once_and_answers_as_the_first_time() {
    let (mut ledger, _) = ledger(MemoryStore::new());
    let first = run(&mut ledger, "same", &member(), add_lead("L1")).unwrap();
    let size = ledger.checkpoint().size;
    let again = run(&mut ledger, "same", &member(), add_lead("L1")).unwrap();
    assert!(again.duplicate && !first.duplicate);
    assert_eq!(again.events, first.events);
    assert_eq!(ledger.checkpoint().size, size);
    // A different command under the same id is refused, not taken for a
    // retry of the first: another action, another actor, another lead.
    for (actor, action) in [
        (group(), Action::Escalate { lead: "L1".into() }),
        (member(), add_lead("L2")),
        (leader(), add_lead("L1")),
        (
            member(),
            Action::Transfer {
                lead: "L1".into(),
                body: Body::DisciplineCommission,
                level: Level::County,
            },
        ),
    ] {
        let err = run(&mut ledger, "same", &actor, action).unwrap_err();
        assert!(
            matches!(&err, Error::CommandIdReused { id, .. } if id == "same"),
            "{err}"
        );
        assert!(err.to_string().contains("lead-found of lead L1"), "{err}");
        assert_eq!(err.kind(), xuncha_leads::ErrorKind::Refused);
    }
    assert_eq!(ledger.checkpoint().size, size);
    assert!(ledger.state().lead("L2").is_err(), "nothing was recorded");
    // Within one batch too: the same command twice answers once, another
    // command under the first's id refuses the whole batch.
    let receipts = ledger
        .execute_batch(
            &[
                Command::new("twice", member(), add_lead("L3")),
                Command::new("twice", member(), add_lead("L3")),
            ],
            None,
        )
        .unwrap();
    assert!(!receipts[0].duplicate && receipts[1].duplicate);
    assert_eq!(receipts[1].events, receipts[0].events);
    let size = ledger.checkpoint().size;
    let err = ledger
        .execute_batch(
            &[
                Command::new("pair", member(), add_lead("L4")),
                Command::new("pair", member(), add_lead("L5")),
            ],
            None,
        )
        .unwrap_err();
    assert!(matches!(err, Error::CommandIdReused { .. }), "{err}");
    assert_eq!(ledger.checkpoint().size, size);
    assert!(ledger.state().lead("L4").is_err(), "nothing was recorded");
}

#[test]
fn a_batch_with_one_refused_command_records_nothing() {
    let (mut ledger, _) = ledger(MemoryStore::new());
    transferred(&mut ledger, "L0");
    let before = (ledger.state().clone(), ledger.checkpoint());
    let batch = [
        Command::new("b1", member(), add_lead("L1")),
        Command::new(
            "b2",
            leader(),
            Action::Transfer {
                lead: "L1".into(),
                body: Body::DisciplineCommission,
                level: Level::County,
            },
        ),
        // Refused: L1 is transferred, not received.
        Command::new(
            "b3",
            handler("H1"),
            Action::FileCase {
                lead: "L1".into(),
                reason: "r".into(),
            },
        ),
    ];
    let err = ledger
        .execute_batch(&batch, Some(&crate::common::Refuse))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::IllegalTransition {
                command: "file-case",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!((ledger.state().clone(), ledger.checkpoint()), before);
    // The first two alone go through, later commands acting on earlier ones.
    let receipts = ledger.execute_batch(&batch[..2], None).unwrap();
    assert_eq!(receipts.len(), 2);
    assert_eq!(ledger.state().lead("L1").unwrap().stage, Stage::Transferred);
    ledger.verify().unwrap();
}

#[test]
fn a_handler_tied_to_the_implicated_county_s_leaders_is_refused() {
    use xuncha_avoid::{FactKind, Official, Officials, Post, Rule, TieSpec};
    let fujian = Hierarchy::fujian();
    let units = Units::default();
    let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let city = Place::Division(Code::parse("3506").unwrap());
    let mut tied = Person::new("H-tied", "黄涛", Code::parse("350602").unwrap());
    tied.posts.push(Post {
        place: city.clone(),
        title: "科员".into(),
        from: Some(d(2012, 3, 1)),
        to: Some(d(2015, 6, 30)),
    });
    let outsider = Person::new("H-city", "郑强", Code::parse("350602").unwrap());
    let roster = Roster::new(vec![tied, outsider], &fujian, &units).unwrap();
    let mut head = Official::new(
        "L9",
        "李四",
        Place::Division(Code::parse("350628").unwrap()),
        "县长",
    );
    head.posts.push(Post {
        place: city,
        title: "科员".into(),
        from: Some(d(2010, 1, 1)),
        to: Some(d(2016, 1, 1)),
    });
    let officials = Officials::new(vec![head.clone()], &fujian, &units).unwrap();
    let mut rules = RuleSet::default().rules().to_vec();
    rules.push(Rule {
        ties: Some(TieSpec::default()),
        ..Rule::new("ties", FactKind::Ties)
    });
    let rules = RuleSet::new(rules).unwrap();
    let plain = Engine::new(&fujian, &units, rules.clone());
    let engine = plain.clone().with_officials(&roster, &officials);
    let check = AvoidanceCheck::new(&engine, &roster);
    let facts = crate::common::facts("L1", false);
    let on = d(2026, 3, 10);
    let found = check.conflicts("H-tied", &facts, on).unwrap();
    assert!(
        found
            .iter()
            .any(|c| c.contains("平和县县长 李四") && c.contains("[ties]")),
        "{found:?}"
    );
    assert!(check.conflicts("H-city", &facts, on).unwrap().is_empty());
    // Without the officials the same rules find nothing, and the check has
    // another fingerprint: a handler cannot drop the officials file.
    let blind = AvoidanceCheck::new(&plain, &roster);
    assert!(blind.conflicts("H-tied", &facts, on).unwrap().is_empty());
    assert_ne!(blind.fingerprint(), check.fingerprint());
    head.posts.clear();
    let changed = Officials::new(vec![head], &fujian, &units).unwrap();
    let other = plain.with_officials(&roster, &changed);
    assert_ne!(
        AvoidanceCheck::new(&other, &roster).fingerprint(),
        check.fingerprint()
    );
}

/// A ledger serves its jurisdiction: a lead on a county outside it, a lead
/// whose team inspects another county, and a finding list for a county
/// outside it are refused and record nothing.
#[test]
fn leads_and_lists_outside_the_jurisdiction_or_their_team_are_refused() {
    let (mut ledger, _) = ledger(MemoryStore::new());
    let size = ledger.checkpoint().size;
    let mut outside = crate::common::facts("L1", false);
    outside.target = xuncha_org::Code::parse("350102").unwrap();
    outside.team = "2026-1/350102".into();
    let err = run(
        &mut ledger,
        "a",
        &member(),
        Action::AddLead {
            lead: outside,
            petitioner: None,
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("the ledger serves 3506"), "{err}");
    let mut other_team = crate::common::facts("L2", false);
    other_team.team = "2026-1/350623".into();
    let err = run(
        &mut ledger,
        "b",
        &member(),
        Action::AddLead {
            lead: other_team,
            petitioner: None,
        },
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("inspects 350623, not 350628"),
        "{err}"
    );
    let list = xuncha_leads::FindingListFacts {
        id: "F-1".into(),
        round: "2026-1".into(),
        unit: "350102".into(),
        issued_on: chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
        items: vec![xuncha_leads::FindingItemFacts {
            finding: "f".into(),
            responsible: "r".into(),
            measures: "m".into(),
            deadline: chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        }],
    };
    let err = run(&mut ledger, "c", &office(), Action::IssueFindings { list }).unwrap_err();
    assert!(err.to_string().contains("lies outside it"), "{err}");
    assert_eq!(ledger.checkpoint().size, size);
    // A team named by anything but a code is taken as it is.
    let mut named = crate::common::facts("L3", false);
    named.team = "平和组".into();
    run(
        &mut ledger,
        "d",
        &member(),
        Action::AddLead {
            lead: named,
            petitioner: None,
        },
    )
    .unwrap();
}
