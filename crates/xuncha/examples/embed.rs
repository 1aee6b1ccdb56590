//! Embedding xuncha in another program: your own roster file and round
//! file, a plan written as JSON.
//!
//! `cargo run -p xuncha --example embed -- [ROSTER] [ROUND] [OUT]`
//! (defaults: the files in `examples/data/`, and `plan.json`).

use std::path::PathBuf;

use xuncha::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data");
    let mut args = std::env::args().skip(1);
    let roster_path = args
        .next()
        .map_or_else(|| data.join("roster.csv"), PathBuf::from);
    let round_path = args
        .next()
        .map_or_else(|| data.join("round.toml"), PathBuf::from);
    let out = args
        .next()
        .map_or_else(|| PathBuf::from("plan.json"), PathBuf::from);

    let fujian = Hierarchy::fujian();
    let units = Units::default();
    let roster = Roster::from_csv_path(&roster_path, &fujian, &units)?;
    let round = Round::from_path(&round_path)?;
    let engine = Engine::new(&fujian, &units, RuleSet::default());
    match staff(&engine, &roster, &round, &StaffOptions::default()) {
        Ok(plan) => {
            std::fs::write(&out, plan.to_json()?)?;
            println!(
                "{} teams staffed, objective {}: {}",
                plan.teams.len(),
                plan.objective,
                out.display()
            );
        }
        Err(xuncha::assign::Error::Infeasible(why)) => println!("cannot staff the round: {why}"),
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
