//! Unit tests of the `SQLite` store.

use super::*;

fn one_event(path: &Path) -> SqliteStore {
    let mut store = SqliteStore::create(path).unwrap();
    let cp = Checkpoint {
        size: 1,
        root: Hash([7; 32]),
    };
    store.append(0, &[b"x".to_vec()], cp, &[]).unwrap();
    store
}

#[test]
fn triggers_refuse_update_delete_and_replace() {
    let dir = tempfile::tempdir().unwrap();
    let store = one_event(&dir.path().join("l.db"));
    let update = store.conn.execute("UPDATE events SET body = x'00'", []);
    assert!(update.unwrap_err().to_string().contains("append-only"));
    assert!(store.conn.execute("DELETE FROM events", []).is_err());
    assert!(store.conn.execute("DELETE FROM checkpoints", []).is_err());
    for replace in [
        "INSERT OR REPLACE INTO events (seq, body) VALUES (0, x'00')",
        "REPLACE INTO events (seq, body) VALUES (0, x'00')",
        "INSERT OR REPLACE INTO checkpoints (size, root) VALUES (1, x'00')",
        "INSERT INTO events (seq, body) VALUES (5, x'00')",
        "INSERT INTO events (seq, body) VALUES (0, x'00') ON CONFLICT(seq) DO UPDATE SET body = x'01'",
        "INSERT INTO checkpoints (size, root) VALUES (2, x'00')",
    ] {
        let err = store.conn.execute(replace, []).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{replace}: {err}");
    }
    let body: Vec<u8> = store
        .conn
        .query_row("SELECT body FROM events WHERE seq = 0", [], |r| r.get(0))
        .unwrap();
    assert_eq!(body, b"x");
    assert_eq!(store.len().unwrap(), 1);
}

#[test]
fn a_trigger_added_to_drop_writes_is_caught_on_opening_and_on_appending() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.db");
    let mut store = one_event(&path);
    let hide =
        "CREATE TRIGGER sqliteXhide BEFORE INSERT ON events BEGIN SELECT RAISE(IGNORE); END;";
    // Added behind an open store: the append that it swallows fails.
    store.conn.execute_batch(hide).unwrap();
    let cp = Checkpoint {
        size: 2,
        root: Hash([8; 32]),
    };
    let err = store.append(1, &[b"y".to_vec()], cp, &[]).unwrap_err();
    assert!(err.to_string().contains("drops writes"), "{err}");
    assert_eq!(store.len().unwrap(), 1);
    drop(store);
    // On opening, it is named, whatever its name.
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(err.to_string().contains("sqliteXhide"), "{err}");
}

#[test]
fn a_dropped_trigger_is_named_when_the_ledger_is_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.db");
    drop(one_event(&path));
    Connection::open(&path)
        .unwrap()
        .execute_batch("DROP TRIGGER events_no_update")
        .unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(err.to_string().contains("events_no_update"), "{err}");
    let err = SqliteStore::open_read_only(&path).unwrap_err();
    assert!(matches!(err, Error::Tampered(_)), "{err}");
}

#[test]
fn durability_settings_are_in_force_and_the_file_is_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.db");
    let store = one_event(&path);
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
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for file in [path.clone(), journal(&path, "-wal"), journal(&path, "-shm")] {
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", file.display());
        }
    }
}

#[test]
fn an_append_at_the_wrong_place_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = one_event(&dir.path().join("l.db"));
    let cp = Checkpoint::empty();
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
    let err = SqliteStore::create(&path).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Store {
                kind: StoreFailure::NotALedger,
                ..
            }
        ),
        "{err}"
    );
    assert!(SqliteStore::open(&dir.path().join("missing.db")).is_err());
}

#[test]
fn a_new_ledger_appears_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    let err = SqliteStore::create_new(&path, |_store| -> Result<(), Error> {
        Err(Error::Tampered("stop".into()))
    })
    .unwrap_err();
    assert!(matches!(err, Error::Tampered(_)));
    assert!(!path.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    SqliteStore::create_new(&path, |mut store| {
        let cp = Checkpoint {
            size: 1,
            root: Hash([1; 32]),
        };
        store.append(0, &[b"e".to_vec()], cp, &[])
    })
    .unwrap();
    assert_eq!(SqliteStore::open(&path).unwrap().len().unwrap(), 1);
    assert!(SqliteStore::create_new(&path, |_| Ok(())).is_err());
}

#[test]
fn a_version_1_ledger_is_upgraded_with_its_identities_sealed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    // A version 1 file as the toolkit wrote it before.
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE events (seq INTEGER PRIMARY KEY, body BLOB NOT NULL);
         CREATE TABLE checkpoints (size INTEGER PRIMARY KEY, root BLOB NOT NULL);
         CREATE TABLE petitioners (reference TEXT PRIMARY KEY, identity TEXT NOT NULL);
         PRAGMA user_version = 1;",
    )
    .unwrap();
    let mut ledger = crate::Ledger::open(crate::MemoryStore::new()).unwrap();
    let office = crate::Actor::new("office", crate::ActorRole::InspectionOffice);
    let open = crate::Action::Open {
        authorities: None,
        jurisdiction: xuncha_org::Code::parse("3506").unwrap(),
        policy: crate::DeadlinePolicy::default(),
    };
    ledger
        .execute(&crate::Command::new("c1", office, open), None)
        .unwrap();
    let (events, checkpoints) = ledger.into_store().into_parts();
    conn.execute("INSERT INTO events VALUES (0, ?1)", [&events[0]])
        .unwrap();
    conn.execute(
        "INSERT INTO checkpoints VALUES (1, ?1)",
        [&checkpoints[0].root.0[..]],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO petitioners VALUES ('petitioner/L1', '王秀英 13912345678')",
        [],
    )
    .unwrap();
    drop(conn);
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(err.to_string().contains("version 1"), "{err}");
    let key = crate::IdentityKey::generate().unwrap();
    assert_eq!(SqliteStore::upgrade(&path, &key).unwrap(), 1);
    let store = SqliteStore::open(&path).unwrap();
    let sealed = store.petitioner("petitioner/L1").unwrap().unwrap();
    let log = crate::merkle::leaf_hash(&events[0]);
    assert_eq!(
        key.open(&log, "petitioner/L1", &sealed).unwrap(),
        "王秀英 13912345678"
    );
    assert!(!String::from_utf8_lossy(&std::fs::read(&path).unwrap()).contains("王秀英"));
    crate::verify_store(&store).unwrap();
    assert_eq!(SqliteStore::upgrade(&path, &key).unwrap(), 1);
}

#[test]
fn storage_failures_are_told_apart() {
    let code = |code| rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None);
    assert_eq!(
        failure_of(&code(rusqlite::ffi::SQLITE_BUSY)),
        StoreFailure::Busy
    );
    assert_eq!(
        failure_of(&code(rusqlite::ffi::SQLITE_LOCKED)),
        StoreFailure::Busy
    );
    assert_eq!(
        failure_of(&code(rusqlite::ffi::SQLITE_FULL)),
        StoreFailure::Full
    );
    assert_eq!(
        failure_of(&code(rusqlite::ffi::SQLITE_READONLY)),
        StoreFailure::ReadOnly
    );
    assert_eq!(
        failure_of(&code(rusqlite::ffi::SQLITE_CORRUPT)),
        StoreFailure::Corrupt
    );
    for kind in [
        StoreFailure::Busy,
        StoreFailure::Full,
        StoreFailure::ReadOnly,
    ] {
        assert!(!kind.hint().contains("line"), "{kind:?}");
    }
    assert!(StoreFailure::Busy.hint().contains("ten seconds"));
}

#[test]
fn a_read_only_copy_can_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.db");
    drop(one_event(&path));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o500)).unwrap();
    }
    let store = SqliteStore::open_read_only(&path).unwrap();
    assert_eq!(store.len().unwrap(), 1);
    assert_eq!(store.checkpoints().unwrap().len(), 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    }
}
