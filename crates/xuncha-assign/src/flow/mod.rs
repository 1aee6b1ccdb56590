//! Minimum-cost flows: the problem, the network simplex engine, and the
//! successive-shortest-paths oracle.
//!
//! No crate fits as the solver (petgraph has maximum flow but no
//! minimum-cost flow), so the engine is written here behind the small
//! [`MinCostFlow`] trait.

mod maxflow;
mod network;
mod repair;
mod simplex;
mod ssp;

pub use network::{ArcId, FlowNetwork, FlowSolution, MinCostFlow, NodeId, check_flow};
pub use simplex::NetworkSimplex;
pub use ssp::SuccessiveShortestPaths;

pub(crate) use maxflow::max_flow;
pub(crate) use repair::repair;
