//! The snapshot: the ledger's state and the Merkle frontier at a position
//! of the log, kept beside it so that opening a ledger costs the events
//! after the snapshot, not the whole history.
//!
//! A snapshot is derived data and is never trusted blindly. It is written
//! in the same transaction as every append (only the records the append
//! changed, so an append costs its own work), checked when it is read (its
//! format, its frontier against the stored checkpoint of the same size, the
//! number of its records) and rebuilt by a full replay when it is missing,
//! of another format or fails a check. [`Ledger::verify`](crate::Ledger::verify)
//! replays every event and compares the result with it, so a snapshot an
//! insider rewrote to hide a lead is found there as any changed event is.
//!
//! A store keeps a snapshot as opaque bytes: a summary (the frontier, the
//! jurisdiction, the policy, the time of the last event, the number of
//! records of each kind) and one row per record ([`RecordKind`]), plus the
//! index of command ids that makes commands idempotent.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use xuncha_org::Code;

use crate::merkle::{Hash, MerkleTree};
use crate::rectify::{CriticismNotice, FindingList, Obstruction};
use crate::{Authorisation, Change, DeadlinePolicy, Error, Lead, State};

/// The format of the snapshot this build writes; a snapshot of another
/// format is rebuilt from the events.
pub const SNAPSHOT_FORMAT: u32 = 3;

/// The number of kinds of record ([`RecordKind::ALL`]).
pub const KINDS: usize = 5;

/// The kind of record a snapshot row holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum RecordKind {
    /// A lead ([`Lead`]).
    Lead,
    /// A finding list ([`FindingList`]).
    List,
    /// An obstruction ([`Obstruction`]).
    Obstruction,
    /// A criticism notice ([`CriticismNotice`]).
    Notice,
    /// A team leader's or deputy's authorisation ([`Authorisation`]).
    Authorisation,
    /// A row of the state map (a bucket or an interior node), which binds
    /// the records to the state root the log commits to: not a record of
    /// the state, and not among [`RecordKind::ALL`].
    Node,
}

impl RecordKind {
    /// Every kind, in the order of their codes.
    pub const ALL: [RecordKind; KINDS] = [
        RecordKind::Lead,
        RecordKind::List,
        RecordKind::Obstruction,
        RecordKind::Notice,
        RecordKind::Authorisation,
    ];

    /// The number a store keeps for the kind.
    pub fn code(self) -> u8 {
        match self {
            RecordKind::Lead => 0,
            RecordKind::List => 1,
            RecordKind::Obstruction => 2,
            RecordKind::Notice => 3,
            RecordKind::Authorisation => 4,
            RecordKind::Node => 5,
        }
    }

    /// The kind of a stored number.
    pub fn from_code(code: u8) -> Option<RecordKind> {
        RecordKind::ALL
            .into_iter()
            .chain([RecordKind::Node])
            .find(|kind| kind.code() == code)
    }

    pub(crate) fn index(self) -> usize {
        usize::from(self.code())
    }
}

impl std::fmt::Display for RecordKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RecordKind::Lead => "lead",
            RecordKind::List => "finding list",
            RecordKind::Obstruction => "obstruction",
            RecordKind::Notice => "criticism notice",
            RecordKind::Authorisation => "authorisation",
            RecordKind::Node => "state map row",
        })
    }
}

/// One record of a snapshot, encoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotRecord {
    /// Its kind.
    pub kind: RecordKind,
    /// Its id (a lead's, a list's, ...).
    pub id: String,
    /// The encoded record.
    pub body: Vec<u8>,
}

/// What an append writes of the snapshot, in its transaction, or what a
/// rebuild writes whole.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SnapshotUpdate {
    /// The number of events the snapshot reflects (the log's length after
    /// the append).
    pub size: u64,
    /// The encoded summary.
    pub summary: Vec<u8>,
    /// The records written or replaced.
    pub records: Vec<SnapshotRecord>,
    /// The command ids new in the events: (id, first event, count).
    pub commands: Vec<(String, u64, u64)>,
    /// Whether this replaces every record (a rebuild) rather than adding
    /// to them.
    pub whole: bool,
    /// Whether `commands` replaces every command id rather than adding to
    /// them (a rebuild after a full replay).
    pub whole_commands: bool,
}

impl SnapshotUpdate {
    /// Whether the update may be written over a stored snapshot that
    /// reflects `stored` events, by an append at position `expected`: a
    /// whole snapshot always, an update only onto the snapshot it follows
    /// ([`Error::Snapshot`] otherwise). Every store asks this in the
    /// transaction of its append.
    pub fn follows(&self, stored: u64, expected: u64) -> Result<(), Error> {
        if self.whole || stored == expected {
            Ok(())
        } else {
            Err(Error::Snapshot {
                why: format!("it reflects {stored} events, not the {expected} the append follows"),
            })
        }
    }
}

/// A stored snapshot's summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Summary {
    pub(crate) format: u32,
    pub(crate) size: u64,
    pub(crate) root: Hash,
    pub(crate) frontier: Vec<Hash>,
    /// The leaf hash of the first event: the ledger's id.
    pub(crate) log_id: Option<Hash>,
    pub(crate) last_time: Option<DateTime<Utc>>,
    pub(crate) jurisdiction: Option<Code>,
    pub(crate) policy: DeadlinePolicy,
    pub(crate) registered_check: Option<Hash>,
    /// The authorities and enrolled keys of a signed ledger.
    #[serde(default)]
    pub(crate) enrolled: crate::Enrolled,
    /// Records of each kind, by [`RecordKind::code`].
    pub(crate) records: [u64; KINDS],
    /// The root of the state map (`statemap`) over the records.
    pub(crate) records_root: Hash,
    /// The state root: the records' root bound with the summary's facts
    /// (`statemap::state_root`), which the last event commits to.
    pub(crate) state_root: Hash,
    /// The last event's path within the smallest subtree of the frontier
    /// ([`MerkleTree::last_leaf_path`]): what shows that the event the
    /// root is read from is the log's last.
    pub(crate) last_path: Vec<Hash>,
}

impl Summary {
    /// The summary of `state` with `tree` (which holds the same events);
    /// `records` are the numbers of records of each kind (which a ledger
    /// reading its records as commands name them does not all hold).
    pub(crate) fn of(
        state: &State,
        records: [u64; KINDS],
        tree: &MerkleTree,
        log_id: Option<Hash>,
        last_time: Option<DateTime<Utc>>,
        records_root: Hash,
    ) -> Summary {
        Summary {
            format: SNAPSHOT_FORMAT,
            size: tree.len(),
            root: tree.root(),
            frontier: tree.frontier(),
            log_id,
            last_time,
            jurisdiction: state.jurisdiction,
            policy: state.policy,
            registered_check: state.registered_check,
            enrolled: state.enrolled.clone(),
            records,
            records_root,
            state_root: crate::statemap::state_root(records_root, state),
            last_path: tree.last_leaf_path(),
        }
    }

    pub(crate) fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Decodes a stored summary; `None` for one of another format or that
    /// does not decode (it is rebuilt).
    pub(crate) fn decode(bytes: &[u8]) -> Option<Summary> {
        #[derive(Deserialize)]
        struct Format {
            format: u32,
        }
        let format: Format = serde_json::from_slice(bytes).ok()?;
        if format.format != SNAPSHOT_FORMAT {
            return None;
        }
        serde_json::from_slice(bytes).ok()
    }

    /// The tree the summary's frontier stands for, if it is whole and
    /// hashes to the summary's root.
    pub(crate) fn tree(&self) -> Option<MerkleTree> {
        let tree = MerkleTree::from_frontier(self.size, &self.frontier)?;
        (tree.root() == self.root).then_some(tree)
    }

    /// The number of records of `kind` the snapshot holds.
    pub(crate) fn count(&self, kind: RecordKind) -> u64 {
        self.records[kind.index()]
    }

    /// The number of records of each kind.
    pub(crate) fn counts(&self) -> [u64; KINDS] {
        self.records
    }

    /// A state holding the summary's facts and no records.
    pub(crate) fn empty_state(&self) -> State {
        State {
            jurisdiction: self.jurisdiction,
            policy: self.policy,
            registered_check: self.registered_check,
            enrolled: self.enrolled.clone(),
            events: self.size,
            ..State::default()
        }
    }
}

/// A record of the state, decoded.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Record {
    Lead(Box<Lead>),
    List(Box<FindingList>),
    Obstruction(Box<Obstruction>),
    Notice(Box<CriticismNotice>),
    Authorisation(Box<Authorisation>),
}

impl Record {
    pub(crate) fn decode(kind: RecordKind, id: &str, bytes: &[u8]) -> Result<Record, Error> {
        let corrupt = |e: serde_json::Error| Error::Snapshot {
            why: format!("the {kind} record `{id}` does not decode: {e}"),
        };
        Ok(match kind {
            RecordKind::Lead => Record::Lead(serde_json::from_slice(bytes).map_err(corrupt)?),
            RecordKind::List => Record::List(serde_json::from_slice(bytes).map_err(corrupt)?),
            RecordKind::Obstruction => {
                Record::Obstruction(serde_json::from_slice(bytes).map_err(corrupt)?)
            }
            RecordKind::Notice => Record::Notice(serde_json::from_slice(bytes).map_err(corrupt)?),
            RecordKind::Authorisation => {
                Record::Authorisation(serde_json::from_slice(bytes).map_err(corrupt)?)
            }
            RecordKind::Node => {
                return Err(Error::Snapshot {
                    why: format!("the state map's row `{id}` is not a record"),
                });
            }
        })
    }

    /// The record as the snapshot stores it.
    pub(crate) fn encode(&self) -> Vec<u8> {
        match self {
            Record::Lead(r) => json(r),
            Record::List(r) => json(r),
            Record::Obstruction(r) => json(r),
            Record::Notice(r) => json(r),
            Record::Authorisation(r) => json(r),
        }
    }

    /// The id the record is kept under in the state.
    pub(crate) fn id(&self) -> &str {
        match self {
            Record::Lead(r) => &r.facts.id,
            Record::List(r) => &r.id,
            Record::Obstruction(r) => &r.id,
            Record::Notice(r) => &r.id,
            Record::Authorisation(r) => &r.id,
        }
    }
}

impl State {
    /// The number of records of each kind the state holds.
    pub(crate) fn counts(&self) -> [u64; KINDS] {
        [
            self.leads.len() as u64,
            self.lists.len() as u64,
            self.obstructions.len() as u64,
            self.notices.len() as u64,
            self.authorisations.len() as u64,
        ]
    }

    /// Whether the state holds the record of `kind` and `id`.
    pub(crate) fn holds(&self, kind: RecordKind, id: &str) -> bool {
        match kind {
            RecordKind::Lead => self.leads.contains_key(id),
            RecordKind::List => self.lists.contains_key(id),
            RecordKind::Obstruction => self.obstructions.contains_key(id),
            RecordKind::Notice => self.notices.contains_key(id),
            RecordKind::Authorisation => self.authorisations.contains_key(id),
            RecordKind::Node => false,
        }
    }

    /// The record of `kind` and `id`, if the state holds it.
    pub(crate) fn record(&self, kind: RecordKind, id: &str) -> Option<Record> {
        match kind {
            RecordKind::Lead => self.leads.get(id).cloned().map(Box::new).map(Record::Lead),
            RecordKind::List => self.lists.get(id).cloned().map(Box::new).map(Record::List),
            RecordKind::Obstruction => self
                .obstructions
                .get(id)
                .cloned()
                .map(Box::new)
                .map(Record::Obstruction),
            RecordKind::Notice => self
                .notices
                .get(id)
                .cloned()
                .map(Box::new)
                .map(Record::Notice),
            RecordKind::Authorisation => self
                .authorisations
                .get(id)
                .cloned()
                .map(Box::new)
                .map(Record::Authorisation),
            RecordKind::Node => None,
        }
    }

    /// The record of `kind` and `id` encoded as a snapshot row, if the
    /// state holds it (without copying it first).
    pub(crate) fn encode_record(&self, kind: RecordKind, id: &str) -> Option<Vec<u8>> {
        match kind {
            RecordKind::Lead => self.leads.get(id).map(json),
            RecordKind::List => self.lists.get(id).map(json),
            RecordKind::Obstruction => self.obstructions.get(id).map(json),
            RecordKind::Notice => self.notices.get(id).map(json),
            RecordKind::Authorisation => self.authorisations.get(id).map(json),
            RecordKind::Node => None,
        }
    }

    /// Puts `record` in as the record of `kind` and `id`, or takes that
    /// record out when `record` is `None`.
    pub(crate) fn restore(&mut self, kind: RecordKind, id: &str, record: Option<Record>) {
        match record {
            None => match kind {
                RecordKind::Lead => drop(self.leads.remove(id)),
                RecordKind::List => drop(self.lists.remove(id)),
                RecordKind::Obstruction => drop(self.obstructions.remove(id)),
                RecordKind::Notice => drop(self.notices.remove(id)),
                RecordKind::Authorisation => drop(self.authorisations.remove(id)),
                RecordKind::Node => {}
            },
            Some(record) => self.insert(record),
        }
    }

    /// Puts `record` in under its own id.
    pub(crate) fn insert(&mut self, record: Record) {
        let id = record.id().to_owned();
        match record {
            Record::Lead(r) => drop(self.leads.insert(id, *r)),
            Record::List(r) => drop(self.lists.insert(id, *r)),
            Record::Obstruction(r) => drop(self.obstructions.insert(id, *r)),
            Record::Notice(r) => drop(self.notices.insert(id, *r)),
            Record::Authorisation(r) => drop(self.authorisations.insert(id, *r)),
        }
    }

    /// The ids of the state's records of `kind`.
    pub(crate) fn ids(&self, kind: RecordKind) -> Vec<&str> {
        match kind {
            RecordKind::Lead => self.leads.keys().map(String::as_str).collect(),
            RecordKind::List => self.lists.keys().map(String::as_str).collect(),
            RecordKind::Obstruction => self.obstructions.keys().map(String::as_str).collect(),
            RecordKind::Notice => self.notices.keys().map(String::as_str).collect(),
            RecordKind::Authorisation => self.authorisations.keys().map(String::as_str).collect(),
            RecordKind::Node => Vec::new(),
        }
    }

    /// Every record of the state, encoded, in order of kind and id.
    pub(crate) fn all_records(&self) -> Vec<SnapshotRecord> {
        let mut out = Vec::with_capacity(
            self.leads.len()
                + self.lists.len()
                + self.obstructions.len()
                + self.notices.len()
                + self.authorisations.len(),
        );
        let mut push = |kind: RecordKind, id: &str, body: Vec<u8>| {
            out.push(SnapshotRecord {
                kind,
                id: id.to_owned(),
                body,
            });
        };
        for lead in self.leads_in_order() {
            push(RecordKind::Lead, &lead.facts.id, json(lead));
        }
        for (id, list) in &self.lists {
            push(RecordKind::List, id, json(list));
        }
        for (id, obstruction) in &self.obstructions {
            push(RecordKind::Obstruction, id, json(obstruction));
        }
        for (id, notice) in &self.notices {
            push(RecordKind::Notice, id, json(notice));
        }
        for (id, authorisation) in &self.authorisations {
            push(RecordKind::Authorisation, id, json(authorisation));
        }
        out
    }
}

fn json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

/// Whether `change` creates its record (rather than altering one).
pub(crate) fn creates(change: &Change) -> bool {
    matches!(
        change,
        Change::LeadFound { .. }
            | Change::FindingsIssued { .. }
            | Change::ObstructionRecorded { .. }
            | Change::CriticismIssued { .. }
            | Change::Authorised { .. }
    )
}

/// The record an event's change creates or alters, if any.
pub(crate) fn touched(change: &Change) -> Option<(RecordKind, &str)> {
    if let Some(lead) = change.lead() {
        return Some((RecordKind::Lead, lead));
    }
    if let Some(list) = change.list() {
        return Some((RecordKind::List, list));
    }
    match change {
        Change::ObstructionRecorded { obstruction } => {
            Some((RecordKind::Obstruction, &obstruction.id))
        }
        Change::CriticismIssued { notice } => Some((RecordKind::Notice, &notice.id)),
        Change::Authorised { authorisation } => {
            Some((RecordKind::Authorisation, &authorisation.id))
        }
        _ => None,
    }
}
