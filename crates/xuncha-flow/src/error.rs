//! The crate's one error type.

/// What can go wrong with a flow problem: a malformed network or file, a
/// number out of range, or a flow that is not one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An arc names a node the network does not have.
    #[error("node {node} is not in the network")]
    UnknownNode {
        /// The node's position.
        node: u32,
    },
    /// An arc's bounds are negative or crossed.
    #[error("arc {arc} has bounds [{lower}, {upper}]")]
    BadBounds {
        /// The arc's position.
        arc: u32,
        /// Its lower bound.
        lower: i32,
        /// Its upper bound.
        upper: i32,
    },
    /// Supplies (after lower bounds) do not sum to zero.
    #[error("the supplies sum to {total}, not 0")]
    Unbalanced {
        /// The sum.
        total: i64,
    },
    /// A cost or flow left the 64-bit range.
    #[error("a cost or flow overflowed 64 bits")]
    Overflow,
    /// A flow that breaks a bound or a balance.
    #[error("not a feasible flow: {message}")]
    NotAFlow {
        /// Which bound or balance.
        message: String,
    },
    /// A DIMACS file is malformed.
    #[error("DIMACS line {line}: {message}")]
    Dimacs {
        /// The 1-based line (0 for the whole file).
        line: usize,
        /// What is wrong.
        message: String,
    },
}

impl Error {
    /// What kind of error this is, for callers that sort errors (an exit
    /// code, a retry) without matching every variant.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::UnknownNode { .. } | Error::BadBounds { .. } | Error::Dimacs { .. } => {
                ErrorKind::BadInput
            }
            Error::Unbalanced { .. } => ErrorKind::Unbalanced,
            Error::Overflow => ErrorKind::Limit,
            Error::NotAFlow { .. } => ErrorKind::NotAFlow,
        }
    }
}

/// The kinds of [`Error`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The network or file is malformed: an unknown node, crossed bounds,
    /// a bad DIMACS line.
    BadInput,
    /// The supplies do not sum to zero, so no flow can exist.
    Unbalanced,
    /// A number left the range the solver computes in.
    Limit,
    /// A given flow breaks a bound or a balance.
    NotAFlow,
}
