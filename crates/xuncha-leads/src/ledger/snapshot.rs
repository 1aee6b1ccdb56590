//! The ledger's side of the snapshot ([`crate::snapshot`]): loading it when
//! it passes its checks, writing what each append changed, rebuilding it
//! after a full replay, and comparing it with a replay for `verify`.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use xuncha_org::fxhash::FxHashMap;

use super::Ledger;
use super::replay::{Fold, replay_within};
use crate::command_index::CommandIndex;
use crate::merkle::{Hash, MerkleTree};
use crate::redecide::Redecider;
use crate::snapshot::{Record, RecordKind, SnapshotRecord, SnapshotUpdate, Summary, touched};
use crate::statemap::StateMap;
use crate::{Action, Change, Checkpoint, Command, DeadlinePolicy, Error, Event, State, Store};

/// What a batch of commands changed in the state, to put back when the
/// batch fails and to write into the snapshot when it is appended.
pub(super) struct Undo {
    jurisdiction: Option<xuncha_org::Code>,
    policy: DeadlinePolicy,
    registered_check: Option<Hash>,
    enrolled: crate::Enrolled,
    events: u64,
    /// Each record touched, as it was before, in the order first touched.
    records: Vec<(RecordKind, String, Option<Record>)>,
    seen: BTreeSet<(RecordKind, String)>,
}

impl Undo {
    /// Nothing changed yet in `state`.
    pub(super) fn of(state: &State) -> Undo {
        Undo {
            jurisdiction: state.jurisdiction,
            policy: state.policy,
            registered_check: state.registered_check,
            enrolled: state.enrolled.clone(),
            events: state.events,
            records: Vec::new(),
            seen: BTreeSet::new(),
        }
    }

    /// Keeps the record `change` is about, as `state` holds it before the
    /// change is applied (the first time only).
    pub(super) fn save(&mut self, state: &State, change: &Change) {
        if let Some((kind, id)) = touched(change)
            && self.seen.insert((kind, id.to_owned()))
        {
            self.records
                .push((kind, id.to_owned(), state.record(kind, id)));
        }
    }

    /// The number of records of each kind the batch created (touched and
    /// not there before).
    pub(super) fn new_records(&self) -> [u64; crate::snapshot::KINDS] {
        let mut counts = [0; crate::snapshot::KINDS];
        for (kind, _, before) in &self.records {
            if before.is_none() {
                counts[kind.index()] += 1;
            }
        }
        counts
    }

    /// The records touched, each as it was before.
    pub(super) fn records(&self) -> &[(RecordKind, String, Option<Record>)] {
        &self.records
    }

    /// Puts `state` back as it was.
    pub(super) fn restore(self, state: &mut State) {
        state.jurisdiction = self.jurisdiction;
        state.policy = self.policy;
        state.registered_check = self.registered_check;
        state.enrolled = self.enrolled;
        state.events = self.events;
        for (kind, id, before) in self.records.into_iter().rev() {
            state.restore(kind, &id, before);
        }
    }
}

impl<S: Store> Ledger<S> {
    /// The events command `id` appended: (first, count). A ledger opened
    /// from its snapshot looks up the commands before it in the store.
    pub(super) fn command_events(&mut self, id: &str) -> Result<Option<(u64, u64)>, Error> {
        if let Some(found) = self.commands.get(id) {
            return Ok(Some(found));
        }
        if self.commands_in_store {
            return self.store.snapshot_command(id);
        }
        Ok(None)
    }

    /// Loads the store's snapshot if it passes its checks; returns whether
    /// it did. One that does not (missing, of another format, damaged,
    /// not the log's) is left for a full replay to rebuild.
    ///
    /// With `lazy`, no record is read ([`Appender`](super::Appender)), and
    /// only a snapshot of every event is used.
    pub(super) fn load_snapshot(&mut self, lazy: bool) -> Result<bool, Error> {
        if !self.store.keeps_snapshot() {
            return Ok(false);
        }
        let store = &self.store;
        let mut loaded = None;
        store.read_consistent(&mut || {
            loaded = read_snapshot(store, lazy)?;
            Ok(())
        })?;
        let Some((summary, tree, state, map)) = loaded else {
            return Ok(false);
        };
        self.tree = tree;
        self.state = state;
        self.log_id = summary.log_id;
        self.last_time = summary.last_time;
        self.commands_in_store = true;
        self.lazy = lazy.then(|| summary.counts());
        self.committed = Some(summary.state_root);
        self.snapshot_at = summary.size;
        self.map = map.unwrap_or_else(|| StateMap::partial(summary.records_root));
        Ok(true)
    }

    /// The state root after the staged events: the map brought up to the
    /// records `undo` saw touched, as the state now holds them.
    pub(super) fn map_after(&mut self, undo: &Undo) -> Result<Hash, Error> {
        let Self {
            store, state, map, ..
        } = self;
        let mut read = node_reader(&*store);
        let mut set = || {
            for (kind, id, _) in undo.records() {
                let body = state.encode_record(*kind, id);
                map.set(*kind, id, body.as_deref(), &mut read)?;
            }
            Ok(())
        };
        let result: Result<(), Error> = set();
        drop(read);
        result.map_err(|err| self.moved_or(err))?;
        Ok(self.map.root())
    }

    /// `err` (a row that does not hash to the root), unless another writer
    /// appended since this ledger read the snapshot: then a conflict, and
    /// the command is tried again on the snapshot it wrote.
    pub(super) fn moved_or(&self, err: Error) -> Error {
        match self.store.snapshot_summary() {
            Ok(Some((size, _))) if size != self.snapshot_at => Error::Conflict {
                expected: self.snapshot_at,
                found: size,
            },
            _ => err,
        }
    }

    /// Puts the map back as it was before the staged events (their append
    /// failed).
    pub(super) fn map_before(&mut self, undo: &Undo) {
        let mut none = |_: &str| Ok(None);
        for (kind, id, before) in undo.records().iter().rev() {
            let body = before.as_ref().map(Record::encode);
            // Every bucket involved is held since `map_after`.
            let _ = self.map.set(*kind, id, body.as_deref(), &mut none);
        }
    }

    /// Reads from the snapshot the records `action` names, unless the
    /// ledger holds them (every lead, for an action on all of them); only
    /// for a ledger that reads its records as commands name them.
    pub(super) fn load_for(&mut self, action: &Action) -> Result<(), Error> {
        if self.lazy.is_none() {
            return Ok(());
        }
        if matches!(action, Action::EscalateOverdue) {
            return self.load_all_leads();
        }
        for (kind, id) in records_named(action) {
            self.load_record(kind, id)?;
        }
        if let Action::Authorise { authorisation } = action {
            // The decision compares the record with the person's other
            // authorisation on the team (one post per person).
            for id in crate::Authorisation::ids_on(&authorisation.team, &authorisation.person) {
                self.load_record(RecordKind::Authorisation, &id)?;
            }
        }
        Ok(())
    }

    /// Reads the record of `kind` and `id` from the snapshot unless the
    /// ledger holds it (or holds every record).
    pub(super) fn load_record(&mut self, kind: RecordKind, id: &str) -> Result<(), Error> {
        if self.lazy.is_none() || self.state.holds(kind, id) {
            return Ok(());
        }
        let row = self.store.snapshot_record(kind, id)?;
        let checked = {
            let Self { store, map, .. } = self;
            let mut read = node_reader(&*store);
            map.check(
                kind,
                id,
                row.as_ref().map(|(_, body)| body.as_slice()),
                &mut read,
            )
        };
        checked.map_err(|err| self.moved_or(err))?;
        match row {
            None => Ok(()),
            Some((_, body)) => match Record::decode(kind, id, &body) {
                Ok(record) if record.id() == id => {
                    self.state.insert(record);
                    Ok(())
                }
                // A damaged row: the command is tried again on a ledger
                // that replayed everything.
                _ => Err(Error::Snapshot {
                    why: format!("the row of {kind} `{id}` does not decode"),
                }),
            },
        }
    }

    /// Reads every lead the ledger does not hold from the snapshot, which
    /// must reflect exactly the events the ledger holds ([`Error::Snapshot`]
    /// otherwise).
    pub(super) fn load_all_leads(&mut self) -> Result<(), Error> {
        self.load_all(&[RecordKind::Lead])
    }

    /// Reads every record of `kinds` the ledger does not hold from the
    /// snapshot, as [`Ledger::load_all_leads`]; after all four kinds the
    /// ledger holds everything.
    pub(super) fn load_all(&mut self, kinds: &[RecordKind]) -> Result<(), Error> {
        if self.lazy.is_none() {
            return Ok(());
        }
        let size = self.tree.len();
        let Self { store, state, .. } = self;
        let store = &*store;
        let mut current = false;
        let mut sound = true;
        let mut found = Vec::new();
        // Every row is hashed, of every kind: the rows read must hash, with
        // the others, to the state root.
        let mut leaves = Vec::new();
        store.read_consistent(&mut || {
            current = store.snapshot_summary()?.map(|(at, _)| at) == Some(size);
            if !current {
                return Ok(());
            }
            for kind in RecordKind::ALL {
                let wanted = kinds.contains(&kind);
                store.snapshot_records(kind, &mut |id, _, body| {
                    leaves.push((
                        kind,
                        id.to_owned(),
                        crate::statemap::record_leaf(kind, id, body),
                    ));
                    if wanted && !state.holds(kind, id) {
                        match Record::decode(kind, id, body) {
                            Ok(record) if record.id() == id => found.push(record),
                            _ => sound = false,
                        }
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
        if !current || !sound {
            return Err(Error::Snapshot {
                why: "its records are not those of the events the ledger holds".to_owned(),
            });
        }
        let whole = StateMap::of_leaves(leaves);
        if whole.root() != self.map.root() {
            return Err(Error::Tampered(format!(
                "the snapshot's records hash to {}, but the state root the log commits to binds {}: a row was changed, added or removed outside the ledger",
                whole.root(),
                self.map.root()
            )));
        }
        for record in found {
            self.state.insert(record);
        }
        if kinds.len() == RecordKind::ALL.len() {
            self.lazy = None;
            self.map = whole;
        }
        Ok(())
    }

    /// Forgets the snapshot and replays every event, then rebuilds the
    /// snapshot: for a ledger whose snapshot turned out unusable.
    pub(super) fn become_complete(&mut self) -> Result<(), Error> {
        self.tree = MerkleTree::new();
        self.state = State::default();
        self.commands = CommandIndex::default();
        self.last_time = None;
        self.log_id = None;
        self.commands_in_store = false;
        self.lazy = None;
        self.map = StateMap::of(std::iter::empty());
        self.committed = None;
        self.refresh()?;
        self.rebuild_snapshot();
        Ok(())
    }

    /// Writes the whole snapshot after a full replay. A snapshot is derived
    /// data: one that cannot be written now (a read-only store, another
    /// writer that appended meanwhile, a full disk) is rebuilt by a later
    /// open, and the ledger opens all the same.
    pub(super) fn rebuild_snapshot(&mut self) {
        if !self.store.keeps_snapshot() || self.tree.is_empty() {
            return;
        }
        let mut records = self.state.all_records();
        if !self.map.is_whole() {
            self.map = StateMap::of_records(&records);
        }
        records.extend(
            self.map
                .all_rows()
                .into_iter()
                .map(|(id, body)| SnapshotRecord {
                    kind: RecordKind::Node,
                    id,
                    body,
                }),
        );
        let update = SnapshotUpdate {
            size: self.tree.len(),
            summary: Summary::of(
                &self.state,
                self.state.counts(),
                &self.tree,
                self.log_id(),
                self.last_time,
                self.map.root(),
            )
            .encode(),
            records,
            commands: self.commands.entries(),
            whole: true,
            // A ledger opened from its snapshot holds only the command ids
            // after it: the others stay.
            whole_commands: !self.commands_in_store,
        };
        let _ = self.store.write_snapshot(&update);
    }

    /// Whether the store's snapshot reflects every event the ledger holds
    /// (another writer may have brought it up to date).
    pub(super) fn snapshot_is_current(&self) -> Result<bool, Error> {
        let size = self.store.snapshot_summary()?.map(|(size, _)| size);
        Ok(size == Some(self.tree.len()))
    }

    /// What an append of the staged events writes of the snapshot: the
    /// summary, the records the commands changed, their command ids.
    pub(super) fn snapshot_update(
        &mut self,
        commands: &[Command],
        plan: &[super::Staged],
        start: u64,
        now: DateTime<Utc>,
        undo: &Undo,
    ) -> SnapshotUpdate {
        let counts = match self.lazy {
            Some(mut held) => {
                for (count, new) in held.iter_mut().zip(undo.new_records()) {
                    *count += new;
                }
                held
            }
            None => self.state.counts(),
        };
        let mut records: Vec<SnapshotRecord> = undo
            .records
            .iter()
            .filter_map(|(kind, id, _)| {
                Some(SnapshotRecord {
                    kind: *kind,
                    id: id.clone(),
                    body: self.state.encode_record(*kind, id)?,
                })
            })
            .collect();
        records.extend(self.map.take_rows());
        let commands = commands
            .iter()
            .zip(plan)
            .filter_map(|(command, staged)| match staged {
                super::Staged::Appended(from, to) if to > from => {
                    Some((command.id.clone(), start + *from as u64, (to - from) as u64))
                }
                _ => None,
            })
            .collect();
        SnapshotUpdate {
            size: self.tree.len(),
            summary: Summary::of(
                &self.state,
                counts,
                &self.tree,
                self.log_id(),
                Some(now),
                self.map.root(),
            )
            .encode(),
            records,
            commands,
            whole: false,
            whole_commands: false,
        }
    }

    /// Replays every event, re-deciding each command, and compares the
    /// store's snapshot with the result; returns the snapshot's size,
    /// `None` when there is none.
    pub(super) fn check_snapshot(&self) -> Result<Option<u64>, Error> {
        let store = &self.store;
        let mut found = None;
        store.read_consistent(&mut || {
            found = compare_snapshot(store)?;
            Ok(())
        })?;
        Ok(found)
    }
}

/// A whole log replayed from nothing.
struct Replayed {
    tree: MerkleTree,
    state: State,
    commands: CommandIndex,
    last_time: Option<DateTime<Utc>>,
    /// The state map over the replayed records.
    map: StateMap,
}

/// Replays `store` from nothing, re-deciding every command, and checks the
/// state root the last event commits to (if it does) against the state
/// the events make.
fn replay_whole<S: Store>(store: &S) -> Result<Replayed, Error> {
    let mut tree = MerkleTree::new();
    let mut state = State::default();
    let mut commands = CommandIndex::default();
    let mut last_time = None;
    let mut committed = None;
    replay_within(
        store,
        &mut Fold {
            tree: &mut tree,
            state: &mut state,
            commands: &mut commands,
            last_time: &mut last_time,
            lazy: None,
            redecider: Redecider::default(),
            committed: &mut committed,
            touched: None,
        },
    )?;
    let map = StateMap::of_records(&state.all_records());
    let made = crate::statemap::state_root(map.root(), &state);
    if let Some(root) = committed
        && root != made
    {
        return Err(Error::Tampered(format!(
            "the last event commits to the state root {root}, but the events make the state {made}"
        )));
    }
    Ok(Replayed {
        tree,
        state,
        commands,
        last_time,
        map,
    })
}

/// How the snapshot's state map rows differ from those of `map` (the
/// replay's), if they do.
fn compare_map<S: Store>(store: &S, map: &StateMap) -> Result<Option<String>, Error> {
    let mut rows = map.all_rows();
    let mut wrong: Option<String> = None;
    store.snapshot_records(RecordKind::Node, &mut |id, _, body| {
        if wrong.is_none() && !body.is_empty() && rows.remove(id).as_deref() != Some(body) {
            wrong = Some(format!("its state map row `{id}` is not the records'"));
        }
        Ok(())
    })?;
    Ok(wrong.or_else(|| {
        rows.keys()
            .next()
            .map(|id| format!("it lacks the state map row `{id}`"))
    }))
}

/// What a snapshot gives when it passes its checks: its summary, the tree
/// of its frontier, the state of its records (none with `lazy`) and, but
/// with `lazy`, the whole state map over them.
type Loaded = (Summary, MerkleTree, State, Option<StateMap>);

/// The snapshot of `store`, if it passes its checks: see [`Loaded`].
/// `Ok(None)` for a snapshot that cannot serve (missing, of another
/// format, stale, or whose last event commits to no state root, as an old
/// build wrote them): the log is then replayed. A snapshot that can serve
/// but whose records are not those the log's state root commits to is
/// refused ([`Error::Tampered`]): only a write from outside the ledger
/// makes one.
fn read_snapshot<S: Store>(store: &S, lazy: bool) -> Result<Option<Loaded>, Error> {
    let Some((size, bytes)) = store.snapshot_summary()? else {
        return Ok(None);
    };
    let Some(summary) = Summary::decode(&bytes) else {
        return Ok(None);
    };
    let events = store.len()?;
    if summary.size != size || size == 0 || size > events || (lazy && size != events) {
        return Ok(None);
    }
    let Some(tree) = summary.tree() else {
        return Ok(None);
    };
    // The frontier must be the log's at that size, as its stored
    // checkpoint says (the replay checks the checkpoints after it).
    let at = store.checkpoints_after(size - 1)?;
    if at.first()
        != Some(&Checkpoint {
            size,
            root: summary.root,
        })
    {
        return Ok(None);
    }
    // The state root is the one the last event commits to, and that event
    // is the last leaf of the frontier.
    let Some(committed) = last_commitment(store, size, &summary)? else {
        return Ok(None);
    };
    let mut state = summary.empty_state();
    let bound = crate::statemap::state_root(summary.records_root, &state);
    if committed != summary.state_root || bound != committed {
        return Err(Error::Tampered(format!(
            "the snapshot's state root {bound} (its records' root and its summary) is not the one event {} commits to ({committed}): the snapshot was changed outside the ledger",
            size - 1
        )));
    }
    if lazy {
        return Ok(Some((summary, tree, state, None)));
    }
    let mut leaves = Vec::new();
    for kind in RecordKind::ALL {
        let mut count = 0;
        let mut sound = true;
        store.snapshot_records(kind, &mut |id, at, body| {
            leaves.push((
                kind,
                id.to_owned(),
                crate::statemap::record_leaf(kind, id, body),
            ));
            match Record::decode(kind, id, body) {
                // A record written after the summary: the two are not one
                // snapshot.
                Ok(record) if record.id() == id && at <= size => {
                    state.insert(record);
                    count += 1;
                }
                _ => sound = false,
            }
            Ok(())
        })?;
        if !sound || count != summary.count(kind) {
            return Ok(None);
        }
    }
    let map = StateMap::of_leaves(leaves);
    if map.root() != summary.records_root {
        return Err(Error::Tampered(format!(
            "the snapshot's records hash to {}, but the state root the log commits to binds {}: a row was changed, added or removed outside the ledger",
            map.root(),
            summary.records_root
        )));
    }
    Ok(Some((summary, tree, state, Some(map))))
}

/// The state root the event at `size - 1` commits to, once that event is
/// shown to be the last leaf of the summary's frontier; `None` when it
/// commits to none (written by an older build).
fn last_commitment<S: Store>(
    store: &S,
    size: u64,
    summary: &Summary,
) -> Result<Option<Hash>, Error> {
    let bytes = read_event(store, size - 1)?
        .ok_or_else(|| Error::Tampered(format!("event {} is missing", size - 1)))?;
    let edge = summary.frontier.last().copied().unwrap_or_default();
    if !crate::merkle::verify_last_leaf(
        &crate::merkle::leaf_hash(&bytes),
        &summary.last_path,
        &edge,
    ) {
        return Err(Error::Tampered(format!(
            "event {} is not the last event of the log the snapshot's frontier and the checkpoints know",
            size - 1
        )));
    }
    let event = Event::decode(&bytes, size - 1)?;
    // The summary's id and time are the log's: the first event's leaf, the
    // last event's time (a forged id would have commands signed for
    // another ledger; a forged time would let them be backdated).
    let first = if size == 1 {
        Some(bytes.clone())
    } else {
        read_event(store, 0)?
    };
    if first.map(|b| crate::merkle::leaf_hash(&b)) != summary.log_id
        || summary.last_time != Some(event.time)
    {
        return Err(Error::Tampered(
            "the snapshot's summary names another ledger id or last time than the log's".to_owned(),
        ));
    }
    Ok(event.state)
}

/// The stored bytes of event `seq` alone.
fn read_event<S: Store>(store: &S, seq: u64) -> Result<Option<Vec<u8>>, Error> {
    let mut found = None;
    let read = store.for_each(seq, &mut |at, bytes| {
        if at == seq {
            found = Some(bytes.to_vec());
        }
        // Stop at the first row: nothing after it is wanted.
        Err(Error::Replay {
            seq: at,
            message: "read one event".to_owned(),
        })
    });
    match (read, found) {
        (_, Some(bytes)) => Ok(Some(bytes)),
        (Ok(()) | Err(Error::Replay { .. }), None) => Ok(None),
        (Err(err), None) => Err(err),
    }
}

/// Reads the state map's rows from the snapshot of `store`.
pub(super) fn node_reader<S: Store>(
    store: &S,
) -> impl FnMut(&str) -> Result<Option<Vec<u8>>, Error> + '_ {
    move |id| {
        Ok(store
            .snapshot_record(RecordKind::Node, id)?
            .map(|(_, body)| body))
    }
}

/// Replays `store` from nothing, re-deciding every command, and compares
/// its snapshot (if it keeps one) with the result.
fn compare_snapshot<S: Store>(store: &S) -> Result<Option<u64>, Error> {
    let Replayed {
        tree,
        state,
        mut commands,
        last_time,
        map,
    } = replay_whole(store)?;
    let Some((size, bytes)) = store.snapshot_summary()? else {
        return Ok(None);
    };
    let differs = |why: String| {
        Err(Error::Tampered(format!(
            "the snapshot is not the events': {why}"
        )))
    };
    if size != tree.len() {
        return differs(format!(
            "it says it reflects {size} events, the log holds {}",
            tree.len()
        ));
    }
    let Some(summary) = Summary::decode(&bytes) else {
        return differs("its summary does not decode as this build's format".to_owned());
    };
    for kind in RecordKind::ALL {
        let mut seen = BTreeSet::new();
        let mut wrong: Option<String> = None;
        store.snapshot_records(kind, &mut |id, _, body| {
            seen.insert(id.to_owned());
            if wrong.is_none() {
                let stored = Record::decode(kind, id, body).ok();
                if state
                    .encode_record(kind, id)
                    .is_some_and(|made| made != body)
                {
                    wrong = Some(format!(
                        "its {kind} `{id}` is not the bytes the events make of it"
                    ));
                    return Ok(());
                }
                match state.record(kind, id) {
                    None => wrong = Some(format!("it holds a {kind} `{id}` the events never made")),
                    Some(replayed) if stored.as_ref() != Some(&replayed) => {
                        wrong = Some(format!(
                            "its {kind} `{id}` is not what the events made of it"
                        ));
                    }
                    Some(_) => {}
                }
            }
            Ok(())
        })?;
        if let Some(why) = wrong {
            return differs(why);
        }
        if let Some(missing) = state.ids(kind).into_iter().find(|id| !seen.contains(*id)) {
            return differs(format!("it lacks the {kind} `{missing}` the events made"));
        }
    }
    let mut replayed: FxHashMap<String, (u64, u64)> = commands
        .entries()
        .into_iter()
        .map(|(id, first, count)| (id, (first, count)))
        .collect();
    let mut wrong: Option<String> = None;
    store.snapshot_commands(&mut |id, first, count| {
        if wrong.is_none() && replayed.remove(id) != Some((first, count)) {
            wrong = Some(format!(
                "its command `{id}` (events {first}, {count} of them) is not the events'"
            ));
        }
        Ok(())
    })?;
    if let Some(why) = wrong {
        return differs(why);
    }
    if let Some(id) = replayed.keys().min() {
        return differs(format!("it lacks the command `{id}`"));
    }
    if let Some(why) = compare_map(store, &map)? {
        return differs(why);
    }
    // Last, so that a changed record is named rather than a count.
    let expected = Summary::of(
        &state,
        state.counts(),
        &tree,
        tree.leaf(0),
        last_time,
        map.root(),
    );
    if summary != expected {
        return differs(format!(
            "its summary differs from the replay's (root {}, {:?} records by kind; the replay's root {}, {:?})",
            summary.root, summary.records, expected.root, expected.records
        ));
    }
    Ok(Some(size))
}

/// The records an action reads or makes, by kind and id.
fn records_named(action: &Action) -> Vec<(RecordKind, &str)> {
    if let Some(lead) = action.lead() {
        return vec![(RecordKind::Lead, lead)];
    }
    if let Some(list) = action.list() {
        return vec![(RecordKind::List, list)];
    }
    match action {
        Action::RecordObstruction { obstruction } => {
            vec![(RecordKind::Obstruction, &obstruction.id)]
        }
        Action::IssueCriticism { notice } => std::iter::once((RecordKind::Notice, &*notice.id))
            .chain(
                notice
                    .obstructions
                    .iter()
                    .map(|o| (RecordKind::Obstruction, o.as_str())),
            )
            .collect(),
        _ => Vec::new(),
    }
}
