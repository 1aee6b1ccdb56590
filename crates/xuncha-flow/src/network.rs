//! A minimum-cost flow problem: nodes with supplies, arcs with bounds and
//! costs.

use crate::Error;

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
/// use xuncha_flow::{FlowNetwork, MinCostFlow, NetworkSimplex};
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
    /// [`Error::UnknownNode`] for a node not in the network.
    pub fn set_supply(&mut self, node: NodeId, supply: i64) -> Result<(), Error> {
        let slot = self
            .supply
            .get_mut(node.0 as usize)
            .ok_or(Error::UnknownNode { node: node.0 })?;
        *slot = supply;
        Ok(())
    }

    /// Adds an arc from `source` to `target` carrying between `lower` and
    /// `upper` units at `cost` each.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownNode`] for an endpoint not in the network,
    /// [`Error::BadBounds`] if `lower > upper` or `lower < 0`.
    pub fn add_arc(
        &mut self,
        source: NodeId,
        target: NodeId,
        lower: i32,
        upper: i32,
        cost: i64,
    ) -> Result<ArcId, Error> {
        for node in [source, target] {
            if node.0 as usize >= self.supply.len() {
                return Err(Error::UnknownNode { node: node.0 });
            }
        }
        if lower < 0 || lower > upper {
            return Err(Error::BadBounds {
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

    /// Sets an arc's upper bound: how an arc closes (0) or opens again
    /// between solves, for [`repair`](crate::repair) to restore optimality.
    ///
    /// # Errors
    ///
    /// [`Error::BadBounds`] for an
    /// arc not in the network (reported with bounds `[0, upper]`) or an upper
    /// bound below the arc's lower bound.
    pub fn set_upper(&mut self, arc: ArcId, upper: i32) -> Result<(), Error> {
        let i = arc.0 as usize;
        match self.lower.get(i) {
            Some(&lower) if lower <= upper => {
                self.upper[i] = upper;
                Ok(())
            }
            lower => Err(Error::BadBounds {
                arc: arc.0,
                lower: lower.copied().unwrap_or(0),
                upper,
            }),
        }
    }

    /// Sets an arc's cost per unit; `false` (and nothing changed) for an arc
    /// not in the network.
    pub fn set_cost(&mut self, arc: ArcId, cost: i64) -> bool {
        match self.cost.get_mut(arc.0 as usize) {
            Some(slot) => {
                *slot = cost;
                true
            }
            None => false,
        }
    }

    /// The arcs' sources, by arc position (node positions).
    pub fn sources(&self) -> &[u32] {
        &self.source
    }

    /// The arcs' targets, by arc position (node positions).
    pub fn targets(&self) -> &[u32] {
        &self.target
    }

    /// The arcs' lower bounds, by arc position.
    pub fn lower_bounds(&self) -> &[i32] {
        &self.lower
    }

    /// The arcs' upper bounds, by arc position.
    pub fn upper_bounds(&self) -> &[i32] {
        &self.upper
    }

    /// The arcs' costs per unit, by arc position.
    pub fn costs(&self) -> &[i64] {
        &self.cost
    }

    /// The nodes' supplies, by node position (negative for a demand).
    pub fn supplies(&self) -> &[i64] {
        &self.supply
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
    /// [`Error`] if the supplies do not balance or a cost overflows.
    fn solve(&self, network: &FlowNetwork) -> Result<Option<FlowSolution>, Error>;
}

/// The cost of `flow` on `network`, checked; also checks that the flow is
/// feasible. For tests and verification.
///
/// # Errors
///
/// [`Error::NotAFlow`] naming the first violated bound or balance,
/// [`Error::Overflow`] if the cost overflows.
pub fn check_flow(network: &FlowNetwork, flow: &[i32]) -> Result<i64, Error> {
    if flow.len() != network.arc_count() {
        return Err(Error::NotAFlow {
            message: format!("{} flows for {} arcs", flow.len(), network.arc_count()),
        });
    }
    let mut balance = network.supply.clone();
    let mut cost: i128 = 0;
    for (i, &f) in flow.iter().enumerate() {
        if f < network.lower[i] || f > network.upper[i] {
            return Err(Error::NotAFlow {
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
        return Err(Error::NotAFlow {
            message: format!("node {node} is out of balance by {}", balance[node]),
        });
    }
    i64::try_from(cost).map_err(|_| Error::Overflow)
}
