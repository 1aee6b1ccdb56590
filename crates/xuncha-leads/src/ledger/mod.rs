//! The ledger: commands in, events appended to a store with the snapshot
//! of what they change, state loaded from the snapshot or rebuilt by
//! replay, proofs out.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::command_index::CommandIndex;
use crate::merkle::{Hash, MerkleTree, leaf_hash};
use crate::proof::VerifyReport;
use crate::state::Context;
use crate::verify::{PIPELINE_FROM, replay_pipelined, verify_store};
use crate::{
    Action, Change, Checkpoint, Clock, Command, Error, Event, HandlerCheck, IdentityKey,
    LeadSource, SignedCommand, State, Store, SystemClock,
};
use chrono::{DateTime, Utc};
use xuncha_org::fxhash::FxHashMap;

mod appender;
mod proofs;
mod replay;
mod snapshot;

pub use appender::Appender;

use crate::redecide::Redecider;
use crate::statemap::{StateMap, state_root};
use replay::{Fold, replay};
use snapshot::Undo;

/// How many times a command is retried when another writer appended first.
const RETRIES: usize = 16;

/// What a command did: its events and the checkpoint after them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The command's id.
    pub command: String,
    /// The events it appended, in order.
    pub events: Vec<Event>,
    /// The log's checkpoint after them (for a repeated command, now).
    pub checkpoint: Checkpoint,
    /// Whether the command had been executed before: nothing was appended
    /// and `events` are the first execution's.
    pub duplicate: bool,
}

/// The ledger (台账) of one jurisdiction's leads and rectification, over a
/// [`Store`].
///
/// ```
/// use xuncha_leads::{Action, Actor, ActorRole, Command, DeadlinePolicy, Ledger, MemoryStore};
/// use xuncha_org::Code;
///
/// let mut ledger = Ledger::open(MemoryStore::new())?;
/// let office = Actor::new("office", ActorRole::InspectionOffice);
/// let open = Action::Open { jurisdiction: Code::parse("3506")?, policy: DeadlinePolicy::default(), authorities: None };
/// let receipt = ledger.execute(&Command::new("c1", office.clone(), open.clone()), None)?;
/// assert_eq!(receipt.events.len(), 1);
/// // The same command id again appends nothing and answers as the first time.
/// let again = ledger.execute(&Command::new("c1", office, open), None)?;
/// assert!(again.duplicate);
/// assert_eq!(ledger.checkpoint().size, 1);
/// ledger.verify()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Ledger<S: Store> {
    store: S,
    clock: Arc<dyn Clock>,
    tree: MerkleTree,
    state: State,
    /// Command id → (first event, count).
    commands: CommandIndex,
    /// Seals and opens petitioners' identities.
    key: Option<IdentityKey>,
    /// The time of the last event: a command's time is never before it.
    last_time: Option<DateTime<Utc>>,
    /// Why the ledger refuses to append: a refresh found events that do
    /// not verify, and the tree and state may hold them.
    poisoned: Option<String>,
    /// The leaf hash of the first event, once there is one.
    log_id: Option<Hash>,
    /// Whether command ids before the snapshot are looked up in the store
    /// (the ledger was opened from its snapshot) rather than in memory.
    commands_in_store: bool,
    /// `Some(the number of records of each kind)` when records are read
    /// from the snapshot as commands name them ([`Appender`]) rather than
    /// all held.
    lazy: Option<[u64; crate::snapshot::KINDS]>,
    /// The state map over the records (`statemap`): whole for a
    /// ledger that holds every record, in part for one that reads records
    /// as commands name them (each checked against the root when read).
    map: StateMap,
    /// The state root the last event commits to, if it does.
    committed: Option<Hash>,
    /// The number of events the snapshot reflected when this ledger last
    /// read it or wrote it: a row read later that does not hash to the
    /// root is another writer's, not tampering, if the snapshot moved on.
    snapshot_at: u64,
}

impl<S: Store> std::fmt::Debug for Ledger<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger")
            .field("checkpoint", &self.checkpoint())
            .field("leads", &self.state.leads.len())
            .finish_non_exhaustive()
    }
}

impl<S: Store> Ledger<S> {
    /// Opens a ledger over `store`: from its snapshot ([`crate::snapshot`])
    /// when the store keeps one that passes its checks, then the events
    /// after it; otherwise by replaying every event, after which the
    /// snapshot is rebuilt (when the store can be written).
    ///
    /// The events read (all of them, or those after the snapshot) are read
    /// in one consistent read and checked, before anything can be
    /// appended, against the stored checkpoints and the checkpoints carried
    /// by reports: a ledger that does not verify is refused
    /// ([`Error::Tampered`]). The snapshot's own frontier must hash to the
    /// stored checkpoint of its size, so appends continue the log the
    /// checkpoints (and the witnesses) know; [`Ledger::verify`] checks
    /// every event and the snapshot itself. An empty store opens (for
    /// `init`).
    pub fn open(store: S) -> Result<Ledger<S>, Error> {
        let mut ledger = Ledger::empty(store);
        let from_snapshot = ledger.load_snapshot(false)?;
        let behind = ledger.tree.len();
        ledger.refresh()?;
        // Events the stored snapshot does not reflect (appended beside it)
        // are put into it now, so that it is again the log's.
        if !from_snapshot || (ledger.tree.len() > behind && !ledger.snapshot_is_current()?) {
            ledger.rebuild_snapshot();
        }
        Ok(ledger)
    }

    /// Opens a ledger over `store` by replaying every event, whatever
    /// snapshot the store keeps (one that differs from the replay is then
    /// rewritten, when the store can be written). For a ledger whose
    /// snapshot is in doubt; [`Ledger::verify`] also tells whether it is.
    pub fn open_replaying(store: S) -> Result<Ledger<S>, Error> {
        let mut ledger = Ledger::empty(store);
        ledger.refresh()?;
        ledger.rebuild_snapshot();
        Ok(ledger)
    }

    /// A ledger over `store` that has read nothing yet.
    fn empty(store: S) -> Ledger<S> {
        Ledger {
            store,
            clock: Arc::new(SystemClock),
            tree: MerkleTree::new(),
            state: State::default(),
            commands: CommandIndex::default(),
            key: None,
            last_time: None,
            poisoned: None,
            log_id: None,
            commands_in_store: false,
            lazy: None,
            map: StateMap::of(std::iter::empty()),
            committed: None,
            snapshot_at: 0,
        }
    }

    /// Uses `key` to seal petitioners' identities on `add` and to open them
    /// on [`Ledger::reveal_petitioner`]. Without a key, a lead with a
    /// petitioner's identity is refused.
    #[must_use]
    pub fn with_identity_key(mut self, key: IdentityKey) -> Ledger<S> {
        self.key = Some(key);
        self
    }

    /// The ledger's id: the leaf hash of its first event, which names the
    /// jurisdiction, the time and the command that opened it. `None` for an
    /// empty ledger.
    pub fn log_id(&self) -> Option<Hash> {
        self.log_id.or_else(|| self.tree.leaf(0))
    }

    /// Uses `clock` for the time of every command from now on.
    #[must_use]
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Ledger<S> {
        self.clock = clock;
        self
    }

    /// The state as of the last event.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Gives the store back.
    pub fn into_store(self) -> S {
        self.store
    }

    /// The current checkpoint: size and root.
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            size: self.tree.len(),
            root: self.tree.root(),
        }
    }

    /// Reads and applies the events other writers appended since this
    /// ledger last looked.
    ///
    /// A long log is replayed on three threads: one reads the store, one
    /// decodes and hashes, one applies, handing chunks of events along.
    ///
    /// The new events are read in one consistent read with the stored
    /// checkpoints, and checked as [`Ledger::open`] checks them.
    ///
    /// When they do not verify, the error is returned and the ledger
    /// refuses every later command ([`Error::Tampered`]): what it read may
    /// already be in its tree, and nothing may be appended over it. Open
    /// the store again once it is sorted out.
    pub fn refresh(&mut self) -> Result<(), Error> {
        if let Some(why) = &self.poisoned {
            return Err(Error::Tampered(why.clone()));
        }
        let result = self.refresh_unchecked();
        if let Err(err) = &result {
            self.poisoned = Some(format!("the ledger read events that do not verify: {err}"));
        }
        result
    }

    fn refresh_unchecked(&mut self) -> Result<(), Error> {
        let before = self.tree.len();
        let Self {
            store,
            tree,
            state,
            commands,
            last_time,
            lazy,
            committed,
            ..
        } = self;
        let mut into = Fold {
            tree,
            state,
            commands,
            last_time,
            lazy: lazy.as_mut(),
            redecider: Redecider::with_log(self.log_id),
            committed,
            // A replay from nothing builds its map whole at the end.
            touched: (before > 0).then(Vec::new),
        };
        replay(&*store, &mut into)?;
        let touched = into.touched.take();
        if self.log_id.is_none() {
            self.log_id = self.tree.leaf(0);
        }
        if self.tree.len() == before {
            return Ok(());
        }
        if self.lazy.is_some() {
            // One read of the summary: the size and the records' root of the
            // snapshot the other writer wrote.
            let summary = self.store.snapshot_summary()?;
            if summary.as_ref().map(|(size, _)| *size) != Some(self.tree.len()) {
                // The leads the new events changed are read again from the
                // snapshot; one that does not reflect them cannot serve.
                return self.become_complete();
            }
            // Known again by the root the other writer's last event commits
            // to; a log whose last event commits to none is replayed.
            let Some(committed) = self.committed else {
                return self.become_complete();
            };
            // The records' root from the summary they wrote, bound with the
            // facts the events gave this ledger.
            let records = summary
                .and_then(|(_, bytes)| crate::snapshot::Summary::decode(&bytes))
                .map(|summary| summary.records_root);
            return match records {
                Some(records) if state_root(records, &self.state) == committed => {
                    self.map = StateMap::partial(records);
                    self.snapshot_at = self.tree.len();
                    Ok(())
                }
                _ => Err(Error::Tampered(format!(
                    "the snapshot after event {} does not bind the state root it commits to ({committed})",
                    self.tree.len() - 1
                ))),
            };
        }
        self.follow_map(touched.as_deref())
    }

    /// Brings the whole map up to the state after events that changed
    /// `touched` (the whole map built anew when the ledger held none), and
    /// checks it against the root the last event commits to.
    fn follow_map(
        &mut self,
        touched: Option<&[(crate::snapshot::RecordKind, String)]>,
    ) -> Result<(), Error> {
        // Each record once, however many events touched it; when they are
        // many (a replay), the map is built anew from the records instead.
        let records: u64 = self.state.counts().iter().sum();
        if let Some(touched) = touched
            && self.map.is_whole()
            && (touched.len() as u64) * 4 < records.max(64)
        {
            let unique: std::collections::BTreeSet<(crate::snapshot::RecordKind, &str)> = touched
                .iter()
                .map(|(kind, id)| (*kind, id.as_str()))
                .collect();
            let mut none = |_: &str| Ok(None);
            for (kind, id) in unique {
                let body = self.state.encode_record(kind, id);
                self.map.set(kind, id, body.as_deref(), &mut none)?;
            }
        } else {
            self.map = StateMap::of_records(&self.state.all_records());
        }
        self.check_committed()
    }

    /// Checks the whole map against the root the last event commits to.
    fn check_committed(&self) -> Result<(), Error> {
        let made = state_root(self.map.root(), &self.state);
        match self.committed {
            Some(root) if root != made => Err(Error::Tampered(format!(
                "the last event commits to the state root {root}, but the events make the state {made}: the state was changed outside the ledger"
            ))),
            _ => Ok(()),
        }
    }

    /// Executes one command: decides, appends its events durably, applies
    /// them. A command id seen before appends nothing and returns the first
    /// execution's events. `check` decides conflicts of handlers on
    /// `receive`, which is refused without one.
    pub fn execute(
        &mut self,
        command: &Command,
        check: Option<&dyn HandlerCheck>,
    ) -> Result<Receipt, Error> {
        let mut receipts = self.execute_batch(std::slice::from_ref(command), check)?;
        receipts.pop().ok_or_else(|| Error::Store {
            what: "ledger".to_owned(),
            kind: crate::StoreFailure::Other,
            message: "a command produced no receipt".to_owned(),
        })
    }

    /// Executes commands in order as one atomic append: all are recorded or
    /// none. A refused command refuses the batch. A signed ledger refuses
    /// them all ([`Error::Unsigned`]): see [`Ledger::execute_signed`].
    pub fn execute_batch(
        &mut self,
        commands: &[Command],
        check: Option<&dyn HandlerCheck>,
    ) -> Result<Vec<Receipt>, Error> {
        self.run_batch(commands, &vec![None; commands.len()], check)
    }

    /// Executes one command signed by its actor, as [`Ledger::execute`]:
    /// the ledger checks the signature (a key enrolled for the actor and
    /// role at the signed time, over this ledger's id; see
    /// [`crate::Enrolled`]) and records it with the command's first event.
    /// The events are dated at the signed time, which may not be before
    /// the last event's nor a day after the ledger's clock.
    pub fn execute_signed(
        &mut self,
        command: &SignedCommand,
        check: Option<&dyn HandlerCheck>,
    ) -> Result<Receipt, Error> {
        let mut receipts = self.execute_signed_batch(std::slice::from_ref(command), check)?;
        receipts.pop().ok_or_else(|| Error::Store {
            what: "ledger".to_owned(),
            kind: crate::StoreFailure::Other,
            message: "a command produced no receipt".to_owned(),
        })
    }

    /// Executes signed commands as one atomic append, as
    /// [`Ledger::execute_batch`] and [`Ledger::execute_signed`].
    pub fn execute_signed_batch(
        &mut self,
        commands: &[SignedCommand],
        check: Option<&dyn HandlerCheck>,
    ) -> Result<Vec<Receipt>, Error> {
        let plain: Vec<Command> = commands.iter().map(|c| c.command.clone()).collect();
        let signed: Vec<Signed> = commands
            .iter()
            .map(|c| Some((c.time, c.signature)))
            .collect();
        self.run_batch(&plain, &signed, check)
    }

    fn run_batch(
        &mut self,
        commands: &[Command],
        signed: &[Signed],
        check: Option<&dyn HandlerCheck>,
    ) -> Result<Vec<Receipt>, Error> {
        let mut attempt = 0;
        loop {
            match self.try_batch(commands, signed, check) {
                Err(Error::Conflict { .. }) if attempt < RETRIES => {
                    attempt += 1;
                    self.refresh()?;
                }
                Err(Error::Snapshot { .. }) if self.lazy.is_some() => {
                    // A lead's row could not serve: from the events, then.
                    self.become_complete()?;
                }
                other => return other,
            }
        }
    }

    fn try_batch(
        &mut self,
        commands: &[Command],
        signed: &[Signed],
        check: Option<&dyn HandlerCheck>,
    ) -> Result<Vec<Receipt>, Error> {
        if let Some(why) = &self.poisoned {
            return Err(Error::Tampered(why.clone()));
        }
        let start = self.tree.len();
        let mut undo = Undo::of(&self.state);
        let (events, plan) = match self.stage_batch(commands, signed, check, start, &mut undo) {
            Ok(staged) => staged,
            Err(err) => {
                // Applied as decided: put back what the commands changed.
                self.tree.truncate(start);
                self.map_before(&undo);
                undo.restore(&mut self.state);
                return Err(err);
            }
        };
        for event in &events {
            self.commands.record(event.command.clone(), event.seq);
        }
        if self.log_id.is_none() {
            self.log_id = self.tree.leaf(0);
        }
        if let Some(counts) = &mut self.lazy {
            for (count, new) in counts.iter_mut().zip(undo.new_records()) {
                *count += new;
            }
        }
        let checkpoint = self.checkpoint();
        let receipts = commands
            .iter()
            .zip(plan)
            .map(|(command, staged)| {
                let duplicate = !matches!(staged, Staged::Appended(..));
                let events = match staged {
                    Staged::Appended(from, to) | Staged::Again(from, to) => {
                        events[from..to].to_vec()
                    }
                    Staged::Recorded(recorded) => recorded,
                };
                Receipt {
                    command: command.id.clone(),
                    events,
                    checkpoint,
                    duplicate,
                }
            })
            .collect();
        Ok(receipts)
    }

    /// Decides the commands, applies their events and pushes their leaves
    /// onto the tree (command by command, as later commands may act on what
    /// earlier ones did), and appends them to the store with the snapshot
    /// of the records they changed. On failure the caller restores the
    /// tree and, from `undo`, the state.
    #[allow(clippy::type_complexity)]
    fn stage_batch(
        &mut self,
        commands: &[Command],
        signed: &[Signed],
        check: Option<&dyn HandlerCheck>,
        start: u64,
        undo: &mut Undo,
    ) -> Result<(Vec<Event>, Vec<Staged>), Error> {
        let mut events: Vec<Event> = Vec::new();
        let mut bodies: Vec<Vec<u8>> = Vec::new();
        let mut petitioners = Vec::new();
        let mut plan: Vec<Staged> = Vec::with_capacity(commands.len());
        let mut fresh: FxHashMap<&str, (usize, usize)> = FxHashMap::default();
        let clock = self.clock.now();
        let mut last = self.last_time;
        let mut now = clock;
        for (command, signed) in commands.iter().zip(signed) {
            // A retry answers with what was recorded, and on a signed ledger
            // only to a signed command.
            if signed.is_none() && self.state.enrolled.is_signed() {
                return Err(Error::Unsigned {
                    command: command.action.name(),
                    actor: command.actor.to_string(),
                    why:
                        "the ledger is signed: every command is signed by its actor's enrolled key"
                            .to_owned(),
                });
            }
            if self.command_events(&command.id)?.is_some() {
                let recorded = self.events_of(&command.id)?;
                same_command(command, &recorded)?;
                plan.push(Staged::Recorded(recorded));
                continue;
            }
            if let Some(&(from, to)) = fresh.get(command.id.as_str()) {
                same_command(command, &events[from..to])?;
                plan.push(Staged::Again(from, to));
                continue;
            }
            now = command_time(signed.as_ref(), clock, last)?;
            last = Some(now);
            crate::state::check_limits(command)?;
            self.load_for(&command.action)?;
            let signature = signed.map(|(_, signature)| signature);
            crate::enrolment::check_signature(
                &self.state.enrolled,
                self.log_id(),
                now,
                command,
                signature.as_ref(),
            )?;
            if matches!(command.action, Action::Receive { .. }) && check.is_none() {
                return Err(Error::Incomplete {
                    command: "receive",
                    field: "a conflict check",
                    why: "a handler is checked against the persons and units the lead implicates",
                });
            }
            // Only a report carries the checkpoint; the root costs log n hashes.
            let checkpoint = if matches!(command.action, Action::Report { .. }) {
                self.checkpoint()
            } else {
                Checkpoint::empty()
            };
            let cx = Context {
                now,
                checkpoint,
                check,
            };
            let mut changes = self.state.decide(command, cx)?;
            self.seal_petitioner(command, &mut changes, &mut petitioners)?;
            let from = events.len();
            for change in changes {
                let event = Event {
                    seq: start + events.len() as u64,
                    time: now,
                    actor: command.actor.clone(),
                    command: command.id.clone(),
                    change,
                    state: None,
                    // On the command's first event.
                    signature: if events.len() == from {
                        signature
                    } else {
                        None
                    },
                };
                undo.save(&self.state, &event.change);
                self.state.apply(event.clone())?;
                let body = event.encode();
                self.tree.push(leaf_hash(&body));
                bodies.push(body);
                events.push(event);
            }
            fresh.insert(&command.id, (from, events.len()));
            plan.push(Staged::Appended(from, events.len()));
        }
        if !events.is_empty() {
            let root = self.commit_state(&mut events, &mut bodies, undo)?;
            self.append_staged(start, &bodies, &petitioners, commands, &plan, now, undo)?;
            self.snapshot_at = self.tree.len();
            self.committed = Some(root);
            self.last_time = Some(now);
        }
        Ok((events, plan))
    }

    /// Seals the petitioner's identity an `add` brings, setting the new
    /// lead's petition reference to its own (`changes`, as decided) and
    /// keeping the sealed bytes for the append.
    fn seal_petitioner(
        &self,
        command: &Command,
        changes: &mut [Change],
        petitioners: &mut Vec<(String, Vec<u8>)>,
    ) -> Result<(), Error> {
        if let Action::AddLead {
            petitioner: Some(identity),
            ..
        } = &command.action
            && let Some(Change::LeadFound { lead }) = changes.first_mut()
        {
            {
                let LeadSource::Petition { reference, .. } = &mut lead.source else {
                    return Err(Error::Incomplete {
                        command: "add",
                        field: "a petition source",
                        why: "a petitioner's identity belongs to a lead that came from a petition",
                    });
                };
                let key = petitioner_reference(&lead.id);
                let log = self.log_id().unwrap_or_default();
                let sealed = match &self.key {
                    Some(office) => office.seal(&log, &key, identity)?,
                    None => {
                        return Err(Error::Identity {
                            reference: key,
                            why: "no identity key: a petitioner's identity is stored only sealed, with the office's key (`xuncha leads keygen`)".to_owned(),
                        });
                    }
                };
                *reference = Some(key.clone());
                petitioners.push((key, sealed));
            }
        }
        Ok(())
    }

    /// Makes the last staged event commit to the state root the batch
    /// leaves, and returns it. No report of the batch can cover that event
    /// (a report covers the events before it), so it is re-encoded alone.
    fn commit_state(
        &mut self,
        events: &mut [Event],
        bodies: &mut [Vec<u8>],
        undo: &Undo,
    ) -> Result<Hash, Error> {
        let root = state_root(self.map_after(undo)?, &self.state);
        if let (Some(last), Some(body)) = (events.last_mut(), bodies.last_mut()) {
            last.state = Some(root);
            *body = last.encode();
            self.tree.truncate(self.tree.len() - 1);
            self.tree.push(leaf_hash(body));
        }
        Ok(root)
    }

    /// Appends the staged events to the store, with the snapshot of what
    /// they changed when the store keeps one.
    #[allow(clippy::too_many_arguments)]
    fn append_staged(
        &mut self,
        start: u64,
        bodies: &[Vec<u8>],
        petitioners: &[(String, Vec<u8>)],
        commands: &[Command],
        plan: &[Staged],
        now: DateTime<Utc>,
        undo: &Undo,
    ) -> Result<(), Error> {
        let checkpoint = self.checkpoint();
        if self.store.keeps_snapshot() {
            let mut update = self.snapshot_update(commands, plan, start, now, undo);
            let appended =
                self.store
                    .append_with_snapshot(start, bodies, checkpoint, petitioners, &update);
            if let Err(Error::Snapshot { .. }) = appended {
                if !self.map.is_whole() {
                    // Holding only some records, it cannot write the
                    // snapshot whole: the log alone, and the next open
                    // rebuilds the snapshot.
                    return self.store.append(start, bodies, checkpoint, petitioners);
                }
                // The stored snapshot is not the one this ledger
                // follows (events came in beside it): write it whole.
                update.records = self.state.all_records();
                update
                    .records
                    .extend(self.map.all_rows().into_iter().map(|(id, body)| {
                        crate::snapshot::SnapshotRecord {
                            kind: crate::snapshot::RecordKind::Node,
                            id,
                            body,
                        }
                    }));
                update.commands.extend(self.commands.entries());
                update.whole = true;
                update.whole_commands = !self.commands_in_store;
                self.store
                    .append_with_snapshot(start, bodies, checkpoint, petitioners, &update)?;
            } else {
                appended?;
            }
        } else {
            self.store.append(start, bodies, checkpoint, petitioners)?;
        }
        Ok(())
    }

    /// The events a command appended, read back from the store.
    fn events_of(&mut self, command: &str) -> Result<Vec<Event>, Error> {
        let Some((first, count)) = self.command_events(command)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        self.store.for_each(first, &mut |seq, bytes| {
            if seq < first + count {
                out.push(Event::decode(bytes, seq)?);
            }
            Ok(())
        })?;
        // The index is derived: the events it points at must be the
        // command's own, all of them, or a command could be answered with
        // another's events and silently not recorded.
        if out.len() as u64 != count || out.iter().any(|e| e.command != command) {
            return Err(Error::Tampered(format!(
                "the snapshot's index of command ids points `{command}` at events {first}..{} that are not that command's",
                first + count
            )));
        }
        Ok(out)
    }

    /// Every event up to [`Ledger::checkpoint`], decoded, in order: the
    /// events the state reflects, not those other writers appended since.
    ///
    /// The events read must hash to the ledger's root: an event changed,
    /// removed or added in the store since the ledger read it (or, for a
    /// ledger opened from its snapshot, since the snapshot) fails with
    /// [`Error::Tampered`].
    ///
    /// A long log is read on three threads, as a replay: one reads and
    /// hashes, one decodes, one keeps.
    pub fn events(&self) -> Result<Vec<Event>, Error> {
        let end = self.tree.len();
        let mut out = Vec::new();
        let mut read = MerkleTree::new();
        if end < PIPELINE_FROM {
            self.store.for_each(0, &mut |seq, bytes| {
                if seq < end {
                    out.push(Event::decode(bytes, seq)?);
                    read.push(leaf_hash(bytes));
                }
                Ok(())
            })?;
        } else {
            out.reserve(usize::try_from(end).unwrap_or(0));
            let mut keep = |event: Event, leaf: Hash| -> Result<Option<String>, Error> {
                if event.seq < end {
                    out.push(event);
                    read.push(leaf);
                }
                Ok(None)
            };
            replay_pipelined(&self.store, 0, Event::decode, &mut keep)?;
        }
        self.check_read(&read)?;
        Ok(out)
    }

    /// Checks that the leaves read back from the store (all of them, or
    /// the events [`Ledger::events`] decoded) are the ledger's: as many, and
    /// hashing to its root.
    fn check_read(&self, read: &MerkleTree) -> Result<(), Error> {
        let size = self.tree.len();
        if read.len() != size || read.root() != self.tree.root() {
            return Err(Error::Tampered(format!(
                "the {} events read from the store do not hash to the ledger's root {} over {size}: an event was changed, removed or added under the ledger",
                read.len(),
                self.tree.root()
            )));
        }
        Ok(())
    }

    /// Re-reads the whole store and checks it: every event's position, the
    /// recomputed root at every stored checkpoint, and that the last
    /// checkpoint covers every event. Any changed, removed, inserted or
    /// reordered event, or a truncated log, fails. When the store keeps a
    /// snapshot, every event is then replayed and the snapshot must hold
    /// exactly what the replay built: a record changed, removed or added
    /// in it fails too.
    pub fn verify(&self) -> Result<VerifyReport, Error> {
        let mut report = verify_store(&self.store)?;
        report.snapshot = self.check_snapshot()?;
        Ok(report)
    }

    /// Reveals the identity of lead `lead`'s petitioner: for the office
    /// that must reply to them, with the key, and never silently. The
    /// `command` must be [`Action::RevealPetitioner`] for that lead; it is
    /// checked (role, reason) and recorded as an event before the identity
    /// is returned. Refused, with nothing recorded, without the key or with
    /// the wrong one.
    pub fn reveal_petitioner(&mut self, command: &Command) -> Result<(Receipt, String), Error> {
        self.reveal(command, None)
    }

    /// Reveals a petitioner's identity on a signed ledger, as
    /// [`Ledger::reveal_petitioner`], for a command signed by its actor.
    pub fn reveal_petitioner_signed(
        &mut self,
        command: &SignedCommand,
    ) -> Result<(Receipt, String), Error> {
        self.reveal(&command.command, Some(command))
    }

    fn reveal(
        &mut self,
        command: &Command,
        signed: Option<&SignedCommand>,
    ) -> Result<(Receipt, String), Error> {
        let Action::RevealPetitioner { lead, .. } = &command.action else {
            return Err(Error::Incomplete {
                command: "reveal",
                field: "a reveal-petitioner action",
                why: "only that action reveals an identity",
            });
        };
        let facts = &self.state.lead(lead)?.facts;
        let LeadSource::Petition {
            reference: Some(reference),
            ..
        } = &facts.source
        else {
            return Err(Error::NotFound {
                kind: "petitioner identity of lead",
                id: lead.clone(),
            });
        };
        let reference = reference.clone();
        if reference != petitioner_reference(lead) {
            return Err(Error::Tampered(format!(
                "lead {lead} names the petitioner reference {reference}, not its own"
            )));
        }
        let log = self.log_id().unwrap_or_default();
        let sealed = self
            .store
            .petitioner(&reference)?
            .ok_or_else(|| Error::NotFound {
                kind: "stored petitioner identity",
                id: reference.clone(),
            })?;
        let key = self.key.as_ref().ok_or_else(|| Error::Identity {
            reference: reference.clone(),
            why: "the office's identity key is needed to reveal it".to_owned(),
        })?;
        let identity = key.open(&log, &reference, &sealed)?;
        let receipt = match signed {
            Some(signed) => self.execute_signed(signed, None)?,
            None => self.execute(command, None)?,
        };
        // A command id used before answers with the first execution: it
        // must have been this very reveal, or nothing was recorded now.
        let recorded = receipt
            .events
            .iter()
            .any(|e| matches!(&e.change, Change::PetitionerRevealed { lead: l, .. } if l == lead));
        if !recorded {
            return Err(Error::AlreadyExists {
                kind: "command id (of another command)",
                id: command.id.clone(),
            });
        }
        Ok((receipt, identity))
    }
}

/// The reference under which lead `lead`'s petitioner is stored.
pub(crate) fn petitioner_reference(lead: &str) -> String {
    format!("petitioner/{lead}")
}

/// Refuses a command's time outside the plausible dates, or before the
/// last event's.
fn check_time(now: DateTime<Utc>, last: Option<DateTime<Utc>>) -> Result<(), Error> {
    xuncha_org::dates::check("the command's time", now.date_naive()).map_err(|why| {
        Error::OutOfRange {
            what: "the command's time",
            found: now.to_rfc3339(),
            why: why.to_string(),
        }
    })?;
    if let Some(last) = last
        && now < last
    {
        return Err(Error::OutOfRange {
            what: "the command's time",
            found: now.to_rfc3339(),
            why: format!(
                "it is before the last event's time, {}: event times never go backwards",
                last.to_rfc3339()
            ),
        });
    }
    Ok(())
}

/// The time of a command's events: the time it was signed for (not after
/// the ledger's `clock`, with a day's grace for clocks that disagree), or
/// the clock's; never before the `last` event's.
fn command_time(
    signed: Option<&(DateTime<Utc>, crate::Signature)>,
    clock: DateTime<Utc>,
    last: Option<DateTime<Utc>>,
) -> Result<DateTime<Utc>, Error> {
    let now = match signed {
        Some((time, _)) if *time > clock + chrono::Duration::days(1) => {
            return Err(Error::OutOfRange {
                what: "the command's time",
                found: time.to_rfc3339(),
                why: format!(
                    "it is signed for after the ledger's clock ({}): a record is never dated in the future",
                    clock.to_rfc3339()
                ),
            });
        }
        Some((time, _)) => *time,
        None => clock,
    };
    check_time(now, last)?;
    Ok(now)
}

/// A command's signature and the time it was signed for, when it has one.
type Signed = Option<(DateTime<Utc>, crate::Signature)>;

/// What became of one command of a batch.
pub(super) enum Staged {
    /// Decided and appended: the batch's events `from..to`.
    Appended(usize, usize),
    /// Its id came earlier in the same batch: that command's events.
    Again(usize, usize),
    /// Its id was already in the ledger: the events it recorded then.
    Recorded(Vec<Event>),
}

/// Refuses `command` when its id already recorded `recorded` for another
/// command: another actor, another lead or list than the action names, or
/// changes the action never records. A retry of the same command passes.
fn same_command(command: &Command, recorded: &[Event]) -> Result<(), Error> {
    let Some(first) = recorded.first() else {
        return Ok(());
    };
    let lead = recorded.iter().find_map(Event::lead);
    let list = recorded.iter().find_map(|e| e.change.list());
    let same_about = match (command.action.lead(), command.action.list()) {
        (Some(wanted), _) => lead == Some(wanted),
        (None, Some(wanted)) => list == Some(wanted),
        // An action about no one record (`escalate-overdue`) may touch many.
        (None, None) => true,
    };
    let same_action = recorded
        .iter()
        .all(|e| command.action.may_record(e.change.kind()));
    if first.actor == command.actor && same_about && same_action {
        return Ok(());
    }
    let about = lead
        .map(|l| format!(" of lead {l}"))
        .or_else(|| list.map(|l| format!(" of list {l}")))
        .unwrap_or_default();
    Err(Error::CommandIdReused {
        id: command.id.clone(),
        recorded: format!(
            "{}{about} by {} ({})",
            first.change.kind(),
            first.actor.id,
            first.actor.role.as_str()
        ),
        command: command.action.name(),
    })
}
