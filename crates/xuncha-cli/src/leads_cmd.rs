//! `xuncha leads`: the lead ledger from the shell.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Subcommand};
use xuncha::avoid::Engine;
use xuncha::leads::export::{
    findings_table, leads_table, log_table, write_log_json, write_state_json, write_xlsx,
};
use xuncha::leads::{
    Action, Actor, ActorRole, AvoidanceCheck, Body, Change, Checkpoint, Clock, Command,
    DeadlinePolicy, Disposal, HandlerCheck, IdentityKey, LeadFacts, LeadSource, Ledger,
    ManualClock, Outcome, Receipt, ReportRecipient, SanctionKind, SqliteStore, SystemClock,
    Witness,
};
use xuncha::org::{Code, Level};

use crate::failure::{Failure, Flagged, LEDGER_BROKEN, bad_input};
use crate::inputs::{self, World};

/// What every ledger command takes: the file, who acts, and when.
#[derive(Debug, Args, Clone)]
pub(crate) struct Acting {
    /// The ledger file (`SQLite`).
    #[arg(long, value_name = "FILE")]
    pub(crate) ledger: PathBuf,
    /// Who acts: an id (a person id for handlers in the roster).
    #[arg(long, value_name = "ID", default_value = "cli")]
    pub(crate) actor: String,
    /// The role they act in: team-member, team-leader, inspection-office,
    /// discipline-handler or leading-group.
    #[arg(long, value_name = "ROLE", value_parser = parse_role)]
    pub(crate) role: Option<ActorRole>,
    /// The command's id: sending the same id twice appends once. A fresh
    /// id when absent.
    #[arg(long = "id", value_name = "ID")]
    pub(crate) command_id: Option<String>,
    /// The time to record (RFC 3339), for entering records after the
    /// fact and for tests; the system clock when absent. It must lie
    /// between 1949-10-01 and 2100-12-31 and not before the ledger's last
    /// event.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub(crate) now: Option<DateTime<Utc>>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}

fn parse_role(text: &str) -> Result<ActorRole, String> {
    text.parse()
        .map_err(|e: xuncha::leads::ParseRoleError| e.to_string())
}

fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    let time = DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            format!("`{text}` is not an RFC 3339 time such as 2026-03-02T09:00:00Z: {e}")
        })?;
    xuncha::org::dates::check("the time", time.date_naive())?;
    Ok(time)
}

fn parse_checkpoint(text: &str) -> Result<Checkpoint, String> {
    text.trim_start_matches("checkpoint ")
        .parse()
        .map_err(|e: xuncha::leads::ParseCheckpointError| {
            format!("{e}: give the `checkpoint N:…` line an earlier command printed (the part after `checkpoint `)")
        })
}

impl Acting {
    fn actor(&self, default: ActorRole) -> Actor {
        Actor::new(self.actor.clone(), self.role.unwrap_or(default))
    }

    fn clock(&self) -> Arc<dyn Clock> {
        match self.now {
            Some(at) => Arc::new(ManualClock::new(at)),
            None => Arc::new(SystemClock),
        }
    }

    fn command_id(&self, action: &Action) -> String {
        self.command_id.clone().unwrap_or_else(|| {
            let nanos = SystemClock.now().timestamp_nanos_opt().unwrap_or_default();
            format!("cli-{}-{nanos}-{}", action.name(), std::process::id())
        })
    }

    /// Opens the ledger to append to it.
    pub(crate) fn open(&self) -> Result<Ledger<SqliteStore>> {
        let store = SqliteStore::open(&self.ledger).map_err(refused)?;
        self.replayed(store)
    }

    /// Opens the ledger only to read it: works on a read-only copy and for
    /// a user who may only read the file.
    pub(crate) fn open_read(&self) -> Result<Ledger<SqliteStore>> {
        let store = SqliteStore::open_read_only(&self.ledger).map_err(refused)?;
        self.replayed(store)
    }

    fn replayed(&self, store: SqliteStore) -> Result<Ledger<SqliteStore>> {
        let ledger = Ledger::open(store)
            .map_err(refused)?
            .with_clock(self.clock());
        if ledger.checkpoint().size == 0 {
            return Err(anyhow::Error::new(Flagged(
                Failure::Violations,
                format!(
                    "{} holds no events: a ledger made by `xuncha leads init` holds at least the event that opened it",
                    self.ledger.display()
                ),
                Some(LEDGER_BROKEN),
            )));
        }
        Ok(ledger)
    }

    /// Runs one action and prints its receipt.
    pub(crate) fn run(
        &self,
        default: ActorRole,
        action: Action,
        check: Option<&dyn HandlerCheck>,
    ) -> Result<Receipt> {
        let mut ledger = self.open()?;
        let command = Command::new(self.command_id(&action), self.actor(default), action);
        let receipt = ledger.execute(&command, check).map_err(refused)?;
        print_receipt(&receipt, self.json)?;
        Ok(receipt)
    }
}

/// A ledger error, kept typed: `Failure::of` sorts it (refused commands
/// exit 5, broken ledgers 4, storage failures 1) and `hint_of` finds its
/// hint.
pub(crate) fn refused(err: xuncha::leads::Error) -> anyhow::Error {
    anyhow::Error::new(err)
}

fn print_receipt(receipt: &Receipt, json: bool) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(receipt)?);
        return Ok(());
    }
    let note = if receipt.duplicate {
        " (already recorded: nothing appended)"
    } else {
        ""
    };
    println!("command {}{note}", receipt.command);
    for event in &receipt.events {
        let about = event.change.lead().or(event.change.list()).unwrap_or("");
        println!("  #{} {} {about}", event.seq, event.change.kind());
        if let xuncha::leads::Change::HandlerRefused { conflicts, .. } = &event.change {
            for conflict in conflicts {
                println!("      refused: {conflict}");
            }
        }
    }
    println!("checkpoint {}", receipt.checkpoint);
    Ok(())
}

/// `xuncha leads`.
#[derive(Debug, Subcommand)]
pub(crate) enum LeadsCommand {
    /// Create a ledger file for a jurisdiction.
    Init(InitArgs),
    /// Create the office's identity key, which seals petitioners'
    /// identities; keep it apart from the ledger.
    Keygen(KeygenArgs),
    /// Register the roster and rules handlers are checked against (the
    /// inspection office or the leading group).
    RegisterRoster(RegisterRosterArgs),
    /// Reveal a lead's petitioner to the office, with the key: recorded as
    /// an event.
    Reveal(RevealArgs),
    /// Upgrade a ledger of schema version 1 in place, sealing its
    /// petitioners' identities with the key.
    Upgrade(UpgradeArgs),
    /// Record a ledger's current checkpoint in a level's witness file,
    /// after proving it extends what the file holds.
    Witness(WitnessArgs),
    /// Record a lead a team found.
    Add(AddArgs),
    /// Transfer a lead (移交) to a body at a level.
    Transfer(TransferArgs),
    /// Report a transfer to the city's or the county's leading group (双汇报).
    Report(ReportArgs),
    /// Receive a dual-reported lead as a handler (conflicts checked).
    Receive(ReceiveArgs),
    /// Dispose of a received lead.
    Dispose(DisposeArgs),
    /// File a case (立案) on a lead under preliminary verification.
    FileCase(FileCaseArgs),
    /// Conclude a lead with outcomes.
    Conclude(ConcludeArgs),
    /// Escalate (提级) one lead, or every overdue one.
    Escalate(EscalateArgs),
    /// List leads and rectification items past their deadlines.
    Overdue(OverdueArgs),
    /// Verify the ledger, and that it extends witnesses' checkpoints.
    Verify(VerifyArgs),
    /// An inclusion proof of one lead's events, for a supervisor.
    Prove(ProveArgs),
    /// Export the log or the state as JSON, CSV or xlsx.
    Export(ExportArgs),
    /// Create a ledger file from a log exported as JSON (a ledger copied
    /// between machines), after checking it hashes to its checkpoint.
    Import(ImportArgs),
}

/// `xuncha leads import`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha leads export --ledger leads.db --what log --format json --out log.json\n  xuncha leads import --from log.json --ledger copy.db"
)]
pub(crate) struct ImportArgs {
    /// The log export (JSON) to read.
    #[arg(long, value_name = "FILE")]
    from: PathBuf,
    /// The new ledger file (`SQLite`); must not exist.
    #[arg(long, value_name = "FILE")]
    ledger: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// `xuncha leads keygen`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha leads keygen --out /secure/office-3506.key\n\nThe file is owner-only (0600) and never replaced. Keep it off the machine that holds the ledger: a copy of the ledger without the key reveals no petitioner."
)]
pub(crate) struct KeygenArgs {
    /// Where to write the key; must not exist.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

/// `xuncha leads register-roster`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha leads register-roster --ledger leads.db --actor office-3506 --roster handlers.csv --rules rules.toml\n\nEvery later `receive` must use a roster and rules with this fingerprint; a handler cannot check themselves against a roster of their own."
)]
pub(crate) struct RegisterRosterArgs {
    #[command(flatten)]
    acting: Acting,
    /// The roster holding the handlers (and the implicated persons known).
    #[arg(long, value_name = "FILE")]
    roster: PathBuf,
    #[command(flatten)]
    world: World,
}

/// `xuncha leads reveal`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha leads reveal --ledger leads.db --actor office-3506 --lead L-001 --key /secure/office-3506.key --reason '答复信访人'"
)]
pub(crate) struct RevealArgs {
    #[command(flatten)]
    acting: Acting,
    /// The lead.
    #[arg(long, value_name = "ID")]
    lead: String,
    /// The office's identity key file.
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// Why the identity is needed (recorded).
    #[arg(long)]
    reason: String,
}

/// `xuncha leads upgrade`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha leads upgrade --ledger leads.db --key /secure/office-3506.key\n\nThe old file is verified, rebuilt beside itself with every identity sealed, verified again and renamed over the old one; on any failure the old file stays as it was."
)]
pub(crate) struct UpgradeArgs {
    /// The ledger file.
    #[arg(long, value_name = "FILE")]
    ledger: PathBuf,
    /// The office's identity key file.
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
}

/// `xuncha leads init`.
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  xuncha leads init --ledger leads.db --jurisdiction 3506")]
pub(crate) struct InitArgs {
    #[command(flatten)]
    acting: Acting,
    /// The jurisdiction's code (a city, usually).
    #[arg(long, value_name = "CODE")]
    jurisdiction: String,
    /// A deadline policy (TOML); the documented defaults when absent.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
}

/// `xuncha leads add`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha leads add --ledger leads.db --actor P0007 --role team-leader --lead L-001 --round 2026-1 --team 2026-1/350628 --target 350628 --summary '工程款去向不明' --source petition-visit --petitioner-file - --key office.key --found-on 2026-03-02 < petitioner.txt\n\nThe petitioner's identity is read from a file or standard input, never from the command line (where any local user could read it), and stored only sealed with the key."
)]
pub(crate) struct AddArgs {
    #[command(flatten)]
    acting: Acting,
    /// The lead's id.
    #[arg(long, value_name = "ID")]
    lead: String,
    /// The round.
    #[arg(long)]
    round: String,
    /// The team (round/target).
    #[arg(long)]
    team: String,
    /// The inspected county's code.
    #[arg(long, value_name = "CODE")]
    target: String,
    /// What it is about (never the petitioner's identity).
    #[arg(long)]
    summary: String,
    /// petition-letter, petition-call, petition-visit, interview,
    /// document-check, or other:TEXT.
    #[arg(long)]
    source: LeadSource,
    /// A file holding the petitioner's identity (`-`: standard input),
    /// stored sealed with --key and never exported.
    #[arg(long, value_name = "FILE", requires = "key")]
    petitioner_file: Option<PathBuf>,
    /// The office's identity key file (from `xuncha leads keygen`).
    #[arg(long, value_name = "FILE")]
    key: Option<PathBuf>,
    /// When it was found.
    #[arg(long, value_name = "DATE")]
    found_on: NaiveDate,
    /// A person it implicates (repeat).
    #[arg(long = "person", value_name = "ID")]
    persons: Vec<String>,
    /// A unit or division it implicates (repeat).
    #[arg(long = "unit", value_name = "UNIT")]
    units: Vec<String>,
    /// Fast-track (直查快办): shorter deadlines.
    #[arg(long)]
    fast_track: bool,
}

/// `xuncha leads transfer`.
#[derive(Debug, Args)]
pub(crate) struct TransferArgs {
    #[command(flatten)]
    acting: Acting,
    /// The lead.
    #[arg(long, value_name = "ID")]
    lead: String,
    /// discipline-commission, organisation-department, or other:NAME.
    #[arg(long, default_value = "discipline-commission")]
    to: Body,
    /// county, city or province.
    #[arg(long, value_parser = parse_level, default_value = "county")]
    level: Level,
}

fn parse_level(text: &str) -> Result<Level, String> {
    text.parse::<Level>().map_err(|e| e.to_string())
}

/// `xuncha leads report`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha leads report --ledger leads.db --actor office-3506 --lead L-001 --to city --witness city-3506.witness\n\nThe witness file is the level's own record of this ledger: created by the first report, it takes the checkpoint just after each report once a consistency proof shows the ledger extends what it saw before. Each level keeps its file; `xuncha leads verify --witnesses FILE...` checks the ledger against them."
)]
pub(crate) struct ReportArgs {
    #[command(flatten)]
    acting: Acting,
    /// The lead.
    #[arg(long, value_name = "ID")]
    lead: String,
    /// city (the city's leading group) or county (the county's leading
    /// group and party secretary).
    #[arg(long, value_parser = ["city", "county"])]
    to: String,
    /// The witness file of the level reported to.
    #[arg(long, value_name = "FILE")]
    witness: PathBuf,
    /// Start the witness file: the first report to this level. Without
    /// it, a missing file is an error, not silently a new witness.
    #[arg(long)]
    new_witness: bool,
}

/// `xuncha leads witness`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example (the city, on its own machine, with the copy of the county's ledger it received):\n  xuncha leads witness --ledger county-copy.db --witness city-350628.witness --keeper '漳州市巡察领导小组'\n\nRefused (exit 4, the file unchanged) when the ledger does not extend what the file holds. This is the witness pulling, as Certificate Transparency's witnesses do; `report --witness` is the same step when the level's file is reachable from the county's machine."
)]
pub(crate) struct WitnessArgs {
    /// The ledger (a copy is enough: it is opened read-only).
    #[arg(long, value_name = "FILE")]
    ledger: PathBuf,
    /// The level's witness file of this ledger.
    #[arg(long, value_name = "FILE")]
    witness: PathBuf,
    /// Who keeps the witness (for a new file; checked against an old one).
    #[arg(long, value_name = "TEXT")]
    keeper: String,
    /// Start the witness file.
    #[arg(long)]
    new_witness: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// `xuncha leads receive`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha leads receive --ledger leads.db --actor H1 --lead L-001 --roster handlers.csv --rules rules.toml\n\nThe roster and rules must be those registered with `register-roster`. A handler with a conflict is refused (exit 5) and the lead escalated, once per handler."
)]
pub(crate) struct ReceiveArgs {
    #[command(flatten)]
    acting: Acting,
    /// The lead.
    #[arg(long, value_name = "ID")]
    lead: String,
    /// The registered roster holding the handler (and any implicated
    /// persons), for the conflict check.
    #[arg(long, value_name = "FILE")]
    roster: PathBuf,
    #[command(flatten)]
    world: World,
}

/// `xuncha leads dispose`.
#[derive(Debug, Args)]
pub(crate) struct DisposeArgs {
    #[command(flatten)]
    acting: Acting,
    /// The lead.
    #[arg(long, value_name = "ID")]
    lead: String,
    /// inquiry, preliminary-verification, shelved or closed.
    #[arg(long = "as", value_parser = parse_disposal)]
    disposal: Disposal,
    /// Why.
    #[arg(long)]
    reason: String,
}

fn parse_disposal(text: &str) -> Result<Disposal, String> {
    match text {
        "inquiry" => Ok(Disposal::Inquiry),
        "preliminary-verification" => Ok(Disposal::PreliminaryVerification),
        "shelved" => Ok(Disposal::Shelved),
        "closed" => Ok(Disposal::Closed),
        other => Err(format!(
            "unknown disposal `{other}`: expected inquiry, preliminary-verification, shelved or closed"
        )),
    }
}

/// `xuncha leads file-case`.
#[derive(Debug, Args)]
pub(crate) struct FileCaseArgs {
    #[command(flatten)]
    acting: Acting,
    /// The lead.
    #[arg(long, value_name = "ID")]
    lead: String,
    /// Why.
    #[arg(long)]
    reason: String,
}

/// `xuncha leads conclude`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha leads conclude --ledger leads.db --actor H1 --role discipline-handler --lead L-001 --sanction '某某:party-serious-warning:违规发放补贴' --funds '120000:追回补贴' --reason 审查终结"
)]
pub(crate) struct ConcludeArgs {
    #[command(flatten)]
    acting: Acting,
    /// The lead.
    #[arg(long, value_name = "ID")]
    lead: String,
    /// PERSON:KIND:REASON, KIND one of party-warning, party-serious-warning,
    /// party-post-removal, party-probation, party-expulsion,
    /// administrative-warning, administrative-demerit,
    /// administrative-major-demerit, administrative-demotion,
    /// administrative-dismissal-from-post, administrative-expulsion.
    #[arg(long = "sanction", value_name = "PERSON:KIND:REASON")]
    sanctions: Vec<String>,
    /// PERSON:REASON, referred to the prosecutors.
    #[arg(long = "referral", value_name = "PERSON:REASON")]
    referrals: Vec<String>,
    /// YUAN:REASON, funds recovered.
    #[arg(long = "funds", value_name = "YUAN:REASON")]
    funds: Vec<String>,
    /// No action, with the reason.
    #[arg(long = "no-action", value_name = "REASON")]
    no_action: Option<String>,
    /// The reason for concluding.
    #[arg(long)]
    reason: String,
}

impl ConcludeArgs {
    fn outcomes(&self) -> Result<Vec<Outcome>> {
        let mut outcomes = Vec::new();
        for text in &self.sanctions {
            let mut parts = text.splitn(3, ':');
            let (Some(person), Some(kind), Some(reason)) =
                (parts.next(), parts.next(), parts.next())
            else {
                return Err(bad_input(format!(
                    "--sanction `{text}`: expected PERSON:KIND:REASON"
                )));
            };
            let sanction =
                serde_json::from_value::<SanctionKind>(serde_json::Value::String(kind.to_owned()))
                    .map_err(|_| {
                        bad_input(format!(
                            "--sanction `{text}`: unknown kind `{kind}` (see --help)"
                        ))
                    })?;
            outcomes.push(Outcome::Sanction {
                person: person.to_owned(),
                sanction,
                reason: reason.to_owned(),
            });
        }
        for text in &self.referrals {
            let (person, reason) = text
                .split_once(':')
                .ok_or_else(|| bad_input(format!("--referral `{text}`: expected PERSON:REASON")))?;
            outcomes.push(Outcome::JudicialReferral {
                person: person.to_owned(),
                reason: reason.to_owned(),
            });
        }
        for text in &self.funds {
            let (yuan, reason) = text
                .split_once(':')
                .and_then(|(y, r)| Some((y.parse::<u64>().ok()?, r)))
                .ok_or_else(|| {
                    bad_input(format!(
                        "--funds `{text}`: expected YUAN:REASON with a whole number of yuan"
                    ))
                })?;
            outcomes.push(Outcome::FundsRecovered {
                yuan,
                reason: reason.to_owned(),
            });
        }
        if let Some(reason) = &self.no_action {
            outcomes.push(Outcome::NoAction {
                reason: reason.clone(),
            });
        }
        Ok(outcomes)
    }
}

/// `xuncha leads escalate`.
#[derive(Debug, Args)]
pub(crate) struct EscalateArgs {
    #[command(flatten)]
    acting: Acting,
    /// The lead; with --overdue, every overdue lead instead.
    #[arg(long, value_name = "ID", required_unless_present = "overdue")]
    lead: Option<String>,
    /// Escalate every lead past its deadline.
    #[arg(long, conflicts_with = "lead")]
    overdue: bool,
}

/// `xuncha leads overdue`.
#[derive(Debug, Args)]
pub(crate) struct OverdueArgs {
    #[command(flatten)]
    acting: Acting,
}

/// `xuncha leads verify`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  xuncha leads verify --ledger leads.db\n  xuncha leads verify --ledger leads.db --witnesses city-3506.witness county-350628.witness\n  xuncha leads verify --ledger leads.db --checkpoint 12:3f0c…  (a `checkpoint N:…` line an earlier command printed)\n\nOpens the file read-only: works on a copy and for a user who may only read it."
)]
pub(crate) struct VerifyArgs {
    #[command(flatten)]
    acting: Acting,
    /// Witness files (kept by the levels reported to) whose every
    /// checkpoint the ledger must extend.
    #[arg(long = "witnesses", value_name = "FILE", num_args = 1..)]
    witness_files: Vec<PathBuf>,
    /// A checkpoint SIZE:ROOT that the ledger must extend: the
    /// `checkpoint N:…` line an earlier command printed (repeat).
    #[arg(long = "checkpoint", alias = "witness", value_name = "SIZE:ROOT", value_parser = parse_checkpoint)]
    witnesses: Vec<Checkpoint>,
}

/// `xuncha leads prove`.
#[derive(Debug, Args)]
pub(crate) struct ProveArgs {
    #[command(flatten)]
    acting: Acting,
    /// The lead.
    #[arg(long, value_name = "ID")]
    lead: String,
    /// Where to write the proof (JSON); standard output when absent.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// `xuncha leads export`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  xuncha leads export --ledger leads.db --what leads --format csv --bom --out leads.csv\n  xuncha leads export --ledger leads.db --what all --format xlsx --out 台账.xlsx"
)]
pub(crate) struct ExportArgs {
    #[command(flatten)]
    acting: Acting,
    /// log, leads, findings, state, or all (xlsx only: one sheet each).
    #[arg(long, value_parser = ["log", "leads", "findings", "state", "all"])]
    what: String,
    /// json, csv or xlsx.
    #[arg(long, value_parser = ["json", "csv", "xlsx"])]
    format: String,
    /// Start CSV with a UTF-8 byte-order mark, for Excel.
    #[arg(long)]
    bom: bool,
    /// Where to write.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

pub(crate) fn run(command: LeadsCommand) -> Result<()> {
    use ActorRole::{DisciplineHandler, InspectionOffice, TeamLeader};
    match command {
        LeadsCommand::Init(args) => init(&args),
        LeadsCommand::Keygen(args) => keygen(&args),
        LeadsCommand::RegisterRoster(args) => register_roster(&args),
        LeadsCommand::Reveal(args) => reveal(&args),
        LeadsCommand::Witness(args) => witness_pull(&args),
        LeadsCommand::Upgrade(args) => {
            let key = IdentityKey::from_path(&args.key).map_err(refused)?;
            let events = SqliteStore::upgrade(&args.ledger, &key).map_err(refused)?;
            println!(
                "{} is at schema version {}: {events} events, identities sealed with key {}",
                args.ledger.display(),
                xuncha::leads::SCHEMA_VERSION,
                key.id()
            );
            Ok(())
        }
        LeadsCommand::Add(args) => add(args),
        LeadsCommand::Transfer(args) => args
            .acting
            .run(
                TeamLeader,
                Action::Transfer {
                    lead: args.lead,
                    body: args.to,
                    level: args.level,
                },
                None,
            )
            .map(drop),
        LeadsCommand::Report(args) => report(&args),
        LeadsCommand::Receive(args) => receive(&args),
        LeadsCommand::Dispose(args) => args
            .acting
            .run(
                DisciplineHandler,
                Action::Dispose {
                    lead: args.lead,
                    disposal: args.disposal,
                    reason: args.reason,
                },
                None,
            )
            .map(drop),
        LeadsCommand::FileCase(args) => args
            .acting
            .run(
                DisciplineHandler,
                Action::FileCase {
                    lead: args.lead,
                    reason: args.reason,
                },
                None,
            )
            .map(drop),
        LeadsCommand::Conclude(args) => {
            let outcomes = args.outcomes()?;
            args.acting
                .run(
                    DisciplineHandler,
                    Action::Conclude {
                        lead: args.lead,
                        outcomes,
                        reason: args.reason,
                    },
                    None,
                )
                .map(drop)
        }
        LeadsCommand::Escalate(args) => {
            let action = match args.lead {
                Some(lead) if !args.overdue => Action::Escalate { lead },
                _ => Action::EscalateOverdue,
            };
            args.acting.run(InspectionOffice, action, None).map(drop)
        }
        LeadsCommand::Overdue(args) => overdue(&args.acting),
        LeadsCommand::Verify(args) => verify(&args),
        LeadsCommand::Import(args) => import(&args),
        LeadsCommand::Prove(args) => prove(&args),
        LeadsCommand::Export(args) => export(&args),
    }
}

fn add(args: AddArgs) -> Result<()> {
    let lead = LeadFacts {
        id: args.lead,
        round: args.round,
        team: args.team,
        target: Code::parse(&args.target).map_err(|e| bad_input(format!("--target: {e}")))?,
        persons: args.persons,
        units: args.units,
        summary: args.summary,
        source: args.source,
        found_on: args.found_on,
        fast_track: args.fast_track,
    };
    let petitioner = match &args.petitioner_file {
        Some(path) => Some(read_identity(path)?),
        None => None,
    };
    let action = Action::AddLead { lead, petitioner };
    let mut ledger = args.acting.open()?;
    if let Some(path) = &args.key {
        ledger = ledger.with_identity_key(IdentityKey::from_path(path).map_err(refused)?);
    }
    let command = Command::new(
        args.acting.command_id(&action),
        args.acting.actor(ActorRole::TeamMember),
        action,
    );
    let receipt = ledger.execute(&command, None).map_err(refused)?;
    print_receipt(&receipt, args.acting.json)
}

/// Reads a petitioner's identity from a file or standard input (`-`),
/// within a small limit; surrounding white space is dropped.
fn read_identity(path: &Path) -> Result<String> {
    let limits = xuncha::org::Limits::default().with_max_input_bytes(64 * 1024);
    let mut text = String::new();
    if path.as_os_str() == "-" {
        limits
            .reader(Path::new("standard input"), std::io::stdin().lock())
            .read_to_string(&mut text)
            .map_err(|e| bad_input(format!("reading the petitioner's identity: {e}")))?;
    } else {
        limits
            .open(path)?
            .read_to_string(&mut text)
            .map_err(|e| bad_input(format!("{}: {e}", path.display())))?;
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(bad_input(format!(
            "{}: no petitioner identity in it",
            path.display()
        )));
    }
    Ok(text.to_owned())
}

fn keygen(args: &KeygenArgs) -> Result<()> {
    let key = IdentityKey::generate().map_err(refused)?;
    key.write_new(&args.out).map_err(refused)?;
    println!(
        "identity key {} written to {} (owner-only); keep it apart from the ledger",
        key.id(),
        args.out.display()
    );
    Ok(())
}

fn register_roster(args: &RegisterRosterArgs) -> Result<()> {
    let world = args.world.load()?;
    let roster = inputs::roster(&args.roster, &world)?;
    let engine = Engine::new(&world.hierarchy, &world.units, world.rules.clone());
    let fingerprint = AvoidanceCheck::fingerprint_of(&engine, &roster);
    let description = format!(
        "roster {} ({} people), rules {}",
        args.roster.display(),
        roster.len(),
        args.world
            .rules
            .as_ref()
            .map_or_else(|| "default".to_owned(), |p| p.display().to_string())
    );
    let action = Action::RegisterCheck {
        fingerprint,
        description,
    };
    args.acting.run(ActorRole::InspectionOffice, action, None)?;
    if !args.acting.json {
        println!("registered conflict check {fingerprint}");
    }
    Ok(())
}

fn reveal(args: &RevealArgs) -> Result<()> {
    let key = IdentityKey::from_path(&args.key).map_err(refused)?;
    let mut ledger = args.acting.open()?.with_identity_key(key);
    let action = Action::RevealPetitioner {
        lead: args.lead.clone(),
        reason: args.reason.clone(),
    };
    let command = Command::new(
        args.acting.command_id(&action),
        args.acting.actor(ActorRole::InspectionOffice),
        action,
    );
    let (receipt, identity) = ledger.reveal_petitioner(&command).map_err(refused)?;
    if args.acting.json {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({ "receipt": receipt, "identity": identity })
            )?
        );
    } else {
        print_receipt(&receipt, false)?;
        println!("petitioner of {}: {identity}", args.lead);
    }
    Ok(())
}

fn report(args: &ReportArgs) -> Result<()> {
    let to = if args.to == "city" {
        ReportRecipient::CityLeadingGroup
    } else {
        ReportRecipient::CountyLeadingGroup
    };
    let action = Action::Report {
        lead: args.lead.clone(),
        to,
    };
    let mut ledger = args.acting.open()?;
    let log = ledger.log_id().unwrap_or_default();
    let keeper = format!("the {} leading group", to.as_str());
    let witness = load_witness(&args.witness, args.new_witness, log, &keeper)?;
    // Before anything is appended: the ledger must extend what this level
    // saw at its last report.
    ledger.check_witness(&witness).map_err(refused)?;
    let command = Command::new(
        args.acting.command_id(&action),
        args.acting.actor(ActorRole::InspectionOffice),
        action,
    );
    let receipt = ledger.execute(&command, None).map_err(refused)?;
    let now = args.acting.clock().now();
    // Read the file again: another report to this level may have been
    // witnessed meanwhile, and its checkpoint must not be lost.
    ledger.refresh().map_err(refused)?;
    let mut witness = if args.witness.exists() {
        load_witness(&args.witness, false, log, &keeper)?
    } else {
        witness
    };
    // The report is recorded whatever happens to the witness file now.
    print_receipt(&receipt, args.acting.json)?;
    let seen = ledger.witness(&mut witness, now).map_err(refused)?;
    witness.write_path(&args.witness).map_err(refused).with_context(|| {
        format!(
            "the report is recorded, but {} could not be written (the old file is in place): witness it again with `xuncha leads witness --ledger {} --witness {} --keeper '{keeper}'`",
            args.witness.display(),
            args.acting.ledger.display(),
            args.witness.display()
        )
    })?;
    if !args.acting.json {
        println!(
            "witnessed by {keeper} in {}: checkpoint {seen} (it covers the report)",
            args.witness.display()
        );
    }
    Ok(())
}

/// The witness file at `path`, of the ledger `log` and the keeper
/// `keeper`; a new one only when asked for.
fn load_witness(
    path: &Path,
    new: bool,
    log: xuncha::leads::merkle::Hash,
    keeper: &str,
) -> Result<Witness> {
    if !path.exists() {
        if new {
            return Ok(Witness::new(log, keeper));
        }
        return Err(bad_input(format!(
            "{}: no such witness file; give --new-witness for the first report to this level (a missing file is never silently a new witness)",
            path.display()
        )));
    }
    if new {
        return Err(bad_input(format!(
            "{}: --new-witness, but the file exists: it is this level's record, never replaced",
            path.display()
        )));
    }
    let witness = Witness::from_path(path).map_err(refused)?;
    if witness.keeper != keeper {
        return Err(bad_input(format!(
            "{} is the witness kept by {}, not by {keeper}",
            path.display(),
            witness.keeper
        )));
    }
    Ok(witness)
}

fn witness_pull(args: &WitnessArgs) -> Result<()> {
    let store = SqliteStore::open_read_only(&args.ledger).map_err(refused)?;
    let ledger = Ledger::open(store).map_err(refused)?;
    let log = ledger.log_id().ok_or_else(|| {
        anyhow::Error::new(Flagged(
            Failure::Violations,
            format!("{} holds no events", args.ledger.display()),
            Some(LEDGER_BROKEN),
        ))
    })?;
    let mut witness = load_witness(&args.witness, args.new_witness, log, &args.keeper)?;
    let seen = ledger
        .witness(&mut witness, SystemClock.now())
        .map_err(refused)?;
    witness.write_path(&args.witness).map_err(refused)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&witness)?);
    } else {
        println!(
            "{} witnessed checkpoint {seen} of {} in {} ({} checkpoints held)",
            args.keeper,
            args.ledger.display(),
            args.witness.display(),
            witness.seen.len()
        );
    }
    Ok(())
}

fn receive(args: &ReceiveArgs) -> Result<()> {
    let world = args.world.load()?;
    let roster = inputs::roster(&args.roster, &world)?;
    let engine = Engine::new(&world.hierarchy, &world.units, world.rules.clone());
    let check = AvoidanceCheck::new(&engine, &roster);
    let action = Action::Receive {
        lead: args.lead.clone(),
    };
    let receipt = args
        .acting
        .run(ActorRole::DisciplineHandler, action, Some(&check))?;
    let refused_for = receipt.events.iter().find_map(|e| match &e.change {
        Change::HandlerRefused { conflicts, .. } => Some(conflicts.len()),
        _ => None,
    });
    match refused_for {
        Some(conflicts) => Err(anyhow::Error::new(Flagged(
            Failure::Refused,
            format!(
                "{} may not receive lead {}: {conflicts} conflict(s) of interest, recorded in the ledger",
                args.acting.actor, args.lead
            ),
            Some(
                "the refusal is recorded and the lead escalated once per handler; another handler without a conflict receives it",
            ),
        ))),
        None => Ok(()),
    }
}

fn init(args: &InitArgs) -> Result<()> {
    let jurisdiction =
        Code::parse(&args.jurisdiction).map_err(|e| bad_input(format!("--jurisdiction: {e}")))?;
    let policy = match &args.policy {
        Some(path) => DeadlinePolicy::from_toml_path(path).map_err(refused)?,
        None => DeadlinePolicy::default(),
    };
    if args.acting.ledger.exists() {
        return Err(bad_input(format!(
            "{} already exists; `init` creates a new ledger",
            args.acting.ledger.display()
        )));
    }
    let action = Action::Open {
        jurisdiction,
        policy,
    };
    let command = Command::new(
        args.acting.command_id(&action),
        args.acting.actor(ActorRole::InspectionOffice),
        action,
    );
    // Made in a temporary file and moved into place whole: a killed `init`
    // leaves nothing that blocks the retry.
    let receipt = SqliteStore::create_new(&args.acting.ledger, |store| {
        let mut ledger = Ledger::open(store)?.with_clock(args.acting.clock());
        ledger.execute(&command, None)
    })
    .map_err(refused)?;
    print_receipt(&receipt, args.acting.json)
}

fn import(args: &ImportArgs) -> Result<()> {
    if args.ledger.exists() {
        return Err(bad_input(format!(
            "{} already exists; `import` creates a new ledger",
            args.ledger.display()
        )));
    }
    let name = args.from.display().to_string();
    let file = xuncha::org::Limits::default().open(&args.from)?;
    // Imported into a temporary file, verified, and only then moved into
    // place: a killed or failed import leaves no file behind.
    let report = SqliteStore::create_new(&args.ledger, |mut store| {
        xuncha::leads::export::import_log_json(file, &name, &mut store)?;
        Ledger::open(store)?.verify()
    })
    .map_err(refused)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "imported {} events into {}; it verifies, head {}",
            report.events,
            args.ledger.display(),
            report.head
        );
    }
    Ok(())
}

fn overdue(acting: &Acting) -> Result<()> {
    let ledger = acting.open_read()?;
    let now = acting.clock().now();
    let leads = ledger.state().overdue(now);
    let items = ledger.state().overdue_items(now.date_naive());
    if acting.json {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({ "now": now, "leads": leads, "items": items })
            )?
        );
        return Ok(());
    }
    println!(
        "{} leads and {} rectification items overdue at {}",
        leads.len(),
        items.len(),
        now.to_rfc3339()
    );
    for lead in &leads {
        println!(
            "  lead {} ({}, {}): due {}, {} days over; held by {}",
            lead.lead,
            lead.stage,
            lead.stage.chinese(),
            lead.deadline.to_rfc3339(),
            lead.days_overdue,
            lead.holder
        );
    }
    for item in &items {
        println!(
            "  item {}#{} of {}: due {}; responsible {}",
            item.list, item.item, item.unit, item.deadline, item.responsible
        );
    }
    Ok(())
}

fn verify(args: &VerifyArgs) -> Result<()> {
    let ledger = args.acting.open_read()?;
    let report = ledger.verify().map_err(refused)?;
    let mut proofs = Vec::new();
    for witness in &args.witnesses {
        let proof = ledger.prove_extends(witness).map_err(refused)?;
        if !proof.verify() {
            return Err(anyhow::Error::new(Flagged(
                Failure::Violations,
                format!("the consistency proof from {witness} does not verify"),
                Some(LEDGER_BROKEN),
            )));
        }
        proofs.push(proof);
    }
    let mut witnessed = Vec::new();
    for path in &args.witness_files {
        let witness = Witness::from_path(path).map_err(refused)?;
        let checked = ledger
            .check_witness(&witness)
            .map_err(refused)
            .with_context(|| format!("checking the witness file {}", path.display()))?;
        witnessed.push((path, checked));
    }
    if args.acting.json {
        let files: Vec<_> = witnessed
            .iter()
            .map(|(path, report)| serde_json::json!({ "file": path, "report": report }))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "verified": report,
                "witnesses": proofs,
                "witness_files": files,
            }))?
        );
    } else {
        println!(
            "ledger verifies: {} events, {} checkpoints, head {}",
            report.events, report.checkpoints, report.head
        );
        for proof in &proofs {
            println!(
                "extends checkpoint {} ({} proof hashes)",
                proof.old,
                proof.proof.len()
            );
        }
        for (path, checked) in &witnessed {
            println!(
                "extends every checkpoint {1} witnessed ({0} in {2}), the last {3}",
                checked.checked,
                checked.keeper,
                path.display(),
                checked
                    .last
                    .map_or_else(|| "none".to_owned(), |c| c.to_string())
            );
        }
    }
    Ok(())
}

fn prove(args: &ProveArgs) -> Result<()> {
    let ledger = args.acting.open_read()?;
    let proof = ledger.prove_lead(&args.lead).map_err(refused)?;
    let text = serde_json::to_string_pretty(&proof)?;
    match &args.out {
        Some(path) => inputs::write(path, text.as_bytes())?,
        None => println!("{text}"),
    }
    Ok(())
}

/// Exports from one consistent read of a ledger that verifies (opening
/// refuses one that does not), to a file written whole, owner-only.
fn export(args: &ExportArgs) -> Result<()> {
    let ledger = args.acting.open_read()?;
    let events = ledger.events().map_err(refused)?;
    let state = ledger.state();
    let tables = || match args.what.as_str() {
        "log" => vec![log_table(&events)],
        "leads" => vec![leads_table(state)],
        "findings" => vec![findings_table(state)],
        _ => vec![
            leads_table(state),
            findings_table(state),
            log_table(&events),
        ],
    };
    let mut bytes = Vec::new();
    match (args.format.as_str(), args.what.as_str()) {
        ("xlsx", "state") => {
            return Err(bad_input(
                "--what state exports as json; for xlsx use leads, findings, log or all",
            ));
        }
        ("xlsx", _) => {
            return write_xlsx(&tables(), &args.out)
                .map_err(refused)
                .with_context(|| format!("writing {}", args.out.display()));
        }
        ("json", "log") => {
            write_log_json(&events, ledger.checkpoint(), &mut bytes).map_err(refused)?;
        }
        ("json", _) => write_state_json(state, &mut bytes).map_err(refused)?,
        ("csv", "state" | "all") => {
            return Err(bad_input(
                "--format csv exports one table: --what log, leads or findings",
            ));
        }
        _ => tables()[0]
            .write_csv(&mut bytes, args.bom)
            .map_err(refused)?,
    }
    inputs::write_private(&args.out, &bytes)
}
