//! The schema of a ledger file, version [`SCHEMA_VERSION`], and the check
//! that a file has exactly it: every table, index and trigger, so that a
//! dropped guard or an added one is named before anything is read. Version
//! 2 files (the log without the snapshot) are read, and upgraded in place
//! when opened for writing.

use std::path::Path;

use rusqlite::Connection;

use super::{SCHEMA_VERSION, sql_error};
use crate::{Error, StoreFailure};

/// The log's part of the schema (all of version 2). `INSERT OR REPLACE` deletes the row it replaces without
/// firing DELETE triggers, so the guard is on INSERT: an event must be the
/// next one, a checkpoint must cover exactly the events stored and come
/// after the last, and an identity is never replaced.
pub(super) const SCHEMA: &str = "
CREATE TABLE events (
    seq  INTEGER PRIMARY KEY,
    body BLOB NOT NULL
);
CREATE TABLE checkpoints (
    size INTEGER PRIMARY KEY,
    root BLOB NOT NULL
);
CREATE TABLE petitioners (
    reference TEXT PRIMARY KEY,
    sealed    BLOB NOT NULL
);
CREATE TRIGGER events_next BEFORE INSERT ON events
    WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq) + 1, 0) FROM events)
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only: an event must be the next one'); END;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER checkpoints_next BEFORE INSERT ON checkpoints
    WHEN NEW.size IS NOT (SELECT COALESCE(MAX(seq) + 1, 0) FROM events)
      OR NEW.size <= (SELECT COALESCE(MAX(size), -1) FROM checkpoints)
    BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only: a checkpoint must cover the events stored'); END;
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
    BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
    BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
CREATE TRIGGER petitioners_once BEFORE INSERT ON petitioners
    WHEN EXISTS (SELECT 1 FROM petitioners WHERE reference = NEW.reference)
    BEGIN SELECT RAISE(ABORT, 'a petitioner identity is never replaced'); END;
CREATE TRIGGER petitioners_no_update BEFORE UPDATE ON petitioners
    BEGIN SELECT RAISE(ABORT, 'petitioner identities are append-only'); END;
CREATE TRIGGER petitioners_no_delete BEFORE DELETE ON petitioners
    BEGIN SELECT RAISE(ABORT, 'petitioner identities are append-only'); END;
";

/// The snapshot's part (added by version 3): derived data, rewritten in the
/// transaction of every append, so without the log's guards; the ledger
/// checks it when it reads it and `verify` compares it with the replay.
pub(super) const SNAPSHOT_SCHEMA: &str = "
CREATE TABLE snapshot (
    id      INTEGER PRIMARY KEY CHECK (id = 0),
    size    INTEGER NOT NULL,
    summary BLOB NOT NULL
);
CREATE TABLE snapshot_records (
    kind INTEGER NOT NULL,
    id   TEXT NOT NULL,
    at   INTEGER NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;
CREATE TABLE snapshot_commands (
    id    TEXT PRIMARY KEY,
    first INTEGER NOT NULL,
    count INTEGER NOT NULL
) WITHOUT ROWID;
";

/// The version of the log without the snapshot.
pub(super) const LOG_ONLY_VERSION: i64 = 2;

/// Checks the version and that the schema, triggers included, is exactly
/// the one that version creates; returns the version ([`SCHEMA_VERSION`]
/// or [`LOG_ONLY_VERSION`]).
pub(super) fn check_schema(conn: &Connection, path: &Path) -> Result<i64, Error> {
    let sql = sql_error(path);
    let not_a_ledger = |message: String| Error::Store {
        what: path.display().to_string(),
        kind: StoreFailure::NotALedger,
        message,
    };
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(&sql)?;
    if version == 0 {
        return Err(not_a_ledger(
            "not a xuncha ledger (no schema version)".to_owned(),
        ));
    }
    if version == 1 {
        return Err(not_a_ledger(format!(
            "ledger schema version 1 (petitioners' identities in plain text); this build reads version {SCHEMA_VERSION}: upgrade it with `xuncha leads upgrade --ledger FILE --key KEY` (`SqliteStore::upgrade`)"
        )));
    }
    if version != SCHEMA_VERSION && version != LOG_ONLY_VERSION {
        return Err(not_a_ledger(format!(
            "ledger schema version {version}; this build reads versions {LOG_ONLY_VERSION} and {SCHEMA_VERSION}"
        )));
    }
    let found = schema_of(conn).map_err(&sql)?;
    let expected = expected_schema(version == SCHEMA_VERSION);
    for (kind, name, text) in &expected {
        match found.iter().find(|(k, n, _)| k == kind && n == name) {
            None => {
                return Err(Error::Tampered(format!(
                    "the {kind} `{name}` of the ledger's schema is missing: it was dropped"
                )));
            }
            Some((_, _, t)) if t != text => {
                return Err(Error::Tampered(format!(
                    "the {kind} `{name}` of the ledger's schema was changed"
                )));
            }
            Some(_) => {}
        }
    }
    if let Some((kind, name, _)) = found
        .iter()
        .find(|(k, n, _)| !expected.iter().any(|(ek, en, _)| ek == k && en == n))
    {
        return Err(Error::Tampered(format!(
            "the ledger's schema has a {kind} `{name}` that xuncha does not make"
        )));
    }
    Ok(version)
}

type SchemaRows = Vec<(String, String, String)>;

fn schema_of(conn: &Connection) -> rusqlite::Result<SchemaRows> {
    let mut stmt = conn.prepare(
        // Everything but SQLite's own automatic indexes (no SQL): a trigger
        // named `sqliteXhide` or `sqlite_x` is compared like any other.
        "SELECT type, name, COALESCE(sql, '') FROM sqlite_master WHERE NOT (type = 'index' AND sql IS NULL) ORDER BY type, name",
    )?;
    let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
    rows.collect()
}

/// The schema as a fresh database holds it (`SQLite` normalises the text),
/// with the snapshot's tables or without.
fn expected_schema(snapshot: bool) -> SchemaRows {
    Connection::open_in_memory()
        .and_then(|conn| {
            conn.execute_batch(SCHEMA)?;
            if snapshot {
                conn.execute_batch(SNAPSHOT_SCHEMA)?;
            }
            schema_of(&conn)
        })
        .unwrap_or_default()
}
