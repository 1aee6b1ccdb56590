//! `xuncha rotate`: a rotation between counties.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use xuncha::assign::plan_rotation;
use xuncha::org::{Code, Division};

use crate::inputs;

/// `xuncha rotate`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  xuncha rotate --city 3506\n  xuncha rotate --counties 350602,350603,350604 --seed 7\n  xuncha rotate --city 3506 --history last-rounds.csv --json\n\nThe history file is CSV with the columns inspecting,inspected: pairings of the last rounds to avoid."
)]
pub(crate) struct RotateArgs {
    /// The counties, comma-separated.
    #[arg(
        long,
        value_name = "CODES",
        value_delimiter = ',',
        conflicts_with = "city",
        required_unless_present = "city"
    )]
    counties: Vec<String>,
    /// A city: all its county-level divisions.
    #[arg(long, value_name = "CODE")]
    city: Option<String>,
    /// Pairings to avoid (CSV: inspecting,inspected).
    #[arg(long, value_name = "FILE")]
    history: Option<PathBuf>,
    /// The seed, in hexadecimal.
    #[arg(long, value_name = "HEX", value_parser = inputs::seed, default_value = "0")]
    seed: u64,
    /// The division list.
    #[command(flatten)]
    divisions: inputs::Divisions,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub(crate) fn rotate(args: &RotateArgs) -> Result<()> {
    let hierarchy = args.divisions.load()?;
    let counties: Vec<Code> = match &args.city {
        Some(city) => hierarchy
            .lookup(city)?
            .children()
            .map(Division::code)
            .collect(),
        None => args
            .counties
            .iter()
            .map(|c| hierarchy.lookup(c).map(Division::code))
            .collect::<Result<_, _>>()?,
    };
    let recent = match &args.history {
        Some(path) => xuncha::round::read_pairings_csv_path(path, &xuncha::org::Limits::default())?,
        None => Vec::new(),
    };
    let rotation = plan_rotation(&counties, &recent, args.seed)?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "version": 1,
                "seed": rotation.seed,
                "pairs": rotation.pairs(),
            }))?
        );
        return Ok(());
    }
    let label = |c: Code| {
        hierarchy
            .get(c)
            .map_or_else(|| c.to_string(), |d| d.to_string())
    };
    for &(by, of) in rotation.pairs() {
        println!("{} → {}", label(by), label(of));
    }
    Ok(())
}
