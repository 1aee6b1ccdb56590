//! The replay: events read from the store, each checked against the log so
//! far and folded into the ledger's tree, state and command index (on
//! three threads for a long log, see `verify.rs`).

use chrono::{DateTime, Utc};

use crate::command_index::CommandIndex;
use crate::merkle::{Hash, MerkleTree, leaf_hash};
use crate::redecide::Redecider;
use crate::verify::{PIPELINE_FROM, Stored, check_checkpoints, check_event, replay_pipelined};
use crate::{Checkpoint, Error, Event, State, Store};

/// What a replay folds the events into: the tree, the state, the command
/// index and the time of the last event. With `lazy` (the number of
/// records of each kind), an event is not applied to the record it is
/// about: the record is dropped from `state`, to be read again from the
/// snapshot the event's writer updated.
pub(super) struct Fold<'a> {
    pub(super) tree: &'a mut MerkleTree,
    pub(super) state: &'a mut State,
    pub(super) commands: &'a mut CommandIndex,
    pub(super) last_time: &'a mut Option<DateTime<Utc>>,
    pub(super) lazy: Option<&'a mut [u64; crate::snapshot::KINDS]>,
    /// Re-decides every command from the state before it (not with
    /// `lazy`, which does not hold the records the commands decide on).
    pub(super) redecider: Redecider,
    /// The state root the last event read commits to (`None` when it
    /// commits to none: not the last of its append, or of an old ledger).
    pub(super) committed: &'a mut Option<Hash>,
    /// The records the events read changed, in order (repeats kept), when
    /// asked for (not for a replay from nothing, whose map is built whole).
    pub(super) touched: Option<Vec<(crate::snapshot::RecordKind, String)>>,
}

impl Fold<'_> {
    /// Checks `event` (its leaf hash `leaf`) against the log so far and
    /// folds it in; gives back the lead id it named, if not kept.
    fn event(
        &mut self,
        stored: &Stored,
        mut event: Event,
        leaf: Hash,
    ) -> Result<Option<String>, Error> {
        check_event(self.tree, stored, &event)?;
        if event.seq == 0 {
            self.redecider.log = Some(leaf);
        }
        if self.lazy.is_none() {
            let tree = &*self.tree;
            let checkpoint = || Checkpoint {
                size: tree.len(),
                root: tree.root(),
            };
            self.redecider
                .event(self.state, &event, checkpoint, *self.last_time)?;
        }
        *self.last_time = Some(event.time);
        *self.committed = event.state;
        if let Some(touched) = &mut self.touched
            && let Some((kind, id)) = crate::snapshot::touched(&event.change)
        {
            touched.push((kind, id.to_owned()));
        }
        self.commands
            .record(std::mem::take(&mut event.command), event.seq);
        let spent = fold(self.state, event, self.lazy.as_deref_mut())?;
        self.tree.push(leaf);
        Ok(spent)
    }
}

/// Reads the events of `store` after those the fold's tree holds, in one
/// consistent read, checking each and the stored checkpoints, and folds
/// them in.
pub(super) fn replay<S: Store>(store: &S, into: &mut Fold<'_>) -> Result<(), Error> {
    store.read_consistent(&mut || replay_within(store, into))
}

/// As [`replay`], within a consistent read the caller holds.
pub(super) fn replay_within<S: Store>(store: &S, into: &mut Fold<'_>) -> Result<(), Error> {
    let from = into.tree.len();
    let checkpoints = store.checkpoints_after(from)?;
    let stored = Stored::of(&checkpoints);
    let pending = store.len()?.saturating_sub(from);
    // Re-deciding reads the actor's id; a lazy fold needs only the role.
    let decode = if into.lazy.is_some() {
        Event::decode_for_replay
    } else {
        Event::decode
    };
    if pending < PIPELINE_FROM {
        store.for_each(from, &mut |seq, bytes| {
            let event = Event::decode(bytes, seq)?;
            into.event(&stored, event, leaf_hash(bytes)).map(drop)
        })?;
    } else {
        let mut fold = |event: Event, leaf: Hash| into.event(&stored, event, leaf);
        replay_pipelined(store, from, decode, &mut fold)?;
    }
    if into.lazy.is_none() {
        into.redecider.finish(into.tree.len())?;
    }
    check_checkpoints(into.tree, &checkpoints, from).map(drop)
}

/// Folds `event` into `state`; with `lazy`, drops the record an event is
/// about instead (see [`replay`]).
fn fold(
    state: &mut State,
    event: Event,
    lazy: Option<&mut [u64; crate::snapshot::KINDS]>,
) -> Result<Option<String>, Error> {
    if let Some(counts) = lazy
        && let Some((kind, id)) = crate::snapshot::touched(&event.change)
    {
        if event.seq != state.events {
            return Err(Error::Replay {
                seq: event.seq,
                message: format!("expected event {}", state.events),
            });
        }
        if crate::snapshot::creates(&event.change) {
            counts[kind.index()] += 1;
        }
        state.restore(kind, id, None);
        state.events += 1;
        return Ok(None);
    }
    state.apply_keeping_id(event)
}
