//! Exit statuses and how errors are printed.

use std::fmt;
use std::process::ExitCode;

use xuncha::org::ErrorKind;

/// Why the command failed, and so its exit status (documented in
/// `docs/cli.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// 1: anything else: storage (the ledger locked, the disk full, a
    /// read-only file), a file that cannot be written, ...
    Other,
    /// 2: bad input: a file that cannot be read or parsed, an unknown code.
    BadInput,
    /// 3: the round cannot be staffed.
    Infeasible,
    /// 4: a plan, a ledger or a table failed verification.
    Violations,
    /// 5: the ledger refused the command (illegal transition, wrong role,
    /// missing reason, ...): nothing was recorded.
    Refused,
}

impl Failure {
    pub(crate) fn code(self) -> ExitCode {
        ExitCode::from(match self {
            Failure::Other => 1,
            Failure::BadInput => 2,
            Failure::Infeasible => 3,
            Failure::Violations => 4,
            Failure::Refused => 5,
        })
    }

    /// The failure an error stands for: the first cause in its chain that
    /// is flagged, or whose crate says what kind of failure it is.
    pub(crate) fn of(err: &anyhow::Error) -> Failure {
        for cause in err.chain() {
            if let Some(e) = cause.downcast_ref::<Flagged>() {
                return e.0;
            }
            if let Some(kind) = kind_of(cause) {
                return Failure::from_kind(kind);
            }
        }
        Failure::Other
    }

    /// The one place where kinds of failure become exit statuses.
    fn from_kind(kind: ErrorKind) -> Failure {
        match kind {
            ErrorKind::BadInput | ErrorKind::Limit => Failure::BadInput,
            ErrorKind::Infeasible => Failure::Infeasible,
            ErrorKind::Violation => Failure::Violations,
            ErrorKind::Refused => Failure::Refused,
            _ => Failure::Other,
        }
    }
}

/// The kind of failure `cause` is, if it is an error of a xuncha crate.
fn kind_of(cause: &(dyn std::error::Error + 'static)) -> Option<ErrorKind> {
    if let Some(e) = cause.downcast_ref::<xuncha::org::Error>() {
        return Some(e.kind());
    }
    if let Some(e) = cause.downcast_ref::<xuncha::avoid::Error>() {
        return Some(e.kind());
    }
    if let Some(e) = cause.downcast_ref::<xuncha::round::Error>() {
        return Some(e.kind());
    }
    if let Some(e) = cause.downcast_ref::<xuncha::assign::Error>() {
        return Some(e.kind());
    }
    if let Some(e) = cause.downcast_ref::<xuncha::leads::Error>() {
        return Some(e.kind());
    }
    if let Some(e) = cause.downcast_ref::<xuncha::stats::Error>() {
        return Some(e.kind());
    }
    if cause.is::<xuncha::flow::Error>() {
        return Some(ErrorKind::BadInput);
    }
    None
}

/// The flag that raises the limit an error met, if it met one.
pub(crate) fn limit_flag(err: &anyhow::Error) -> Option<&'static str> {
    err.chain().find_map(|cause| {
        let org = if let Some(e) = cause.downcast_ref::<xuncha::org::Error>() {
            e
        } else if let Some(xuncha::avoid::Error::Org(e)) = cause.downcast_ref() {
            e
        } else if let Some(xuncha::assign::Error::Org(e)) = cause.downcast_ref() {
            e
        } else if let Some(xuncha::leads::Error::Org(e)) = cause.downcast_ref() {
            e
        } else if let Some(xuncha::stats::Error::Org(e)) = cause.downcast_ref() {
            e
        } else if let Some(xuncha::round::Error::Org(e)) = cause.downcast_ref() {
            e
        } else if let Some(xuncha::assign::Error::Round(xuncha::round::Error::Org(e))) =
            cause.downcast_ref()
        {
            e
        } else {
            return None;
        };
        match org {
            xuncha::org::Error::Limit {
                limit: "max_targets",
                ..
            } => Some("--max-targets N"),
            xuncha::org::Error::Limit { .. } => Some("--max-input-bytes SIZE"),
            _ => None,
        }
    })
}

/// An error marked with the failure it stands for, and a hint of its own
/// where the failure's general hint would mislead.
#[derive(Debug)]
pub(crate) struct Flagged(
    pub(crate) Failure,
    pub(crate) String,
    pub(crate) Option<&'static str>,
);

impl fmt::Display for Flagged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.1)
    }
}

impl std::error::Error for Flagged {}

/// A bad-input error with a message.
pub(crate) fn bad_input(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Flagged(Failure::BadInput, message.into(), None))
}

/// A bad-input error with a message and a hint of its own.
pub(crate) fn bad_input_hinted(message: impl Into<String>, hint: &'static str) -> anyhow::Error {
    anyhow::Error::new(Flagged(Failure::BadInput, message.into(), Some(hint)))
}

/// A hint for this error in particular, where one failure kind covers
/// errors that need different advice: a ledger's storage failures by kind,
/// a ledger that does not verify, a file that cannot be written.
pub(crate) fn hint_of(err: &anyhow::Error) -> Option<&'static str> {
    err.chain().find_map(|cause| {
        if let Some(e) = cause.downcast_ref::<Flagged>() {
            return e.2;
        }
        if let Some(e) = cause.downcast_ref::<std::io::Error>() {
            match e.kind() {
                std::io::ErrorKind::NotFound => return Some(NO_SUCH_FILE),
                std::io::ErrorKind::AlreadyExists => return Some(NEVER_REPLACED),
                _ => {}
            }
        }
        match cause.downcast_ref::<xuncha::leads::Error>() {
            Some(xuncha::leads::Error::Store { kind, .. }) => return Some(kind.hint()),
            Some(
                xuncha::leads::Error::Tampered(_)
                | xuncha::leads::Error::Undecided { .. }
                | xuncha::leads::Error::Inconsistent { .. }
                | xuncha::leads::Error::Replay { .. },
            ) => return Some(LEDGER_BROKEN),
            Some(xuncha::leads::Error::OutOfRange {
                what: "the command's time",
                ..
            }) => return Some(COMMAND_TIME),
            Some(xuncha::leads::Error::Org(xuncha::org::Error::Write { source, .. })) => {
                return Some(write_hint(source));
            }
            _ => {}
        }
        match cause.downcast_ref::<xuncha::assign::Error>() {
            Some(
                xuncha::assign::Error::Infeasible(_)
                | xuncha::assign::Error::Alternates { .. }
                | xuncha::assign::Error::OriginCap { .. },
            ) => return Some(ROUND_INFEASIBLE),
            Some(xuncha::assign::Error::CapTooLow { .. }) => return Some(CAP_TOO_LOW),
            Some(xuncha::assign::Error::TermCapacity { .. }) => return Some(TERM_TOO_SMALL),
            Some(xuncha::assign::Error::NoRotation { .. }) => return Some(NO_ROTATION),
            _ => {}
        }
        match cause.downcast_ref::<xuncha::org::Error>() {
            Some(xuncha::org::Error::Write { source, .. }) => Some(write_hint(source)),
            Some(xuncha::org::Error::NotAFile { .. }) => Some(
                "give the path of a regular file: a FIFO or a device is refused before it is read, and a symbolic link, a device or a folder is never replaced by a file written",
            ),
            _ => None,
        }
    })
}

/// The hint for a file that could not be written because of `source`.
fn write_hint(source: &std::io::Error) -> &'static str {
    if source.kind() == std::io::ErrorKind::AlreadyExists {
        NEVER_REPLACED
    } else {
        WRITE_FAILED
    }
}

/// The hint for a command's time (`--now`) the ledger cannot take.
const COMMAND_TIME: &str = "--now dates a record entered after the fact, between 1949-10-01 and 2100-12-31 and not before the ledger's last event: give the time it happened, or leave --now out";

/// The hint for a file that is not there.
const NO_SUCH_FILE: &str =
    "no such file: check the name and the folder (a relative path starts from the current folder)";

/// The hint for a file that may only be created, never replaced.
const NEVER_REPLACED: &str = "this file is created, never replaced (a key, a ledger): name a new file, or keep using the one there";

/// The hint for a ledger that does not verify.
pub(crate) const LEDGER_BROKEN: &str = "the ledger was changed outside xuncha, or is not the one witnessed: nothing can be appended to it; check it against the witnesses' files (`xuncha leads verify --witnesses FILE...`), restore a copy that verifies, and see docs/leads.md (tampering)";

const WRITE_FAILED: &str = "nothing was half-written: the old file (or none) is in place; free space or fix permissions, then run the command again";

/// The hint for a plan that fails verification.
pub(crate) const PLAN_BROKEN: &str = "the plan breaks the rules listed above; plan the round again with `xuncha plan`, or move as few people as possible with `xuncha replan`";

/// The hint for a submitted table whose totals contradict its rows.
pub(crate) const TABLE_CONTRADICTS: &str = "the submitted table's totals do not add up: return it to the unit to correct, row by row as listed above; a table submitted so on purpose is an obstruction (`xuncha rectify obstruct --table FILE`)";

/// The hint for a round no plan can staff.
const ROUND_INFEASIBLE: &str = "add people to the roster, relax the team spec, or change the rules (docs/rules.md); the lines above name the slots and who was kept off them";

/// The hint for a randomized draw whose cap is too low.
const CAP_TOO_LOW: &str =
    "raise --cap: no draw keeps everyone's chance of serving under it with this roster";

/// The hint for a term with too few team-rounds.
const TERM_TOO_SMALL: &str = "add teams (--teams), raise --capacity or --rounds-per-year, or lengthen the term (--term); the line above says how many team-rounds are missing";

/// The hint for a rotation that cannot exist.
const NO_ROTATION: &str = "a rotation needs at least three counties, none inspecting itself or inspecting back; add counties, or drop pairings from the history";

/// A hint for the user, by failure, where [`hint_of`] has none of its own.
pub(crate) fn hint(failure: Failure) -> Option<&'static str> {
    match failure {
        Failure::BadInput => Some(
            "check the file, line, field or argument named above; docs/formats.md describes every format, docs/cli.md every argument",
        ),
        Failure::Infeasible => Some(
            "no solution exists under the constraints named above; docs/cli.md lists what to change for each",
        ),
        Failure::Violations => {
            Some("the check failed for the reasons listed above; nothing was changed")
        }
        Failure::Refused => Some(
            "nothing was recorded; see docs/leads.md for the lifecycle and who may issue each command",
        ),
        Failure::Other => None,
    }
}
