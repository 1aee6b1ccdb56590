//! Two-level authorisation (市县两级授权) and the supervision group's role
//! (督导组): recorded, refused when wrong, kept by the snapshot and the
//! appender, and not removable by an insider without `verify` seeing it.

use xuncha_leads::{
    Action, ActorRole, Appender, AuthorisationRequest, Command, CriticismNotice, Error, Ledger,
    MemoryStore, Obstruction, ObstructionKind, TeamPost,
};
use xuncha_org::{Code, Level};

use crate::common::{
    Refuse, assert_snapshot_is_replay, key, ledger, member, office, run, supervision,
};

fn request(person: &str, post: TeamPost, by: Level) -> Action {
    Action::Authorise {
        authorisation: AuthorisationRequest {
            round: "2026-1".into(),
            team: "2026-1/350628".into(),
            target: Code::parse("350628").unwrap(),
            person: person.into(),
            post,
            by,
        },
    }
}

#[test]
fn a_leader_is_authorised_by_the_city_and_by_the_inspected_county() {
    let (mut ledger, _) = ledger(MemoryStore::new());
    let team = "2026-1/350628";
    run(
        &mut ledger,
        "a1",
        &office(),
        request("P7", TeamPost::Leader, Level::City),
    )
    .unwrap();
    assert!(!ledger.state().authorised_at_both_levels(team, "P7"));
    run(
        &mut ledger,
        "a2",
        &office(),
        request("P7", TeamPost::Leader, Level::County),
    )
    .unwrap();
    assert!(ledger.state().authorised_at_both_levels(team, "P7"));
    let committees: Vec<(Level, Code)> = ledger
        .state()
        .authorisations_of(team)
        .iter()
        .map(|a| (a.by, a.committee))
        .collect();
    assert_eq!(
        committees,
        [
            (Level::City, Code::parse("3506").unwrap()),
            (Level::County, Code::parse("350628").unwrap()),
        ]
    );

    // The same authorisation twice, another post for the same person, a
    // team member authorising, a township committee: refused.
    for (id, actor, person, post, by, refusal) in [
        (
            "a3",
            office(),
            "P7",
            TeamPost::Leader,
            Level::City,
            "AlreadyExists",
        ),
        (
            "a4",
            office(),
            "P7",
            TeamPost::DeputyLeader,
            Level::City,
            "AlreadyExists",
        ),
        (
            "a5",
            member(),
            "P8",
            TeamPost::DeputyLeader,
            Level::City,
            "NotPermitted",
        ),
        (
            "a6",
            office(),
            "P8",
            TeamPost::DeputyLeader,
            Level::Township,
            "OutOfRange",
        ),
    ] {
        let err = run(&mut ledger, id, &actor, request(person, post, by)).expect_err(id);
        assert!(format!("{err:?}").starts_with(refusal), "{id}: {err:?}");
    }
    // A deputy authorised by the county only, in another post: refused
    // where it clashes with what the city gave.
    run(
        &mut ledger,
        "a7",
        &office(),
        request("P8", TeamPost::DeputyLeader, Level::County),
    )
    .unwrap();
    let clash = run(
        &mut ledger,
        "a8",
        &office(),
        request("P8", TeamPost::Leader, Level::City),
    );
    assert!(matches!(clash, Err(Error::OutOfRange { .. })), "{clash:?}");
    assert_eq!(ledger.state().authorisations.len(), 3);
    ledger.verify().unwrap();
    assert_snapshot_is_replay(ledger.into_store());
}

#[test]
fn an_appender_reads_the_authorisations_it_compares_with() {
    let (mut ledger, clock) = ledger(MemoryStore::new());
    run(
        &mut ledger,
        "a1",
        &office(),
        request("P7", TeamPost::Leader, Level::City),
    )
    .unwrap();
    let mut appender = Appender::open(ledger.into_store())
        .unwrap()
        .with_clock(clock)
        .with_identity_key(key());
    let command = |id: &str, action| Command::new(id, office(), action);
    // Only the city's record is in the snapshot; the appender must read it
    // to see the clash and the repeat.
    let clash = appender.execute(
        &command("a2", request("P7", TeamPost::DeputyLeader, Level::County)),
        Some(&Refuse),
    );
    assert!(matches!(clash, Err(Error::OutOfRange { .. })), "{clash:?}");
    let again = appender.execute(
        &command("a3", request("P7", TeamPost::Leader, Level::City)),
        Some(&Refuse),
    );
    assert!(
        matches!(again, Err(Error::AlreadyExists { .. })),
        "{again:?}"
    );
    appender
        .execute(
            &command("a4", request("P7", TeamPost::Leader, Level::County)),
            Some(&Refuse),
        )
        .unwrap();
    // A fresh appender answers from the two records in the snapshot.
    let mut fresh = Appender::open(appender.into_store()).unwrap();
    assert!(
        fresh
            .authorised_at_both_levels("2026-1/350628", "P7")
            .unwrap()
    );
    assert!(
        !fresh
            .authorised_at_both_levels("2026-1/350628", "P8")
            .unwrap()
    );
    let ledger = Ledger::open(fresh.into_store()).unwrap();
    assert!(
        ledger
            .state()
            .authorised_at_both_levels("2026-1/350628", "P7")
    );
    assert_snapshot_is_replay(ledger.into_store());
}

#[test]
fn a_supervision_group_records_obstructions_and_issues_criticism_notices() {
    let (mut ledger, _) = ledger(MemoryStore::new());
    run(
        &mut ledger,
        "o",
        &supervision(),
        Action::RecordObstruction {
            obstruction: Obstruction {
                id: "O1".into(),
                unit: "350628-bureau".into(),
                team: "2026-1/350628".into(),
                kind: ObstructionKind::ContradictoryMaterial,
                detail: "报送人数与名单不符".into(),
                mismatches: Vec::new(),
            },
        },
    )
    .unwrap();
    let notice = Action::IssueCriticism {
        notice: CriticismNotice {
            id: "N1".into(),
            unit: "350628-bureau".into(),
            obstructions: vec!["O1".into()],
            text: "关于对某局不配合巡察工作的通报".into(),
        },
    };
    // A team member may not; the supervision group may.
    let refused = run(&mut ledger, "n0", &member(), notice.clone());
    assert!(
        matches!(refused, Err(Error::NotPermitted { .. })),
        "{refused:?}"
    );
    let receipt = run(&mut ledger, "n1", &supervision(), notice).unwrap();
    assert_eq!(receipt.events[0].actor.role, ActorRole::SupervisionGroup);
    assert_eq!(ledger.state().notices.len(), 1);
    // The group may not authorise teams: that is the office's.
    let authorise = run(
        &mut ledger,
        "a",
        &supervision(),
        request("P7", TeamPost::Leader, Level::City),
    );
    assert!(
        matches!(authorise, Err(Error::NotPermitted { .. })),
        "{authorise:?}"
    );
}

/// The insider rewrites the ledger without the county's authorisation, so
/// that the team seems to answer to the city alone, and pads it to the same
/// length: the county committee kept the checkpoint its authorisation's
/// receipt carried, and the rewritten ledger cannot prove it extends it.
#[test]
fn a_ledger_rewritten_without_the_countys_authorisation_fails_the_countys_checkpoint() {
    let (mut honest, _) = ledger(MemoryStore::new());
    run(
        &mut honest,
        "a1",
        &office(),
        request("P7", TeamPost::Leader, Level::City),
    )
    .unwrap();
    let receipt = run(
        &mut honest,
        "a2",
        &office(),
        request("P7", TeamPost::Leader, Level::County),
    )
    .unwrap();
    let kept = receipt.checkpoint;
    assert!(honest.prove_extends(&kept).unwrap().verify());

    let (mut forged, _) = ledger(MemoryStore::new());
    run(
        &mut forged,
        "a1",
        &office(),
        request("P7", TeamPost::Leader, Level::City),
    )
    .unwrap();
    run(
        &mut forged,
        "pad",
        &office(),
        request("P9", TeamPost::DeputyLeader, Level::City),
    )
    .unwrap();
    assert_eq!(forged.checkpoint().size, kept.size);
    assert!(
        !forged
            .state()
            .authorised_at_both_levels("2026-1/350628", "P7")
    );
    let err = forged.prove_extends(&kept).unwrap_err();
    assert!(matches!(err, Error::Inconsistent { .. }), "{err}");
}
