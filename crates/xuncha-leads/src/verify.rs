//! Verification: a whole store checked (every stored checkpoint against
//! the tree, the head, the first event, each report's carried checkpoint),
//! and the replay that rebuilds the state from the log on two threads.

use crate::merkle::{Hash, MerkleTree, leaf_hash};
use crate::proof::VerifyReport;
use crate::{Change, Checkpoint, Error, Event, Store};
use xuncha_org::fxhash::FxHashMap;

/// The stored checkpoints by size, to check a report's carried checkpoint
/// without hashing when one covers exactly the events before it (as for
/// every report made by a single command). Sound because every stored
/// checkpoint is itself checked against the tree.
pub(crate) struct Stored(FxHashMap<u64, Hash>);

impl Stored {
    pub(crate) fn of(checkpoints: &[Checkpoint]) -> Stored {
        Stored(checkpoints.iter().map(|c| (c.size, c.root)).collect())
    }

    /// The log's root over its first `size` events.
    fn root_at(&self, tree: &MerkleTree, size: u64) -> Option<Hash> {
        match self.0.get(&size) {
            Some(root) if size <= tree.len() => Some(*root),
            _ => tree.root_at(size),
        }
    }
}

/// Checks what an event says of the log it was appended to (`tree` holds
/// exactly the events before it): the first event opens the ledger, and a
/// report carries the checkpoint of the log before it.
pub(crate) fn check_event(tree: &MerkleTree, stored: &Stored, event: &Event) -> Result<(), Error> {
    if event.seq == 0 && !matches!(event.change, Change::Opened { .. }) {
        return Err(Error::Tampered(format!(
            "the first event is `{}`, not the `opened` event of `init`",
            event.change.kind()
        )));
    }
    if let Change::Reported { checkpoint, .. } = &event.change
        && (checkpoint.size != event.seq
            || stored.root_at(tree, checkpoint.size) != Some(checkpoint.root))
    {
        return Err(Error::Tampered(format!(
            "the report at event {} carries checkpoint {checkpoint}, which is not the log's before it",
            event.seq
        )));
    }
    Ok(())
}

/// Checks the stored checkpoints against `tree`: in order, each the root of
/// its prefix, the last covering every event. `checkpoints` are those
/// covering more than `from` events (all of them when `from` is 0): the
/// others were checked when those events were read. Returns how many were
/// checked.
pub(crate) fn check_checkpoints(
    tree: &MerkleTree,
    checkpoints: &[Checkpoint],
    from: u64,
) -> Result<u64, Error> {
    let size = tree.len();
    let mut previous: Option<u64> = None;
    let mut checked = 0;
    for checkpoint in checkpoints {
        if previous.is_some_and(|p| checkpoint.size <= p) {
            return Err(Error::Tampered(format!(
                "checkpoint {} is out of order",
                checkpoint.size
            )));
        }
        previous = Some(checkpoint.size);
        let root = tree.root_at(checkpoint.size).ok_or_else(|| {
            Error::Tampered(format!(
                "checkpoint {} covers more events than the {size} stored: the log was truncated",
                checkpoint.size
            ))
        })?;
        if root != checkpoint.root {
            return Err(Error::Tampered(format!(
                "the first {} events hash to {root}, but checkpoint {} says {}",
                checkpoint.size, checkpoint.size, checkpoint.root
            )));
        }
        checked += 1;
    }
    let head = checkpoints.last().map_or(from, |c| c.size);
    if head != size {
        return Err(Error::Tampered(format!(
            "{size} events are stored but the last checkpoint covers {head}: events were added or checkpoints removed outside the ledger"
        )));
    }
    Ok(checked)
}

/// Logs shorter than this are replayed on the calling thread.
pub(crate) const PIPELINE_FROM: u64 = 20_000;

/// Events handed between the replay's threads at a time.
const CHUNK: usize = 4_096;

/// Events decoded by the second thread for the third, and the lead ids
/// the third hands back to be freed on the thread that allocated them
/// (freeing across threads is the allocator's slow path). A batch goes back
/// and forth, keeping its buffers.
#[derive(Default)]
struct Batch {
    events: Vec<(Event, Hash)>,
    spent: Vec<String>,
}

/// How the replay decodes an event: whole ([`Event::decode`]), or without
/// what the state does not keep (the actor's id).
pub(crate) type Decode = fn(&[u8], u64) -> Result<Event, Error>;

/// Replays `store` from `from`: this thread reads and hashes, a second
/// decodes (with `decode`), a third folds the events in, in order. `fold`
/// gives back the lead id an event named, if it does not keep it.
pub(crate) fn replay_pipelined<S: Store + ?Sized>(
    store: &S,
    from: u64,
    decode: Decode,
    fold: &mut (dyn FnMut(Event, Hash) -> Result<Option<String>, Error> + Send),
) -> Result<(), Error> {
    use std::sync::mpsc::{channel, sync_channel};
    let (raw_tx, raw_rx) = sync_channel::<RawChunk>(4);
    let (decoded_tx, decoded_rx) = sync_channel::<Result<Batch, Error>>(4);
    let (back_tx, back_rx) = channel::<Batch>();
    let (spare_tx, spare_rx) = channel::<RawChunk>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            for chunk in raw_rx {
                let mut batch = back_rx.try_recv().unwrap_or_default();
                batch.spent.clear();
                batch.events.reserve(chunk.rows.len());
                let mut decoded = Ok(());
                for &(seq, start, end, leaf) in &chunk.rows {
                    let bytes = chunk.bytes.get(start..end).unwrap_or_default();
                    match decode(bytes, seq) {
                        Ok(event) => batch.events.push((event, leaf)),
                        Err(err) => {
                            decoded = Err(err);
                            break;
                        }
                    }
                }
                let failed = decoded.is_err();
                // Back to the reader, to be filled again there: the buffers
                // are freed on the thread that allocated them.
                let _ = spare_tx.send(chunk);
                if decoded_tx.send(decoded.map(|()| batch)).is_err() || failed {
                    return;
                }
            }
        });
        let folder = scope.spawn(move || -> Result<(), Error> {
            for batch in decoded_rx {
                let mut batch = batch?;
                for (event, leaf) in batch.events.drain(..) {
                    if let Some(id) = fold(event, leaf)? {
                        batch.spent.push(id);
                    }
                }
                // The decoder may have finished: then the batch is freed here.
                let _ = back_tx.send(batch);
            }
            Ok(())
        });
        // This thread reads and hashes; rows travel packed in one buffer.
        let mut chunk = RawChunk::default();
        let read = store.for_each(from, &mut |seq, bytes| {
            let start = chunk.bytes.len();
            chunk.bytes.extend_from_slice(bytes);
            chunk
                .rows
                .push((seq, start, chunk.bytes.len(), leaf_hash(bytes)));
            // When the send fails the other threads stopped on an error,
            // which the folder reports.
            if chunk.rows.len() == CHUNK {
                // A chunk the decoder is done with, to fill again here.
                let mut next = spare_rx.try_recv().unwrap_or_default();
                next.bytes.clear();
                next.rows.clear();
                if raw_tx.send(std::mem::replace(&mut chunk, next)).is_err() {
                    return Err(Error::Replay {
                        seq,
                        message: "replay stopped".to_owned(),
                    });
                }
            }
            Ok(())
        });
        if read.is_ok() && !chunk.rows.is_empty() {
            let _ = raw_tx.send(chunk);
        }
        drop(raw_tx);
        let outcome = folder.join().unwrap_or_else(|_| {
            Err(Error::Replay {
                seq: from,
                message: "the replay thread failed".to_owned(),
            })
        });
        outcome.and(read)
    })
}

/// Stored events read for replay: their bytes end to end, and per event its
/// sequence number, where its bytes lie, and its leaf hash.
#[derive(Default)]
struct RawChunk {
    bytes: Vec<u8>,
    rows: Vec<(u64, usize, usize, Hash)>,
}

/// Verifies a store without replaying it, in one consistent read: see
/// [`Ledger::verify`](crate::Ledger::verify). An empty store fails: a ledger holds at least the
/// event that opened it.
pub fn verify_store(store: &dyn Store) -> Result<VerifyReport, Error> {
    let mut report = None;
    store.read_consistent(&mut || {
        report = Some(verify_unlocked(store)?);
        Ok(())
    })?;
    report.ok_or_else(|| Error::Tampered("verification read nothing".to_owned()))
}

fn verify_unlocked(store: &dyn Store) -> Result<VerifyReport, Error> {
    let checkpoints = store.checkpoints()?;
    let stored = Stored::of(&checkpoints);
    let maybe_report = MaybeReport::new();
    let mut tree = MerkleTree::new();
    let mut next = 0u64;
    store.for_each(0, &mut |seq, bytes| {
        if seq != next {
            return Err(Error::Tampered(format!(
                "event {next} is missing: the next stored event is {seq}"
            )));
        }
        match stored_seq(bytes) {
            Some(said) if said == seq => {}
            Some(said) => {
                return Err(Error::Tampered(format!(
                    "the event stored at {seq} says it is event {said}"
                )));
            }
            None => {
                return Err(Error::Tampered(format!(
                    "the event stored at {seq} does not start as an event"
                )));
            }
        }
        if seq == 0 || maybe_report.holds(bytes) {
            let event = Event::decode(bytes, seq).map_err(|e| Error::Tampered(e.to_string()))?;
            check_event(&tree, &stored, &event)?;
        }
        tree.push(leaf_hash(bytes));
        next += 1;
        Ok(())
    })?;
    if next == 0 {
        return Err(Error::Tampered(
            "the log holds no events: a ledger made by `init` holds at least the event that opened it".to_owned(),
        ));
    }
    let checked = check_checkpoints(&tree, &checkpoints, 0)?;
    let head = checkpoints
        .last()
        .copied()
        .unwrap_or_else(Checkpoint::empty);
    Ok(VerifyReport {
        events: next,
        checkpoints: checked,
        head,
        snapshot: None,
    })
}

/// Tells whether a stored event may be a report, and so must be decoded to check
/// the checkpoint it carries. JSON can spell the key `reported` only with
/// those bytes or with a `\u` escape, so an event with neither is not a
/// report however its bytes are laid out; the rest are decoded and
/// decided by their content. Ordinary events hold neither. The searchers
/// are built once for the whole log, not once an event.
struct MaybeReport {
    key: memchr::memmem::Finder<'static>,
    escape: memchr::memmem::Finder<'static>,
}

impl MaybeReport {
    fn new() -> MaybeReport {
        MaybeReport {
            key: memchr::memmem::Finder::new(b"reported"),
            escape: memchr::memmem::Finder::new(b"\\u"),
        }
    }

    fn holds(&self, bytes: &[u8]) -> bool {
        self.key.find(bytes).is_some() || self.escape.find(bytes).is_some()
    }
}

/// The sequence number at the start of a stored event: `{"seq":N,`.
fn stored_seq(bytes: &[u8]) -> Option<u64> {
    let rest = bytes.strip_prefix(b"{\"seq\":")?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || rest.get(digits) != Some(&b',') {
        return None;
    }
    std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()
}
