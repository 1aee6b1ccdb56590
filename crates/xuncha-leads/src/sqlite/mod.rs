//! The `SQLite` store: one file, WAL journal, `synchronous=FULL`, one
//! transaction per append, triggers that refuse any change to the log but
//! the next append.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior, params};

mod schema;
mod snapshot;
mod upgrade;

use schema::{LOG_ONLY_VERSION, SCHEMA, SNAPSHOT_SCHEMA, check_schema};

use crate::merkle::Hash;
use crate::{Checkpoint, Error, Store, StoreFailure};

/// The schema version written to `PRAGMA user_version`.
///
/// Version 3 adds the snapshot ([`crate::snapshot`]). Version 2 seals
/// petitioners' identities and refuses, by trigger, any insert that is not
/// the next position; its files are read as they are and gain the
/// snapshot's tables when opened for writing. Version 1 files are refused
/// by [`SqliteStore::open`] and upgraded by [`SqliteStore::upgrade`].
pub const SCHEMA_VERSION: i64 = 3;

/// How long a command waits for another writer's lock.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A ledger file in `SQLite` (bundled, through rusqlite).
///
/// Opening for writing checks that the journal is WAL and
/// `synchronous=FULL` is in force, so an append that returned is on disk,
/// and that the schema and its triggers are exactly this version's (a
/// dropped trigger is named); a command waits up to [`BUSY_TIMEOUT`] for
/// another writer's lock. A new file is owner-only (`0600`), and so are the
/// journal files `SQLite` makes beside it.
///
/// ```
/// use xuncha_leads::{SqliteStore, Store};
/// let dir = tempfile::tempdir()?;
/// let store = SqliteStore::create(&dir.path().join("ledger.db"))?;
/// assert_eq!(store.len()?, 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    /// The file's schema version.
    version: i64,
    /// Opened with [`SqliteStore::open_read_only`].
    read_only: bool,
}

impl SqliteStore {
    /// Creates the ledger file (owner-only), or opens it if it exists.
    pub fn create(path: &Path) -> Result<SqliteStore, Error> {
        if !path.exists() {
            xuncha_org::atomic::create_new(path, xuncha_org::atomic::Mode::Private).map_err(
                |source| Error::Io {
                    path: path.to_owned(),
                    source,
                },
            )?;
        }
        SqliteStore::connect(path, true)
    }

    /// Creates a new ledger at `path` whole or not at all: `fill` gets a
    /// store in a temporary file beside `path` (owner-only), and only when
    /// it succeeds is the file moved to `path`, which must not exist. A
    /// process killed meanwhile leaves no file at `path`, so the retry
    /// works. `fill` must drop the store (and any ledger over it) before it
    /// returns.
    pub fn create_new<T>(
        path: &Path,
        fill: impl FnOnce(SqliteStore) -> Result<T, Error>,
    ) -> Result<T, Error> {
        if path.exists() {
            return Err(Error::AlreadyExists {
                kind: "ledger file",
                id: path.display().to_string(),
            });
        }
        // SQLite would read a journal left beside a deleted ledger as the
        // new ledger's: a journal names no database.
        for suffix in ["-wal", "-shm", "-journal"] {
            let stale = journal(path, suffix);
            if stale.exists() {
                return Err(Error::AlreadyExists {
                    kind: "journal of an earlier ledger (remove it, or restore its ledger)",
                    id: stale.display().to_string(),
                });
            }
        }
        // What a killed earlier attempt left: never in the way, but cleared.
        xuncha_org::atomic::remove_stale(path);
        let temp = xuncha_org::atomic::temp_path(path);
        let result = SqliteStore::create(&temp).and_then(fill).and_then(|value| {
            let wal = journal(&temp, "-wal");
            if wal.exists() {
                return Err(Error::Store {
                    what: path.display().to_string(),
                    kind: StoreFailure::Other,
                    message: "the new ledger was still open when it was to be moved into place"
                        .to_owned(),
                });
            }
            xuncha_org::atomic::persist_new(&temp, path)?;
            Ok(value)
        });
        if result.is_err() {
            for file in [temp.clone(), journal(&temp, "-wal"), journal(&temp, "-shm")] {
                let _ = std::fs::remove_file(file);
            }
        }
        result
    }

    /// Opens an existing ledger file for reading and writing; an error if
    /// there is none.
    pub fn open(path: &Path) -> Result<SqliteStore, Error> {
        exists(path)?;
        SqliteStore::connect(path, false)
    }

    /// Opens an existing ledger file for reading only: no lock is taken and
    /// nothing is written, so it works on a read-only copy, on a read-only
    /// disk and for a user who may only read the file. When `SQLite` cannot
    /// set up its shared memory (the folder is not writable) and no
    /// journal is pending, the file is opened as immutable.
    pub fn open_read_only(path: &Path) -> Result<SqliteStore, Error> {
        exists(path)?;
        let sql = sql_error(path);
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let probe = |conn: &Connection| {
            conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |row| {
                row.get::<_, i64>(0)
            })
        };
        let conn = match Connection::open_with_flags(path, flags) {
            Ok(conn) if probe(&conn).is_ok() => conn,
            first => {
                // Immutable mode reads the file alone: only when no journal
                // could hold anything the file does not.
                let wal = journal(path, "-wal");
                if wal.metadata().is_ok_and(|m| m.len() > 0) || journal(path, "-journal").exists() {
                    return Err(match first {
                        Err(e) => sql(e),
                        Ok(conn) => sql(probe(&conn).unwrap_err()),
                    });
                }
                let uri = format!("file:{}?immutable=1", uri_path(path));
                let conn = Connection::open_with_flags(uri, flags).map_err(&sql)?;
                probe(&conn).map_err(&sql)?;
                conn
            }
        };
        conn.busy_timeout(BUSY_TIMEOUT).map_err(&sql)?;
        let version = check_schema(&conn, path)?;
        Ok(SqliteStore {
            conn,
            path: path.to_owned(),
            version,
            read_only: true,
        })
    }

    fn connect(path: &Path, create: bool) -> Result<SqliteStore, Error> {
        SqliteStore::connect_writable(path, create).map_err(|err| match err {
            Error::Store {
                what,
                kind: StoreFailure::Io | StoreFailure::Other | StoreFailure::ReadOnly,
                message,
            } if !writable(path) => Error::Store {
                what,
                kind: StoreFailure::ReadOnly,
                message: format!("{message}: the file or its folder is read-only"),
            },
            other => other,
        })
    }

    fn connect_writable(path: &Path, create: bool) -> Result<SqliteStore, Error> {
        let sql = sql_error(path);
        let mut conn = Connection::open(path).map_err(&sql)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(&sql)?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |row| row.get(0))
            .map_err(&sql)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Durability {
                path: path.display().to_string(),
                setting: "journal_mode",
                found: mode,
                needed: "wal",
            });
        }
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(&sql)?;
        let synchronous: i64 = conn
            .pragma_query_value(None, "synchronous", |row| row.get(0))
            .map_err(&sql)?;
        if synchronous < 2 {
            return Err(Error::Durability {
                path: path.display().to_string(),
                setting: "synchronous",
                found: synchronous.to_string(),
                needed: "FULL (2) or EXTRA (3)",
            });
        }
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(&sql)?;
        let tables: i64 = conn
            .query_row("SELECT COUNT(*) FROM sqlite_master", [], |row| row.get(0))
            .map_err(&sql)?;
        if version == 0 && tables == 0 && create {
            let tx = conn.unchecked_transaction().map_err(&sql)?;
            tx.execute_batch(SCHEMA).map_err(&sql)?;
            tx.execute_batch(SNAPSHOT_SCHEMA).map_err(&sql)?;
            tx.pragma_update(None, "user_version", SCHEMA_VERSION)
                .map_err(&sql)?;
            tx.commit().map_err(&sql)?;
        }
        let mut version = check_schema(&conn, path)?;
        if version == LOG_ONLY_VERSION {
            // The snapshot's tables, added under the write lock; another
            // process may have added them meanwhile.
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(&sql)?;
            let now: i64 = tx
                .pragma_query_value(None, "user_version", |row| row.get(0))
                .map_err(&sql)?;
            if now == LOG_ONLY_VERSION {
                tx.execute_batch(SNAPSHOT_SCHEMA).map_err(&sql)?;
                tx.pragma_update(None, "user_version", SCHEMA_VERSION)
                    .map_err(&sql)?;
            }
            tx.commit().map_err(&sql)?;
            version = check_schema(&conn, path)?;
        }
        Ok(SqliteStore {
            conn,
            path: path.to_owned(),
            version,
            read_only: false,
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sql(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        sql_error(&self.path)
    }

    /// The checkpoints a `SELECT size, root` query gives, in its order.
    fn query_checkpoints(
        &self,
        query: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<Checkpoint>, Error> {
        let mut stmt = self.conn.prepare_cached(query).map_err(self.sql())?;
        let rows = stmt
            .query_map(params, |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(self.sql())?;
        let mut out = Vec::new();
        for row in rows {
            let (size, root) = row.map_err(self.sql())?;
            out.push(checkpoint_of(size, root)?);
        }
        Ok(out)
    }
}

/// Whether this process can write the file and create files beside it
/// (`SQLite`'s journal and shared memory).
fn writable(path: &Path) -> bool {
    let file = std::fs::OpenOptions::new().append(true).open(path).is_ok();
    let dir = path
        .parent()
        .map(|d| {
            if d.as_os_str().is_empty() {
                Path::new(".")
            } else {
                d
            }
        })
        .is_some_and(|d| {
            let probe = xuncha_org::atomic::temp_path(&d.join(".xuncha-write-probe"));
            // Created new, never through a link an attacker planted.
            let made =
                xuncha_org::atomic::create_new(&probe, xuncha_org::atomic::Mode::Private).is_ok();
            let _ = std::fs::remove_file(&probe);
            made
        });
    file && dir
}

fn exists(path: &Path) -> Result<(), Error> {
    if !path.exists() {
        return Err(Error::Io {
            path: path.to_owned(),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no ledger here (create one with `xuncha leads init`)",
            ),
        });
    }
    xuncha_org::limits::refuse_special(path)?;
    Ok(())
}

/// `path` with a journal suffix: `ledger.db-wal`.
fn journal(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A path as the path of a `file:` URI: `%`, `?` and `#` escaped.
fn uri_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
}

fn sql_error(path: &Path) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |e| Error::Store {
        what: path.display().to_string(),
        kind: failure_of(&e),
        message: e.to_string(),
    }
}

fn failure_of(err: &rusqlite::Error) -> StoreFailure {
    match err.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreFailure::Busy,
        Some(ErrorCode::DiskFull) => StoreFailure::Full,
        Some(ErrorCode::ReadOnly) => StoreFailure::ReadOnly,
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => StoreFailure::Corrupt,
        Some(ErrorCode::SystemIoFailure | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            StoreFailure::Io
        }
        _ => StoreFailure::Other,
    }
}

/// An insert that stored no row was silently dropped (a trigger that
/// ignores it): the append fails rather than report what it did not do.
fn inserted(rows: usize, what: &str, at: u64) -> Result<(), Error> {
    if rows == 1 {
        Ok(())
    } else {
        Err(Error::Tampered(format!(
            "the {what} at {at} was not stored: something in the ledger file drops writes"
        )))
    }
}

/// The rows of a two-column query.
fn pairs<A: rusqlite::types::FromSql, B: rusqlite::types::FromSql>(
    conn: &Connection,
    query: &str,
) -> rusqlite::Result<Vec<(A, B)>> {
    let mut stmt = conn.prepare(query)?;
    let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    rows.collect()
}

fn checkpoint_of(size: i64, root: Vec<u8>) -> Result<Checkpoint, Error> {
    let root: [u8; 32] = root.try_into().map_err(|_| {
        Error::Tampered(format!(
            "the root stored for checkpoint {size} is not 32 bytes"
        ))
    })?;
    Ok(Checkpoint {
        size: to_u64(size),
        root: Hash(root),
    })
}

fn to_u64(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

fn to_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

impl Store for SqliteStore {
    fn len(&self) -> Result<u64, Error> {
        let next: i64 = self
            .conn
            .query_row("SELECT COALESCE(MAX(seq) + 1, 0) FROM events", [], |row| {
                row.get(0)
            })
            .map_err(self.sql())?;
        Ok(to_u64(next))
    }

    fn for_each(&self, from: u64, visit: &mut crate::store::Visit<'_>) -> Result<(), Error> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT seq, body FROM events WHERE seq >= ?1 ORDER BY seq")
            .map_err(self.sql())?;
        let mut rows = stmt.query([to_i64(from)]).map_err(self.sql())?;
        while let Some(row) = rows.next().map_err(self.sql())? {
            let seq: i64 = row.get(0).map_err(self.sql())?;
            let body = row.get_ref(1).map_err(self.sql())?;
            let bytes = match body {
                rusqlite::types::ValueRef::Blob(b) | rusqlite::types::ValueRef::Text(b) => b,
                _ => &[],
            };
            visit(to_u64(seq), bytes)?;
        }
        Ok(())
    }

    fn checkpoints(&self) -> Result<Vec<Checkpoint>, Error> {
        self.query_checkpoints("SELECT size, root FROM checkpoints ORDER BY size", [])
    }

    fn checkpoints_after(&self, size: u64) -> Result<Vec<Checkpoint>, Error> {
        self.query_checkpoints(
            "SELECT size, root FROM checkpoints WHERE size > ?1 ORDER BY size",
            [to_i64(size)],
        )
    }

    fn read_consistent(&self, read: &mut dyn FnMut() -> Result<(), Error>) -> Result<(), Error> {
        // A deferred transaction's first read fixes the snapshot every
        // later read in it sees (WAL: readers never wait for writers).
        let tx = self.conn.unchecked_transaction().map_err(self.sql())?;
        let result = read();
        drop(tx);
        result
    }

    fn append(
        &mut self,
        expected: u64,
        events: &[Vec<u8>],
        checkpoint: Checkpoint,
        petitioners: &[(String, Vec<u8>)],
    ) -> Result<(), Error> {
        self.append_inner(expected, events, checkpoint, petitioners, None)
    }

    fn petitioner(&self, reference: &str) -> Result<Option<Vec<u8>>, Error> {
        self.conn
            .query_row(
                "SELECT sealed FROM petitioners WHERE reference = ?1",
                [reference],
                |row| row.get(0),
            )
            .optional()
            .map_err(self.sql())
    }

    fn keeps_snapshot(&self) -> bool {
        self.version == SCHEMA_VERSION
    }

    fn snapshot_summary(&self) -> Result<Option<(u64, Vec<u8>)>, Error> {
        if !self.keeps_snapshot() {
            return Ok(None);
        }
        snapshot::summary(&self.conn).map_err(self.sql())
    }

    fn snapshot_record(
        &self,
        kind: crate::snapshot::RecordKind,
        id: &str,
    ) -> Result<Option<(u64, Vec<u8>)>, Error> {
        if !self.keeps_snapshot() {
            return Ok(None);
        }
        snapshot::record(&self.conn, kind, id).map_err(self.sql())
    }

    fn snapshot_records(
        &self,
        kind: crate::snapshot::RecordKind,
        visit: &mut crate::store::VisitRecord<'_>,
    ) -> Result<(), Error> {
        if !self.keeps_snapshot() {
            return Ok(());
        }
        snapshot::records(&self.conn, kind, visit, self.sql())
    }

    fn snapshot_command(&self, id: &str) -> Result<Option<(u64, u64)>, Error> {
        if !self.keeps_snapshot() {
            return Ok(None);
        }
        snapshot::command(&self.conn, id).map_err(self.sql())
    }

    fn snapshot_commands(
        &self,
        visit: &mut dyn FnMut(&str, u64, u64) -> Result<(), Error>,
    ) -> Result<(), Error> {
        if !self.keeps_snapshot() {
            return Ok(());
        }
        snapshot::commands(&self.conn, visit, self.sql())
    }

    fn append_with_snapshot(
        &mut self,
        expected: u64,
        events: &[Vec<u8>],
        checkpoint: Checkpoint,
        petitioners: &[(String, Vec<u8>)],
        update: &crate::snapshot::SnapshotUpdate,
    ) -> Result<(), Error> {
        let update = self.keeps_snapshot().then_some(update);
        self.append_inner(expected, events, checkpoint, petitioners, update)
    }

    fn write_snapshot(&mut self, update: &crate::snapshot::SnapshotUpdate) -> Result<bool, Error> {
        if self.read_only || !self.keeps_snapshot() {
            return Ok(false);
        }
        let sql = sql_error(&self.path);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&sql)?;
        let found = next_seq(&tx).map_err(&sql)?;
        if found != update.size {
            return Err(Error::Conflict {
                expected: update.size,
                found,
            });
        }
        snapshot::write(&tx, update).map_err(&sql)?;
        tx.commit().map_err(&sql)?;
        Ok(true)
    }
}

impl SqliteStore {
    fn append_inner(
        &mut self,
        expected: u64,
        events: &[Vec<u8>],
        checkpoint: Checkpoint,
        petitioners: &[(String, Vec<u8>)],
        update: Option<&crate::snapshot::SnapshotUpdate>,
    ) -> Result<(), Error> {
        let sql = sql_error(&self.path);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&sql)?;
        let found: i64 = tx
            .query_row("SELECT COALESCE(MAX(seq) + 1, 0) FROM events", [], |row| {
                row.get(0)
            })
            .map_err(&sql)?;
        let found = to_u64(found);
        if found != expected {
            return Err(Error::Conflict { expected, found });
        }
        {
            let mut insert = tx
                .prepare_cached("INSERT INTO events (seq, body) VALUES (?1, ?2)")
                .map_err(&sql)?;
            for (seq, body) in (expected..).zip(events) {
                let rows = insert.execute(params![to_i64(seq), body]).map_err(&sql)?;
                inserted(rows, "event", seq)?;
            }
            let rows = tx
                .prepare_cached("INSERT INTO checkpoints (size, root) VALUES (?1, ?2)")
                .map_err(&sql)?
                .execute(params![to_i64(checkpoint.size), &checkpoint.root.0[..]])
                .map_err(&sql)?;
            inserted(rows, "checkpoint", checkpoint.size)?;
            let mut insert = tx
                .prepare_cached("INSERT INTO petitioners (reference, sealed) VALUES (?1, ?2)")
                .map_err(&sql)?;
            for (reference, sealed) in petitioners {
                let rows = insert.execute(params![reference, sealed]).map_err(&sql)?;
                inserted(rows, "petitioner identity", 0)?;
            }
        }
        if let Some(update) = update {
            update.follows(snapshot::size(&tx).map_err(&sql)?, expected)?;
            snapshot::write(&tx, update).map_err(&sql)?;
        }
        tx.commit().map_err(&sql)
    }
}

/// The position of the next event.
fn next_seq(conn: &Connection) -> rusqlite::Result<u64> {
    conn.query_row("SELECT COALESCE(MAX(seq) + 1, 0) FROM events", [], |row| {
        row.get::<_, i64>(0)
    })
    .map(to_u64)
}

#[cfg(test)]
mod tests;
