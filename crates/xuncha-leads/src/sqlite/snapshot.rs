//! The snapshot's tables: read and written for the store
//! ([`crate::snapshot`] says what they hold and why they are not trusted).

use rusqlite::{Connection, OptionalExtension, params};

use super::{to_i64, to_u64};
use crate::Error;
use crate::snapshot::{RecordKind, SnapshotUpdate};

pub(super) fn summary(conn: &Connection) -> rusqlite::Result<Option<(u64, Vec<u8>)>> {
    conn.prepare_cached("SELECT size, summary FROM snapshot WHERE id = 0")?
        .query_row([], |row| Ok((to_u64(row.get(0)?), row.get(1)?)))
        .optional()
}

pub(super) fn record(
    conn: &Connection,
    kind: RecordKind,
    id: &str,
) -> rusqlite::Result<Option<(u64, Vec<u8>)>> {
    conn.prepare_cached("SELECT at, body FROM snapshot_records WHERE kind = ?1 AND id = ?2")?
        .query_row(params![kind.code(), id], |row| {
            Ok((to_u64(row.get(0)?), row.get(1)?))
        })
        .optional()
}

pub(super) fn records(
    conn: &Connection,
    kind: RecordKind,
    visit: &mut crate::store::VisitRecord<'_>,
    sql: impl Fn(rusqlite::Error) -> Error,
) -> Result<(), Error> {
    let mut stmt = conn
        .prepare_cached("SELECT id, at, body FROM snapshot_records WHERE kind = ?1 ORDER BY id")
        .map_err(&sql)?;
    let mut rows = stmt.query([kind.code()]).map_err(&sql)?;
    while let Some(row) = rows.next().map_err(&sql)? {
        let id = row
            .get_ref(0)
            .map_err(&sql)?
            .as_str()
            .map_err(|e| sql(e.into()))?;
        let at: i64 = row.get(1).map_err(&sql)?;
        let body = row
            .get_ref(2)
            .map_err(&sql)?
            .as_blob()
            .map_err(|e| sql(e.into()))?;
        visit(id, to_u64(at), body)?;
    }
    Ok(())
}

pub(super) fn command(conn: &Connection, id: &str) -> rusqlite::Result<Option<(u64, u64)>> {
    conn.prepare_cached("SELECT first, count FROM snapshot_commands WHERE id = ?1")?
        .query_row([id], |row| Ok((to_u64(row.get(0)?), to_u64(row.get(1)?))))
        .optional()
}

pub(super) fn commands(
    conn: &Connection,
    visit: &mut dyn FnMut(&str, u64, u64) -> Result<(), Error>,
    sql: impl Fn(rusqlite::Error) -> Error,
) -> Result<(), Error> {
    let mut stmt = conn
        .prepare_cached("SELECT id, first, count FROM snapshot_commands ORDER BY id")
        .map_err(&sql)?;
    let mut rows = stmt.query([]).map_err(&sql)?;
    while let Some(row) = rows.next().map_err(&sql)? {
        let id = row
            .get_ref(0)
            .map_err(&sql)?
            .as_str()
            .map_err(|e| sql(e.into()))?;
        let first: i64 = row.get(1).map_err(&sql)?;
        let count: i64 = row.get(2).map_err(&sql)?;
        visit(id, to_u64(first), to_u64(count))?;
    }
    Ok(())
}

/// The number of events the stored snapshot reflects (0 for none).
pub(super) fn size(conn: &Connection) -> rusqlite::Result<u64> {
    Ok(summary(conn)?.map_or(0, |(size, _)| size))
}

/// Writes `update` inside the caller's transaction.
pub(super) fn write(conn: &Connection, update: &SnapshotUpdate) -> rusqlite::Result<()> {
    if update.whole {
        conn.execute_batch("DELETE FROM snapshot_records")?;
    }
    if update.whole_commands {
        conn.execute_batch("DELETE FROM snapshot_commands")?;
    }
    conn.prepare_cached("INSERT OR REPLACE INTO snapshot (id, size, summary) VALUES (0, ?1, ?2)")?
        .execute(params![to_i64(update.size), update.summary])?;
    let mut put = conn.prepare_cached(
        "INSERT OR REPLACE INTO snapshot_records (kind, id, at, body) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let at = to_i64(update.size);
    for record in &update.records {
        put.execute(params![record.kind.code(), record.id, at, record.body])?;
    }
    let mut put = conn.prepare_cached(
        "INSERT OR REPLACE INTO snapshot_commands (id, first, count) VALUES (?1, ?2, ?3)",
    )?;
    for (id, first, count) in &update.commands {
        put.execute(params![id, to_i64(*first), to_i64(*count)])?;
    }
    Ok(())
}
