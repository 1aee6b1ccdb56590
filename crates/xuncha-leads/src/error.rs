//! The crate's error type.

use std::path::PathBuf;
use xuncha_org::ErrorKind;

use crate::{ActorRole, ReportRecipient, Stage};

/// Everything that can go wrong in `xuncha-leads`.
///
/// A refused command changes nothing: the ledger and its store are as they
/// were before it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("cannot read or write {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// An error of `xuncha-org`: an input above a configured
    /// [`Limits`](xuncha_org::Limits), or a file it could not read.
    #[error(transparent)]
    Org(#[from] xuncha_org::Error),
    /// An input file (policy, finding list, submitted table) is malformed.
    #[error("{file}{}: {message}", if *line > 0 { format!(", line {line}") } else { String::new() })]
    Input {
        /// The file.
        file: String,
        /// The line, 1-based; 0 when unknown.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// A name (a lead's source, a body) is not one of those known.
    #[error("unknown {what} `{text}`: expected {expected}")]
    Name {
        /// What was named.
        what: &'static str,
        /// The text given.
        text: String,
        /// The names known.
        expected: &'static str,
    },
    /// A command that the lead's stage does not allow.
    #[error("lead {lead} is {stage} ({}): `{command}` is not allowed there", stage.chinese())]
    IllegalTransition {
        /// The lead.
        lead: String,
        /// Its stage.
        stage: Stage,
        /// The command refused.
        command: &'static str,
    },
    /// An actor whose role may not issue the command.
    #[error(
        "`{command}` may not be issued by {actor} acting as {role}; it needs one of: {}",
        roles(allowed)
    )]
    NotPermitted {
        /// The command.
        command: &'static str,
        /// The actor's id.
        actor: String,
        /// The actor's role.
        role: ActorRole,
        /// The roles that may issue it.
        allowed: Vec<ActorRole>,
    },
    /// A handler acting on a lead someone else holds.
    #[error("`{command}` on lead {lead}: {actor} does not hold it; {holder} does")]
    NotHolder {
        /// The command.
        command: &'static str,
        /// The lead.
        lead: String,
        /// The actor.
        actor: String,
        /// Who holds it.
        holder: String,
    },
    /// A lead, list, item, obstruction or notice that is not in the ledger.
    #[error("no {kind} `{id}` in the ledger")]
    NotFound {
        /// What kind of record.
        kind: &'static str,
        /// Its id.
        id: String,
    },
    /// A command id sent again for a different command: an id names one
    /// change, so the second is not recorded (and not mistaken for a
    /// retry of the first).
    #[error(
        "command id `{id}` was already used for {recorded}: this {command} is a different command and was not recorded; give it a new id"
    )]
    CommandIdReused {
        /// The id.
        id: String,
        /// What the id recorded: the first event's kind, lead or list and
        /// actor.
        recorded: String,
        /// The action sent again under the id.
        command: &'static str,
    },
    /// An id already used.
    #[error("{kind} `{id}` is already in the ledger")]
    AlreadyExists {
        /// What kind of record.
        kind: &'static str,
        /// Its id.
        id: String,
    },
    /// A command missing something it needs: a reason, evidence, an
    /// outcome.
    #[error("`{command}`: {field} is required: {why}")]
    Incomplete {
        /// The command.
        command: &'static str,
        /// The field.
        field: &'static str,
        /// Why it is needed.
        why: &'static str,
    },
    /// A lead received before its transfer was reported to both levels.
    #[error("lead {lead} cannot be received: its transfer is not yet reported to {} (双汇报)", missing.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(" and "))]
    TransferIncomplete {
        /// The lead.
        lead: String,
        /// Who has not been reported to.
        missing: Vec<ReportRecipient>,
    },
    /// A transfer reported twice to the same recipient.
    #[error("lead {lead}'s transfer is already reported to the {} leading group", to.as_str())]
    AlreadyReported {
        /// The lead.
        lead: String,
        /// The recipient.
        to: ReportRecipient,
    },
    /// A sanction or judicial referral without a filed case.
    #[error("lead {lead}: a {outcome} needs a filed case (立案) first; the lead is {stage}")]
    OutcomeNeedsCase {
        /// The lead.
        lead: String,
        /// The outcome's kind.
        outcome: &'static str,
        /// The lead's stage.
        stage: Stage,
    },
    /// A transfer to a level below the one the lead was raised to.
    #[error(
        "lead {lead} is handled at {required} level; it cannot be transferred down to {level} level"
    )]
    LevelTooLow {
        /// The lead.
        lead: String,
        /// The level asked for.
        level: xuncha_org::Level,
        /// The lowest level allowed.
        required: xuncha_org::Level,
    },
    /// An escalation above the province.
    #[error(
        "lead {lead} is already handled at province level; there is no level above to escalate to"
    )]
    TopLevel {
        /// The lead.
        lead: String,
    },
    /// A handler the conflict check does not know.
    #[error("handler {handler} is not in the roster, so their conflicts cannot be checked")]
    UnknownHandler {
        /// The handler's id.
        handler: String,
    },
    /// Another writer appended first (optimistic concurrency).
    #[error(
        "the ledger moved on: expected to append at event {expected}, but the log has {found} events"
    )]
    Conflict {
        /// Where this writer meant to append.
        expected: u64,
        /// The log's actual length.
        found: u64,
    },
    /// The store failed: the file is locked, the disk full, the file
    /// read-only, an I/O error; or the file is not a ledger. Nothing was
    /// recorded.
    #[error("ledger store {what}: {message}")]
    Store {
        /// The store and operation.
        what: String,
        /// What kind of failure.
        kind: StoreFailure,
        /// The failure.
        message: String,
    },
    /// A petitioner's identity that cannot be sealed or opened: no key, the
    /// wrong key, or sealed bytes that were changed.
    #[error("petitioner identity {reference}: {why}")]
    Identity {
        /// The lead's petitioner reference.
        reference: String,
        /// Why.
        why: String,
    },
    /// A conflict check that is not the one registered in the ledger: a
    /// handler cannot bring a roster of their own.
    #[error("{}", unregistered_check(used, registered.as_ref()))]
    UnregisteredCheck {
        /// The fingerprint of the check given.
        used: crate::merkle::Hash,
        /// The fingerprint registered, if any.
        registered: Option<crate::merkle::Hash>,
    },
    /// A command of a signed ledger without a valid signature of its actor
    /// (or a signature on a ledger that takes none).
    #[error("`{command}` by {actor} is not signed as the ledger requires: {why}")]
    Unsigned {
        /// The command.
        command: &'static str,
        /// The actor and role it names.
        actor: String,
        /// Why: no signature, no key enrolled for the actor then, a key
        /// revoked, a signature that does not verify.
        why: String,
    },
    /// An actor acting at a level they do not hold: a county key enrolling
    /// a city actor, an authorisation by a committee the actor is not of.
    #[error("`{command}` by {actor} is refused: {why}")]
    WrongLevel {
        /// The command.
        command: &'static str,
        /// The actor and role.
        actor: String,
        /// Why.
        why: String,
    },
    /// A value outside the range the ledger accepts: a deadline of too many
    /// days, a date before 1949 or after 2100, a time before the last
    /// event's.
    #[error("{what} is {found}: {why}")]
    OutOfRange {
        /// The field.
        what: &'static str,
        /// The value given.
        found: String,
        /// The range, and why.
        why: String,
    },
    /// A store that cannot promise durability.
    #[error("ledger {path}: {setting} is {found}, but the ledger needs {needed}")]
    Durability {
        /// The ledger file.
        path: String,
        /// The setting.
        setting: &'static str,
        /// What is in force.
        found: String,
        /// What the ledger needs.
        needed: &'static str,
    },
    /// Verification found the log changed.
    #[error("the ledger does not verify: {0}")]
    Tampered(String),
    /// A stored event that the ledger's rules would not have decided from
    /// the state before it (the replay re-decides every command): a
    /// `receive` under a check other than the one registered, a report of
    /// a lead never transferred, a stage out of order, a role that may not
    /// issue it. Someone wrote it to the file outside the ledger.
    #[error(
        "the ledger does not verify: event {seq} (`{kind}` by {actor}) is not what the rules decide: {why}"
    )]
    Undecided {
        /// The event's sequence number.
        seq: u64,
        /// The event's kind ([`Change::kind`](crate::Change::kind)).
        kind: &'static str,
        /// Its actor and role, as the event names them.
        actor: String,
        /// Why: the rule that refuses it, or how it differs from what the
        /// rules decide.
        why: String,
    },
    /// The snapshot kept beside the log is damaged, of another format or
    /// does not match the log. The ledger rebuilds it from the events when
    /// it opens; [`Ledger::verify`](crate::Ledger::verify) reports one that
    /// differs from the replay of the events as [`Error::Tampered`].
    #[error("the ledger's snapshot cannot be used: {why}")]
    Snapshot {
        /// What is wrong with it.
        why: String,
    },
    /// A witness's checkpoint that the current log does not extend.
    #[error("the ledger does not extend checkpoint {witness}: {why}")]
    Inconsistent {
        /// The witness's checkpoint.
        witness: String,
        /// Why.
        why: String,
    },
    /// A stored event that cannot be decoded or replayed.
    #[error("event {seq}: {message}")]
    Replay {
        /// The event's sequence number.
        seq: u64,
        /// What is wrong.
        message: String,
    },
}

impl Error {
    /// What kind of failure this is: a ledger that does not verify is
    /// [`ErrorKind::Violation`]; a store that cannot be written (locked,
    /// full, read-only) is [`ErrorKind::Storage`], a file that is not a
    /// ledger [`ErrorKind::BadInput`]; unreadable or malformed input is
    /// [`ErrorKind::BadInput`]; every command the ledger's rules refuse
    /// (a transition, a role, a missing reason, an unregistered check) is
    /// [`ErrorKind::Refused`].
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Tampered(_)
            | Error::Undecided { .. }
            | Error::Inconsistent { .. }
            | Error::Replay { .. } => ErrorKind::Violation,
            Error::Store {
                kind: StoreFailure::NotALedger,
                ..
            }
            | Error::Io { .. }
            | Error::Input { .. }
            | Error::OutOfRange { .. }
            | Error::Name { .. } => ErrorKind::BadInput,
            Error::Store { .. } | Error::Durability { .. } | Error::Snapshot { .. } => {
                ErrorKind::Storage
            }
            Error::Org(e) => e.kind(),
            _ => ErrorKind::Refused,
        }
    }
}

/// What kind of store failure an [`Error::Store`] is, for the hint a user
/// gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreFailure {
    /// Another process holds the lock past the busy timeout (ten seconds).
    Busy,
    /// The disk (or a quota) is full.
    Full,
    /// The file or its folder cannot be written.
    ReadOnly,
    /// The file is damaged, or not an `SQLite` file.
    Corrupt,
    /// A file that is not a xuncha ledger, or of another schema version.
    NotALedger,
    /// Any other I/O failure.
    Io,
    /// A failure inside the store's own logic.
    Other,
}

impl StoreFailure {
    /// A hint for a person facing this failure.
    pub fn hint(self) -> &'static str {
        match self {
            StoreFailure::Busy => {
                "another xuncha command holds the ledger; wait for it, then try again (the lock is awaited ten seconds)"
            }
            StoreFailure::Full => {
                "the disk is full: free space, then run the command again; nothing was recorded"
            }
            StoreFailure::ReadOnly => {
                "the ledger or its folder cannot be written by this user; read-only commands (verify, export, overdue, prove, stats) still work"
            }
            StoreFailure::Corrupt => {
                "the file is damaged or not an SQLite file; restore the ledger from a copy and verify it against the witnesses"
            }
            StoreFailure::NotALedger => "give the path of a ledger made by `xuncha leads init`",
            StoreFailure::Io | StoreFailure::Other => {
                "check the disk and the file, then run the command again; nothing was recorded"
            }
        }
    }
}

fn roles(roles: &[ActorRole]) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What an [`Error::UnregisteredCheck`] says: that nothing is registered
/// yet, or that the roster and rules given are not the ones registered.
fn unregistered_check(
    used: &crate::merkle::Hash,
    registered: Option<&crate::merkle::Hash>,
) -> String {
    match registered {
        None => format!(
            "no conflict check is registered in the ledger (the check given is {used}): the inspection office registers the handlers' roster and rules first (`xuncha leads register-roster`)"
        ),
        Some(registered) => format!(
            "the roster and rules given (check {used}) are not those registered ({registered}): give the same roster and the same rules that were registered (a different rules file, or none, changes the check); a handler cannot bring a roster of their own"
        ),
    }
}
