//! `xuncha`: plan and check cross inspections (交叉巡察) from the shell.
//!
//! The binary parses arguments, reads files and prints; every domain answer
//! comes from the library crates.

mod demo;
mod failure;
mod inputs;
mod leads_cmd;
mod org;
mod output;
mod planning;
mod rectify_cmd;
mod render;
mod replan_cmd;
mod roster_cmd;
mod rotate;
mod shell;
mod stats_cmd;
mod term_cmd;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use crate::failure::{Failure, hint, hint_of};

/// Plan and check cross inspections (交叉巡察) in Chinese local government.
#[derive(Debug, Parser)]
#[command(name = "xuncha", version, propagate_version = true)]
#[command(
    after_help = "Examples:\n  xuncha demo\n  xuncha verify --plan xuncha-demo/plan.json --round xuncha-demo/round.toml --roster xuncha-demo/roster.csv --rules xuncha-demo/rules.toml --officials xuncha-demo/officials.json\n  xuncha org show 350681\n\nExit status: 0 success, 1 other failure, 2 bad input, 3 infeasible round, 4 failed verification (plan, ledger or table), 5 command refused by the ledger."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    limits: inputs::LimitArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Plan and verify a whole Fujian round with no input files, then
    /// report on a synthetic season: a tour of the whole tool.
    Demo(demo::DemoArgs),
    /// Staff a round from a roster: the optimal plan, or why none exists.
    Plan(planning::PlanArgs),
    /// Replan after people withdraw, come back or declare a conflict,
    /// moving as few people as possible.
    Replan(replan_cmd::ReplanArgs),
    /// Check a plan against its round, roster and rules.
    Verify(planning::VerifyArgs),
    /// Why a person may not serve on a target.
    Explain(planning::ExplainArgs),
    /// A rotation (推磨式) between counties.
    Rotate(rotate::RotateArgs),
    /// Rosters: generate a synthetic one.
    #[command(
        subcommand,
        after_help = "Example:\n  xuncha roster generate --count 3000 --seed 5eed --out roster.csv"
    )]
    Roster(roster_cmd::RosterCommand),
    /// Divisions and codes: counts, one division, search by name, a subtree.
    #[command(
        subcommand,
        after_help = "Examples:\n  xuncha org summary --national\n  xuncha org show 350681\n  xuncha org find 城关镇 --national"
    )]
    Org(org::OrgCommand),
    /// The lead ledger: transfer, dual report, disposal, cases, deadlines,
    /// verification and export.
    #[command(
        subcommand,
        after_help = "Examples:\n  xuncha leads init --ledger leads.db --jurisdiction 3506\n  xuncha leads overdue --ledger leads.db\n  xuncha leads verify --ledger leads.db --witnesses city-3506.witness county-350628.witness"
    )]
    Leads(leads_cmd::LeadsCommand),
    /// Rectification: finding lists closed item by item, look-backs,
    /// obstructions.
    #[command(
        subcommand,
        after_help = "Examples:\n  xuncha rectify issue --ledger leads.db --list F-350628 --round 2026-1 --unit 350628 --issued-on 2026-04-01 --items items.csv\n  xuncha rectify status --ledger leads.db"
    )]
    Rectify(rectify_cmd::RectifyCommand),
    /// Term coverage (巡察全覆盖): every unit, township or village cluster in
    /// one round of the term.
    #[command(
        subcommand,
        after_help = "Examples:\n  xuncha term plan --jurisdiction 3508 --level village --term 2022-01-01..2026-12-31 --teams 7 --capacity 4 --out term.json\n  xuncha term progress --schedule term.json --as-of 2024-03-01"
    )]
    Term(term_cmd::TermCommand),
    /// Statistics and reports from a ledger, plans and petitions: tables,
    /// JSON, CSV, Markdown or a self-contained HTML page with charts.
    Stats(stats_cmd::StatsArgs),
    /// Shell completions (bash, zsh, fish, PowerShell), from the command's
    /// own definitions.
    Completions(shell::CompletionsArgs),
    /// Man pages, from the command's own definitions: the top page, or one
    /// page per command into a folder.
    Man(shell::ManArgs),
}

fn main() -> ExitCode {
    quiet_when_the_reader_stops();
    let cli = Cli::parse();
    cli.limits.apply();
    let result = match cli.command {
        Command::Demo(args) => demo::demo(&args),
        Command::Plan(args) => planning::plan(&args),
        Command::Replan(args) => replan_cmd::replan(&args),
        Command::Verify(args) => planning::verify_plan(&args),
        Command::Explain(args) => planning::explain(&args),
        Command::Rotate(args) => rotate::rotate(&args),
        Command::Roster(command) => roster_cmd::run(&command),
        Command::Org(command) => org::run(command),
        Command::Leads(command) => leads_cmd::run(command),
        Command::Rectify(command) => rectify_cmd::run(command),
        Command::Term(command) => term_cmd::run(&command),
        Command::Stats(args) => stats_cmd::stats(&args),
        Command::Completions(args) => {
            shell::completions(&args, Cli::command());
            Ok(())
        }
        Command::Man(args) => shell::man(&args, Cli::command()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let failure = Failure::of(&err);
            eprintln!("error: {err}");
            // A cause is said once: not again where a message above
            // already quotes it (`cannot read F: No such file ...`).
            let mut said = err.to_string();
            for cause in err.chain().skip(1) {
                let text = cause.to_string();
                if !said.contains(&text) {
                    eprintln!("  caused by: {text}");
                    said.push_str(&text);
                }
            }
            if let Some(flag) = failure::limit_flag(&err) {
                eprintln!("hint: the input is above a limit; raise it with {flag}");
            } else if let Some(hint) = hint_of(&err).or_else(|| hint(failure)) {
                eprintln!("hint: {hint}");
            }
            failure.code()
        }
    }
}

/// A reader that stops early (`xuncha org tree 35 --depth 4 | head`)
/// closes the pipe, and the next print fails with "Broken pipe", which
/// `println!` turns into a panic. That is no failure of the command: what
/// it had to do is done (files are written and ledger commands recorded
/// before anything is printed), so it ends quietly with status 0, as
/// ripgrep does; any other panic is reported as before.
fn quiet_when_the_reader_stops() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.starts_with("failed printing to std") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        report(info);
    }));
}
