//! The state root: a Merkle map over the snapshot's records, whose root the
//! log commits to, so that one record read from the snapshot is checked in
//! `O(log n)` and an edited row is refused by every command.
//!
//! Each record (a lead, a finding list, ...) hashes, as the snapshot stores
//! it, to a leaf `SHA-256(0x00 || kind || len(id) || id || body)`. Records
//! fall into one of 2¹⁶ buckets by the hash of their kind and id; a bucket
//! hashes to `SHA-256(0x02 || its row)` (each member's kind, id and leaf, in
//! order of kind and id), and the
//! buckets are the leaves of a binary tree of depth 16 whose interior nodes
//! are `SHA-256(0x01 || left || right)`. An empty bucket, and a node over
//! two empty halves, is all zeros (as sparse Merkle trees do), so a small
//! ledger stores and hashes only the paths of its records.
//!
//! The snapshot keeps, as rows of kind [`RecordKind::Node`], each non-empty
//! bucket (its members' kinds, ids and leaves) and each non-empty interior
//! node; the root is in the summary and in the last event of every append
//! ([`Event::state`](crate::Event::state)). A record read from the
//! snapshot is checked against its bucket, the bucket's path against the
//! root; the root against the last event, and that event against the
//! Merkle frontier the checkpoints and witnesses know.

use xuncha_org::fxhash::FxHashMap;

use sha2::{Digest as _, Sha256};

use crate::Error;
use crate::merkle::{Hash, node_hash};
use crate::snapshot::{RecordKind, SnapshotRecord};

/// The depth of the tree over the buckets: 2^16 buckets.
pub(crate) const DEPTH: u8 = 16;

/// The all-zero hash of an empty bucket or subtree.
const EMPTY: Hash = Hash([0; 32]);

/// The leaf of a record as the snapshot stores it.
pub(crate) fn record_leaf(kind: RecordKind, id: &str, body: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0u8, kind.code()]);
    hasher.update(u32::try_from(id.len()).unwrap_or(u32::MAX).to_be_bytes());
    hasher.update(id.as_bytes());
    hasher.update(body);
    Hash(hasher.finalize().into())
}

/// The bucket a record falls into.
pub(crate) fn bucket_of(kind: RecordKind, id: &str) -> u32 {
    let mut hasher = Sha256::new();
    hasher.update([3u8, kind.code()]);
    hasher.update(id.as_bytes());
    let digest = hasher.finalize();
    u32::from(u16::from_be_bytes([digest[0], digest[1]]))
}

/// An interior node, the all-zero hash over two empty halves.
fn parent(left: &Hash, right: &Hash) -> Hash {
    if *left == EMPTY && *right == EMPTY {
        EMPTY
    } else {
        node_hash(left, right)
    }
}

/// The parent of the node at `index` (hashing to `hash`) and its sibling.
fn up(index: u32, hash: &Hash, sibling: &Hash) -> Hash {
    if index.is_multiple_of(2) {
        parent(hash, sibling)
    } else {
        parent(sibling, hash)
    }
}

/// The members of one bucket: `(kind, id) → leaf`, in order.
type Bucket = std::collections::BTreeMap<(RecordKind, String), Hash>;

fn bucket_hash(bucket: &Bucket) -> Hash {
    if bucket.is_empty() {
        return EMPTY;
    }
    // Over the members' kinds and ids too, not their leaves alone: a
    // record's leaf moved under another id would otherwise hash the same.
    let mut hasher = Sha256::new();
    hasher.update([2u8]);
    hasher.update(encode_bucket(bucket));
    Hash(hasher.finalize().into())
}

/// The id of a bucket's row.
fn bucket_row(bucket: u32) -> String {
    format!("b{bucket}")
}

/// The id of an interior node's row: `n<depth>/<index>`, depth 1 to 15
/// (depth 0 is the root, in the summary; depth 16 the buckets).
fn node_row(depth: u8, index: u32) -> String {
    format!("n{depth}/{index}")
}

/// A bucket's row: each member as its kind's code, the length of its id
/// (two bytes), the id and its leaf.
fn encode_bucket(bucket: &Bucket) -> Vec<u8> {
    let mut out = Vec::with_capacity(bucket.len() * 48);
    for ((kind, id), leaf) in bucket {
        out.push(kind.code());
        out.extend_from_slice(&u16::try_from(id.len()).unwrap_or(u16::MAX).to_be_bytes());
        out.extend_from_slice(id.as_bytes());
        out.extend_from_slice(&leaf.0);
    }
    out
}

fn decode_bucket(bytes: &[u8]) -> Option<Bucket> {
    let mut bucket = Bucket::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let (&code, after) = rest.split_first()?;
        let kind = RecordKind::from_code(code)?;
        let len = usize::from(u16::from_be_bytes([*after.first()?, *after.get(1)?]));
        let id = std::str::from_utf8(after.get(2..2 + len)?).ok()?;
        let leaf: [u8; 32] = after.get(2 + len..2 + len + 32)?.try_into().ok()?;
        bucket.insert((kind, id.to_owned()), Hash(leaf));
        rest = &after[2 + len + 32..];
    }
    Some(bucket)
}

/// Reads a node row from the snapshot: `Ok(None)` when there is none.
pub(crate) type ReadRow<'a> = dyn FnMut(&str) -> Result<Option<Vec<u8>>, Error> + 'a;

/// The state map, held whole (a ledger that holds every record) or in part
/// (an [`Appender`](crate::Appender): the buckets and paths of the records
/// it read, each checked against the root when read).
#[derive(Clone, Debug, Default)]
pub(crate) struct StateMap {
    /// Buckets held, by number.
    buckets: FxHashMap<u32, Bucket>,
    /// Nodes held, by (depth, index): depth 16 is a bucket's hash.
    nodes: FxHashMap<(u8, u32), Hash>,
    /// Whether every bucket and node is held (absent ones are empty).
    whole: bool,
    /// The root.
    root: Hash,
    /// Buckets changed since the rows were last written.
    dirty: std::collections::BTreeSet<u32>,
}

impl StateMap {
    /// The map of every record `(kind, id, stored body)`, held whole.
    pub(crate) fn of<'a>(
        records: impl IntoIterator<Item = (RecordKind, &'a str, &'a [u8])>,
    ) -> StateMap {
        StateMap::of_leaves(
            records
                .into_iter()
                .map(|(kind, id, body)| (kind, id.to_owned(), record_leaf(kind, id, body))),
        )
    }

    /// The map of every record of a snapshot, as it encodes them, held
    /// whole.
    pub(crate) fn of_records(records: &[SnapshotRecord]) -> StateMap {
        StateMap::of(
            records
                .iter()
                .map(|r| (r.kind, r.id.as_str(), r.body.as_slice())),
        )
    }

    /// The map of every record, given by `(kind, id, leaf)`, held whole.
    pub(crate) fn of_leaves(
        records: impl IntoIterator<Item = (RecordKind, String, Hash)>,
    ) -> StateMap {
        let mut map = StateMap {
            whole: true,
            ..StateMap::default()
        };
        for (kind, id, leaf) in records {
            map.buckets
                .entry(bucket_of(kind, &id))
                .or_default()
                .insert((kind, id), leaf);
        }
        let buckets: Vec<u32> = map.buckets.keys().copied().collect();
        for bucket in &buckets {
            let hash = bucket_hash(&map.buckets[bucket]);
            map.nodes.insert((DEPTH, *bucket), hash);
        }
        // Level by level up to the root, only over non-empty nodes.
        let mut level: Vec<u32> = buckets;
        for depth in (0..DEPTH).rev() {
            let mut parents: Vec<u32> = level.iter().map(|i| i / 2).collect();
            parents.sort_unstable();
            parents.dedup();
            for &p in &parents {
                let left = map.node(depth + 1, 2 * p);
                let right = map.node(depth + 1, 2 * p + 1);
                map.nodes.insert((depth, p), parent(&left, &right));
            }
            level = parents;
        }
        map.root = map.node(0, 0);
        map.dirty = map.buckets.keys().copied().collect();
        map
    }

    /// A map held in part, known by its root: buckets and nodes are read
    /// from the snapshot as records need them.
    pub(crate) fn partial(root: Hash) -> StateMap {
        StateMap {
            root,
            ..StateMap::default()
        }
    }

    /// The root.
    pub(crate) fn root(&self) -> Hash {
        self.root
    }

    /// Whether every bucket and node is held.
    pub(crate) fn is_whole(&self) -> bool {
        self.whole
    }

    /// Every non-empty row of the map (for a map held whole), by id: what
    /// the snapshot must hold of it.
    pub(crate) fn all_rows(&self) -> std::collections::BTreeMap<String, Vec<u8>> {
        let mut rows = std::collections::BTreeMap::new();
        for (bucket, members) in &self.buckets {
            if !members.is_empty() {
                rows.insert(bucket_row(*bucket), encode_bucket(members));
            }
        }
        for (&(depth, index), hash) in &self.nodes {
            if (1..DEPTH).contains(&depth) && *hash != EMPTY {
                rows.insert(node_row(depth, index), hash.0.to_vec());
            }
        }
        rows
    }

    fn node(&self, depth: u8, index: u32) -> Hash {
        self.nodes.get(&(depth, index)).copied().unwrap_or(EMPTY)
    }

    /// Checks that the record `(kind, id)` stored as `body` (or absent from
    /// the snapshot, for `None`) is the map's: its bucket read (and checked
    /// against the root) if not yet held.
    pub(crate) fn check(
        &mut self,
        kind: RecordKind,
        id: &str,
        body: Option<&[u8]>,
        read: &mut ReadRow<'_>,
    ) -> Result<(), Error> {
        let bucket = bucket_of(kind, id);
        self.load(bucket, read)?;
        let held = self
            .buckets
            .get(&bucket)
            .and_then(|b| b.get(&(kind, id.to_owned())));
        let found = body.map(|body| record_leaf(kind, id, body));
        if held != found.as_ref() {
            return Err(Error::Tampered(format!(
                "the snapshot's {kind} `{id}` is not the one the log's state root commits to: {}",
                match (held, found) {
                    (Some(_), Some(_)) => "its row was changed",
                    (Some(_), None) => "its row was removed",
                    _ => "its row was added",
                }
            )));
        }
        Ok(())
    }

    /// Reads bucket `bucket` and its path from the snapshot, unless held,
    /// and checks that they hash to the root.
    fn load(&mut self, bucket: u32, read: &mut ReadRow<'_>) -> Result<(), Error> {
        if self.whole || self.buckets.contains_key(&bucket) {
            return Ok(());
        }
        let damaged = |what: String| {
            Error::Tampered(format!(
                "the snapshot's state map does not hash to the state root the log commits to: {what}"
            ))
        };
        let members = match read(&bucket_row(bucket))?.filter(|row| !row.is_empty()) {
            Some(bytes) => decode_bucket(&bytes)
                .ok_or_else(|| damaged(format!("bucket {bucket} does not decode")))?,
            None => Bucket::new(),
        };
        if members
            .keys()
            .any(|(kind, id)| bucket_of(*kind, id) != bucket)
        {
            return Err(damaged(format!(
                "bucket {bucket} holds a record of another"
            )));
        }
        let mut hash = bucket_hash(&members);
        let mut path = Vec::with_capacity(usize::from(DEPTH));
        let mut index = bucket;
        for depth in (1..=DEPTH).rev() {
            let sibling_index = index ^ 1;
            let sibling = if depth == DEPTH {
                // A bucket's sibling is held as its hash.
                match self.nodes.get(&(depth, sibling_index)) {
                    Some(hash) => *hash,
                    None => match read(&bucket_row(sibling_index))?.filter(|row| !row.is_empty()) {
                        Some(bytes) => bucket_hash(&decode_bucket(&bytes).ok_or_else(|| {
                            damaged(format!("bucket {sibling_index} does not decode"))
                        })?),
                        None => EMPTY,
                    },
                }
            } else {
                match self.nodes.get(&(depth, sibling_index)) {
                    Some(hash) => *hash,
                    None => {
                        match read(&node_row(depth, sibling_index))?.filter(|row| !row.is_empty()) {
                            Some(bytes) => Hash(bytes.as_slice().try_into().map_err(|_| {
                                damaged(format!("node {depth}/{sibling_index} is not a hash"))
                            })?),
                            None => EMPTY,
                        }
                    }
                }
            };
            path.push(((depth, index), hash, (depth, sibling_index), sibling));
            hash = up(index, &hash, &sibling);
            index /= 2;
        }
        if hash != self.root {
            return Err(damaged(format!(
                "bucket {bucket} and its path hash to {hash}, the root is {}",
                self.root
            )));
        }
        for (at, hash, sibling_at, sibling) in path {
            self.nodes.insert(at, hash);
            self.nodes.entry(sibling_at).or_insert(sibling);
        }
        self.buckets.insert(bucket, members);
        Ok(())
    }

    /// Puts the record `(kind, id)` stored as `body` into the map (or takes
    /// it out, for `None`), updating the root; its bucket must be held
    /// ([`StateMap::check`] reads it).
    pub(crate) fn set(
        &mut self,
        kind: RecordKind,
        id: &str,
        body: Option<&[u8]>,
        read: &mut ReadRow<'_>,
    ) -> Result<(), Error> {
        let bucket = bucket_of(kind, id);
        self.load(bucket, read)?;
        let members = self.buckets.entry(bucket).or_default();
        match body {
            Some(body) => {
                members.insert((kind, id.to_owned()), record_leaf(kind, id, body));
            }
            None => {
                members.remove(&(kind, id.to_owned()));
            }
        }
        let mut hash = bucket_hash(members);
        self.nodes.insert((DEPTH, bucket), hash);
        let mut index = bucket;
        for depth in (1..=DEPTH).rev() {
            let sibling = self.node(depth, index ^ 1);
            hash = up(index, &hash, &sibling);
            index /= 2;
            self.nodes.insert((depth - 1, index), hash);
        }
        self.root = hash;
        self.dirty.insert(bucket);
        Ok(())
    }

    /// The rows to write for the buckets changed since the last call: each
    /// bucket and the nodes on its path (empty ones as empty bodies, which
    /// the stores keep as rows to delete: see [`SnapshotRecord`]).
    pub(crate) fn take_rows(&mut self) -> Vec<SnapshotRecord> {
        let mut rows = Vec::new();
        let mut written = std::collections::BTreeSet::new();
        for bucket in std::mem::take(&mut self.dirty) {
            let members = self.buckets.get(&bucket);
            rows.push(SnapshotRecord {
                kind: RecordKind::Node,
                id: bucket_row(bucket),
                body: members.map(encode_bucket).unwrap_or_default(),
            });
            let mut index = bucket;
            for depth in (1..DEPTH).rev() {
                index /= 2;
                if written.insert((depth, index)) {
                    let hash = self.node(depth, index);
                    rows.push(SnapshotRecord {
                        kind: RecordKind::Node,
                        id: node_row(depth, index),
                        body: if hash == EMPTY {
                            Vec::new()
                        } else {
                            hash.0.to_vec()
                        },
                    });
                }
            }
        }
        rows
    }
}

/// The state root: the records' root (the map's) bound with the facts the
/// state holds beside its records (the jurisdiction, the deadline policy,
/// the registered conflict check, the authorities and enrolled keys),
/// `SHA-256(0x04 || records root || their JSON)`: what the last event of
/// every append commits to.
pub(crate) fn state_root(records: Hash, state: &crate::State) -> Hash {
    #[derive(serde::Serialize)]
    struct Facts<'a> {
        jurisdiction: &'a Option<xuncha_org::Code>,
        policy: &'a crate::DeadlinePolicy,
        registered_check: &'a Option<Hash>,
        enrolled: &'a crate::Enrolled,
    }
    let facts = serde_json::to_vec(&Facts {
        jurisdiction: &state.jurisdiction,
        policy: &state.policy,
        registered_check: &state.registered_check,
        enrolled: &state.enrolled,
    })
    .unwrap_or_default();
    let mut hasher = Sha256::new();
    hasher.update([4u8]);
    hasher.update(records.0);
    hasher.update(facts);
    Hash(hasher.finalize().into())
}

impl crate::State {
    /// The state root of this state, which the last event of every append
    /// commits to ([`Event::state`](crate::Event::state)): the root of the
    /// Merkle map over its records as the snapshot stores them, bound with
    /// its jurisdiction, deadline policy and registered check (the
    /// repository's `docs/leads.md` gives the construction).
    ///
    /// ```
    /// use xuncha_leads::State;
    /// let empty = State::default();
    /// let mut other = State::default();
    /// other.registered_check = Some(xuncha_leads::merkle::Hash([1; 32]));
    /// assert_ne!(empty.root(), other.root());
    /// ```
    pub fn root(&self) -> Hash {
        state_root(StateMap::of_records(&self.all_records()).root(), self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows_of(map: &mut StateMap) -> std::collections::BTreeMap<String, Vec<u8>> {
        map.take_rows()
            .into_iter()
            .filter(|r| !r.body.is_empty())
            .map(|r| (r.id, r.body))
            .collect()
    }

    #[test]
    fn a_map_built_whole_and_one_built_record_by_record_agree() {
        let records: Vec<(RecordKind, String, Vec<u8>)> = (0..300)
            .map(|i| {
                (
                    RecordKind::Lead,
                    format!("L{i}"),
                    format!("{{\"n\":{i}}}").into_bytes(),
                )
            })
            .collect();
        let whole = StateMap::of(
            records
                .iter()
                .map(|(k, id, b)| (*k, id.as_str(), b.as_slice())),
        );
        let mut grown = StateMap {
            whole: true,
            ..StateMap::default()
        };
        let mut none = |_: &str| Ok(None);
        for (kind, id, body) in &records {
            grown.set(*kind, id, Some(body), &mut none).unwrap();
        }
        assert_eq!(whole.root(), grown.root());
        assert_ne!(whole.root(), EMPTY);
    }

    #[test]
    fn a_partial_map_checks_each_record_against_the_root_and_follows_updates() {
        let records: Vec<(RecordKind, String, Vec<u8>)> = (0..50)
            .map(|i| {
                (
                    RecordKind::List,
                    format!("F{i}"),
                    vec![u8::try_from(i).unwrap(); 10],
                )
            })
            .collect();
        let mut whole = StateMap::of(
            records
                .iter()
                .map(|(k, id, b)| (*k, id.as_str(), b.as_slice())),
        );
        let rows = rows_of(&mut whole);
        let mut read = |id: &str| Ok(rows.get(id).cloned());
        let mut partial = StateMap::partial(whole.root());
        partial
            .check(RecordKind::List, "F7", Some(&records[7].2), &mut read)
            .unwrap();
        // A changed body, a record said to be absent, one that never was.
        assert!(
            partial
                .check(RecordKind::List, "F7", Some(b"x"), &mut read)
                .is_err()
        );
        assert!(
            partial
                .check(RecordKind::List, "F8", None, &mut read)
                .is_err()
        );
        partial
            .check(RecordKind::List, "F99", None, &mut read)
            .unwrap();
        // An update through the partial map gives the root the whole map gives.
        partial
            .set(RecordKind::List, "F7", Some(b"new"), &mut read)
            .unwrap();
        whole
            .set(RecordKind::List, "F7", Some(b"new"), &mut read)
            .unwrap();
        assert_eq!(partial.root(), whole.root());
        partial
            .set(RecordKind::Lead, "L-new", Some(b"lead"), &mut read)
            .unwrap();
        whole
            .set(RecordKind::Lead, "L-new", Some(b"lead"), &mut read)
            .unwrap();
        assert_eq!(partial.root(), whole.root());
        // A row edited in the store is refused when its bucket is read.
        let mut edited = rows.clone();
        let bucket = bucket_row(bucket_of(RecordKind::List, "F3"));
        let row = edited.get_mut(&bucket).unwrap();
        let last = row.len() - 1;
        row[last] ^= 1;
        let mut read = |id: &str| Ok(edited.get(id).cloned());
        let mut fresh = StateMap::partial(
            StateMap::of(
                records
                    .iter()
                    .map(|(k, id, b)| (*k, id.as_str(), b.as_slice())),
            )
            .root(),
        );
        assert!(
            fresh
                .check(RecordKind::List, "F3", Some(&records[3].2), &mut read)
                .is_err()
        );
    }

    /// A record's leaf listed under another id of the same bucket (the
    /// record said to be absent): the bucket's hash covers the ids.
    #[test]
    fn a_leaf_moved_under_another_id_of_its_bucket_is_refused() {
        let body = b"{\"stage\":\"transferred\"}".to_vec();
        let whole = StateMap::of([(RecordKind::Lead, "L-A", body.as_slice())]);
        let bucket = bucket_of(RecordKind::Lead, "L-A");
        let other = (0..1_000_000)
            .map(|n| format!("Z{n}"))
            .find(|id| bucket_of(RecordKind::Lead, id) == bucket)
            .unwrap();
        let mut moved = Bucket::new();
        moved.insert(
            (RecordKind::Lead, other),
            record_leaf(RecordKind::Lead, "L-A", &body),
        );
        let mut rows = whole.all_rows();
        rows.insert(bucket_row(bucket), encode_bucket(&moved));
        let mut read = |id: &str| Ok(rows.get(id).cloned());
        let mut partial = StateMap::partial(whole.root());
        assert!(
            partial
                .check(RecordKind::Lead, "L-A", None, &mut read)
                .is_err()
        );
        // The honest rows pass.
        let honest = whole.all_rows();
        let mut read = |id: &str| Ok(honest.get(id).cloned());
        let mut partial = StateMap::partial(whole.root());
        partial
            .check(RecordKind::Lead, "L-A", Some(&body), &mut read)
            .unwrap();
    }
}
