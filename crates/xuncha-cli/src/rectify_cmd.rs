//! `xuncha rectify`: finding lists (整改台账) from the shell.

use std::path::PathBuf;

use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use xuncha::leads::{
    Action, ActorRole, CriticismNotice, FindingItemFacts, FindingListFacts, Obstruction,
    ObstructionKind, check_totals,
};

use crate::failure::bad_input;
use crate::leads_cmd::{Acting, refused};

/// `xuncha rectify`.
#[derive(Debug, Subcommand)]
pub(crate) enum RectifyCommand {
    /// Issue a finding list to an inspected unit (items from a CSV file).
    Issue(IssueArgs),
    /// Close an item with evidence (对单销号).
    Close(CloseArgs),
    /// Record a rule or regulation established (建章立制).
    Rule(RuleArgs),
    /// Schedule a follow-up (跟踪).
    FollowUp(FollowUpArgs),
    /// Hold a look-back (回头看), reopening items whose fix did not hold.
    LookBack(LookBackArgs),
    /// Record a unit's obstruction of a team.
    Obstruct(ObstructArgs),
    /// Issue a public criticism notice (通报批评).
    Criticise(CriticiseArgs),
    /// Completion of every finding list.
    Status(StatusArgs),
    /// Check a submitted table whose totals may contradict its rows.
    CheckTable(CheckTableArgs),
}

/// `xuncha rectify issue`.
#[derive(Debug, Args)]
#[command(
    after_help = "The items file is CSV with the header finding,responsible,measures,deadline.\n\nExample:\n  xuncha rectify issue --ledger leads.db --list F-350628 --round 2026-1 --unit 350628 --issued-on 2026-04-01 --items items.csv"
)]
pub(crate) struct IssueArgs {
    #[command(flatten)]
    acting: Acting,
    /// The list's id.
    #[arg(long, value_name = "ID")]
    list: String,
    /// The round.
    #[arg(long)]
    round: String,
    /// The inspected unit (a unit id or a code).
    #[arg(long)]
    unit: String,
    /// When feedback was given.
    #[arg(long, value_parser = crate::inputs::date, value_name = "DATE")]
    issued_on: NaiveDate,
    /// The items (CSV: finding,responsible,measures,deadline).
    #[arg(long, value_name = "FILE")]
    items: PathBuf,
}

/// `xuncha rectify close`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha rectify close --ledger leads.db --actor office-3506 --list F-350628 --item 1 --evidence '退回资金凭证 2026-04-20'"
)]
pub(crate) struct CloseArgs {
    #[command(flatten)]
    acting: Acting,
    /// The list.
    #[arg(long, value_name = "ID")]
    list: String,
    /// The item's number, from 1.
    #[arg(long, value_name = "N")]
    item: u32,
    /// The evidence the fix was made.
    #[arg(long)]
    evidence: String,
}

/// `xuncha rectify rule`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha rectify rule --ledger leads.db --actor office-3506 --list F-350628 --title 村级工程项目管理办法"
)]
pub(crate) struct RuleArgs {
    #[command(flatten)]
    acting: Acting,
    /// The list.
    #[arg(long, value_name = "ID")]
    list: String,
    /// The rule's title.
    #[arg(long)]
    title: String,
}

/// `xuncha rectify follow-up`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha rectify follow-up --ledger leads.db --actor office-3506 --list F-350628 --on 2026-06-01 --note 跟踪督办"
)]
pub(crate) struct FollowUpArgs {
    #[command(flatten)]
    acting: Acting,
    /// The list.
    #[arg(long, value_name = "ID")]
    list: String,
    /// When.
    #[arg(long, value_parser = crate::inputs::date, value_name = "DATE")]
    on: NaiveDate,
    /// What it will check.
    #[arg(long, default_value = "")]
    note: String,
}

/// `xuncha rectify look-back`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha rectify look-back --ledger leads.db --actor lg-3506 --role leading-group --list F-350628 --on 2026-09-01 --reopen '1:2026-10-31:资金未全部退还'\n\nEach --reopen is ITEM:NEW-DEADLINE:REASON and reopens a closed item whose fix did not hold (回头看)."
)]
pub(crate) struct LookBackArgs {
    #[command(flatten)]
    acting: Acting,
    /// The list.
    #[arg(long, value_name = "ID")]
    list: String,
    /// When it was held.
    #[arg(long, value_parser = crate::inputs::date, value_name = "DATE")]
    on: NaiveDate,
    /// An item to reopen: N:DEADLINE:REASON (repeat).
    #[arg(long = "reopen", value_name = "N:DEADLINE:REASON")]
    reopen: Vec<String>,
}

/// `xuncha rectify obstruct`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha rectify obstruct --ledger leads.db --actor P0007 --role team-leader --record O-1 --unit 350628-bureau --team 2026-1/350628 --kind contradictory-material --detail '报7人列28人' --table form.csv\n\nA supervision group (督导组) may record one too: --role supervision-group."
)]
pub(crate) struct ObstructArgs {
    #[command(flatten)]
    acting: Acting,
    /// The record's id.
    #[arg(long = "record", value_name = "ID")]
    record: String,
    /// The unit.
    #[arg(long)]
    unit: String,
    /// The team obstructed.
    #[arg(long)]
    team: String,
    /// late-material, contradictory-material or interference.
    #[arg(long, value_parser = ["late-material", "contradictory-material", "interference"])]
    kind: String,
    /// What happened.
    #[arg(long)]
    detail: String,
    /// A submitted table (CSV) to check; its mismatches are recorded.
    #[arg(long, value_name = "FILE")]
    table: Option<PathBuf>,
}

/// `xuncha rectify criticise`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha rectify criticise --ledger leads.db --actor lg-3506 --role leading-group --notice N-1 --unit 350628-bureau --obstruction O-1 --text '关于对某局干扰巡察工作的通报'\n\nThe leading group or a supervision group (督导组, --role supervision-group) issues notices."
)]
pub(crate) struct CriticiseArgs {
    #[command(flatten)]
    acting: Acting,
    /// The notice's id.
    #[arg(long = "notice", value_name = "ID")]
    notice: String,
    /// The unit criticised.
    #[arg(long)]
    unit: String,
    /// A recorded obstruction it answers (repeat).
    #[arg(long = "obstruction", value_name = "ID", required = true)]
    obstructions: Vec<String>,
    /// The notice's text.
    #[arg(long)]
    text: String,
}

/// `xuncha rectify status`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  xuncha rectify status --ledger leads.db\n  xuncha rectify status --ledger leads.db --json"
)]
pub(crate) struct StatusArgs {
    #[command(flatten)]
    acting: Acting,
}

/// `xuncha rectify check-table`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  xuncha rectify check-table 报送表.csv\n  xuncha rectify check-table form.csv --json   # exit 4: 合计 says 28 people, the rows hold 16\n\nA totals row starts with 合计, 总计 or total. A number under a numeric column must equal the column's sum; a number under a text column (names) must equal the count of rows. Exit 4 when a total contradicts its rows."
)]
pub(crate) struct CheckTableArgs {
    /// The table (CSV).
    table: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

fn items(path: &std::path::Path) -> Result<Vec<FindingItemFacts>> {
    Ok(FindingItemFacts::read_csv_path(
        path,
        &xuncha::org::Limits::default(),
    )?)
}

pub(crate) fn run(command: RectifyCommand) -> Result<()> {
    use ActorRole::{InspectionOffice, LeadingGroup};
    match command {
        RectifyCommand::Issue(args) => {
            let list = FindingListFacts {
                id: args.list,
                round: args.round,
                unit: args.unit,
                issued_on: args.issued_on,
                items: items(&args.items)?,
            };
            args.acting
                .run(InspectionOffice, Action::IssueFindings { list }, None)
                .map(drop)
        }
        RectifyCommand::Close(args) => args
            .acting
            .run(
                InspectionOffice,
                Action::CloseItem {
                    list: args.list,
                    item: args.item,
                    evidence: args.evidence,
                },
                None,
            )
            .map(drop),
        RectifyCommand::Rule(args) => args
            .acting
            .run(
                InspectionOffice,
                Action::EstablishRule {
                    list: args.list,
                    title: args.title,
                },
                None,
            )
            .map(drop),
        RectifyCommand::FollowUp(args) => args
            .acting
            .run(
                InspectionOffice,
                Action::ScheduleFollowUp {
                    list: args.list,
                    on: args.on,
                    note: args.note,
                },
                None,
            )
            .map(drop),
        RectifyCommand::LookBack(args) => look_back(&args),
        RectifyCommand::Obstruct(args) => obstruct(args),
        RectifyCommand::Criticise(args) => {
            let notice = CriticismNotice {
                id: args.notice,
                unit: args.unit,
                obstructions: args.obstructions,
                text: args.text,
            };
            args.acting
                .run(LeadingGroup, Action::IssueCriticism { notice }, None)
                .map(drop)
        }
        RectifyCommand::Status(args) => status(&args.acting),
        RectifyCommand::CheckTable(args) => check_table(&args),
    }
}

fn look_back(args: &LookBackArgs) -> Result<()> {
    let mut reopen = Vec::new();
    for text in &args.reopen {
        let mut parts = text.splitn(3, ':');
        let parsed = (|| {
            let item = parts.next()?.parse().ok()?;
            let deadline = parts.next()?.parse().ok()?;
            Some((item, deadline, parts.next()?.to_owned()))
        })();
        let (item, deadline, reason) = parsed.ok_or_else(|| {
            bad_input(format!(
                "--reopen `{text}`: expected N:DEADLINE:REASON, as 2:2026-06-30:资金未退还"
            ))
        })?;
        reopen.push((item, reason, deadline));
    }
    let action = Action::LookBack {
        list: args.list.clone(),
        on: args.on,
        reopen,
    };
    args.acting
        .run(ActorRole::LeadingGroup, action, None)
        .map(drop)
}

fn obstruct(args: ObstructArgs) -> Result<()> {
    let mismatches = match &args.table {
        Some(path) => check_totals(path).map_err(refused)?,
        None => Vec::new(),
    };
    let kind = match args.kind.as_str() {
        "late-material" => ObstructionKind::LateMaterial,
        "contradictory-material" => ObstructionKind::ContradictoryMaterial,
        _ => ObstructionKind::Interference,
    };
    let obstruction = Obstruction {
        id: args.record,
        unit: args.unit,
        team: args.team,
        kind,
        detail: args.detail,
        mismatches,
    };
    args.acting
        .run(
            ActorRole::TeamLeader,
            Action::RecordObstruction { obstruction },
            None,
        )
        .map(drop)
}

fn status(acting: &Acting) -> Result<()> {
    let ledger = acting.open()?;
    let lists: Vec<_> = ledger.state().lists.values().collect();
    if acting.json {
        let rows: Vec<_> = lists
            .iter()
            .map(|l| {
                serde_json::json!({
                    "list": l.id, "unit": l.unit, "items": l.items.len(), "closed": l.closed(),
                    "completion_rate": l.completion_rate(), "rules": l.rules.len(),
                    "reopened": l.items.iter().map(|i| i.reopened).sum::<u32>(),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    println!(
        "{}",
        crate::output::count(lists.len(), "finding list", "finding lists")
    );
    for list in lists {
        let rate = list
            .completion_rate()
            .map_or_else(|| "undefined".to_owned(), |r| format!("{:.1}%", r * 100.0));
        println!(
            "  {} ({}): {}/{} closed, completion {rate}, {} established",
            list.id,
            list.unit,
            list.closed(),
            crate::output::count(list.items.len(), "item", "items"),
            crate::output::count(list.rules.len(), "rule", "rules")
        );
    }
    Ok(())
}

fn check_table(args: &CheckTableArgs) -> Result<()> {
    let checked = xuncha::leads::check_table(&args.table).map_err(refused)?;
    let mismatches = checked.mismatches;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&mismatches)?);
    } else if checked.totals_lines.is_empty() {
        println!(
            "{}: no totals row (a first cell starting with 合计, 总计 or total) among its {}: nothing declared, nothing to check",
            args.table.display(),
            crate::output::count(checked.rows, "row", "rows")
        );
    } else if mismatches.is_empty() {
        println!(
            "{}: the declared totals agree with its {}",
            args.table.display(),
            crate::output::count(checked.rows, "row", "rows")
        );
    } else {
        for mismatch in &mismatches {
            println!("{}: {mismatch}", args.table.display());
        }
    }
    if mismatches.is_empty() {
        Ok(())
    } else {
        Err(anyhow::Error::new(crate::failure::Flagged(
            crate::failure::Failure::Violations,
            format!(
                "{} the table's rows",
                crate::output::count(
                    mismatches.len(),
                    "declared total contradicts",
                    "declared totals contradict"
                )
            ),
            Some(crate::failure::TABLE_CONTRADICTS),
        )))
    }
}
