//! Explaining why a person was kept off a team: every conflict, in Chinese
//! and in English.
//!
//! `cargo run -p xuncha --example explain -- [PERSON] [TARGET] [ROLE]`
//! (defaults: the first person of the example roster, their own county, as
//! a member).

use std::path::PathBuf;

use chrono::NaiveDate;
use xuncha::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data");
    let fujian = Hierarchy::fujian();
    let units = Units::default();
    let roster = Roster::from_csv_path(data.join("roster.csv"), &fujian, &units)?;
    let engine = Engine::new(&fujian, &units, RuleSet::default());
    let mut args = std::env::args().skip(1);
    let person = match args.next() {
        Some(id) => roster
            .get(&PersonId(id.clone()))
            .ok_or(format!("no person {id}"))?,
        None => roster.people().first().ok_or("an empty roster")?,
    };
    let target: Target = match args.next() {
        Some(text) => text.parse()?,
        None => Target::Division(person.origin),
    };
    let role: Role = args.next().map_or(Ok(Role::Member), |r| r.parse())?;
    let round_date = NaiveDate::from_ymd_opt(2026, 3, 1).ok_or("date")?;
    let verdict = engine.check(person, &target, role, round_date);
    let name = target.describe(&fujian, &units);
    if verdict.is_clear() {
        println!("no conflict: {} may serve as {role} on {name}", person.name);
    }
    for conflict in &verdict.conflicts {
        println!(
            "[{}] {}\n    {}",
            conflict.rule, conflict.explanation.zh, conflict.explanation.en
        );
    }
    Ok(())
}
