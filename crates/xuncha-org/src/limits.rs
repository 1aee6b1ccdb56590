//! Limits on what a loader will take in, so that an input that would
//! exhaust memory (a 10 GB roster, a round of a million teams) is refused
//! with an error naming the limit instead of taking the machine down.
//!
//! Every path loader of the toolkit opens its file through [`Limits::open`]
//! or [`Limits::read_to_string`] with [`Limits::default`], the process's
//! limits: [`Limits::DEFAULT`] unless a program changed them once at start
//! with [`Limits::set_default`] (as the `xuncha` command does from its
//! `--max-input-bytes` and `--max-targets` flags). A library that wants
//! other limits for one file opens it with its own `Limits` and hands the
//! reader or text to the loader's `from_*_reader` / `from_*_str` function:
//!
//! ```
//! use std::path::Path;
//! use xuncha_org::{Error, Limits};
//!
//! let strict = Limits::default().with_max_input_bytes(16);
//! let csv = "old,new,date,kind\n350681,350604,2021-06-01,recoded\n";
//! let reader = strict.reader(Path::new("changes.csv"), csv.as_bytes());
//! let err = xuncha_org::CodeHistory::from_csv_reader(Path::new("changes.csv"), reader)
//!     .unwrap_err();
//! assert!(matches!(err, Error::Limit { limit: "max_input_bytes", .. }));
//! assert!(err.to_string().starts_with("changes.csv: more than 16 bytes"), "{err}");
//! ```

use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::Error;

/// Limits on inputs. `Default` gives limits far above any real province or
/// national file (see the fields) and far below what would exhaust a
/// machine's memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The largest file (or stream) a loader reads, in bytes. Default 1 GiB:
    /// the national village list is 38 MB, a national roster of 100,000
    /// people about 30 MB.
    pub max_input_bytes: u64,
    /// The most targets (teams) a round may have. Default 100,000: the
    /// country has 2,978 county-level divisions and about 39,000
    /// townships.
    pub max_targets: u64,
}

impl Limits {
    /// The default limits, as a constant.
    pub const DEFAULT: Limits = Limits {
        max_input_bytes: 1 << 30,
        max_targets: 100_000,
    };

    /// No limits at all.
    pub const NONE: Limits = Limits {
        max_input_bytes: u64::MAX,
        max_targets: u64::MAX,
    };

    /// These limits with `max_input_bytes` set.
    #[must_use]
    pub const fn with_max_input_bytes(mut self, bytes: u64) -> Limits {
        self.max_input_bytes = bytes;
        self
    }

    /// These limits with `max_targets` set.
    #[must_use]
    pub const fn with_max_targets(mut self, targets: u64) -> Limits {
        self.max_targets = targets;
        self
    }

    /// Sets the limits that [`Limits::default`] gives from now on, in this
    /// process: for a program to call once at start, from its
    /// configuration.
    pub fn set_default(limits: Limits) {
        DEFAULT_BYTES.store(limits.max_input_bytes, Ordering::Relaxed);
        DEFAULT_TARGETS.store(limits.max_targets, Ordering::Relaxed);
    }

    /// Opens a file, refusing it at once when it is larger than
    /// `max_input_bytes`, and wraps it so that reading past the limit (a
    /// file that grows, a pipe) fails too.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] naming the path; [`Error::Limit`] for a file too big.
    pub fn open(&self, path: &Path) -> Result<Limited<std::fs::File>, Error> {
        let io = |source| Error::Io {
            path: path.to_owned(),
            source,
        };
        refuse_special(path)?;
        let file = std::fs::File::open(path).map_err(io)?;
        let size = file.metadata().map_err(io)?.len();
        if size > self.max_input_bytes {
            return Err(self.too_big(path, size));
        }
        Ok(self.reader(path, file))
    }

    /// Reads a whole text file within `max_input_bytes`.
    ///
    /// # Errors
    ///
    /// As [`Limits::open`]; [`Error::Io`] for text that is not UTF-8.
    pub fn read_to_string(&self, path: &Path) -> Result<String, Error> {
        let mut text = String::new();
        self.open(path)?
            .read_to_string(&mut text)
            .map_err(|source| from_io(path, source))?;
        Ok(text)
    }

    /// Wraps a reader so that reading more than `max_input_bytes` from it
    /// fails with an error the loaders turn into [`Error::Limit`]; `name`
    /// names the source in that error.
    pub fn reader<R: Read>(&self, name: &Path, inner: R) -> Limited<R> {
        Limited {
            inner,
            name: name.to_owned(),
            left: self.max_input_bytes,
            max: self.max_input_bytes,
        }
    }

    /// Checks that `count` targets are within `max_targets`; `what` names
    /// the input (a file, or the round's id).
    ///
    /// # Errors
    ///
    /// [`Error::Limit`] naming `max_targets`.
    pub fn check_targets(&self, what: &str, count: usize) -> Result<(), Error> {
        let count = count as u64;
        if count > self.max_targets {
            return Err(Error::Limit {
                what: what.to_owned(),
                limit: "max_targets",
                max: self.max_targets,
                found: Some(count),
            });
        }
        Ok(())
    }

    fn too_big(&self, path: &Path, size: u64) -> Error {
        Error::Limit {
            what: path.display().to_string(),
            limit: "max_input_bytes",
            max: self.max_input_bytes,
            found: Some(size),
        }
    }
}

/// Refuses a path that is not a regular file (a FIFO, which would block
/// forever; a device such as `/dev/zero`, which never ends; a folder)
/// before opening it. A path that does not exist is left to the open,
/// which names it.
///
/// # Errors
///
/// [`Error::NotAFile`] naming what the path is.
pub fn refuse_special(path: &Path) -> Result<(), Error> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(());
    };
    if meta.is_file() {
        return Ok(());
    }
    let kind = if meta.is_dir() {
        "a folder"
    } else {
        special_kind(&meta)
    };
    Err(Error::NotAFile {
        path: path.to_owned(),
        kind,
    })
}

#[cfg(unix)]
pub(crate) fn special_kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = meta.file_type();
    if kind.is_fifo() {
        "a FIFO, which would block"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
pub(crate) fn special_kind(_: &std::fs::Metadata) -> &'static str {
    "not a regular file"
}

static DEFAULT_BYTES: AtomicU64 = AtomicU64::new(Limits::DEFAULT.max_input_bytes);
static DEFAULT_TARGETS: AtomicU64 = AtomicU64::new(Limits::DEFAULT.max_targets);

impl Default for Limits {
    /// The process's limits: [`Limits::DEFAULT`] unless changed with
    /// [`Limits::set_default`].
    fn default() -> Limits {
        Limits {
            max_input_bytes: DEFAULT_BYTES.load(Ordering::Relaxed),
            max_targets: DEFAULT_TARGETS.load(Ordering::Relaxed),
        }
    }
}

/// A reader that fails once more than a set number of bytes has been read:
/// see [`Limits::reader`].
#[derive(Debug)]
pub struct Limited<R> {
    inner: R,
    name: PathBuf,
    left: u64,
    max: u64,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            // Past the limit only if there is more to read.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::other(LimitExceeded {
                    name: self.name.clone(),
                    max: self.max,
                })),
            };
        }
        let room = usize::try_from(self.left)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let n = self.inner.read(&mut buf[..room])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// The I/O error a [`Limited`] reader gives past its limit; the loaders
/// turn it into [`Error::Limit`] (see [`from_io`]).
#[derive(Debug)]
pub struct LimitExceeded {
    name: PathBuf,
    max: u64,
}

impl fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: more than {} bytes (the limit max_input_bytes)",
            self.name.display(),
            self.max
        )
    }
}

impl std::error::Error for LimitExceeded {}

/// Turns an I/O error met while reading `path` into ours: a
/// [`Limited`] reader's refusal becomes [`Error::Limit`], anything else
/// [`Error::Io`].
pub fn from_io(path: &Path, source: io::Error) -> Error {
    match limit_of(&source) {
        Some(error) => error,
        None => Error::Io {
            path: path.to_owned(),
            source,
        },
    }
}

/// The [`Error::Limit`] that an I/O error carries, if it is a
/// [`Limited`] reader's refusal (also when wrapped by a parser's error).
pub fn limit_of(source: &(dyn std::error::Error + 'static)) -> Option<Error> {
    let mut at: Option<&(dyn std::error::Error + 'static)> = Some(source);
    while let Some(error) = at {
        if let Some(io) = error.downcast_ref::<io::Error>()
            && let Some(exceeded) = io.get_ref().and_then(|e| e.downcast_ref::<LimitExceeded>())
        {
            return Some(Error::Limit {
                what: exceeded.name.display().to_string(),
                limit: "max_input_bytes",
                max: exceeded.max,
                found: None,
            });
        }
        at = error.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_gives_exactly_the_limit_and_fails_past_it() {
        let limits = Limits::DEFAULT.with_max_input_bytes(4);
        let mut exact = String::new();
        limits
            .reader(Path::new("a"), "abcd".as_bytes())
            .read_to_string(&mut exact)
            .unwrap();
        assert_eq!(exact, "abcd");
        let mut over = String::new();
        let err = limits
            .reader(Path::new("a"), "abcde".as_bytes())
            .read_to_string(&mut over)
            .unwrap_err();
        let limit = from_io(Path::new("a"), err);
        assert_eq!(
            limit.to_string(),
            "a: more than 4 bytes, above the limit max_input_bytes = 4; raise the limit to take it"
        );
    }

    #[cfg(unix)]
    #[test]
    fn devices_fifos_and_folders_are_refused_before_reading() {
        let limits = Limits::DEFAULT;
        for path in ["/dev/zero", "/dev/null", "/"] {
            let err = limits.open(Path::new(path)).unwrap_err();
            assert!(matches!(err, Error::NotAFile { .. }), "{path}: {err}");
        }
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let err = limits.read_to_string(&fifo).unwrap_err();
            assert!(err.to_string().contains("FIFO"), "{err}");
        }
    }

    #[test]
    fn a_file_too_big_is_refused_before_it_is_read() {
        let dir = std::env::temp_dir().join(format!("xuncha-limits-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("roster.csv");
        std::fs::write(&path, "id,name\nP1,王芳\n").unwrap();
        let limits = Limits::DEFAULT.with_max_input_bytes(10);
        let err = limits.open(&path).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Limit {
                    found: Some(18),
                    max: 10,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("roster.csv"), "{err}");
        assert_eq!(Limits::default().read_to_string(&path).unwrap().len(), 18);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn targets_over_the_limit_are_named() {
        let err = Limits::default()
            .check_targets("round 2026-1", 1_000_000)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "round 2026-1: 1000000 targets, above the limit max_targets = 100000; raise the limit to take it"
        );
        assert!(Limits::default().check_targets("r", 100_000).is_ok());
    }
}
