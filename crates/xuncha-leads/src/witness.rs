//! Witnesses: the checkpoints of a county's ledger that another level has
//! seen, each proved consistent with the one before.
//!
//! A ledger alone cannot show that it was not truncated or rewritten by
//! someone with the file: a consistent rewrite verifies. What catches it is
//! a checkpoint kept elsewhere, as Certificate Transparency's witnesses keep
//! a log's tree heads. Every report of a transfer to a level (双汇报) is
//! witnessed by that level: the level's [`Witness`] for this ledger records
//! the checkpoint just after the report, and only after a consistency proof
//! from the checkpoint it recorded before. Later, [`Ledger::check_witness`]
//! proves the ledger still extends every checkpoint a witness holds.
//!
//! ```
//! use xuncha_leads::{Action, Actor, ActorRole, Command, DeadlinePolicy, Ledger, MemoryStore, Witness};
//! use xuncha_org::Code;
//!
//! let mut ledger = Ledger::open(MemoryStore::new())?;
//! let office = Actor::new("office", ActorRole::InspectionOffice);
//! let open = Action::Open { jurisdiction: Code::parse("350628")?, policy: DeadlinePolicy::default(), authorities: None };
//! ledger.execute(&Command::new("c1", office, open), None)?;
//! let mut city = Witness::new(ledger.log_id().unwrap(), "city leading group of 3506");
//! ledger.witness(&mut city, chrono::Utc::now())?;
//! assert_eq!(city.last().unwrap(), ledger.checkpoint());
//! assert!(ledger.check_witness(&city)?.checked == 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`Ledger::check_witness`]: crate::Ledger::check_witness

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::merkle::Hash;
use crate::{Checkpoint, ConsistencyProof, Error};

/// The format version of a witness file.
pub const WITNESS_VERSION: u32 = 1;

/// What one level has seen of one ledger: its checkpoints, in order, each
/// consistent with the one before.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Witness {
    /// [`WITNESS_VERSION`].
    pub version: u32,
    /// The ledger's id: the leaf hash of its first event
    /// ([`Ledger::log_id`](crate::Ledger::log_id)).
    pub log: Hash,
    /// Who keeps this witness (a leading group, an office).
    pub keeper: String,
    /// The checkpoints seen, oldest first.
    pub seen: Vec<Seen>,
}

/// One checkpoint a witness saw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seen {
    /// The checkpoint.
    pub checkpoint: Checkpoint,
    /// When the witness recorded it.
    pub at: DateTime<Utc>,
}

/// What [`Ledger::check_witness`](crate::Ledger::check_witness) checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WitnessReport {
    /// The witness's keeper.
    pub keeper: String,
    /// Checkpoints checked.
    pub checked: u64,
    /// The newest of them.
    pub last: Option<Checkpoint>,
}

impl Witness {
    /// A witness of the ledger `log` that has seen nothing yet.
    pub fn new(log: Hash, keeper: impl Into<String>) -> Witness {
        Witness {
            version: WITNESS_VERSION,
            log,
            keeper: keeper.into(),
            seen: Vec::new(),
        }
    }

    /// The newest checkpoint seen.
    pub fn last(&self) -> Option<Checkpoint> {
        self.seen.last().map(|s| s.checkpoint)
    }

    /// Records `proof.new` after checking that it extends the newest
    /// checkpoint seen (`proof.old` must be it, or empty for the first).
    pub fn observe(&mut self, proof: &ConsistencyProof, at: DateTime<Utc>) -> Result<(), Error> {
        let last = self.last().unwrap_or_else(Checkpoint::empty);
        if proof.old != last {
            return Err(Error::Inconsistent {
                witness: last.to_string(),
                why: format!(
                    "the proof starts from {}, not from the checkpoint {} last witnessed",
                    proof.old, self.keeper
                ),
            });
        }
        if !proof.verify() {
            return Err(Error::Inconsistent {
                witness: last.to_string(),
                why: format!(
                    "the ledger's checkpoint {} does not extend it: the log was truncated or rewritten since {} witnessed it",
                    proof.new, self.keeper
                ),
            });
        }
        if proof.new != last {
            self.seen.push(Seen {
                checkpoint: proof.new,
                at,
            });
        }
        Ok(())
    }

    /// Reads a witness file (JSON), within the default
    /// [`Limits`](xuncha_org::Limits).
    pub fn from_path(path: &Path) -> Result<Witness, Error> {
        let file = xuncha_org::Limits::default().open(path)?;
        let witness: Witness =
            serde_json::from_reader(std::io::BufReader::new(file)).map_err(|e| Error::Input {
                file: path.display().to_string(),
                line: e.line() as u64,
                message: format!("not a witness file: {e}"),
            })?;
        if witness.version != WITNESS_VERSION {
            return Err(Error::Input {
                file: path.display().to_string(),
                line: 0,
                message: format!(
                    "witness version {}; this build reads version {WITNESS_VERSION}",
                    witness.version
                ),
            });
        }
        Ok(witness)
    }

    /// Writes the witness file whole or not at all, owner-only.
    pub fn write_path(&self, path: &Path) -> Result<(), Error> {
        let mut text = serde_json::to_vec_pretty(self).unwrap_or_default();
        text.push(b'\n');
        xuncha_org::atomic::write(path, &text, xuncha_org::atomic::Mode::Private)?;
        Ok(())
    }
}
