//! `xuncha leads`: the lead ledger from the shell. This file holds what
//! every subcommand shares (who acts, when, the subcommands) and the
//! dispatch; [`args`] the arguments of each, [`write`] the commands that
//! append or create, [`read`] those that only read.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Subcommand};
use xuncha::leads::export::{
    findings_table, leads_table, log_table, write_log_json, write_state_json, write_xlsx,
};
use xuncha::leads::{
    Action, Actor, ActorRole, Appender, AvoidanceCheck, Body, Change, Checkpoint, Clock, Command,
    DeadlinePolicy, Disposal, HandlerCheck, IdentityKey, LeadFacts, LeadSource, Ledger,
    ManualClock, Outcome, Receipt, ReportRecipient, SanctionKind, SignedCommand, SigningKey,
    SqliteStore, SystemClock, TeamPost, VerifierKey, Witness,
};
use xuncha::leads::{Authorities, Enrolment};
use xuncha::org::{Code, Level};

use crate::failure::{Failure, Flagged, LEDGER_BROKEN, bad_input};
use crate::inputs::{self, World};

mod args;
mod read;
mod write;

use args::{
    AddArgs, AuthorisationsArgs, AuthoriseArgs, ClustersArgs, ConcludeArgs, DisposeArgs, EnrolArgs,
    EscalateArgs, ExportArgs, FileCaseArgs, ImportArgs, InitArgs, KeygenArgs, OverdueArgs,
    ProveArgs, ReceiveArgs, RegisterRosterArgs, ReportArgs, RevealArgs, RevokeArgs, TransferArgs,
    UpgradeArgs, VerifyArgs, WitnessArgs,
};
use read::{authorisations, clusters, export, overdue, prove, verify};
use write::{
    add, authorise, enrol, import, init, keygen, receive, register_roster, report, reveal, revoke,
    upgrade, witness_pull,
};

/// What every ledger command takes: the file, who acts, and when.
#[derive(Debug, Args, Clone)]
pub(crate) struct Acting {
    /// The ledger file (`SQLite`).
    #[arg(long, value_name = "FILE")]
    pub(crate) ledger: PathBuf,
    /// Who acts: an id (a person id for handlers in the roster). With
    /// `--sign`, the key's name when absent (and it must be that name when
    /// given); `cli` otherwise.
    #[arg(long, value_name = "ID")]
    pub(crate) actor: Option<String>,
    /// The actor's signing key (`xuncha leads keygen --actor ID`): a
    /// signed ledger (made by `init --sign --city-key`) takes only
    /// commands signed with a key enrolled for the actor and role. Keep it
    /// owner-only and away from the ledger's folder.
    #[arg(long = "sign", value_name = "FILE")]
    pub(crate) sign: Option<PathBuf>,
    /// The role they act in: team-member, team-leader, inspection-office,
    /// discipline-handler, leading-group or supervision-group (督导组).
    /// When absent, the role the command is usually issued in (the
    /// office's for `reveal`, `report` and rectification, a handler's for
    /// `receive`, ...); the role is recorded with every event, and a role
    /// the command does not allow is refused.
    #[arg(long, value_name = "ROLE", value_parser = parse_role)]
    pub(crate) role: Option<ActorRole>,
    /// The command's id: sending the same id twice appends once. A fresh
    /// id when absent.
    #[arg(long = "id", value_name = "ID")]
    pub(crate) command_id: Option<String>,
    /// The time to record (RFC 3339), for entering records after the
    /// fact and for tests; the system clock when absent. It must lie
    /// between 1949-10-01 and 2100-12-31 and not before the ledger's last
    /// event; a command that records may not date it after the system
    /// clock.
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
    xuncha::org::dates::check("the time", time.date_naive()).map_err(|e| e.to_string())?;
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
        let id = self.actor.clone().unwrap_or_else(|| {
            self.sign
                .as_ref()
                .and_then(|path| SigningKey::from_path(path).ok())
                .map_or_else(|| "cli".to_owned(), |key| key.name().to_owned())
        });
        Actor::new(id, self.role.unwrap_or(default))
    }

    /// The signing key given with `--sign`, whose name must be the actor's.
    fn signing_key(&self) -> Result<Option<SigningKey>> {
        let Some(path) = &self.sign else {
            return Ok(None);
        };
        let key = SigningKey::from_path(path).map_err(refused)?;
        if let Some(actor) = &self.actor
            && actor != key.name()
        {
            return Err(bad_input(format!(
                "--actor {actor}: the key in {} is {}'s; a key signs for the actor it names",
                path.display(),
                key.name()
            )));
        }
        Ok(Some(key))
    }

    /// Executes `command` on `ledger`, signed with `--sign` when given, at
    /// the command's time (`--now`, or the system clock).
    fn execute<L: Executes>(
        &self,
        ledger: &mut L,
        command: Command,
        check: Option<&dyn HandlerCheck>,
    ) -> Result<Receipt> {
        match self.signing_key()? {
            Some(key) => {
                let signed = SignedCommand::sign(command, ledger.log(), self.clock().now(), &key);
                ledger.run_signed(&signed, check).map_err(refused)
            }
            None => ledger.run(&command, check).map_err(refused),
        }
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

    /// Refuses a `--now` after the system clock (a day's grace for clocks
    /// that disagree) for a command that records: the log only moves
    /// forward, so one record dated in the future would refuse every
    /// later command not dated later still. Reading at a future time
    /// (`leads overdue --now`) is allowed.
    pub(super) fn not_in_the_future(&self) -> Result<()> {
        let Some(at) = self.now else {
            return Ok(());
        };
        let latest = SystemClock.now() + chrono::Duration::days(1);
        if at > latest {
            return Err(crate::failure::bad_input_hinted(
                format!(
                    "--now {}: after the system clock ({}); a record is never dated in the future",
                    at.to_rfc3339(),
                    read::when(SystemClock.now())
                ),
                "--now dates a record entered after the fact: give the time it happened, or leave --now out",
            ));
        }
        Ok(())
    }

    /// Opens the ledger to append to it.
    pub(crate) fn open(&self) -> Result<Ledger<SqliteStore>> {
        self.not_in_the_future()?;
        let store = SqliteStore::open(&self.ledger).map_err(refused)?;
        self.replayed(store)
    }

    /// Opens the ledger only to read it: works on a read-only copy and for
    /// a user who may only read the file.
    pub(crate) fn open_read(&self) -> Result<Ledger<SqliteStore>> {
        let store = SqliteStore::open_read_only(&self.ledger).map_err(refused)?;
        self.replayed(store)
    }

    /// Opens the ledger to append one command: from its snapshot, reading
    /// only the leads the command names.
    pub(crate) fn appender(&self) -> Result<Appender<SqliteStore>> {
        self.not_in_the_future()?;
        let store = SqliteStore::open(&self.ledger).map_err(refused)?;
        let appender = Appender::open(store)
            .map_err(refused)?
            .with_clock(self.clock());
        self.not_empty(appender.checkpoint().size)?;
        Ok(appender)
    }

    /// The whole ledger replayed (a spinner on a terminal when that takes
    /// over a second: a long history).
    fn replayed(&self, store: SqliteStore) -> Result<Ledger<SqliteStore>> {
        let progress = crate::output::spinner(format!("replaying {}", self.ledger.display()));
        let ledger = Ledger::open(store);
        progress.finish_and_clear();
        let ledger = ledger.map_err(refused)?.with_clock(self.clock());
        self.not_empty(ledger.checkpoint().size)?;
        Ok(ledger)
    }

    fn not_empty(&self, size: u64) -> Result<()> {
        if size == 0 {
            return Err(anyhow::Error::new(Flagged(
                Failure::Violations,
                format!(
                    "{} holds no events: a ledger made by `xuncha leads init` holds at least the event that opened it",
                    self.ledger.display()
                ),
                Some(LEDGER_BROKEN),
            )));
        }
        Ok(())
    }

    /// Runs one action and prints its receipt.
    pub(crate) fn run(
        &self,
        default: ActorRole,
        action: Action,
        check: Option<&dyn HandlerCheck>,
    ) -> Result<Receipt> {
        self.run_keeping(default, action, check)
            .map(|(receipt, _)| receipt)
    }

    /// As [`Acting::run`], keeping the appender, for a question about what
    /// was just appended that reads only the records it names.
    pub(crate) fn run_keeping(
        &self,
        default: ActorRole,
        action: Action,
        check: Option<&dyn HandlerCheck>,
    ) -> Result<(Receipt, Appender<SqliteStore>)> {
        let mut ledger = self.appender()?;
        let command = Command::new(self.command_id(&action), self.actor(default), action);
        let receipt = self.execute(&mut ledger, command, check)?;
        print_receipt(&receipt, self.json)?;
        Ok((receipt, ledger))
    }
}

/// A ledger the command line executes commands on: opened whole or to
/// append.
pub(crate) trait Executes {
    /// The ledger's id, which signatures cover.
    fn log(&self) -> Option<xuncha::leads::merkle::Hash>;
    /// Executes an unsigned command.
    fn run(
        &mut self,
        command: &Command,
        check: Option<&dyn HandlerCheck>,
    ) -> Result<Receipt, xuncha::leads::Error>;
    /// Executes a signed command.
    fn run_signed(
        &mut self,
        command: &SignedCommand,
        check: Option<&dyn HandlerCheck>,
    ) -> Result<Receipt, xuncha::leads::Error>;
}

impl Executes for Ledger<SqliteStore> {
    fn log(&self) -> Option<xuncha::leads::merkle::Hash> {
        self.log_id()
    }
    fn run(
        &mut self,
        command: &Command,
        check: Option<&dyn HandlerCheck>,
    ) -> Result<Receipt, xuncha::leads::Error> {
        self.execute(command, check)
    }
    fn run_signed(
        &mut self,
        command: &SignedCommand,
        check: Option<&dyn HandlerCheck>,
    ) -> Result<Receipt, xuncha::leads::Error> {
        self.execute_signed(command, check)
    }
}

impl Executes for Appender<SqliteStore> {
    fn log(&self) -> Option<xuncha::leads::merkle::Hash> {
        self.log_id()
    }
    fn run(
        &mut self,
        command: &Command,
        check: Option<&dyn HandlerCheck>,
    ) -> Result<Receipt, xuncha::leads::Error> {
        self.execute(command, check)
    }
    fn run_signed(
        &mut self,
        command: &SignedCommand,
        check: Option<&dyn HandlerCheck>,
    ) -> Result<Receipt, xuncha::leads::Error> {
        self.execute_signed(command, check)
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
        let about = about(&event.change);
        let about = if about.is_empty() {
            String::new()
        } else {
            format!(" {about}")
        };
        println!("  #{} {}{about}", event.seq, event.change.kind());
        if let xuncha::leads::Change::HandlerRefused { conflicts, .. } = &event.change {
            for conflict in conflicts {
                println!("      refused: {conflict}");
            }
        }
    }
    println!("checkpoint {}", receipt.checkpoint);
    Ok(())
}

/// What an event is about, for its line in a receipt: the lead, the list,
/// the record or the ledger's jurisdiction; empty when nothing names it.
fn about(change: &Change) -> String {
    match change {
        Change::ItemClosed { list, item, .. } => return format!("{list} item {item}"),
        Change::RuleEstablished { list, title } => return format!("{list}: {title}"),
        Change::FollowUpScheduled { list, on, .. } => return format!("{list} on {on}"),
        Change::LookedBack { list, on, reopened } => {
            let reopened: Vec<String> = reopened
                .iter()
                .map(|r| format!("item {} reopened until {}", r.item, r.deadline))
                .collect();
            return if reopened.is_empty() {
                format!("{list} on {on}: every fix held")
            } else {
                format!("{list} on {on}: {}", reopened.join(", "))
            };
        }
        _ => {}
    }
    if let Some(id) = change.lead().or(change.list()) {
        return id.to_owned();
    }
    match change {
        Change::Opened { jurisdiction, .. } => format!("for {jurisdiction}"),
        Change::Authorised { authorisation } => authorisation.id.clone(),
        Change::ObstructionRecorded { obstruction } => obstruction.id.clone(),
        Change::CriticismIssued { notice } => notice.id.clone(),
        Change::OverdueChecked { escalated } => format!("{escalated} escalated"),
        Change::CheckRegistered { description, .. } => description.clone(),
        Change::Enrolled { enrolment } => format!(
            "{} as {} at the {} ({})",
            enrolment.actor,
            enrolment.role,
            enrolment.level.as_str(),
            enrolment.key
        ),
        Change::Revoked { actor, key, .. } => format!("{actor}'s key {key:08x}"),
        _ => String::new(),
    }
}

/// `xuncha leads`.
#[derive(Debug, Subcommand)]
pub(crate) enum LeadsCommand {
    /// Create a ledger file for a jurisdiction.
    Init(InitArgs),
    /// Create the office's identity key, which seals petitioners'
    /// identities, or an actor's signing key; keep both apart from the
    /// ledger.
    Keygen(KeygenArgs),
    /// Enrol an actor's key in a signed ledger (the authority of the
    /// actor's level).
    Enrol(EnrolArgs),
    /// Revoke an actor's key in a signed ledger.
    Revoke(RevokeArgs),
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
    /// Record a team leader's or deputy's authorisation by the city's or
    /// the inspected county's committee (市县两级授权).
    Authorise(AuthoriseArgs),
    /// List the authorisations of the teams, and who is authorised at
    /// both levels.
    Authorisations(AuthorisationsArgs),
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
    /// Leads followed along the vine (顺藤摸瓜): the clusters of linked leads.
    Clusters(ClustersArgs),
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

pub(crate) fn run(command: LeadsCommand) -> Result<()> {
    use ActorRole::{DisciplineHandler, InspectionOffice, TeamLeader};
    match command {
        LeadsCommand::Init(args) => init(&args),
        LeadsCommand::Keygen(args) => keygen(&args),
        LeadsCommand::Enrol(args) => enrol(&args),
        LeadsCommand::Revoke(args) => revoke(&args),
        LeadsCommand::RegisterRoster(args) => register_roster(&args),
        LeadsCommand::Reveal(args) => reveal(&args),
        LeadsCommand::Witness(args) => witness_pull(&args),
        LeadsCommand::Upgrade(args) => upgrade(&args),
        LeadsCommand::Add(args) => add(args),
        LeadsCommand::Authorise(args) => authorise(args),
        LeadsCommand::Authorisations(args) => authorisations(&args),
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
        LeadsCommand::Clusters(args) => clusters(&args.acting, args.min_size),
        LeadsCommand::Verify(args) => verify(&args),
        LeadsCommand::Import(args) => import(&args),
        LeadsCommand::Prove(args) => prove(&args),
        LeadsCommand::Export(args) => export(&args),
    }
}
