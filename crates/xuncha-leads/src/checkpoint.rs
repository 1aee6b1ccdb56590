//! Checkpoints: a log's size and root, the thing a witness keeps.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::merkle::{Hash, empty_root, verify_consistency};

/// A log's size (number of events) and its RFC 6962 root over them.
///
/// Each dual report carries the checkpoint current when it was made, so the
/// city's and the county's leading groups each hold an independent witness:
/// a later log must prove it extends it ([`Checkpoint::is_extended_by`]).
///
/// ```
/// use xuncha_leads::Checkpoint;
/// let empty = Checkpoint::empty();
/// assert_eq!(empty.size, 0);
/// assert_eq!(empty.to_string(), "0:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
/// assert_eq!(empty.to_string().parse::<Checkpoint>()?, empty);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The number of events.
    pub size: u64,
    /// The Merkle root over them.
    pub root: Hash,
}

impl Checkpoint {
    /// The checkpoint of the empty log.
    pub fn empty() -> Checkpoint {
        Checkpoint {
            size: 0,
            root: empty_root(),
        }
    }

    /// Whether `newer` extends this checkpoint, by the consistency `proof`
    /// between them (RFC 6962 §2.1.2). A log that dropped, changed or
    /// reordered any event this checkpoint covers fails.
    pub fn is_extended_by(&self, newer: &Checkpoint, proof: &[Hash]) -> bool {
        verify_consistency(self.size, newer.size, &self.root, &newer.root, proof)
    }
}

impl fmt::Display for Checkpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.size, self.root)
    }
}

/// A text that is not `SIZE:ROOT`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a checkpoint: expected SIZE:ROOT, as `12:` and 64 hexadecimal digits")]
pub struct ParseCheckpointError(pub String);

impl std::str::FromStr for Checkpoint {
    type Err = ParseCheckpointError;

    fn from_str(text: &str) -> Result<Checkpoint, ParseCheckpointError> {
        let err = || ParseCheckpointError(text.chars().take(100).collect());
        let (size, root) = text.trim().split_once(':').ok_or_else(err)?;
        Ok(Checkpoint {
            size: size.parse().map_err(|_| err())?,
            root: root.parse().map_err(|_| err())?,
        })
    }
}
