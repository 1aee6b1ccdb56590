//! `xuncha stats`: statistics and reports from a ledger, plans and
//! petitions.

use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use xuncha::leads::{Appender, SqliteStore};
use xuncha::stats::{By, DateRange, Petition, Records, Report, Rounds};

use crate::failure::bad_input;
use crate::inputs;

/// The report's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// A plain-text table.
    Table,
    /// JSON (the whole report).
    Json,
    /// CSV (the table, one row per group).
    Csv,
    /// Markdown.
    Md,
    /// One self-contained HTML page with SVG charts.
    Html,
}

/// `xuncha stats`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  xuncha stats --ledger xuncha-demo/ledger.sqlite --petitions xuncha-demo/petitions.csv --plans xuncha-demo --by city\n  xuncha stats --ledger xuncha-demo/ledger.sqlite --petitions xuncha-demo/petitions.csv --plans xuncha-demo --by mode --format html --out report.html\n\nDefinitions of every metric: docs/metrics.md."
)]
pub(crate) struct StatsArgs {
    /// The ledger file (`SQLite`).
    #[arg(long, value_name = "FILE")]
    ledger: PathBuf,
    /// A directory of plans (`*.json`) and round files (`*.toml`): each
    /// round's inspection mode and teams.
    #[arg(long, value_name = "DIR")]
    plans: Option<PathBuf>,
    /// The petitions CSV (docs/formats.md).
    #[arg(long, value_name = "FILE")]
    petitions: Option<PathBuf>,
    /// How to group.
    #[arg(long, value_name = "BY", default_value = "city", value_parser = parse_by)]
    by: By,
    /// The output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// The file to write; standard output when absent or `-`.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// JSON: the report as JSON on standard output (as `--format json`),
    /// or, with --out, what was written.
    #[arg(long)]
    json: bool,
    /// The first day counted (YYYY-MM-DD).
    #[arg(long, value_parser = crate::inputs::date, value_name = "DATE")]
    from: Option<NaiveDate>,
    /// The last day counted (YYYY-MM-DD).
    #[arg(long, value_parser = crate::inputs::date, value_name = "DATE")]
    to: Option<NaiveDate>,
    /// Two groups to compare, `A,B` (such as `cross,regular` with `--by
    /// mode`); cross against regular by default.
    #[arg(long, value_name = "A,B")]
    compare: Option<String>,
    /// The on-site days of each team, for rates per inspection day (at
    /// least 1).
    #[arg(long, value_name = "N", default_value_t = xuncha::stats::DEFAULT_DAYS_PER_TEAM, value_parser = clap::value_parser!(u32).range(1..))]
    days_per_team: u32,
    /// The division list (to group leads anywhere in the country, say).
    #[command(flatten)]
    divisions: inputs::Divisions,
}

fn parse_by(text: &str) -> Result<By, String> {
    text.parse()
}

/// Refuses a window that ends before it starts and a comparison of a
/// group with itself: either would print figures about nothing.
fn check_args(args: &StatsArgs) -> Result<()> {
    if let (Some(from), Some(to)) = (args.from, args.to)
        && to < from
    {
        return Err(bad_input(format!(
            "--from {from} --to {to}: the window ends before it starts"
        )));
    }
    if let Some((a, b)) = args.compare.as_deref().and_then(|t| t.split_once(','))
        && a.trim() == b.trim()
    {
        return Err(bad_input(format!(
            "--compare {a},{b}: a group compared with itself; give two groups"
        )));
    }
    Ok(())
}

pub(crate) fn stats(args: &StatsArgs) -> Result<()> {
    check_args(args)?;
    // One read of the log: the snapshot's frontier gives the root the
    // events are checked against; the statistics need no state.
    let progress = crate::output::spinner(format!("reading {}", args.ledger.display()));
    let store = SqliteStore::open_read_only(&args.ledger)?;
    let events = Appender::open(store)?.events()?;
    if events.is_empty() {
        // As every other command on an emptied ledger: not zero leads.
        return Err(anyhow::Error::new(crate::failure::Flagged(
            crate::failure::Failure::Violations,
            format!(
                "{} holds no events: a ledger made by `xuncha leads init` holds at least the event that opened it",
                args.ledger.display()
            ),
            Some(crate::failure::LEDGER_BROKEN),
        )));
    }
    let petitions = match &args.petitions {
        Some(path) => Petition::read_csv_path(path)?,
        None => Vec::new(),
    };
    let rounds = match &args.plans {
        Some(dir) => Rounds::from_dir(dir)?,
        None => Rounds::default(),
    };
    let compare = match &args.compare {
        Some(text) => Some(
            text.split_once(',')
                .ok_or_else(|| bad_input(format!("--compare `{text}`: give two groups as A,B")))?,
        ),
        None => None,
    };
    let hierarchy = args.divisions.load()?;
    let records = Records::new(&events)
        .with_petitions(&petitions)
        .with_rounds(&rounds)
        .with_hierarchy(&hierarchy)
        .with_days_per_team(args.days_per_team);
    progress.set_message("computing the statistics");
    let report = Report::build(
        &records,
        args.by,
        DateRange::new(args.from, args.to),
        compare,
    );
    progress.finish_and_clear();
    if let (Some((a, b)), None) = (compare, &report.comparison) {
        return Err(bad_input(format!(
            "--compare {a},{b}: both must be groups of --by {} (found: {})",
            args.by,
            report
                .table
                .groups
                .iter()
                .map(|g| g.key.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let format = if args.json && args.out.is_none() {
        Format::Json
    } else {
        args.format
    };
    let text = match format {
        Format::Table => report.to_text(),
        Format::Json => report.to_json()?,
        Format::Csv => report.to_csv()?,
        Format::Md => report.to_markdown(),
        Format::Html => report.to_html(),
    };
    if let Some(path) = args.out.as_ref().filter(|p| !inputs::is_stdout(p)) {
        // Figures drawn from the ledger: owner-only, as its exports.
        inputs::write_private(path, text.as_bytes())
            .with_context(|| format!("writing the report to {}", path.display()))?;
        let name = format!("{format:?}").to_lowercase();
        let groups = report.table.groups.len();
        if args.json {
            println!(
                "{}",
                serde_json::json!({
                    "out": path,
                    "format": name,
                    "by": args.by.to_string(),
                    "groups": groups,
                    "bytes": text.len(),
                })
            );
        } else {
            println!(
                "wrote the statistics by {} ({}, {name}, {} bytes) to {}",
                args.by,
                crate::output::count(groups, "group", "groups"),
                text.len(),
                path.display()
            );
        }
        Ok(())
    } else {
        print!("{text}");
        Ok(())
    }
}
