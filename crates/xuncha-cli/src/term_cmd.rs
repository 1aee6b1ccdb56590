//! `xuncha term`: plan a term's coverage (巡察全覆盖) and follow its progress.

use std::path::PathBuf;

use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use xuncha::assign::{
    TermLevel, TermSchedule, TermSpec, check_term, plan_term, term_progress, term_targets_at,
};
use xuncha::org::Code;

use crate::failure::bad_input;
use crate::inputs::{self, World};

/// `xuncha term`.
#[derive(Debug, Subcommand)]
pub(crate) enum TermCommand {
    /// Schedule every target of a jurisdiction into one round of a term.
    Plan(Box<PlanArgs>),
    /// Covered, scheduled and left targets, per county and per round.
    Progress(ProgressArgs),
}

/// `xuncha term plan`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  xuncha term plan --jurisdiction 3508 --level village --term 2022-01-01..2026-12-31 --rounds-per-year 2 --teams 7 --capacity 4 --out longyan-term.json\n  xuncha term plan --jurisdiction 3504 --level township --term 2022-01-01..2026-12-31 --rounds-per-year 2 --teams 5 --capacity 3 --out sanming.json\n  xuncha term plan --jurisdiction 3508 --level county,township,village --term 2022-01-01..2026-12-31 --rounds-per-year 2 --teams 7 --capacity 6 --out longyan-linked.json   # 四级联动"
)]
pub(crate) struct PlanArgs {
    /// The jurisdiction's code (a city or a county).
    #[arg(long, value_name = "CODE")]
    jurisdiction: String,
    /// What the term covers: city (the city's own units), county (the
    /// counties and their direct units), township, village (in clusters)
    /// or unit (every unit); several at once, comma-separated, for a term
    /// of several levels (四级联动: city,county,township,village), each
    /// level's targets once.
    #[arg(long, value_delimiter = ',', required = true,
          value_parser = ["city", "county", "township", "village", "unit"])]
    level: Vec<String>,
    /// The largest village cluster (片区).
    #[arg(long, value_name = "N", default_value_t = 10)]
    cluster_size: usize,
    /// The term: FIRST..LAST day.
    #[arg(long, value_name = "DATE..DATE", value_parser = parse_term)]
    term: (NaiveDate, NaiveDate),
    /// Rounds a year.
    #[arg(long, value_name = "N", default_value_t = 2)]
    rounds_per_year: u32,
    /// Teams in every round (at least 1).
    #[arg(long, value_name = "N", value_parser = at_least_one)]
    teams: usize,
    /// Targets one team takes in one round (at least 1).
    #[arg(long, value_name = "K", value_parser = at_least_one)]
    capacity: usize,
    /// A target that must come in the first year (repeat).
    #[arg(long = "early", value_name = "ID")]
    early: Vec<String>,
    /// Two targets that may not share a round: A,B (repeat).
    #[arg(long = "apart", value_name = "A,B")]
    apart: Vec<String>,
    /// The seed of the rotations, in hexadecimal.
    #[arg(long, value_name = "HEX", value_parser = inputs::seed, default_value = "0")]
    seed: u64,
    #[command(flatten)]
    world: World,
    /// Where to write the schedule (JSON).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Print a JSON summary instead of text.
    #[arg(long)]
    json: bool,
}

fn parse_term(text: &str) -> Result<(NaiveDate, NaiveDate), String> {
    let (a, b) = text.split_once("..").ok_or_else(|| {
        format!("`{text}` is not a term: expected FIRST..LAST, as 2022-01-01..2026-12-31")
    })?;
    let date = |d: &str| {
        d.parse::<NaiveDate>()
            .map_err(|e| format!("`{d}` is not a date (YYYY-MM-DD): {e}"))
    };
    Ok((date(a)?, date(b)?))
}

/// `xuncha term progress`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  xuncha term progress --schedule term.json --as-of 2024-03-01\n  xuncha term progress --schedule term.json --done 4 --json"
)]
pub(crate) struct ProgressArgs {
    /// The schedule (from `xuncha term plan`).
    #[arg(long, value_name = "FILE")]
    schedule: PathBuf,
    /// Rounds done; by default those over by --as-of.
    #[arg(long, value_name = "N")]
    done: Option<usize>,
    /// Count as done the rounds over before this day: a round lasts until
    /// the next one starts (the last until the term's end), so one that
    /// has started but not ended is not done. Today when neither --done
    /// nor --as-of is given.
    #[arg(long, value_parser = crate::inputs::date, value_name = "DATE")]
    as_of: Option<NaiveDate>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(command: &TermCommand) -> Result<()> {
    match command {
        TermCommand::Plan(args) => plan(args),
        TermCommand::Progress(args) => progress(args),
    }
}

fn plan(args: &PlanArgs) -> Result<()> {
    let world = args.world.load()?;
    let jurisdiction =
        Code::parse(&args.jurisdiction).map_err(|e| bad_input(format!("--jurisdiction: {e}")))?;
    let levels: Vec<TermLevel> = args
        .level
        .iter()
        .map(|level| match level.as_str() {
            "city" => TermLevel::City,
            "county" => TermLevel::County,
            "village" => TermLevel::Village {
                cluster_size: args.cluster_size,
            },
            "township" => TermLevel::Township,
            _ => TermLevel::Unit,
        })
        .collect();
    let targets = term_targets_at(&world.hierarchy, &world.units, jurisdiction, &levels)?;
    let mut spec = TermSpec::new(
        args.term.0,
        args.term.1,
        args.rounds_per_year,
        args.teams,
        args.capacity,
    );
    spec.seed = args.seed;
    spec.early.clone_from(&args.early);
    for pair in &args.apart {
        let (a, b) = pair
            .split_once(',')
            .ok_or_else(|| bad_input(format!("--apart `{pair}`: expected A,B")))?;
        spec.apart.push((a.to_owned(), b.to_owned()));
    }
    let progress = crate::output::spinner(format!("scheduling {} targets", targets.len()));
    let schedule = plan_term(&targets, &spec)?;
    progress.finish_and_clear();
    let problems = check_term(&schedule, &targets);
    if !problems.is_empty() {
        anyhow::bail!("the schedule failed its own check: {}", problems.join("; "));
    }
    let text = serde_json::to_string_pretty(&schedule)?;
    inputs::write(&args.out, text.as_bytes())?;
    let sizes: Vec<usize> = schedule.rounds.iter().map(|r| r.targets.len()).collect();
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "targets": targets.len(),
                "rounds": schedule.rounds.len(),
                "per_round": sizes,
                "out": args.out,
            })
        );
    } else {
        println!(
            "{} of {} in {} ({} to {} a round), {} of capacity {}; written to {}",
            crate::output::count(targets.len(), "target", "targets"),
            jurisdiction,
            crate::output::count(schedule.rounds.len(), "round", "rounds"),
            sizes.iter().min().unwrap_or(&0),
            sizes.iter().max().unwrap_or(&0),
            crate::output::count(args.teams, "team", "teams"),
            args.capacity,
            args.out.display()
        );
        if levels.len() > 1 {
            let by_level: Vec<String> = levels
                .iter()
                .map(|l| {
                    let at = Some(l.level());
                    let n = targets.iter().filter(|t| t.level == at).count();
                    format!("{} {n}", l.level().as_str())
                })
                .collect();
            println!("  by level: {}", by_level.join(", "));
        }
        for round in &schedule.rounds {
            let rotation = if round.rotation.is_empty() {
                "no rotation (fewer than three groups to cross)".to_owned()
            } else {
                format!(
                    "rotation over {}",
                    crate::output::count(round.rotation.len(), "group", "groups")
                )
            };
            println!(
                "  round {:>2} from {}: {}, {rotation}",
                round.number,
                round.start,
                crate::output::count(round.targets.len(), "target", "targets"),
            );
        }
    }
    Ok(())
}

/// A count of at least one, for --teams and --capacity.
fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("0: at least 1 is needed".to_owned()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("{text:?} is not a whole number")),
    }
}

fn progress(args: &ProgressArgs) -> Result<()> {
    let schedule = TermSchedule::from_json_path(&args.schedule, &xuncha::org::Limits::default())?;
    let done = match (args.done, args.as_of) {
        (Some(done), _) if done > schedule.rounds.len() => {
            return Err(crate::failure::bad_input(format!(
                "--done {done}: {} has {}",
                args.schedule.display(),
                crate::output::count(schedule.rounds.len(), "round", "rounds")
            )));
        }
        (Some(done), _) => done,
        (None, as_of) => {
            let today = as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
            schedule.rounds_done_by(today)
        }
    };
    let targets: Vec<_> = schedule
        .rounds
        .iter()
        .flat_map(|r| r.targets.iter().map(|s| s.target.clone()))
        .collect();
    let progress = term_progress(&schedule, &targets, done);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&progress)?);
        return Ok(());
    }
    let t = &progress.total;
    println!(
        "{done} of {} done: {} covered, {} scheduled, {} left",
        crate::output::count(progress.rounds.len(), "round", "rounds"),
        t.covered,
        t.scheduled,
        t.left
    );
    for l in progress.levels.iter().filter(|_| progress.levels.len() > 1) {
        println!(
            "  {} level: {} covered, {} scheduled, {} left",
            l.level.as_str(),
            l.covered,
            l.scheduled,
            l.left
        );
    }
    for g in &progress.groups {
        let group = g.group.map(|c| c.to_string()).unwrap_or_default();
        println!(
            "  {group}: {} covered, {} scheduled, {} left",
            g.covered, g.scheduled, g.left
        );
    }
    Ok(())
}
