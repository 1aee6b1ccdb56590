//! `xuncha roster generate`: a synthetic roster.

use std::path::PathBuf;

use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use xuncha::org::Units;
use xuncha::synth::RosterSpec;

use crate::inputs;

#[derive(Debug, Subcommand)]
pub(crate) enum RosterCommand {
    /// Generate a deterministic synthetic roster.
    #[command(
        after_help = "Examples:\n  xuncha roster generate --count 3000 --seed 5eed --out roster.csv\n  xuncha roster generate --count 20000 --seed 1 --national --out national.json"
    )]
    Generate(GenerateArgs),
}

#[derive(Debug, Args)]
pub(crate) struct GenerateArgs {
    /// How many people.
    #[arg(long, value_name = "N")]
    count: usize,
    /// The seed, in hexadecimal.
    #[arg(long, value_name = "HEX", value_parser = inputs::seed)]
    seed: u64,
    /// The division list.
    #[command(flatten)]
    divisions: inputs::Divisions,
    /// Only people from the counties below this division.
    #[arg(long, value_name = "CODE")]
    within: Option<String>,
    /// The reference date (YYYY-MM-DD); posts end before it.
    #[arg(long, value_parser = crate::inputs::date, value_name = "DATE", default_value = "2026-03-01")]
    date: NaiveDate,
    /// Where to write: CSV, or JSON for a `.json` name.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Print what was written as JSON.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(command: &RosterCommand) -> Result<()> {
    let RosterCommand::Generate(args) = command;
    // The name says the format: CSV, or JSON for `.json`; a name that
    // promises another (a workbook) is refused rather than misnamed.
    if let Some(ext) = args.out.extension().and_then(|e| e.to_str())
        && !["csv", "json", "txt"].contains(&ext.to_lowercase().as_str())
    {
        return Err(crate::failure::bad_input(format!(
            "--out {}: a roster is written as CSV (.csv) or JSON (.json), not .{ext}",
            args.out.display()
        )));
    }
    let hierarchy = args.divisions.load()?;
    let mut spec = RosterSpec::new(args.count, args.seed, args.date);
    if let Some(within) = &args.within {
        spec = spec.within(hierarchy.lookup(within).map(xuncha::org::Division::code)?);
    }
    let roster = spec.roster(&hierarchy, &Units::default())?;
    let bytes = if args.out.extension().is_some_and(|e| e == "json") {
        serde_json::to_string_pretty(&roster)?.into_bytes()
    } else {
        let mut csv = Vec::new();
        roster.write_csv(&mut csv)?;
        csv
    };
    inputs::write(&args.out, &bytes)?;
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "out": args.out,
                "people": roster.len(),
                "seed": format!("{:x}", args.seed),
                "bytes": bytes.len(),
            })
        );
    } else {
        println!(
            "wrote {} to {}",
            crate::output::count(roster.len(), "person", "people"),
            args.out.display()
        );
    }
    Ok(())
}
