//! A ledger opened only to execute commands: it reads from the snapshot
//! what each command needs, so that a command costs its own work however
//! long the log.

use std::sync::Arc;

use super::{Ledger, Receipt};
use crate::merkle::Hash;
use crate::{Checkpoint, Clock, Command, Error, HandlerCheck, IdentityKey, Lead, Store};

/// A ledger opened to append commands, not to read the whole state: the
/// command line's `add`, `transfer`, `report` and the rest, or a server
/// that executes one command per request.
///
/// Opening reads the snapshot's summary (the Merkle frontier, the
/// jurisdiction, the policy, the number of records), no record; each
/// command reads the records it names from the snapshot (its lead, its
/// finding list, its obstruction or notice; every lead for
/// `escalate-overdue`), and a command id is looked up in the snapshot's
/// index. What is appended, and what the snapshot holds
/// after it, is exactly what a [`Ledger`] opened in full appends: the
/// decisions are the same code on the same records.
///
/// When the store keeps no snapshot, or its snapshot does not reflect
/// every event or fails its checks, the appender opens as a full
/// [`Ledger::open`] does (replaying, and rebuilding the snapshot) and
/// works as well, only without the saving.
///
/// ```
/// use xuncha_leads::{Action, Actor, ActorRole, Appender, Command, DeadlinePolicy, Ledger, MemoryStore};
/// use xuncha_org::Code;
///
/// let office = Actor::new("office", ActorRole::InspectionOffice);
/// let open = Action::Open { jurisdiction: Code::parse("3506")?, policy: DeadlinePolicy::default(), authorities: None };
/// let mut ledger = Ledger::open(MemoryStore::new())?;
/// ledger.execute(&Command::new("c1", office.clone(), open), None)?;
/// let mut appender = Appender::open(ledger.into_store())?;
/// let policy = Action::SetPolicy { policy: DeadlinePolicy::default() };
/// let receipt = appender.execute(&Command::new("c2", office, policy), None)?;
/// assert_eq!(receipt.checkpoint.size, 2);
/// let ledger = appender.into_ledger()?;
/// assert_eq!(ledger.verify()?.snapshot, Some(2));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Appender<S: Store> {
    ledger: Ledger<S>,
}

impl<S: Store> std::fmt::Debug for Appender<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Appender")
            .field("checkpoint", &self.ledger.checkpoint())
            .field("from_snapshot", &self.ledger.lazy.is_some())
            .finish_non_exhaustive()
    }
}

impl<S: Store> Appender<S> {
    /// Opens `store` to append to it: from the snapshot when it reflects
    /// every event and passes its checks (its frontier against the stored
    /// checkpoint of its size, its records), otherwise as
    /// [`Ledger::open`].
    pub fn open(store: S) -> Result<Appender<S>, Error> {
        let mut ledger = Ledger::empty(store);
        if ledger.load_snapshot(true)? {
            ledger.refresh()?;
            return Ok(Appender { ledger });
        }
        Ok(Appender {
            ledger: Ledger::open(ledger.store)?,
        })
    }

    /// Uses `key` to seal petitioners' identities (see
    /// [`Ledger::with_identity_key`]).
    #[must_use]
    pub fn with_identity_key(self, key: IdentityKey) -> Appender<S> {
        Appender {
            ledger: self.ledger.with_identity_key(key),
        }
    }

    /// Uses `clock` for the time of every command from now on.
    #[must_use]
    pub fn with_clock(self, clock: Arc<dyn Clock>) -> Appender<S> {
        Appender {
            ledger: self.ledger.with_clock(clock),
        }
    }

    /// Executes one command, as [`Ledger::execute`].
    pub fn execute(
        &mut self,
        command: &Command,
        check: Option<&dyn HandlerCheck>,
    ) -> Result<Receipt, Error> {
        self.ledger.execute(command, check)
    }

    /// Executes one signed command, as [`Ledger::execute_signed`].
    pub fn execute_signed(
        &mut self,
        command: &crate::SignedCommand,
        check: Option<&dyn HandlerCheck>,
    ) -> Result<Receipt, Error> {
        self.ledger.execute_signed(command, check)
    }

    /// Whether the ledger is signed: opened with authorities, every
    /// command signed by its actor.
    pub fn is_signed(&self) -> bool {
        self.ledger.state.enrolled.is_signed()
    }

    /// Executes commands as one atomic append, as [`Ledger::execute_batch`].
    pub fn execute_batch(
        &mut self,
        commands: &[Command],
        check: Option<&dyn HandlerCheck>,
    ) -> Result<Vec<Receipt>, Error> {
        self.ledger.execute_batch(commands, check)
    }

    /// Reads the events other writers appended since the appender last
    /// looked (the leads they changed are read again when next needed), as
    /// [`Ledger::refresh`].
    pub fn refresh(&mut self) -> Result<(), Error> {
        self.ledger.refresh()
    }

    /// A lead by id, read from the snapshot if the appender does not hold
    /// it yet.
    pub fn lead(&mut self, id: &str) -> Result<&Lead, Error> {
        self.ledger
            .load_record(crate::snapshot::RecordKind::Lead, id)?;
        self.ledger.state.lead(id)
    }

    /// Whether `person` is authorised on `team` at both levels (市县两级授权,
    /// as [`State::authorised_at_both_levels`](crate::State::authorised_at_both_levels)),
    /// the two records read from the snapshot if the appender does not
    /// hold them yet.
    pub fn authorised_at_both_levels(&mut self, team: &str, person: &str) -> Result<bool, Error> {
        for id in crate::Authorisation::ids_on(team, person) {
            self.ledger
                .load_record(crate::snapshot::RecordKind::Authorisation, &id)?;
        }
        Ok(self.ledger.state.authorised_at_both_levels(team, person))
    }

    /// Every event up to [`Appender::checkpoint`], decoded, in order, and
    /// checked against the root (as [`Ledger::events`]): one read of the
    /// log, with nothing rebuilt, for what reads every event anyway (the
    /// statistics).
    pub fn events(&self) -> Result<Vec<crate::Event>, Error> {
        self.ledger.events()
    }

    /// The current checkpoint.
    pub fn checkpoint(&self) -> Checkpoint {
        self.ledger.checkpoint()
    }

    /// The ledger's id (see [`Ledger::log_id`]).
    pub fn log_id(&self) -> Option<Hash> {
        self.ledger.log_id()
    }

    /// Whether the appender was opened from the snapshot (rather than by a
    /// full replay).
    pub fn from_snapshot(&self) -> bool {
        self.ledger.lazy.is_some()
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.ledger.store
    }

    /// Gives the store back.
    pub fn into_store(self) -> S {
        self.ledger.store
    }

    /// The whole ledger: every lead read from the snapshot (one that no
    /// longer reflects the events is replaced by a full replay).
    pub fn into_ledger(mut self) -> Result<Ledger<S>, Error> {
        self.ledger.refresh()?;
        if self
            .ledger
            .load_all(&crate::snapshot::RecordKind::ALL)
            .is_err()
        {
            self.ledger.become_complete()?;
        }
        Ok(self.ledger)
    }
}
