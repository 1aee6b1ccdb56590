//! The crate's error type.

use std::fmt;
use std::io;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::{Code, CodeProblem, Level};

/// Everything that can go wrong in `xuncha-org`.
///
/// Each variant says what went wrong and where: the offending input, the
/// code, or the [`Location`] (file, line, field) in a data file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A string is not a valid division code.
    #[error("invalid division code {input:?}: {problem}")]
    InvalidCode {
        /// The input as given.
        input: String,
        /// What is wrong with it.
        problem: CodeProblem,
    },
    /// A string is not a level name.
    #[error("unknown level {input:?}: expected province, city, county, township or village")]
    InvalidLevel {
        /// The input as given.
        input: String,
    },
    /// No division has this code, now or in the code history.
    #[error("no division has code {code}, and the code history does not know it")]
    UnknownCode {
        /// The code looked up.
        code: Code,
    },
    /// An old code was split among several divisions, so a record carrying
    /// it cannot be placed without more information.
    #[error(
        "code {code} was split on {date} into {}; say which one the record means",
        list(candidates)
    )]
    AmbiguousCode {
        /// The old code.
        code: Code,
        /// When it was split.
        date: NaiveDate,
        /// The codes it was split into.
        candidates: Vec<Code>,
    },
    /// Following the code history from a code came back to it.
    #[error("the code history loops when followed from {code}; check its changes")]
    HistoryLoop {
        /// The code whose resolution looped.
        code: Code,
    },
    /// A data file is wrong at a given place.
    #[error("{location}: {problem}")]
    Data {
        /// Where: file, line and field.
        location: Box<Location>,
        /// What is wrong there.
        problem: Box<DataProblem>,
    },
    /// An input above one of the configured [`Limits`](crate::Limits).
    #[error(
        "{what}: {} {unit}, above the limit {limit} = {max}; raise the limit to take it",
        match found { Some(n) => n.to_string(), None => format!("more than {max}") },
        unit = if *limit == "max_targets" { "targets" } else { "bytes" }
    )]
    Limit {
        /// The input: a file, or a round.
        what: String,
        /// The limit's name, as the field of [`Limits`](crate::Limits).
        limit: &'static str,
        /// The limit's value.
        max: u64,
        /// What the input has, when known before reading it.
        found: Option<u64>,
    },
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// A file could not be written; the file is as it was before (see
    /// [`atomic`](crate::atomic)).
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// An input that is not a regular file (a FIFO, a device, a folder),
    /// refused before anything is read from it.
    #[error("{}: not a regular file ({kind}); give the path of a file", path.display())]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What it is instead.
        kind: &'static str,
    },
}

/// What kind of failure an error is, shared by every xuncha crate's
/// error (`kind()`), so that a caller can sort errors (an exit status, a
/// retry, a message) without matching the variants of each crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is wrong: a file that cannot be read or parsed, an unknown
    /// code, a bad value. Fix the input and try again.
    BadInput,
    /// An input is above a configured [`Limits`](crate::Limits).
    Limit,
    /// Storing failed: a file or database that cannot be written, a
    /// locked or full disk. The input was fine; nothing was half-written.
    Storage,
    /// The problem has no solution: a round that cannot be staffed, a term
    /// too short.
    Infeasible,
    /// Something checked failed its check: a plan that breaks a rule, a
    /// ledger that does not verify.
    Violation,
    /// A well-formed request that was refused (a command the ledger's rules
    /// do not allow): nothing was recorded.
    Refused,
}

impl Error {
    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Limit { .. } => ErrorKind::Limit,
            Error::Write { .. } => ErrorKind::Storage,
            _ => ErrorKind::BadInput,
        }
    }

    /// Builds a [`Error::Data`].
    pub(crate) fn data(location: Location, problem: DataProblem) -> Error {
        Error::Data {
            location: Box::new(location),
            problem: Box::new(problem),
        }
    }

    /// The same error placed at `location`: a code or level that failed to
    /// parse becomes a [`Error::Data`] there; other errors are unchanged.
    #[must_use]
    pub fn at(self, location: Location) -> Error {
        match self {
            Error::InvalidCode { input, problem } => {
                Error::data(location, DataProblem::InvalidCode { input, problem })
            }
            Error::InvalidLevel { input } => Error::data(
                location,
                DataProblem::InvalidValue {
                    input,
                    expected: "a level (province, city, county, township or village)".to_owned(),
                },
            ),
            other => other,
        }
    }

    /// Where in a data file the error is, when it is about one.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::Data { location, .. } => Some(location),
            _ => None,
        }
    }

    /// The data problem, when the error is about a data file.
    pub fn data_problem(&self) -> Option<&DataProblem> {
        match self {
            Error::Data { problem, .. } => Some(problem),
            _ => None,
        }
    }
}

fn list(codes: &[Code]) -> String {
    codes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A place in a data file: the file, and where known the line and field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file, or a description of an in-memory source such as
    /// `embedded:fujian/areas.csv`.
    pub file: PathBuf,
    /// The 1-based line number, when known.
    pub line: Option<u64>,
    /// The field (column) name, when known.
    pub field: Option<String>,
}

impl Location {
    /// A location in `file` at `line`, without a field.
    pub fn new(file: impl Into<PathBuf>, line: Option<u64>) -> Location {
        Location {
            file: file.into(),
            line,
            field: None,
        }
    }

    /// The same location narrowed to `field`.
    #[must_use]
    pub fn with_field(mut self, field: impl Into<String>) -> Location {
        self.field = Some(field.into());
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", field `{field}`")?;
        }
        Ok(())
    }
}

/// What is wrong at a [`Location`] in a data file.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DataProblem {
    /// The header lacks a required column.
    MissingColumn {
        /// The column required.
        column: String,
        /// The columns the header has.
        found: Vec<String>,
    },
    /// The file has no header line.
    NoHeader,
    /// A row has a different number of fields from the header.
    FieldCount {
        /// Fields in the header.
        expected: u64,
        /// Fields in the row.
        found: u64,
    },
    /// The bytes are not valid UTF-8.
    NotUtf8,
    /// An id or a name holding a control character (NUL among them), which
    /// would print as something else than it is.
    ControlCharacter {
        /// The character's code point.
        code: u32,
        /// Its byte offset within the field.
        offset: usize,
    },
    /// UTF-8 text with a stray byte in it (a damaged file, a bad paste):
    /// not GBK, whatever the byte pairs look like.
    StrayByte {
        /// The offset of the first bad byte within the field.
        offset: usize,
        /// The byte.
        byte: u8,
    },
    /// The bytes are not UTF-8 but read as GBK (GB 18030), the encoding
    /// Excel and WPS use for Chinese CSV files by default.
    Gbk,
    /// The header is a single field holding another separator: the file is
    /// separated by `found`, not by commas.
    WrongDelimiter {
        /// The separator the header seems to use.
        found: char,
    },
    /// The file is not well-formed CSV at this place.
    MalformedCsv {
        /// The CSV reader's description.
        message: String,
    },
    /// A field that must hold a value is empty.
    Empty,
    /// A code field holds no valid code.
    InvalidCode {
        /// The field's text.
        input: String,
        /// What is wrong with it.
        problem: CodeProblem,
    },
    /// A code of the wrong level for its file or column.
    WrongLevel {
        /// The code.
        code: Code,
        /// The level the field requires.
        expected: Level,
    },
    /// A parent column names a division that the code does not lie in.
    ParentMismatch {
        /// The row's own code.
        code: Code,
        /// The code the parent column gives.
        parent: Code,
    },
    /// The division's parent is not in the data.
    MissingParent {
        /// The row's own code.
        code: Code,
        /// The parent code that no row has.
        parent: Code,
    },
    /// The code appears twice; the other occurrence is given.
    DuplicateCode {
        /// The repeated code.
        code: Code,
        /// Where it appeared first.
        first: Location,
    },
    /// A value that does not parse as what the field holds.
    InvalidValue {
        /// The field's text.
        input: String,
        /// What the field must hold.
        expected: String,
    },
    /// A reference to a division that the hierarchy does not have and the
    /// code history cannot resolve.
    UnknownDivision {
        /// The code.
        code: Code,
        /// Why it could not be resolved.
        reason: String,
    },
    /// A unit id appears twice.
    DuplicateUnit {
        /// The id.
        id: String,
    },
    /// A unit's parent unit is not in the data.
    UnknownParentUnit {
        /// The parent id that no unit has.
        parent: String,
    },
    /// Units whose parents lead back to themselves.
    UnitCycle {
        /// The id where the cycle was found.
        id: String,
    },
    /// More data than the compact representation holds (over 4 GiB of
    /// names, or over 4 billion divisions).
    TooLarge,
}

impl fmt::Display for DataProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataProblem::MissingColumn { column, found } => write!(
                f,
                "missing column `{column}` (the header has: {})",
                found.join(", ")
            ),
            DataProblem::NoHeader => f.write_str("the file is empty: it has no header line"),
            DataProblem::FieldCount { expected, found } => write!(
                f,
                "the row has {found} fields, but the header has {expected}"
            ),
            DataProblem::NotUtf8 => f.write_str("the text is not valid UTF-8"),
            DataProblem::StrayByte { offset, byte } => write!(
                f,
                "the text is UTF-8 but for a stray byte 0x{byte:02X} at byte {offset} of the field: the file is damaged there (it is not GBK)"
            ),
            DataProblem::Gbk => f.write_str(
                "the text is not UTF-8 but reads as GBK (GB 18030), as Excel and WPS save Chinese CSV: save it as \"CSV UTF-8\" or convert it (iconv -f GB18030 -t UTF-8)",
            ),
            DataProblem::WrongDelimiter { found } => write!(
                f,
                "the header is one field holding {found:?}: the file seems separated by {found:?}, but it must be comma-separated"
            ),
            DataProblem::MalformedCsv { message } => write!(f, "malformed CSV: {message}"),
            DataProblem::Empty => f.write_str("the field is empty"),
            DataProblem::ControlCharacter { code, offset } => write!(
                f,
                "the field holds the control character U+{code:04X} at byte {offset}; ids and names are printable text"
            ),
            DataProblem::InvalidCode { input, problem } => {
                write!(f, "invalid division code {input:?}: {problem}")
            }
            DataProblem::WrongLevel { code, expected } => write!(
                f,
                "code {code} is a {} code, but this field holds a {expected} code",
                code.level()
            ),
            DataProblem::ParentMismatch { code, parent } => {
                write!(f, "code {code} does not lie in {parent}, its parent column")
            }
            DataProblem::MissingParent { code, parent } => {
                write!(f, "the parent {parent} of {code} is not in the data")
            }
            DataProblem::DuplicateCode { code, first } => {
                write!(f, "code {code} appears again (first at {first})")
            }
            DataProblem::InvalidValue { input, expected } => {
                write!(f, "{input:?} is not {expected}")
            }
            DataProblem::UnknownDivision { code, reason } => {
                write!(f, "division {code} cannot be placed: {reason}")
            }
            DataProblem::DuplicateUnit { id } => write!(f, "unit id {id:?} appears again"),
            DataProblem::UnknownParentUnit { parent } => {
                write!(f, "the parent unit {parent:?} is not in the data")
            }
            DataProblem::UnitCycle { id } => {
                write!(f, "the parent units of {id:?} lead back to it")
            }
            DataProblem::TooLarge => {
                f.write_str("the data is too large (over 4 GiB of names or 4 billion rows)")
            }
        }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
