//! Files written whole or not at all.
//!
//! Every file the toolkit writes goes to a temporary file in the same
//! folder, is synced, and is renamed over the destination; the folder is
//! synced after. A process killed part way, or a disk that fills, leaves the
//! old file (or none), never a truncated one. A temporary file left by a
//! killed process is named `.NAME.tmp-…` beside the destination, blocks
//! nothing, and is removed by the next write of the same file.
//!
//! ```
//! use xuncha_org::atomic::{self, Mode};
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("plan.json");
//! atomic::write(&path, b"{}", Mode::Shared)?;
//! atomic::write(&path, b"{\"v\":2}", Mode::Private)?;
//! assert_eq!(std::fs::read(&path)?, b"{\"v\":2}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::Error;

/// Who may read a file written here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Readable by others as the process's umask allows (plans, reports).
    Shared,
    /// Owner-only (`0600` on Unix): ledgers, exports of them, key files,
    /// anything that may hold an identity.
    Private,
}

/// Writes `bytes` to `path` whole or not at all (see the module).
///
/// # Errors
///
/// [`Error::Write`] naming `path`; the destination is then as it was.
/// [`Error::NotAFile`] when something other than a regular file is there.
pub fn write(path: &Path, bytes: &[u8], mode: Mode) -> Result<(), Error> {
    write_with(path, mode, |file| file.write_all(bytes))
}

/// Writes the file `fill` writes into, whole or not at all.
///
/// # Errors
///
/// [`Error::Write`] naming `path`, for a failure of `fill` too;
/// [`Error::NotAFile`] when `path` is there but is no regular file (see
/// [`write_with`]).
pub fn write_with(
    path: &Path,
    mode: Mode,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<(), Error> {
    refuse_replacing(path)?;
    let fail = |source| Error::Write {
        path: path.to_owned(),
        source,
    };
    let temp = temp_path(path);
    let result = (|| {
        let mut out = create_new(&temp, mode)?;
        fill(&mut out)?;
        out.sync_all()?;
        drop(out);
        fs::rename(&temp, path)?;
        sync_parent(path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    remove_stale(path);
    result.map_err(fail)
}

/// Only a regular file is replaced. A symbolic link, a device
/// (`/dev/stdout`), a FIFO or a folder at `path` is refused: renaming over
/// it would put a file where the name stood for something else (run as
/// root, `--out /dev/stdout` replaced the system's link with a file).
fn refuse_replacing(path: &Path) -> Result<(), Error> {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return Ok(());
    };
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(());
    }
    let kind = if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_dir() {
        "a folder"
    } else {
        crate::limits::special_kind(&meta)
    };
    Err(Error::NotAFile {
        path: path.to_owned(),
        kind,
    })
}

/// Moves a finished temporary file (or folder) into place only if nothing
/// is there: the file appears whole, or the call fails and `path` is as it
/// was. For files that must not replace another, such as a new ledger.
///
/// # Errors
///
/// [`Error::Write`] naming `path`; `AlreadyExists` as its source when
/// something is there.
pub fn persist_new(temp: &Path, path: &Path) -> Result<(), Error> {
    let fail = |source| Error::Write {
        path: path.to_owned(),
        source,
    };
    // A hard link fails if the destination exists: no window in which a
    // second writer's file could be replaced. Where the file system has no
    // hard links (FAT, some network shares), a check then a rename.
    match fs::hard_link(temp, path) {
        Ok(()) => {
            // In place: a temporary that cannot be removed is only stale.
            let _ = fs::remove_file(temp);
        }
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => return Err(fail(err)),
        Err(_) if !path.exists() => fs::rename(temp, path).map_err(fail)?,
        Err(err) => return Err(fail(err)),
    }
    sync_parent(path).map_err(fail)
}

/// A fresh temporary path beside `path`: `.NAME.tmp-PID-N`.
pub fn temp_path(path: &Path) -> PathBuf {
    sibling(path, "tmp")
}

/// Creates a file that must not exist yet, owner-only when `mode` says so.
///
/// # Errors
///
/// The I/O error, `AlreadyExists` among them.
pub fn create_new(path: &Path, mode: Mode) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(match mode {
            Mode::Shared => 0o666,
            Mode::Private => 0o600,
        });
    }
    #[cfg(not(unix))]
    let _ = mode;
    options.open(path)
}

fn sibling(path: &Path, what: &str) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.{what}-{}-{n}", std::process::id()))
}

/// Removes temporary files (and folders) of `path` left by processes that
/// no longer run: `.NAME.tmp-PID-…` beside it.
pub fn remove_stale(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = format!(".{}.tmp-", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        let Some(rest) = file.strip_prefix(&prefix) else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|pid| pid != std::process::id() && !alive(pid)) {
            let _ = fs::remove_file(entry.path());
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

fn alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}

/// Syncs the folder holding `path`, so a rename into it is durable.
fn sync_parent(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A link, a folder or a device at the destination is refused and left
    /// as it is, and so is what a link points to; a regular file is
    /// replaced.
    #[cfg(unix)]
    #[test]
    fn only_a_regular_file_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.json");
        write(&target, b"kept", Mode::Shared).unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let err = write(&link, b"new", Mode::Shared).unwrap_err();
        assert!(
            matches!(
                &err,
                Error::NotAFile {
                    kind: "a symbolic link",
                    ..
                }
            ),
            "{err}"
        );
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&target).unwrap(), b"kept");
        let folder = dir.path().join("folder");
        fs::create_dir(&folder).unwrap();
        let err = write(&folder, b"new", Mode::Shared).unwrap_err();
        assert!(
            matches!(
                &err,
                Error::NotAFile {
                    kind: "a folder",
                    ..
                }
            ),
            "{err}"
        );
        assert!(folder.is_dir());
        // A device is checked without writing to it.
        let err = refuse_replacing(Path::new("/dev/null")).unwrap_err();
        assert!(matches!(&err, Error::NotAFile { .. }), "{err}");
        assert_eq!(err.kind(), crate::ErrorKind::BadInput);
        write(&target, b"new", Mode::Shared).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new");
        // Nothing was left behind.
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["folder", "link.json", "target.json"]);
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        write(&path, b"old", Mode::Shared).unwrap();
        let err = write_with(&path, Mode::Shared, |file| {
            file.write_all(b"half")?;
            Err(io::Error::new(io::ErrorKind::StorageFull, "no space left"))
        })
        .unwrap_err();
        assert!(err.to_string().contains("out.json"), "{err}");
        assert!(err.to_string().contains("no space"), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"old");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[cfg(unix)]
    #[test]
    fn private_files_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger-export.json");
        write(&path, b"x", Mode::Private).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn persist_new_refuses_to_replace_and_a_stale_temporary_goes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.db");
        // A killed writer's leftover, from a pid that cannot be running.
        let stale = dir.path().join(".l.db.tmp-4294967295-0");
        fs::write(&stale, b"partial").unwrap();
        let temp = temp_path(&path);
        fs::write(&temp, b"one").unwrap();
        persist_new(&temp, &path).unwrap();
        let temp = temp_path(&path);
        fs::write(&temp, b"two").unwrap();
        let err = persist_new(&temp, &path).unwrap_err();
        assert!(matches!(err, Error::Write { .. }));
        assert_eq!(fs::read(&path).unwrap(), b"one");
        write(&path.with_file_name("other"), b"", Mode::Shared).unwrap();
        write(&path, b"three", Mode::Shared).unwrap();
        assert!(!stale.exists());
    }
}
