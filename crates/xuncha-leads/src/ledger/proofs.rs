//! Proofs out of the ledger: inclusion of a lead's events, consistency
//! with a witness's checkpoint, and the witnesses' checks.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::Ledger;
use crate::merkle::{MerkleTree, leaf_hash};
use crate::proof::{ConsistencyProof, InclusionProof, ProvenEvent};
use crate::{Checkpoint, Error, Store, Witness, WitnessReport};

impl<S: Store> Ledger<S> {
    /// An inclusion proof of the events of lead `id`, against the current
    /// checkpoint.
    pub fn prove_lead(&self, id: &str) -> Result<InclusionProof, Error> {
        let lead = self.state.lead(id)?;
        self.prove_events(&lead.events)
    }

    /// An inclusion proof of the events at `seqs`.
    pub fn prove_events(&self, seqs: &[u64]) -> Result<InclusionProof, Error> {
        let checkpoint = self.checkpoint();
        let mut bodies: HashMap<u64, String> = HashMap::new();
        let wanted: std::collections::BTreeSet<u64> = seqs.iter().copied().collect();
        let first = wanted.first().copied().unwrap_or(0);
        self.store.for_each(first, &mut |seq, bytes| {
            if wanted.contains(&seq) {
                bodies.insert(seq, String::from_utf8_lossy(bytes).into_owned());
            }
            Ok(())
        })?;
        let tree = self.full_tree()?;
        let mut events = Vec::with_capacity(wanted.len());
        for seq in wanted {
            let path =
                tree.inclusion_proof(seq, checkpoint.size)
                    .ok_or_else(|| Error::NotFound {
                        kind: "event",
                        id: seq.to_string(),
                    })?;
            let body = bodies.remove(&seq).ok_or_else(|| Error::NotFound {
                kind: "stored event",
                id: seq.to_string(),
            })?;
            events.push(ProvenEvent { seq, body, path });
        }
        Ok(InclusionProof { checkpoint, events })
    }

    /// A consistency proof from a witness's checkpoint to now; an error
    /// ([`Error::Inconsistent`]) when the log does not extend it: the
    /// witness's log had other events, or more of them.
    pub fn prove_extends(&self, witness: &Checkpoint) -> Result<ConsistencyProof, Error> {
        self.extends(&*self.full_tree()?, witness)
    }

    fn extends(&self, tree: &MerkleTree, witness: &Checkpoint) -> Result<ConsistencyProof, Error> {
        let new = self.checkpoint();
        let inconsistent = |why: String| Error::Inconsistent {
            witness: witness.to_string(),
            why,
        };
        let root = tree.root_at(witness.size).ok_or_else(|| {
            inconsistent(format!(
                "the witness saw {} events, the log has only {}",
                witness.size, new.size
            ))
        })?;
        if root != witness.root {
            return Err(inconsistent(format!(
                "the log's first {} events hash to {root}, not to the witness's root",
                witness.size
            )));
        }
        let proof = tree
            .consistency_proof(witness.size, new.size)
            .unwrap_or_default();
        Ok(ConsistencyProof {
            old: *witness,
            new,
            proof,
        })
    }

    /// Records in `witness` the ledger's current checkpoint, after proving
    /// it extends the newest checkpoint the witness holds: the step a level
    /// takes when a transfer is reported to it. Refused, with the witness
    /// unchanged, when the ledger is another one or does not extend it.
    pub fn witness(&self, witness: &mut Witness, at: DateTime<Utc>) -> Result<Checkpoint, Error> {
        self.same_log(witness)?;
        let last = witness.last().unwrap_or_else(Checkpoint::empty);
        let proof = self.extends(&*self.full_tree()?, &last)?;
        witness.observe(&proof, at)?;
        Ok(proof.new)
    }

    /// Checks that the ledger extends every checkpoint `witness` holds (by
    /// a consistency proof each): truncation, deletion or a rewrite of
    /// anything the witness saw fails with [`Error::Inconsistent`].
    pub fn check_witness(&self, witness: &Witness) -> Result<WitnessReport, Error> {
        self.same_log(witness)?;
        let tree = self.full_tree()?;
        let mut checked = 0;
        for seen in &witness.seen {
            let proof = self.extends(&tree, &seen.checkpoint)?;
            if !proof.verify() {
                return Err(Error::Inconsistent {
                    witness: seen.checkpoint.to_string(),
                    why: format!("the consistency proof to {} does not verify", proof.new),
                });
            }
            checked += 1;
        }
        Ok(WitnessReport {
            keeper: witness.keeper.clone(),
            checked,
            last: witness.last(),
        })
    }

    fn same_log(&self, witness: &Witness) -> Result<(), Error> {
        match self.log_id() {
            Some(id) if id == witness.log => Ok(()),
            found => Err(Error::Inconsistent {
                witness: witness
                    .last()
                    .map_or_else(|| "(none yet)".to_owned(), |c| c.to_string()),
                why: format!(
                    "{} witnesses the ledger {}, but this ledger's first event hashes to {}: it was replaced or rebuilt",
                    witness.keeper,
                    witness.log,
                    found.map_or_else(|| "nothing (it is empty)".to_owned(), |h| h.to_string())
                ),
            }),
        }
    }

    /// Reads every leaf of the log into the ledger's tree, so that later
    /// proofs need not: a ledger opened from its snapshot holds only the
    /// tree's frontier, and each proof otherwise reads and hashes the log.
    pub fn load_tree(&mut self) -> Result<(), Error> {
        if !self.tree.is_complete() {
            self.tree = self.full_tree()?.into_owned();
        }
        Ok(())
    }

    /// The whole tree: the ledger's own, or for one opened from its
    /// snapshot, rebuilt from the stored events and checked against the
    /// ledger's root.
    pub(super) fn full_tree(&self) -> Result<Cow<'_, MerkleTree>, Error> {
        if self.tree.is_complete() {
            return Ok(Cow::Borrowed(&self.tree));
        }
        let size = self.tree.len();
        let mut tree = MerkleTree::new();
        self.store.for_each(0, &mut |seq, bytes| {
            if seq < size {
                tree.push(leaf_hash(bytes));
            }
            Ok(())
        })?;
        self.check_read(&tree)?;
        Ok(Cow::Owned(tree))
    }
}
