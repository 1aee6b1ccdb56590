//! A minimum-cost flow problem: nodes with supplies, arcs with bounds and
//! costs.

use std::fmt::Write as _;

use crate::FlowError;

/// A node of a [`FlowNetwork`], by position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u32);

/// An arc of a [`FlowNetwork`], by position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArcId(pub u32);

/// A minimum-cost flow problem: find a flow on every arc, between its lower
/// and upper bound, such that at every node the flow out minus the flow in
/// equals the node's supply (negative for a demand), of least total cost.
///
/// Arcs are stored as parallel vectors: 28 bytes an arc.
///
/// # Examples
///
/// ```
/// use xuncha_assign::flow::{FlowNetwork, MinCostFlow, NetworkSimplex};
///
/// let mut net = FlowNetwork::new();
/// let s = net.add_node(2);
/// let a = net.add_node(0);
/// let t = net.add_node(-2);
/// net.add_arc(s, a, 0, 2, 1)?;
/// net.add_arc(a, t, 0, 1, 1)?;
/// net.add_arc(s, t, 0, 2, 5)?;
/// let solution = NetworkSimplex::default().solve(&net)?.expect("feasible");
/// assert_eq!(solution.cost, 7);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlowNetwork {
    pub(crate) supply: Vec<i64>,
    pub(crate) source: Vec<u32>,
    pub(crate) target: Vec<u32>,
    pub(crate) lower: Vec<i32>,
    pub(crate) upper: Vec<i32>,
    pub(crate) cost: Vec<i64>,
}

impl FlowNetwork {
    /// An empty network.
    pub fn new() -> FlowNetwork {
        FlowNetwork::default()
    }

    /// Adds a node with `supply` (negative for a demand).
    pub fn add_node(&mut self, supply: i64) -> NodeId {
        self.supply.push(supply);
        NodeId(u32::try_from(self.supply.len() - 1).unwrap_or(u32::MAX))
    }

    /// Sets a node's supply.
    ///
    /// # Errors
    ///
    /// [`FlowError::UnknownNode`] for a node not in the network.
    pub fn set_supply(&mut self, node: NodeId, supply: i64) -> Result<(), FlowError> {
        let slot = self
            .supply
            .get_mut(node.0 as usize)
            .ok_or(FlowError::UnknownNode { node: node.0 })?;
        *slot = supply;
        Ok(())
    }

    /// Adds an arc from `source` to `target` carrying between `lower` and
    /// `upper` units at `cost` each.
    ///
    /// # Errors
    ///
    /// [`FlowError::UnknownNode`] for an endpoint not in the network,
    /// [`FlowError::BadBounds`] if `lower > upper` or `lower < 0`.
    pub fn add_arc(
        &mut self,
        source: NodeId,
        target: NodeId,
        lower: i32,
        upper: i32,
        cost: i64,
    ) -> Result<ArcId, FlowError> {
        for node in [source, target] {
            if node.0 as usize >= self.supply.len() {
                return Err(FlowError::UnknownNode { node: node.0 });
            }
        }
        if lower < 0 || lower > upper {
            return Err(FlowError::BadBounds {
                arc: u32::try_from(self.source.len()).unwrap_or(u32::MAX),
                lower,
                upper,
            });
        }
        self.source.push(source.0);
        self.target.push(target.0);
        self.lower.push(lower);
        self.upper.push(upper);
        self.cost.push(cost);
        Ok(ArcId(
            u32::try_from(self.source.len() - 1).unwrap_or(u32::MAX),
        ))
    }

    /// The number of nodes.
    pub fn node_count(&self) -> usize {
        self.supply.len()
    }

    /// The number of arcs.
    pub fn arc_count(&self) -> usize {
        self.source.len()
    }

    /// An arc's endpoints, bounds and cost: `(source, target, lower, upper,
    /// cost)`.
    pub fn arc(&self, arc: ArcId) -> Option<(NodeId, NodeId, i32, i32, i64)> {
        let i = arc.0 as usize;
        Some((
            NodeId(*self.source.get(i)?),
            NodeId(self.target[i]),
            self.lower[i],
            self.upper[i],
            self.cost[i],
        ))
    }

    /// A node's supply.
    pub fn supply(&self, node: NodeId) -> Option<i64> {
        self.supply.get(node.0 as usize).copied()
    }

    /// The network in the DIMACS minimum-cost flow format (nodes numbered
    /// from 1), as LEMON's `dimacs-solver` and other solvers read it.
    pub fn to_dimacs(&self) -> String {
        let mut out = String::with_capacity(32 * (self.arc_count() + 2));
        let _ = writeln!(out, "c xuncha staffing network");
        let _ = writeln!(out, "p min {} {}", self.node_count(), self.arc_count());
        for (i, &s) in self.supply.iter().enumerate() {
            if s != 0 {
                let _ = writeln!(out, "n {} {s}", i + 1);
            }
        }
        for i in 0..self.arc_count() {
            let _ = writeln!(
                out,
                "a {} {} {} {} {}",
                self.source[i] + 1,
                self.target[i] + 1,
                self.lower[i],
                self.upper[i],
                self.cost[i]
            );
        }
        out
    }

    /// Reads a network in the DIMACS minimum-cost flow format.
    ///
    /// # Errors
    ///
    /// [`FlowError::Dimacs`] naming the line of anything malformed.
    pub fn from_dimacs(text: &str) -> Result<FlowNetwork, FlowError> {
        let mut net = FlowNetwork::new();
        let mut declared = None;
        for (i, line) in text.lines().enumerate() {
            let bad = |message: &str| FlowError::Dimacs {
                line: i + 1,
                message: message.to_owned(),
            };
            let fields: Vec<&str> = line.split_whitespace().collect();
            match fields.first().copied() {
                None | Some("c") => {}
                Some("p") => {
                    let [_, kind, n, m] = fields[..] else {
                        return Err(bad("expected `p min NODES ARCS`"));
                    };
                    if kind != "min" {
                        return Err(bad("only `p min` problems are read"));
                    }
                    let n: usize = n.parse().map_err(|_| bad("bad node count"))?;
                    let m: usize = m.parse().map_err(|_| bad("bad arc count"))?;
                    net.supply = vec![0; n];
                    declared = Some(m);
                }
                Some("n") => {
                    let [_, id, supply] = fields[..] else {
                        return Err(bad("expected `n NODE SUPPLY`"));
                    };
                    let id: usize = id.parse().map_err(|_| bad("bad node id"))?;
                    let supply: i64 = supply.parse().map_err(|_| bad("bad supply"))?;
                    let slot = id
                        .checked_sub(1)
                        .and_then(|i| net.supply.get_mut(i))
                        .ok_or_else(|| bad("node id out of range"))?;
                    *slot = supply;
                }
                Some("a") => {
                    let [_, s, t, low, cap, cost] = fields[..] else {
                        return Err(bad("expected `a FROM TO LOW CAP COST`"));
                    };
                    let node = |text: &str| -> Result<NodeId, FlowError> {
                        let id: u32 = text.parse().map_err(|_| bad("bad node id"))?;
                        id.checked_sub(1)
                            .map(NodeId)
                            .ok_or_else(|| bad("node ids start at 1"))
                    };
                    let (s, t) = (node(s)?, node(t)?);
                    let low: i32 = low.parse().map_err(|_| bad("bad lower bound"))?;
                    let cap: i32 = cap.parse().map_err(|_| bad("bad capacity"))?;
                    let cost: i64 = cost.parse().map_err(|_| bad("bad cost"))?;
                    net.add_arc(s, t, low, cap, cost)
                        .map_err(|e| bad(&e.to_string()))?;
                }
                Some(_) => return Err(bad("unknown line type")),
            }
        }
        if declared.is_some_and(|m| m != net.arc_count()) {
            return Err(FlowError::Dimacs {
                line: 0,
                message: format!(
                    "the problem line declares {} arcs, the file has {}",
                    declared.unwrap_or(0),
                    net.arc_count()
                ),
            });
        }
        Ok(net)
    }
}

/// An optimal flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowSolution {
    /// The flow on each arc, by position.
    pub flow: Vec<i32>,
    /// The total cost.
    pub cost: i64,
}

/// Solves minimum-cost flow problems.
pub trait MinCostFlow {
    /// The solver's name, recorded in plans.
    fn name(&self) -> &'static str;

    /// An optimal flow, or `None` if no flow meets every bound and supply.
    ///
    /// # Errors
    ///
    /// [`FlowError`] if the supplies do not balance or a cost overflows.
    fn solve(&self, network: &FlowNetwork) -> Result<Option<FlowSolution>, FlowError>;
}

/// The cost of `flow` on `network`, checked; also checks that the flow is
/// feasible. For tests and verification.
///
/// # Errors
///
/// [`FlowError::NotAFlow`] naming the first violated bound or balance,
/// [`FlowError::Overflow`] if the cost overflows.
pub fn check_flow(network: &FlowNetwork, flow: &[i32]) -> Result<i64, FlowError> {
    if flow.len() != network.arc_count() {
        return Err(FlowError::NotAFlow {
            message: format!("{} flows for {} arcs", flow.len(), network.arc_count()),
        });
    }
    let mut balance = network.supply.clone();
    let mut cost: i128 = 0;
    for (i, &f) in flow.iter().enumerate() {
        if f < network.lower[i] || f > network.upper[i] {
            return Err(FlowError::NotAFlow {
                message: format!(
                    "arc {i} carries {f}, outside [{}, {}]",
                    network.lower[i], network.upper[i]
                ),
            });
        }
        balance[network.source[i] as usize] -= i64::from(f);
        balance[network.target[i] as usize] += i64::from(f);
        cost += i128::from(f) * i128::from(network.cost[i]);
    }
    if let Some(node) = balance.iter().position(|&b| b != 0) {
        return Err(FlowError::NotAFlow {
            message: format!("node {node} is out of balance by {}", balance[node]),
        });
    }
    i64::try_from(cost).map_err(|_| FlowError::Overflow)
}
