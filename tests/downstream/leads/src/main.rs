//! xuncha-leads alone, without SQLite: a ledger opened, witnessed, verified.
use xuncha_leads::{
    Action, Actor, ActorRole, Command, DeadlinePolicy, Ledger, MemoryStore, Witness,
};
use xuncha_org::Code;

fn main() {
    let mut ledger = Ledger::open(MemoryStore::new()).expect("an empty ledger");
    let office = Actor::new("office", ActorRole::InspectionOffice);
    let open = Action::Open {
        jurisdiction: Code::parse("3506").expect("a code"),
        policy: DeadlinePolicy::default(),
        authorities: None,
    };
    ledger
        .execute(&Command::new("c1", office, open), None)
        .expect("opens");
    let mut city = Witness::new(ledger.log_id().expect("an id"), "city");
    let at = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
    ledger.witness(&mut city, at).expect("witnessed");
    let report = ledger.verify().expect("verifies");
    assert_eq!(report.events, 1);
    println!(
        "xuncha-leads: {} event, head {}",
        report.events, report.head
    );
}
