//! `xuncha rotate`: a rotation between counties.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use xuncha_assign::plan_rotation;
use xuncha_org::{Code, Division};

use crate::failure::bad_input;
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
        Some(path) => history(path)?,
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

/// Reads pairings to avoid from a CSV file with the columns
/// `inspecting,inspected`.
fn history(path: &std::path::Path) -> Result<Vec<(Code, Code)>> {
    let file = xuncha_org::table::open(path)?;
    let mut table = xuncha_org::table::Table::new(path, file)?;
    let by = table.column("inspecting")?;
    let of = table.column("inspected")?;
    let mut out = Vec::new();
    while table.advance()? {
        let code = |column| -> Result<Code> {
            let text = table.required(column)?;
            Code::parse(text).map_err(|e| e.at(table.location(column)).into())
        };
        out.push((code(by)?, code(of)?));
    }
    if out.is_empty() {
        return Err(bad_input(format!(
            "{}: the history has no pairings",
            path.display()
        )));
    }
    Ok(out)
}
