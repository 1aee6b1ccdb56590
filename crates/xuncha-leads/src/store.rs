//! Where the log lives: the [`Store`] trait and the in-memory store.

use std::collections::BTreeMap;

use crate::snapshot::{RecordKind, SnapshotUpdate};
use crate::{Checkpoint, Error};

/// What [`Store::for_each`] calls with each event's position and bytes.
pub type Visit<'a> = dyn FnMut(u64, &[u8]) -> Result<(), Error> + 'a;

/// What [`Store::snapshot_records`] calls with each record's id, the size
/// of the snapshot that wrote it, and its bytes.
pub type VisitRecord<'a> = dyn FnMut(&str, u64, &[u8]) -> Result<(), Error> + 'a;

/// A log store: events as bytes in order, the checkpoint of every append,
/// and the petitioners' sealed identities apart from both (see
/// [`IdentityKey`](crate::IdentityKey)).
///
/// An implementation must make [`Store::append`] atomic (all or nothing,
/// durable once it returns) and must refuse it with [`Error::Conflict`] when
/// the log's length is not `expected`: that is what keeps two writers from
/// appending at the same place.
pub trait Store {
    /// The number of events.
    fn len(&self) -> Result<u64, Error>;

    /// Whether the log is empty.
    fn is_empty(&self) -> Result<bool, Error> {
        Ok(self.len()? == 0)
    }

    /// Calls `visit(seq, bytes)` for every event from `from` on, in order.
    fn for_each(&self, from: u64, visit: &mut Visit<'_>) -> Result<(), Error>;

    /// The checkpoint recorded by every append, oldest first.
    fn checkpoints(&self) -> Result<Vec<Checkpoint>, Error>;

    /// The checkpoints covering more than `size` events, oldest first: what
    /// a ledger that has read `size` events has not yet checked.
    fn checkpoints_after(&self, size: u64) -> Result<Vec<Checkpoint>, Error> {
        let mut all = self.checkpoints()?;
        all.retain(|c| c.size > size);
        Ok(all)
    }

    /// Runs `read` as one consistent read: every call it makes to
    /// [`Store::len`], [`Store::for_each`] and [`Store::checkpoints`] sees
    /// the same log, whatever other writers append meanwhile. A store that
    /// has one writer (memory) just calls `read`.
    fn read_consistent(&self, read: &mut dyn FnMut() -> Result<(), Error>) -> Result<(), Error> {
        read()
    }

    /// Appends `events` at position `expected`, with the checkpoint after
    /// them and any petitioners' sealed identities `(reference, sealed)`,
    /// in one atomic step.
    fn append(
        &mut self,
        expected: u64,
        events: &[Vec<u8>],
        checkpoint: Checkpoint,
        petitioners: &[(String, Vec<u8>)],
    ) -> Result<(), Error>;

    /// A petitioner's sealed identity by reference. Protected data: nothing
    /// in the crate exports it, and only the office's key opens it.
    fn petitioner(&self, reference: &str) -> Result<Option<Vec<u8>>, Error>;

    /// Whether the store keeps a snapshot ([`crate::snapshot`]). A store
    /// that does not (the default) is replayed whole on every open.
    fn keeps_snapshot(&self) -> bool {
        false
    }

    /// The snapshot's summary: the number of events it reflects and its
    /// bytes. `None` when there is none.
    fn snapshot_summary(&self) -> Result<Option<(u64, Vec<u8>)>, Error> {
        Ok(None)
    }

    /// The snapshot's record of `kind` and `id`, if it holds one: the size
    /// of the snapshot that wrote it, and its bytes.
    fn snapshot_record(&self, kind: RecordKind, id: &str) -> Result<Option<(u64, Vec<u8>)>, Error> {
        let _ = (kind, id);
        Ok(None)
    }

    /// Calls `visit(id, bytes)` for every record of `kind` in the
    /// snapshot, in order of id.
    fn snapshot_records(&self, kind: RecordKind, visit: &mut VisitRecord<'_>) -> Result<(), Error> {
        let _ = (kind, visit);
        Ok(())
    }

    /// The snapshot's entry for command `id`: (first event, count).
    fn snapshot_command(&self, id: &str) -> Result<Option<(u64, u64)>, Error> {
        let _ = id;
        Ok(None)
    }

    /// Calls `visit(id, first, count)` for every command id the snapshot
    /// holds, in order of id.
    fn snapshot_commands(
        &self,
        visit: &mut dyn FnMut(&str, u64, u64) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let _ = visit;
        Ok(())
    }

    /// As [`Store::append`], writing `snapshot` in the same atomic step,
    /// each record marked with `snapshot.size`; refused, nothing written,
    /// when [`SnapshotUpdate::follows`] refuses the update over the stored
    /// snapshot's size (none counts as 0). The default (a store that keeps
    /// no snapshot) appends only.
    fn append_with_snapshot(
        &mut self,
        expected: u64,
        events: &[Vec<u8>],
        checkpoint: Checkpoint,
        petitioners: &[(String, Vec<u8>)],
        snapshot: &SnapshotUpdate,
    ) -> Result<(), Error> {
        let _ = snapshot;
        self.append(expected, events, checkpoint, petitioners)
    }

    /// Replaces the whole snapshot by `snapshot` (a rebuild), refused with
    /// [`Error::Conflict`] when the log does not hold exactly
    /// `snapshot.size` events. Returns whether it was written: a store
    /// that keeps none, or is open only for reading, writes nothing.
    fn write_snapshot(&mut self, snapshot: &SnapshotUpdate) -> Result<bool, Error> {
        let _ = snapshot;
        Ok(false)
    }
}

/// A store in memory, for tests and for tools that build a log to export.
///
/// Its parts can be taken out and put back ([`MemoryStore::into_parts`],
/// [`MemoryStore::from_parts`]), which is how the tests show that
/// verification catches any change to a stored log.
///
/// It keeps a snapshot as the `SQLite` store does; [`MemoryStore::from_parts`]
/// starts without one.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    events: Vec<Vec<u8>>,
    checkpoints: Vec<Checkpoint>,
    petitioners: BTreeMap<String, Vec<u8>>,
    snapshot: MemorySnapshot,
}

/// A snapshot in memory.
#[derive(Clone, Debug, Default)]
struct MemorySnapshot {
    summary: Option<(u64, Vec<u8>)>,
    records: BTreeMap<(RecordKind, String), (u64, Vec<u8>)>,
    commands: BTreeMap<String, (u64, u64)>,
}

impl MemorySnapshot {
    fn update(&mut self, update: &SnapshotUpdate) {
        if update.whole {
            self.records.clear();
        }
        if update.whole_commands {
            self.commands.clear();
        }
        self.summary = Some((update.size, update.summary.clone()));
        for record in &update.records {
            self.records.insert(
                (record.kind, record.id.clone()),
                (update.size, record.body.clone()),
            );
        }
        for (id, first, count) in &update.commands {
            self.commands.insert(id.clone(), (*first, *count));
        }
    }
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// A store holding these events and checkpoints, as found.
    pub fn from_parts(events: Vec<Vec<u8>>, checkpoints: Vec<Checkpoint>) -> MemoryStore {
        MemoryStore {
            events,
            checkpoints,
            petitioners: BTreeMap::new(),
            snapshot: MemorySnapshot::default(),
        }
    }

    /// Changes the snapshot's stored summary or a record, as an insider
    /// with the file could (for tests): `None` removes it.
    pub fn tamper_snapshot(&mut self, kind: Option<RecordKind>, id: &str, body: Option<Vec<u8>>) {
        match (kind, body) {
            (None, None) => self.snapshot.summary = None,
            (None, Some(body)) => {
                let size = self.snapshot.summary.as_ref().map_or(0, |(size, _)| *size);
                self.snapshot.summary = Some((size, body));
            }
            (Some(kind), None) => drop(self.snapshot.records.remove(&(kind, id.to_owned()))),
            (Some(kind), Some(body)) => {
                let at = self.snapshot.summary.as_ref().map_or(0, |(size, _)| *size);
                drop(
                    self.snapshot
                        .records
                        .insert((kind, id.to_owned()), (at, body)),
                );
            }
        }
    }

    /// Puts a row into the snapshot's index of command ids, as an insider
    /// with the file could (for tests).
    pub fn tamper_command(&mut self, id: &str, first: u64, count: u64) {
        self.snapshot.commands.insert(id.to_owned(), (first, count));
    }

    /// The stored events and checkpoints.
    pub fn into_parts(self) -> (Vec<Vec<u8>>, Vec<Checkpoint>) {
        (self.events, self.checkpoints)
    }
}

impl Store for MemoryStore {
    fn len(&self) -> Result<u64, Error> {
        Ok(self.events.len() as u64)
    }

    fn for_each(&self, from: u64, visit: &mut Visit<'_>) -> Result<(), Error> {
        let start = usize::try_from(from).unwrap_or(usize::MAX);
        for (seq, bytes) in (from..).zip(self.events.iter().skip(start)) {
            visit(seq, bytes)?;
        }
        Ok(())
    }

    fn checkpoints(&self) -> Result<Vec<Checkpoint>, Error> {
        Ok(self.checkpoints.clone())
    }

    fn append(
        &mut self,
        expected: u64,
        events: &[Vec<u8>],
        checkpoint: Checkpoint,
        petitioners: &[(String, Vec<u8>)],
    ) -> Result<(), Error> {
        let found = self.events.len() as u64;
        if found != expected {
            return Err(Error::Conflict { expected, found });
        }
        self.events.extend(events.iter().cloned());
        self.checkpoints.push(checkpoint);
        for (reference, identity) in petitioners {
            self.petitioners.insert(reference.clone(), identity.clone());
        }
        Ok(())
    }

    fn petitioner(&self, reference: &str) -> Result<Option<Vec<u8>>, Error> {
        Ok(self.petitioners.get(reference).cloned())
    }

    fn keeps_snapshot(&self) -> bool {
        true
    }

    fn snapshot_summary(&self) -> Result<Option<(u64, Vec<u8>)>, Error> {
        Ok(self.snapshot.summary.clone())
    }

    fn snapshot_record(&self, kind: RecordKind, id: &str) -> Result<Option<(u64, Vec<u8>)>, Error> {
        Ok(self.snapshot.records.get(&(kind, id.to_owned())).cloned())
    }

    fn snapshot_records(&self, kind: RecordKind, visit: &mut VisitRecord<'_>) -> Result<(), Error> {
        for ((_, id), (at, body)) in self
            .snapshot
            .records
            .range((kind, String::new())..)
            .take_while(|((k, _), _)| *k == kind)
        {
            visit(id, *at, body)?;
        }
        Ok(())
    }

    fn snapshot_command(&self, id: &str) -> Result<Option<(u64, u64)>, Error> {
        Ok(self.snapshot.commands.get(id).copied())
    }

    fn snapshot_commands(
        &self,
        visit: &mut dyn FnMut(&str, u64, u64) -> Result<(), Error>,
    ) -> Result<(), Error> {
        for (id, (first, count)) in &self.snapshot.commands {
            visit(id, *first, *count)?;
        }
        Ok(())
    }

    fn append_with_snapshot(
        &mut self,
        expected: u64,
        events: &[Vec<u8>],
        checkpoint: Checkpoint,
        petitioners: &[(String, Vec<u8>)],
        snapshot: &SnapshotUpdate,
    ) -> Result<(), Error> {
        let size = self.snapshot.summary.as_ref().map_or(0, |(size, _)| *size);
        snapshot.follows(size, expected)?;
        self.append(expected, events, checkpoint, petitioners)?;
        self.snapshot.update(snapshot);
        Ok(())
    }

    fn write_snapshot(&mut self, snapshot: &SnapshotUpdate) -> Result<bool, Error> {
        let found = self.events.len() as u64;
        if found != snapshot.size {
            return Err(Error::Conflict {
                expected: snapshot.size,
                found,
            });
        }
        self.snapshot.update(snapshot);
        Ok(true)
    }
}
