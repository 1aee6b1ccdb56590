//! The crate's error type.

use std::fmt;
use std::path::PathBuf;

use chrono::NaiveDate;
use xuncha_org::{Code, Location};

/// Everything that can go wrong in `xuncha-avoid`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An error from the geography layer: reading a CSV file, a malformed
    /// code, and the like, already located by file, line and field.
    #[error(transparent)]
    Org(#[from] xuncha_org::Error),
    /// A roster entry is wrong at a given place.
    #[error("{location}: {problem}")]
    Roster {
        /// Where: the file, the line (or the person's position) and the
        /// field.
        location: Box<Location>,
        /// What is wrong there.
        problem: Box<RosterProblem>,
    },
    /// A rule file is wrong.
    #[error("{}{}: {message}", file.display(), key.as_ref().map(|k| format!(", key `{k}`")).unwrap_or_default())]
    Rules {
        /// The file, or a description of the source.
        file: PathBuf,
        /// The key (such as `rules[2].scope`) when known.
        key: Option<String>,
        /// What is wrong, with the line and column when the TOML parser
        /// gives them.
        message: String,
    },
    /// A JSON file could not be parsed.
    #[error("{}: {source}", file.display())]
    Json {
        /// The file.
        file: PathBuf,
        /// The parser's error, with line and column.
        #[source]
        source: serde_json::Error,
    },
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// What kind of failure this is: [`BadInput`](xuncha_org::ErrorKind::BadInput), or the kind
    /// of an `xuncha-org` error (a limit, a file not written).
    pub fn kind(&self) -> xuncha_org::ErrorKind {
        match self {
            Error::Org(e) => e.kind(),
            _ => xuncha_org::ErrorKind::BadInput,
        }
    }

    pub(crate) fn roster(location: Location, problem: RosterProblem) -> Error {
        Error::Roster {
            location: Box::new(location),
            problem: Box::new(problem),
        }
    }

    /// Where in a file the error is, when it is about one.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::Roster { location, .. } => Some(location),
            Error::Org(inner) => inner.location(),
            _ => None,
        }
    }

    /// The roster problem, when the error is about a roster entry.
    pub fn roster_problem(&self) -> Option<&RosterProblem> {
        match self {
            Error::Roster { problem, .. } => Some(problem),
            _ => None,
        }
    }
}

/// What is wrong with a roster entry.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RosterProblem {
    /// A value that does not parse as what the field holds (an unknown
    /// kinship word, rank or skill; a bad date).
    InvalidValue {
        /// The text.
        input: String,
        /// What was expected, or the parser's words.
        expected: String,
    },
    /// A list item with the wrong number of `|`-separated parts.
    ItemParts {
        /// The item's text.
        item: String,
        /// The form the item must have, such as `place|title|from|to`.
        form: &'static str,
    },
    /// A post or relative's post that ends before it begins.
    EndBeforeStart {
        /// The start.
        from: NaiveDate,
        /// The end.
        to: NaiveDate,
    },
    /// A code the hierarchy does not have and its history cannot resolve.
    UnknownCode {
        /// The code as written.
        code: Code,
        /// Why it could not be resolved.
        reason: String,
    },
    /// A unit id that the units do not have.
    UnknownUnit {
        /// The id.
        id: String,
    },
    /// The origin must be a county-level division.
    OriginNotCounty {
        /// The code given.
        code: Code,
    },
    /// A person id appears twice.
    DuplicatePerson {
        /// The id.
        id: String,
    },
}

impl fmt::Display for RosterProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RosterProblem::InvalidValue { input, expected } => {
                write!(f, "{input:?} is not valid: {expected}")
            }
            RosterProblem::ItemParts { item, form } => {
                write!(f, "item {item:?} must have the form {form}")
            }
            RosterProblem::EndBeforeStart { from, to } => {
                write!(f, "ends on {to}, before it begins on {from}")
            }
            RosterProblem::UnknownCode { code, reason } => {
                write!(f, "code {code} cannot be placed: {reason}")
            }
            RosterProblem::UnknownUnit { id } => write!(f, "no unit has id {id:?}"),
            RosterProblem::OriginNotCounty { code } => write!(
                f,
                "origin {code} is a {} code, but an origin is a county (6 digits)",
                code.level()
            ),
            RosterProblem::DuplicatePerson { id } => write!(f, "person id {id:?} appears again"),
        }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
