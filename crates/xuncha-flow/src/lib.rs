//! Minimum-cost flows: the network simplex, a successive-shortest-paths
//! oracle, warm-start repair, maximum flow with a minimum cut, DIMACS
//! reading and writing, and solving on petgraph graphs.
//!
//! Rust has no maintained minimum-cost flow crate, and petgraph has maximum
//! flow only. This crate knows nothing of inspections: a [`FlowNetwork`] is
//! nodes with supplies and arcs with lower and upper bounds and a cost, and
//! a [`MinCostFlow`] solver returns an optimal flow or says there is none.
//! The xuncha toolkit staffs inspection teams with it; anything shaped like
//! an assignment, a transport or a circulation can use it alone.
//!
//! ```
//! use xuncha_flow::{FlowNetwork, MinCostFlow, NetworkSimplex, SuccessiveShortestPaths};
//!
//! let mut net = FlowNetwork::new();
//! let s = net.add_node(2);
//! let a = net.add_node(0);
//! let t = net.add_node(-2);
//! net.add_arc(s, a, 0, 2, 1)?;
//! net.add_arc(a, t, 0, 1, 1)?;
//! net.add_arc(s, t, 0, 2, 5)?;
//! let fast = NetworkSimplex::default().solve(&net)?.expect("feasible");
//! let oracle = SuccessiveShortestPaths::default().solve(&net)?.expect("feasible");
//! assert_eq!((fast.cost, oracle.cost), (7, 7));
//! # Ok::<(), xuncha_flow::Error>(())
//! ```
//!
//! # What is here
//!
//! - [`FlowNetwork`]: the problem, stored as parallel vectors (28 bytes an
//!   arc); [`FlowNetwork::to_dimacs`] and [`FlowNetwork::from_dimacs`] for
//!   the DIMACS format LEMON and other solvers read.
//! - [`NetworkSimplex`]: the engine, after LEMON's (block search pivots,
//!   a spanning tree with threads); on assignment-shaped networks within a
//!   few tens of per cent of LEMON's C++ (`docs/performance.md` of the
//!   repository).
//! - [`SuccessiveShortestPaths`]: the textbook method, the tests' oracle.
//! - [`check_flow`]: feasibility and cost of any flow.
//! - [`repair`]: an optimal flow again from a nearly optimal one (after arcs
//!   close or open), without solving afresh.
//! - [`max_flow`]: Edmonds–Karp with the source side of a minimum cut, for
//!   certificates of infeasibility; [`reaching_sink`]: the smallest sink
//!   side of a minimum cut from the same flow.
//! - [`solve_graph`], [`network_from_graph`] (feature `petgraph`): the same
//!   on a petgraph `Graph` or `StableGraph` whose node weights give supplies
//!   ([`Supply`]) and edge weights bounds and costs ([`ArcBounds`],
//!   [`FlowArc`]).
//!
//! # Crate features
//!
//! - `petgraph` (default): [`solve_graph`] and its traits.
//!
//! # Supported Rust versions
//!
//! Rust 1.88 or later (edition 2024).

#![forbid(unsafe_code)]

mod dimacs;
mod error;
#[cfg(feature = "petgraph")]
mod graph;
mod maxflow;
mod network;
mod repair;
mod simplex;
mod ssp;

pub use error::{Error, ErrorKind};
#[cfg(feature = "petgraph")]
pub use graph::{ArcBounds, FlowArc, GraphFlow, Supply, network_from_graph, solve_graph};
pub use maxflow::{max_flow, reaching_sink};
pub use network::{ArcId, FlowNetwork, FlowSolution, MinCostFlow, NodeId, check_flow};
pub use repair::repair;
pub use simplex::NetworkSimplex;
pub use ssp::SuccessiveShortestPaths;
