//! xuncha-avoid alone: a person who works in 平和县 is kept off 平和县.
use xuncha_avoid::{Engine, Person, Place, Role, Roster, RuleSet, Target};
use xuncha_org::{Code, Hierarchy, Units};

fn main() {
    let fujian = Hierarchy::fujian();
    let units = Units::default();
    let pinghe = Code::parse("350628").expect("a code");
    let mut person = Person::new("P1", "王芳", Code::parse("350602").expect("a code"));
    person.workplace = Some(Place::Division(pinghe));
    let roster = Roster::new(vec![person], &fujian, &units).expect("a roster");
    let engine = Engine::new(&fujian, &units, RuleSet::default());
    let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).expect("a date");
    let found = engine.check(
        &roster.people()[0],
        &Target::Division(pinghe),
        Role::Member,
        date,
    );
    assert!(found.hard().next().is_some(), "a conflict");
    println!("xuncha-avoid: {} conflicts", found.hard().count());
}
