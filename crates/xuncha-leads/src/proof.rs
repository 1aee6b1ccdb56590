//! What the ledger proves to those who hold a checkpoint: inclusion of
//! events, consistency with a witness's checkpoint, and what a verification
//! checked.

use serde::{Deserialize, Serialize};

use crate::Checkpoint;
use crate::merkle::{Hash, leaf_hash, verify_inclusion};

/// A proof that some events are in the log, for a supervisor who holds the
/// checkpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InclusionProof {
    /// The checkpoint the proofs are against.
    pub checkpoint: Checkpoint,
    /// Each event, its stored bytes (as text), and its audit path.
    pub events: Vec<ProvenEvent>,
}

/// One event with its audit path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvenEvent {
    /// The event's sequence number (its leaf index).
    pub seq: u64,
    /// The stored bytes, as UTF-8 JSON.
    pub body: String,
    /// The RFC 6962 audit path.
    pub path: Vec<Hash>,
}

impl InclusionProof {
    /// Checks every event's path against the checkpoint.
    pub fn verify(&self) -> bool {
        self.events.iter().all(|e| {
            verify_inclusion(
                &leaf_hash(e.body.as_bytes()),
                e.seq,
                self.checkpoint.size,
                &e.path,
                &self.checkpoint.root,
            )
        })
    }
}

/// A proof that the log at `new` extends a witness's checkpoint `old`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsistencyProof {
    /// The witness's checkpoint.
    pub old: Checkpoint,
    /// The current checkpoint.
    pub new: Checkpoint,
    /// The RFC 6962 consistency proof.
    pub proof: Vec<Hash>,
}

impl ConsistencyProof {
    /// Checks the proof.
    pub fn verify(&self) -> bool {
        self.old.is_extended_by(&self.new, &self.proof)
    }
}

/// What [`Ledger::verify`](crate::Ledger::verify) checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyReport {
    /// Events read and hashed.
    pub events: u64,
    /// Checkpoints recomputed and matched.
    pub checkpoints: u64,
    /// The head.
    pub head: Checkpoint,
    /// The number of events of the snapshot compared with the replay of
    /// the events ([`Ledger::verify`](crate::Ledger::verify)); `None` when
    /// there is none or only the log was checked
    /// ([`verify_store`](crate::verify_store)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<u64>,
}
