//! Where the log lives: the [`Store`] trait and the in-memory store.

use std::collections::BTreeMap;

use crate::{Checkpoint, Error};

/// What [`Store::for_each`] calls with each event's position and bytes.
pub type Visit<'a> = dyn FnMut(u64, &[u8]) -> Result<(), Error> + 'a;

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
}

/// A store in memory, for tests and for tools that build a log to export.
///
/// Its parts can be taken out and put back ([`MemoryStore::into_parts`],
/// [`MemoryStore::from_parts`]), which is how the tests show that
/// verification catches any change to a stored log.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    events: Vec<Vec<u8>>,
    checkpoints: Vec<Checkpoint>,
    petitioners: BTreeMap<String, Vec<u8>>,
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
        }
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
}
