//! The `SQLite` store: one file, WAL journal, `synchronous=FULL`, one
//! transaction per append, triggers that refuse any UPDATE or DELETE of the
//! log.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::merkle::Hash;
use crate::{Checkpoint, Error, Store};

/// The schema version written to `PRAGMA user_version`.
pub const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS events (
    seq  INTEGER PRIMARY KEY,
    body BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS checkpoints (
    size INTEGER PRIMARY KEY,
    root BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS petitioners (
    reference TEXT PRIMARY KEY,
    identity  TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS checkpoints_no_update BEFORE UPDATE ON checkpoints
    BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
CREATE TRIGGER IF NOT EXISTS checkpoints_no_delete BEFORE DELETE ON checkpoints
    BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
";

/// A ledger file in `SQLite` (bundled, through rusqlite).
///
/// Opening checks that the journal is WAL and `synchronous=FULL` is in
/// force, so an append that returned is on disk; it waits up to ten seconds
/// for another writer's lock.
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
}

impl SqliteStore {
    /// Creates the ledger file, or opens it if it exists.
    pub fn create(path: &Path) -> Result<SqliteStore, Error> {
        SqliteStore::connect(path, true)
    }

    /// Opens an existing ledger file; an error if there is none.
    pub fn open(path: &Path) -> Result<SqliteStore, Error> {
        if !path.is_file() {
            return Err(Error::Io {
                path: path.to_owned(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no ledger here (create one with `xuncha leads init`)",
                ),
            });
        }
        SqliteStore::connect(path, false)
    }

    fn connect(path: &Path, create: bool) -> Result<SqliteStore, Error> {
        let sql = sql_error(path);
        let conn = Connection::open(path).map_err(&sql)?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(&sql)?;
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
        if version == 0 {
            let tables: i64 = conn
                .query_row("SELECT COUNT(*) FROM sqlite_master", [], |row| row.get(0))
                .map_err(&sql)?;
            if tables > 0 || !create {
                return Err(Error::Store {
                    what: path.display().to_string(),
                    message: "not a xuncha ledger (no schema version)".to_owned(),
                });
            }
            conn.execute_batch(SCHEMA).map_err(&sql)?;
            conn.pragma_update(None, "user_version", SCHEMA_VERSION)
                .map_err(&sql)?;
        } else if version != SCHEMA_VERSION {
            return Err(Error::Store {
                what: path.display().to_string(),
                message: format!(
                    "ledger schema version {version}; this build reads version {SCHEMA_VERSION}"
                ),
            });
        }
        Ok(SqliteStore {
            conn,
            path: path.to_owned(),
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sql(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        sql_error(&self.path)
    }
}

fn sql_error(path: &Path) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |e| Error::Store {
        what: path.display().to_string(),
        message: e.to_string(),
    }
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
        let mut stmt = self
            .conn
            .prepare_cached("SELECT size, root FROM checkpoints ORDER BY size")
            .map_err(self.sql())?;
        let rows = stmt
            .query_map([], |row| {
                let size: i64 = row.get(0)?;
                let root: Vec<u8> = row.get(1)?;
                Ok((size, root))
            })
            .map_err(self.sql())?;
        let mut out = Vec::new();
        for row in rows {
            let (size, root) = row.map_err(self.sql())?;
            let root: [u8; 32] = root.try_into().map_err(|_| {
                Error::Tampered(format!(
                    "the root stored for checkpoint {size} is not 32 bytes"
                ))
            })?;
            out.push(Checkpoint {
                size: to_u64(size),
                root: Hash(root),
            });
        }
        Ok(out)
    }

    fn append(
        &mut self,
        expected: u64,
        events: &[Vec<u8>],
        checkpoint: Checkpoint,
        petitioners: &[(String, String)],
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
                insert.execute(params![to_i64(seq), body]).map_err(&sql)?;
            }
            tx.prepare_cached("INSERT INTO checkpoints (size, root) VALUES (?1, ?2)")
                .map_err(&sql)?
                .execute(params![to_i64(checkpoint.size), &checkpoint.root.0[..]])
                .map_err(&sql)?;
            let mut insert = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO petitioners (reference, identity) VALUES (?1, ?2)",
                )
                .map_err(&sql)?;
            for (reference, identity) in petitioners {
                insert.execute(params![reference, identity]).map_err(&sql)?;
            }
        }
        tx.commit().map_err(&sql)
    }

    fn petitioner(&self, reference: &str) -> Result<Option<String>, Error> {
        self.conn
            .query_row(
                "SELECT identity FROM petitioners WHERE reference = ?1",
                [reference],
                |row| row.get(0),
            )
            .optional()
            .map_err(self.sql())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers_refuse_update_and_delete() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.db");
        let mut store = SqliteStore::create(&path).unwrap();
        let cp = Checkpoint::empty();
        store.append(0, &[b"x".to_vec()], cp, &[]).unwrap();
        let update = store.conn.execute("UPDATE events SET body = x'00'", []);
        assert!(update.unwrap_err().to_string().contains("append-only"));
        assert!(store.conn.execute("DELETE FROM events", []).is_err());
        assert!(store.conn.execute("DELETE FROM checkpoints", []).is_err());
        assert_eq!(store.len().unwrap(), 1);
    }

    #[test]
    fn durability_settings_are_in_force() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::create(&dir.path().join("l.db")).unwrap();
        let sync: i64 = store
            .conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2);
        let mode: String = store
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn an_append_at_the_wrong_place_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::create(&dir.path().join("l.db")).unwrap();
        let cp = Checkpoint::empty();
        store.append(0, &[b"a".to_vec()], cp, &[]).unwrap();
        let err = store.append(0, &[b"b".to_vec()], cp, &[]).unwrap_err();
        assert!(matches!(
            err,
            Error::Conflict {
                expected: 0,
                found: 1
            }
        ));
        assert_eq!(store.len().unwrap(), 1);
    }

    #[test]
    fn a_file_that_is_not_a_ledger_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.db");
        Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        assert!(SqliteStore::create(&path).is_err());
        assert!(SqliteStore::open(&dir.path().join("missing.db")).is_err());
    }
}
