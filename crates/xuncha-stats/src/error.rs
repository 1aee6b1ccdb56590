//! The crate's error type.

use std::path::PathBuf;

/// Everything that can go wrong in `xuncha-stats`.
///
/// Statistics themselves never fail: a rate with a zero denominator is
/// undefined (`None`), not an error. Errors come from reading inputs.
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
    /// An input file (petitions CSV, plan, round) is malformed.
    #[error("{file}{}: {message}", if *line > 0 { format!(", line {line}") } else { String::new() })]
    Input {
        /// The file.
        file: String,
        /// The line, 1-based; 0 when unknown.
        line: u64,
        /// What is wrong, and what to do.
        message: String,
    },
    /// An error of `xuncha-org`: an input above a configured
    /// [`Limits`](xuncha_org::Limits), or a file it could not read.
    #[error(transparent)]
    Org(#[from] xuncha_org::Error),
    /// A report could not be written (serialisation failed).
    #[error("cannot write the {format} report: {message}")]
    Report {
        /// The format.
        format: &'static str,
        /// What went wrong.
        message: String,
    },
}

impl Error {
    /// What kind of failure this is: a report that cannot be written is
    /// [`ErrorKind::Storage`](xuncha_org::ErrorKind::Storage); errors of
    /// `xuncha-org` keep their kind; the rest is bad input.
    pub fn kind(&self) -> xuncha_org::ErrorKind {
        match self {
            Error::Report { .. } => xuncha_org::ErrorKind::Storage,
            Error::Org(e) => e.kind(),
            _ => xuncha_org::ErrorKind::BadInput,
        }
    }

    /// The file the error is about, if any.
    pub fn file(&self) -> Option<String> {
        match self {
            Error::Io { path, .. } | Error::Org(xuncha_org::Error::Io { path, .. }) => {
                Some(path.display().to_string())
            }
            Error::Input { file, .. } => Some(file.clone()),
            Error::Org(xuncha_org::Error::Limit { what, .. }) => Some(what.clone()),
            Error::Org(xuncha_org::Error::Data { location, .. }) => {
                Some(location.file.display().to_string())
            }
            Error::Org(_) | Error::Report { .. } => None,
        }
    }
}
