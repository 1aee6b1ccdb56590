//! Staffs a national cross-inspection round (2,978 counties, 100,000
//! synthetic people) once and reports time, feasibility and verification.
//!
//! `cargo run --release -p xuncha-benches --example national_round [-- --three-skills] [--city-pool] [--dimacs DIR]`
//!
//! With `--dimacs DIR` it also writes the round's own staffing networks
//! (`staffing_networks`, one a group) to `DIR/national-round-NNN.min`, for
//! the peers to solve exactly what `staff` solves
//! (`benches/peers/national_round.py`).
//!
//! With `--three-skills` every team asks for finance and audit, law and
//! discipline inspection (the layouts of the specialists are searched);
//! with `--city-pool` the round keeps to the city pool and leaves out the
//! cities of fewer than three counties.

use std::time::Instant;

use chrono::NaiveDate;
use xuncha_assign::{
    Pool, Round, SkillRequirement, StaffOptions, staff, staffing_networks, verify,
};
use xuncha_avoid::{Engine, RuleSet, Skill};
use xuncha_org::{Hierarchy, Level, Units};
use xuncha_synth::RosterSpec;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let date = NaiveDate::from_ymd_opt(2026, 3, 1).ok_or("date")?;
    let hierarchy = Hierarchy::from_nbs_dir(xuncha_benches::national_dir())?;
    let units = Units::default();
    let roster = RosterSpec::new(100_000, 1, date).roster(&hierarchy, &units)?;
    let engine = Engine::new(&hierarchy, &units, RuleSet::default());
    // Every county-level division; cities too small to cross within
    // themselves borrow from their province.
    let mut round = Round {
        pool: Pool::CityOrProvince,
        ..Round::cross(
            "national",
            date,
            hierarchy
                .at_level(Level::County)
                .map(xuncha_org::Division::code),
        )
    };
    if std::env::args().any(|a| a == "--city-pool") {
        // Cities of one or two counties cannot cross within themselves:
        // their targets are left out rather than drawing on the province.
        round.pool = Pool::City;
        let rotatable = xuncha_benches::rotatable_counties(&hierarchy);
        round.targets.retain(
            |t| matches!(t.target, xuncha_avoid::Target::Division(c) if rotatable.contains(&c)),
        );
    }
    if std::env::args().any(|a| a == "--three-skills") {
        // Every team asks for finance and audit, law and discipline
        // inspection, which one person may hold several of.
        round.team.require = [Skill::FinanceAudit, Skill::Law, Skill::DisciplineInspection]
            .iter()
            .map(|&skill| SkillRequirement { skill, count: 1 })
            .collect();
    }
    let args: Vec<String> = std::env::args().collect();
    if let Some(dir) = args
        .iter()
        .position(|a| a == "--dimacs")
        .and_then(|i| args.get(i + 1))
    {
        std::fs::create_dir_all(dir)?;
        let networks = staffing_networks(&engine, &roster, &round, &StaffOptions::default())?;
        for (i, group) in networks.iter().enumerate() {
            let path = std::path::Path::new(dir).join(format!("national-round-{i:03}.min"));
            std::fs::write(path, group.network.to_dimacs())?;
        }
        println!("wrote {} networks to {dir}", networks.len());
    }
    let start = Instant::now();
    let result = staff(&engine, &roster, &round, &StaffOptions::default());
    let elapsed = start.elapsed();
    match result {
        Ok(plan) => {
            let checked = Instant::now();
            let violations = verify(&plan, &round, &roster, &engine);
            println!(
                "verified in {:.0} ms",
                checked.elapsed().as_secs_f64() * 1e3
            );
            println!(
                "{} people, staffed {} teams in {:.0} ms, objective {}, {} violations",
                roster.len(),
                plan.teams.len(),
                elapsed.as_secs_f64() * 1e3,
                plan.objective,
                violations.len()
            );
        }
        Err(e) => println!("after {:.0} ms: {e}", elapsed.as_secs_f64() * 1e3),
    }
    Ok(())
}
