//! No one acts as another: a signed ledger takes only commands signed by
//! their actor's enrolled key, each authority enrols its own level only,
//! and `verify` checks every signature from the events alone.

use std::sync::Arc;

use chrono::Duration;
use xuncha_leads::Clock as _;
use xuncha_leads::{
    Action, Actor, ActorRole, Appender, AuthorisationRequest, Authorities, Body, Change, Command,
    DeadlinePolicy, Disposal, Enrolment, Error, Event, Ledger, ManualClock, MemoryStore,
    ReportRecipient, SignedCommand, SigningKey, TeamPost,
};
use xuncha_org::{Code, Level};

use crate::common::{Refuse, add_lead, key, rebuild, start};

/// The keys of the scene: the county office (an authority), the city (the
/// other), and the actors.
struct Keys {
    county: SigningKey,
    city: SigningKey,
    leader: SigningKey,
    member: SigningKey,
    handler: SigningKey,
    city_office: SigningKey,
}

fn keys() -> Keys {
    Keys {
        county: SigningKey::from_seed("office-350628", [1; 32]),
        city: SigningKey::from_seed("city-3506", [2; 32]),
        leader: SigningKey::from_seed("P7", [3; 32]),
        member: SigningKey::from_seed("P8", [4; 32]),
        handler: SigningKey::from_seed("H1", [5; 32]),
        city_office: SigningKey::from_seed("office-3506", [6; 32]),
    }
}

/// A signed ledger and its clock, opened by the county office with the
/// city's key pinned, the check registered, and the leader, member and
/// handler enrolled by the county, the city's office by the city.
fn signed_ledger(keys: &Keys) -> (Ledger<MemoryStore>, Arc<ManualClock>) {
    signed_ledger_at(keys, start())
}

/// As [`signed_ledger`], opened at `at`.
fn signed_ledger_at(
    keys: &Keys,
    at: chrono::DateTime<chrono::Utc>,
) -> (Ledger<MemoryStore>, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(at));
    let mut ledger = Ledger::open(MemoryStore::new())
        .unwrap()
        .with_clock(clock.clone())
        .with_identity_key(key());
    let office = Actor::new("office-350628", ActorRole::InspectionOffice);
    let open = Action::Open {
        jurisdiction: Code::parse("3506").unwrap(),
        policy: DeadlinePolicy::default(),
        authorities: Some(Box::new(Authorities {
            county: keys.county.verifier(),
            city: keys.city.verifier(),
        })),
    };
    let open = SignedCommand::sign(
        Command::new("open", office.clone(), open),
        None,
        at,
        &keys.county,
    );
    ledger.execute_signed(&open, None).unwrap();
    sign(
        &mut ledger,
        &keys.county,
        "register",
        &office,
        Action::RegisterCheck {
            fingerprint: Refuse::FINGERPRINT,
            description: "the tests' check".into(),
        },
    )
    .unwrap();
    for (key, role) in [
        (&keys.leader, ActorRole::TeamLeader),
        (&keys.member, ActorRole::TeamMember),
        (&keys.handler, ActorRole::DisciplineHandler),
    ] {
        sign(
            &mut ledger,
            &keys.county,
            &format!("enrol-{}", key.name()),
            &office,
            enrol(key, role, Level::County),
        )
        .unwrap();
    }
    let city = Actor::new("city-3506", ActorRole::InspectionOffice);
    sign(
        &mut ledger,
        &keys.city,
        "enrol-city-office",
        &city,
        enrol(&keys.city_office, ActorRole::InspectionOffice, Level::City),
    )
    .unwrap();
    (ledger, clock)
}

fn enrol(key: &SigningKey, role: ActorRole, level: Level) -> Action {
    Action::Enrol {
        enrolment: Box::new(Enrolment {
            actor: key.name().to_owned(),
            role,
            level,
            key: key.verifier(),
            until: None,
        }),
    }
}

/// Executes `action` as `actor`, signed with `key` at the ledger's clock.
fn sign(
    ledger: &mut Ledger<MemoryStore>,
    key: &SigningKey,
    id: &str,
    actor: &Actor,
    action: Action,
) -> Result<xuncha_leads::Receipt, Error> {
    let now = clock_of(ledger);
    let command = Command::new(id, actor.clone(), action);
    let signed = SignedCommand::sign(command, ledger.log_id(), now, key);
    ledger.execute_signed(&signed, Some(&Refuse))
}

/// The time to sign for: the last event's (the clock never stands
/// before it in these tests), or the start.
fn clock_of(ledger: &Ledger<MemoryStore>) -> chrono::DateTime<chrono::Utc> {
    ledger
        .events()
        .ok()
        .and_then(|events| events.last().map(|e| e.time))
        .unwrap_or_else(start)
}

fn leader() -> Actor {
    Actor::new("P7", ActorRole::TeamLeader)
}

fn member() -> Actor {
    Actor::new("P8", ActorRole::TeamMember)
}

fn transfer() -> Action {
    Action::Transfer {
        lead: "L1".into(),
        body: Body::DisciplineCommission,
        level: Level::County,
    }
}

#[test]
fn a_signed_ledger_runs_a_lead_and_verifies_its_signatures_from_the_events() {
    let keys = keys();
    let (mut ledger, clock) = signed_ledger(&keys);
    sign(&mut ledger, &keys.member, "add", &member(), add_lead("L1")).unwrap();
    sign(&mut ledger, &keys.leader, "transfer", &leader(), transfer()).unwrap();
    let office = Actor::new("office-350628", ActorRole::InspectionOffice);
    for to in ReportRecipient::BOTH {
        sign(
            &mut ledger,
            &keys.county,
            &format!("report-{}", to.as_str()),
            &office,
            Action::Report {
                lead: "L1".into(),
                to,
            },
        )
        .unwrap();
    }
    clock.advance(Duration::hours(2));
    let handler = Actor::new("H1", ActorRole::DisciplineHandler);
    let command = Command::new(
        "receive",
        handler.clone(),
        Action::Receive { lead: "L1".into() },
    );
    let signed = SignedCommand::sign(command, ledger.log_id(), clock.now(), &keys.handler);
    ledger.execute_signed(&signed, Some(&Refuse)).unwrap();
    // Every event's command carries its signature; verify checks them all.
    let events = ledger.events().unwrap();
    assert!(events.iter().all(|e| e.signature.is_some()));
    ledger.verify().unwrap();
    // Opened again, from the snapshot, an appender checks signatures too.
    let mut appender = Appender::open(ledger.into_store())
        .unwrap()
        .with_clock(clock.clone());
    assert!(appender.is_signed());
    let dispose = Command::new(
        "dispose",
        handler,
        Action::Dispose {
            lead: "L1".into(),
            disposal: Disposal::Inquiry,
            reason: "谈话函询".into(),
        },
    );
    let err = appender.execute(&dispose.clone(), None).unwrap_err();
    assert!(matches!(err, Error::Unsigned { .. }), "{err}");
    let signed = SignedCommand::sign(dispose, appender.log_id(), clock.now(), &keys.handler);
    appender.execute_signed(&signed, None).unwrap();
    appender.into_ledger().unwrap().verify().unwrap();
}

#[test]
fn no_one_signs_as_another() {
    let keys = keys();
    let (mut ledger, _) = signed_ledger(&keys);
    sign(&mut ledger, &keys.member, "add", &member(), add_lead("L1")).unwrap();
    // Unsigned: refused.
    let err = ledger
        .execute(&Command::new("t", leader(), transfer()), None)
        .unwrap_err();
    assert!(
        matches!(&err, Error::Unsigned { why, .. } if why.contains("signed")),
        "{err}"
    );
    // The member's key, the leader's name: refused.
    let err = sign(&mut ledger, &keys.member, "t", &leader(), transfer()).unwrap_err();
    assert!(
        matches!(&err, Error::Unsigned { why, .. } if why.contains("enrolled")),
        "{err}"
    );
    // The leader's key for a role he is not enrolled in: refused.
    let err = sign(
        &mut ledger,
        &keys.leader,
        "t",
        &Actor::new("P7", ActorRole::InspectionOffice),
        transfer(),
    )
    .unwrap_err();
    assert!(matches!(err, Error::Unsigned { .. }), "{err}");
    // The city office cannot act under the county office's name.
    let err = sign(
        &mut ledger,
        &keys.city_office,
        "t",
        &Actor::new("office-350628", ActorRole::InspectionOffice),
        transfer(),
    )
    .unwrap_err();
    assert!(matches!(err, Error::Unsigned { .. }), "{err}");
    // A command signed for another ledger (its id) is refused here.
    let (other, _) = signed_ledger_at(&keys, start() - Duration::days(1));
    let command = Command::new("t", leader(), transfer());
    let foreign = SignedCommand::sign(command.clone(), other.log_id(), start(), &keys.leader);
    assert_ne!(other.log_id(), ledger.log_id());
    let err = ledger.execute_signed(&foreign, None).unwrap_err();
    assert!(
        matches!(&err, Error::Unsigned { why, .. } if why.contains("not P7's")),
        "{err}"
    );
    // A signature for another time is refused.
    let mut retimed = SignedCommand::sign(command, ledger.log_id(), start(), &keys.leader);
    retimed.time += Duration::seconds(1);
    assert!(ledger.execute_signed(&retimed, None).is_err());
    // Nothing was recorded by any of them.
    assert_eq!(ledger.state().lead("L1").unwrap().stage.as_str(), "found");
    // A signed command sent again after later events is answered as
    // recorded; unsigned, the same id is refused.
    let add = Command::new("add", member(), add_lead("L1"));
    let again = SignedCommand::sign(add.clone(), ledger.log_id(), start(), &keys.member);
    sign(&mut ledger, &keys.leader, "t2", &leader(), transfer()).unwrap();
    assert!(ledger.execute_signed(&again, None).unwrap().duplicate);
    let err = ledger.execute(&add, None).unwrap_err();
    assert!(matches!(err, Error::Unsigned { .. }), "{err}");
}

#[test]
fn a_snapshot_naming_another_ledger_id_is_refused() {
    let keys = keys();
    let (mut ledger, _) = signed_ledger(&keys);
    sign(&mut ledger, &keys.member, "add", &member(), add_lead("L1")).unwrap();
    let mut store = ledger.into_store();
    let (_, summary) = xuncha_leads::Store::snapshot_summary(&store)
        .unwrap()
        .unwrap();
    let mut summary: serde_json::Value = serde_json::from_slice(&summary).unwrap();
    summary["log_id"] = "ab".repeat(32).into();
    store.tamper_snapshot(None, "", Some(serde_json::to_vec(&summary).unwrap()));
    let err = Appender::open(store.clone()).unwrap_err();
    assert!(
        matches!(&err, Error::Tampered(why) if why.contains("ledger id")),
        "{err}"
    );
    let err = Ledger::open(store).unwrap_err();
    assert!(
        matches!(&err, Error::Tampered(why) if why.contains("ledger id")),
        "{err}"
    );
}

#[test]
fn each_authority_enrols_its_own_level_only() {
    let keys = keys();
    let (mut ledger, _) = signed_ledger(&keys);
    let office = Actor::new("office-350628", ActorRole::InspectionOffice);
    let newcomer = SigningKey::from_seed("office-3506b", [7; 32]);
    // The county's key cannot make a city actor.
    let err = sign(
        &mut ledger,
        &keys.county,
        "enrol-city",
        &office,
        enrol(&newcomer, ActorRole::LeadingGroup, Level::City),
    )
    .unwrap_err();
    assert!(
        matches!(&err, Error::WrongLevel { why, .. } if why.contains("city-3506")),
        "{err}"
    );
    // Nor a supervision group at the county.
    let err = sign(
        &mut ledger,
        &keys.county,
        "enrol-sg",
        &office,
        enrol(&newcomer, ActorRole::SupervisionGroup, Level::County),
    )
    .unwrap_err();
    assert!(matches!(err, Error::WrongLevel { .. }), "{err}");
    // Nor an actor under the city authority's name, to act as it.
    let impostor = SigningKey::from_seed("city-3506", [9; 32]);
    let err = sign(
        &mut ledger,
        &keys.county,
        "enrol-impostor",
        &office,
        enrol(&impostor, ActorRole::InspectionOffice, Level::County),
    )
    .unwrap_err();
    assert!(
        matches!(&err, Error::WrongLevel { why, .. } if why.contains("authority's name")),
        "{err}"
    );
    // Nor, at the county, an actor the city enrolled, to give them a key
    // of its own that acts at the city.
    let err = sign(
        &mut ledger,
        &keys.county,
        "enrol-twice",
        &office,
        enrol(
            &SigningKey::from_seed("office-3506", [10; 32]),
            ActorRole::InspectionOffice,
            Level::County,
        ),
    )
    .unwrap_err();
    assert!(
        matches!(&err, Error::WrongLevel { why, .. } if why.contains("one level")),
        "{err}"
    );
    // An enrolled actor cannot enrol anyone.
    let err = sign(
        &mut ledger,
        &keys.leader,
        "enrol-by-leader",
        &Actor::new("P7", ActorRole::TeamLeader),
        enrol(&newcomer, ActorRole::TeamMember, Level::County),
    )
    .unwrap_err();
    assert!(matches!(err, Error::NotPermitted { .. }), "{err}");
    // The city's key can.
    sign(
        &mut ledger,
        &keys.city,
        "enrol-city",
        &Actor::new("city-3506", ActorRole::InspectionOffice),
        enrol(&newcomer, ActorRole::LeadingGroup, Level::City),
    )
    .unwrap();
    // An authorisation by the city committee needs a city actor.
    let request = |by| Action::Authorise {
        authorisation: AuthorisationRequest {
            round: "2026-1".into(),
            team: "2026-1/350628".into(),
            target: Code::parse("350628").unwrap(),
            person: "P7".into(),
            post: TeamPost::Leader,
            by,
        },
    };
    let err = sign(
        &mut ledger,
        &keys.county,
        "auth-city",
        &office,
        request(Level::City),
    )
    .unwrap_err();
    assert!(
        matches!(&err, Error::WrongLevel { why, .. } if why.contains("enrolled at the city")),
        "{err}"
    );
    sign(
        &mut ledger,
        &newcomer,
        "auth-city",
        &Actor::new("office-3506b", ActorRole::LeadingGroup),
        request(Level::City),
    )
    .unwrap();
    ledger.verify().unwrap();
}

#[test]
fn a_revoked_key_signs_nothing_after_its_revocation() {
    let keys = keys();
    let (mut ledger, clock) = signed_ledger(&keys);
    sign(&mut ledger, &keys.member, "add", &member(), add_lead("L1")).unwrap();
    clock.advance(Duration::hours(1));
    let office = Actor::new("office-350628", ActorRole::InspectionOffice);
    let now = clock.now();
    let revoke = Command::new(
        "revoke-P7",
        office,
        Action::Revoke {
            actor: "P7".into(),
            key: keys.leader.verifier().hash(),
            reason: "调离".into(),
        },
    );
    ledger
        .execute_signed(
            &SignedCommand::sign(revoke, ledger.log_id(), now, &keys.county),
            None,
        )
        .unwrap();
    clock.advance(Duration::hours(1));
    let command = Command::new("t", leader(), transfer());
    let late = SignedCommand::sign(command, ledger.log_id(), clock.now(), &keys.leader);
    let err = ledger.execute_signed(&late, None).unwrap_err();
    assert!(
        matches!(&err, Error::Unsigned { why, .. } if why.contains("revoked")),
        "{err}"
    );
    // A rotated key (a second one enrolled) signs.
    let rotated = SigningKey::from_seed("P7", [8; 32]);
    let command = Command::new(
        "enrol-P7-again",
        Actor::new("office-350628", ActorRole::InspectionOffice),
        enrol(&rotated, ActorRole::TeamLeader, Level::County),
    );
    ledger
        .execute_signed(
            &SignedCommand::sign(command, ledger.log_id(), clock.now(), &keys.county),
            None,
        )
        .unwrap();
    let command = Command::new("t", leader(), transfer());
    let fresh = SignedCommand::sign(command, ledger.log_id(), clock.now(), &rotated);
    ledger.execute_signed(&fresh, None).unwrap();
    ledger.verify().unwrap();
}

/// The insider writes events into the file: a disposal in the handler's
/// name, unsigned or signed with a key of his own, and rebuilds every
/// checkpoint and state root. Every full replay refuses it.
#[test]
fn events_forged_in_anothers_name_are_caught_by_every_replay() {
    let keys = keys();
    let (mut ledger, clock) = signed_ledger(&keys);
    sign(&mut ledger, &keys.member, "add", &member(), add_lead("L1")).unwrap();
    let honest = ledger.events().unwrap();
    let forge = |signature: Option<xuncha_leads::Signature>| {
        let mut events = honest.clone();
        events.push(Event {
            seq: 0,
            time: clock.now(),
            actor: leader(),
            command: "forged".into(),
            change: Change::Transferred {
                lead: "L1".into(),
                body: Body::DisciplineCommission,
                level: Level::County,
            },
            state: Some(xuncha_leads::merkle::Hash::default()),
            signature,
        });
        let (bodies, checkpoints) = rebuild(events).into_iter().unzip();
        MemoryStore::from_parts(bodies, checkpoints)
    };
    let insider = SigningKey::from_seed("P7", [66; 32]);
    let message = xuncha_leads::command_message(
        ledger.log_id(),
        clock.now(),
        &leader(),
        "forged",
        &transfer(),
    );
    for (case, signature) in [
        ("unsigned", None),
        ("the insider's own key", Some(insider.sign(&message))),
    ] {
        let err = Ledger::open(forge(signature)).unwrap_err();
        assert!(
            matches!(&err, Error::Undecided { kind: "transferred", why, .. } if why.contains("signed")),
            "{case}: {err}"
        );
    }
    // Signed with the leader's real key, it is the leader's command.
    let genuine = keys.leader.sign(&message);
    Ledger::open(forge(Some(genuine)))
        .unwrap()
        .verify()
        .unwrap();
}
