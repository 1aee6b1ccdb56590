//! The crate's one error type.

use std::path::PathBuf;

use xuncha_org::ErrorKind;

/// Everything that can go wrong reading or writing the round's vocabulary:
/// round, plan and petition files, and the values in them.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A round file is malformed.
    #[error("{}: {message}", file.display())]
    Round {
        /// The file.
        file: PathBuf,
        /// What is wrong, with the key and line where known.
        message: String,
    },
    /// A plan is not valid JSON, or not of this format version.
    #[error("invalid plan: {message}")]
    Plan {
        /// What is wrong.
        message: String,
    },
    /// A petitions file is malformed.
    #[error("{file}{}: {message}", if *line > 0 { format!(", line {line}") } else { String::new() })]
    Input {
        /// The file.
        file: String,
        /// The line, 1-based; 0 when unknown.
        line: u64,
        /// What is wrong, and what to do.
        message: String,
    },
    /// A decimal (a probability, a cap) is not a number with at most four
    /// places.
    #[error("{text:?}: expected a decimal with at most four places, such as 0.5")]
    Decimal {
        /// The text given.
        text: String,
    },
    /// A name (a mode, a channel) is not one of those known.
    #[error("`{text}` is not {expected}")]
    Name {
        /// The text given.
        text: String,
        /// The names known.
        expected: &'static str,
    },
    /// A file could not be read or written.
    #[error("cannot read or write {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Writing failed (serialisation).
    #[error("cannot write the {format}: {message}")]
    Write {
        /// What was being written.
        format: &'static str,
        /// What went wrong.
        message: String,
    },
    /// An error of `xuncha-org`: an input above a configured
    /// [`Limits`](xuncha_org::Limits), or a file it could not read.
    #[error(transparent)]
    Org(#[from] xuncha_org::Error),
}

impl Error {
    /// What kind of failure this is: writing a plan or petitions is
    /// [`ErrorKind::Storage`] when the file cannot be written, a limit is
    /// [`ErrorKind::Limit`], anything else is [`ErrorKind::BadInput`].
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Org(e) => e.kind(),
            _ => ErrorKind::BadInput,
        }
    }
}
