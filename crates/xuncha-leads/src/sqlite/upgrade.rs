//! Upgrading a ledger file of schema version 1 (petitioners' identities in
//! plain text) in place.

use std::path::Path;

use rusqlite::Connection;

use super::{
    BUSY_TIMEOUT, SCHEMA_VERSION, SqliteStore, checkpoint_of, exists, journal, pairs, sql_error,
};
use crate::{Error, Store, StoreFailure};

impl SqliteStore {
    /// Upgrades a ledger of schema version 1 (identities in plain text) to
    /// this version in place: the old file is read and verified, a new
    /// file is built beside it with the same events and checkpoints and
    /// every identity sealed with `key`, verified, and renamed over the
    /// old one. A failure at any point leaves the old file as it was.
    /// Returns the number of events. A file already of this version is
    /// left alone (0 events upgraded is not returned: its length is).
    pub fn upgrade(path: &Path, key: &crate::IdentityKey) -> Result<u64, Error> {
        exists(path)?;
        let sql = sql_error(path);
        // Read and write: what a version 1 journal still holds goes into the
        // file first (a checkpoint), and the reads below are one snapshot.
        let old = Connection::open(path).map_err(&sql)?;
        old.busy_timeout(BUSY_TIMEOUT).map_err(&sql)?;
        let version: i64 = old
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(&sql)?;
        if version == SCHEMA_VERSION {
            drop(old);
            return SqliteStore::open(path)?.len();
        }
        if version != 1 {
            return Err(Error::Store {
                what: path.display().to_string(),
                kind: StoreFailure::NotALedger,
                message: format!("ledger schema version {version}: nothing to upgrade from"),
            });
        }
        let snapshot = old.unchecked_transaction().map_err(&sql)?;
        // Bodies in order of `seq`; a gap shows in verification, as each
        // body names its own position.
        let events: Vec<Vec<u8>> =
            pairs::<i64, Vec<u8>>(&old, "SELECT seq, body FROM events ORDER BY seq")
                .map_err(&sql)?
                .into_iter()
                .map(|(_, body)| body)
                .collect();
        let checkpoints =
            pairs::<i64, Vec<u8>>(&old, "SELECT size, root FROM checkpoints ORDER BY size")
                .map_err(&sql)?
                .into_iter()
                .map(|(size, root)| checkpoint_of(size, root))
                .collect::<Result<Vec<_>, Error>>()?;
        let log = events
            .first()
            .map(|first| crate::merkle::leaf_hash(first))
            .unwrap_or_default();
        let sealed = pairs::<String, String>(
            &old,
            "SELECT reference, identity FROM petitioners ORDER BY reference",
        )
        .map_err(&sql)?
        .into_iter()
        .map(|(reference, identity)| {
            let sealed = key.seal(&log, &reference, &identity)?;
            Ok((reference, sealed))
        })
        .collect::<Result<Vec<_>, Error>>()?;
        drop(snapshot);
        let _ = old.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        drop(old);
        // The old log must verify before it is carried over.
        let memory = crate::MemoryStore::from_parts(events.clone(), checkpoints.clone());
        let report = crate::verify_store(&memory)?;
        let temp = xuncha_org::atomic::temp_path(path);
        let built = (|| {
            let mut store = SqliteStore::create(&temp)?;
            let mut at = 0usize;
            for (i, checkpoint) in checkpoints.iter().enumerate() {
                let end = usize::try_from(checkpoint.size).unwrap_or(usize::MAX);
                let identities = if i == 0 { &sealed[..] } else { &[] };
                store.append(at as u64, &events[at..end], *checkpoint, identities)?;
                at = end;
            }
            crate::verify_store(&store)?;
            drop(store);
            if journal(&temp, "-wal").exists() {
                return Err(Error::Store {
                    what: temp.display().to_string(),
                    kind: StoreFailure::Other,
                    message: "the upgraded ledger was still open".to_owned(),
                });
            }
            // The old journal was checkpointed into the file and emptied:
            // nothing is lost if the rename fails.
            if journal(path, "-wal").metadata().is_ok_and(|m| m.len() > 0) {
                return Err(Error::Store {
                    what: path.display().to_string(),
                    kind: StoreFailure::Busy,
                    message: "another process still writes the old ledger: stop it, then upgrade"
                        .to_owned(),
                });
            }
            std::fs::rename(&temp, path).map_err(|source| Error::Io {
                path: path.to_owned(),
                source,
            })
        })();
        if built.is_err() {
            for file in [temp.clone(), journal(&temp, "-wal"), journal(&temp, "-shm")] {
                let _ = std::fs::remove_file(file);
            }
        }
        built.map(|()| report.events)
    }
}
