//! Reading a plan back and verifying it, independently of the solver.
//!
//! `cargo run -p xuncha --example verify_plan -- [PLAN]` (default: plans the
//! example round first, then reads that plan back).

use std::path::PathBuf;

use xuncha::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data");
    let fujian = Hierarchy::fujian();
    let units = Units::default();
    let roster = Roster::from_csv_path(data.join("roster.csv"), &fujian, &units)?;
    let round = Round::from_path(data.join("round.toml"))?;
    let engine = Engine::new(&fujian, &units, RuleSet::default());
    let text = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(path)?,
        None => staff(&engine, &roster, &round, &StaffOptions::default())?.to_json()?,
    };
    let plan = Plan::from_json(&text)?;
    let violations = verify(&plan, &round, &roster, &engine);
    if violations.is_empty() {
        println!("the plan holds: {} teams", plan.teams.len());
    } else {
        for v in &violations {
            println!("violation: {v}");
        }
    }
    Ok(())
}
