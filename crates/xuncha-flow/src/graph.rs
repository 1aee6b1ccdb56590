//! Minimum-cost flows on petgraph graphs (feature `petgraph`, default).
//!
//! petgraph has maximum flow but no minimum-cost flow. Any directed petgraph
//! graph whose node weights give a supply ([`Supply`]) and whose edge
//! weights give bounds and a cost ([`ArcBounds`]) can be solved here:
//! [`Graph`](petgraph::graph::Graph), [`StableGraph`](petgraph::stable_graph::StableGraph)
//! (removed nodes and edges are simply absent) and anything else with the
//! same visit traits. The graph is copied into a [`FlowNetwork`] (nodes by
//! [`NodeIndexable::to_index`], arcs in the order of
//! [`IntoEdgeReferences::edge_references`]) and the flow comes back by edge
//! index.
//!
//! ```
//! use petgraph::graph::Graph;
//! use xuncha_flow::{FlowArc, NetworkSimplex, solve_graph};
//!
//! // Two units from s to t: one along the cheap path of capacity 1, the
//! // other along the dear direct arc.
//! let mut graph = Graph::<i64, FlowArc>::new();
//! let s = graph.add_node(2);
//! let a = graph.add_node(0);
//! let t = graph.add_node(-2);
//! let cheap = graph.add_edge(s, a, FlowArc::new(0, 1, 1));
//! graph.add_edge(a, t, FlowArc::new(0, 1, 1));
//! let dear = graph.add_edge(s, t, FlowArc::new(0, 2, 5));
//!
//! let flow = solve_graph(&graph, &NetworkSimplex::default())?.expect("feasible");
//! assert_eq!(flow.cost, 7);
//! assert_eq!(flow.on(&graph, cheap), 1);
//! assert_eq!(flow.on(&graph, dear), 1);
//! # Ok::<(), xuncha_flow::Error>(())
//! ```

use petgraph::Directed;
use petgraph::visit::{
    EdgeIndexable, EdgeRef, GraphProp, IntoEdgeReferences, IntoNodeReferences, NodeIndexable,
    NodeRef,
};

use crate::{Error, FlowNetwork, MinCostFlow, NodeId};

/// A node weight that gives the node's supply (negative for a demand).
pub trait Supply {
    /// The supply.
    fn supply(&self) -> i64;
}

impl Supply for i64 {
    fn supply(&self) -> i64 {
        *self
    }
}

impl Supply for i32 {
    fn supply(&self) -> i64 {
        i64::from(*self)
    }
}

/// An edge weight that gives an arc's bounds and cost per unit.
pub trait ArcBounds {
    /// The least flow the arc carries.
    fn lower(&self) -> i32;
    /// The most flow the arc carries.
    fn upper(&self) -> i32;
    /// The cost of each unit on the arc.
    fn cost(&self) -> i64;
}

/// Plain arc data: bounds and cost, for graphs built for flows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct FlowArc {
    /// The least flow the arc carries.
    pub lower: i32,
    /// The most flow the arc carries.
    pub upper: i32,
    /// The cost of each unit.
    pub cost: i64,
}

impl FlowArc {
    /// An arc carrying between `lower` and `upper` units at `cost` each.
    pub fn new(lower: i32, upper: i32, cost: i64) -> FlowArc {
        FlowArc { lower, upper, cost }
    }
}

impl ArcBounds for FlowArc {
    fn lower(&self) -> i32 {
        self.lower
    }
    fn upper(&self) -> i32 {
        self.upper
    }
    fn cost(&self) -> i64 {
        self.cost
    }
}

/// `(lower, upper, cost)`.
impl ArcBounds for (i32, i32, i64) {
    fn lower(&self) -> i32 {
        self.0
    }
    fn upper(&self) -> i32 {
        self.1
    }
    fn cost(&self) -> i64 {
        self.2
    }
}

/// An optimal flow on a petgraph graph, by edge index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphFlow {
    /// The flow on each edge, by [`EdgeIndexable::to_index`] (0 at the
    /// indices of removed edges).
    pub by_edge: Vec<i32>,
    /// The total cost.
    pub cost: i64,
}

impl GraphFlow {
    /// The flow on `edge` of the graph that was solved (0 for an edge it
    /// did not have).
    pub fn on<G: EdgeIndexable>(&self, graph: G, edge: G::EdgeId) -> i32 {
        self.by_edge.get(graph.to_index(edge)).copied().unwrap_or(0)
    }
}

/// The graph as a [`FlowNetwork`]: node `i` is the graph's node of index
/// `i` ([`NodeIndexable::to_index`]; indices of removed nodes become nodes
/// of supply 0 with no arcs), arcs follow
/// [`IntoEdgeReferences::edge_references`]. Also returns, for each arc, the
/// index of the edge it came from.
///
/// # Errors
///
/// [`Error::BadBounds`] for an edge whose bounds are negative or crossed,
/// [`Error::Overflow`] for a graph with more than `u32::MAX` nodes or arcs.
pub fn network_from_graph<G>(graph: G) -> Result<(FlowNetwork, Vec<usize>), Error>
where
    G: IntoEdgeReferences
        + IntoNodeReferences
        + NodeIndexable
        + EdgeIndexable
        + GraphProp<EdgeType = Directed>,
    G::NodeWeight: Supply,
    G::EdgeWeight: ArcBounds,
{
    let nodes = graph.node_bound();
    if u32::try_from(nodes).is_err() {
        return Err(Error::Overflow);
    }
    let mut network = FlowNetwork::new();
    for _ in 0..nodes {
        network.add_node(0);
    }
    for node in graph.node_references() {
        let index = NodeIndexable::to_index(&graph, node.id());
        network.set_supply(node_id(index)?, node.weight().supply())?;
    }
    let mut edges = Vec::new();
    for edge in graph.edge_references() {
        let weight = edge.weight();
        let source = node_id(NodeIndexable::to_index(&graph, edge.source()))?;
        let target = node_id(NodeIndexable::to_index(&graph, edge.target()))?;
        network.add_arc(
            source,
            target,
            weight.lower(),
            weight.upper(),
            weight.cost(),
        )?;
        edges.push(EdgeIndexable::to_index(&graph, edge.id()));
    }
    if u32::try_from(edges.len()).is_err() {
        return Err(Error::Overflow);
    }
    Ok((network, edges))
}

fn node_id(index: usize) -> Result<NodeId, Error> {
    u32::try_from(index)
        .map(NodeId)
        .map_err(|_| Error::Overflow)
}

/// Solves the minimum-cost flow problem the graph describes with `solver`:
/// an optimal flow by edge index, or `None` if no flow meets every bound and
/// supply.
///
/// # Errors
///
/// As [`network_from_graph`], and [`Error::Unbalanced`] when the supplies
/// (after lower bounds) do not sum to zero.
///
/// # Complexity
///
/// One copy of the graph, O(n + m), then the solver's own.
pub fn solve_graph<G, S>(graph: G, solver: &S) -> Result<Option<GraphFlow>, Error>
where
    G: IntoEdgeReferences
        + IntoNodeReferences
        + NodeIndexable
        + EdgeIndexable
        + GraphProp<EdgeType = Directed>,
    G::NodeWeight: Supply,
    G::EdgeWeight: ArcBounds,
    S: MinCostFlow + ?Sized,
{
    let (network, edges) = network_from_graph(graph)?;
    let Some(solution) = solver.solve(&network)? else {
        return Ok(None);
    };
    let mut by_edge = vec![0; graph.edge_bound()];
    for (arc, &edge) in edges.iter().enumerate() {
        let flow = solution.flow[arc];
        if let Some(slot) = by_edge.get_mut(edge) {
            *slot = flow;
        }
    }
    Ok(Some(GraphFlow {
        by_edge,
        cost: solution.cost,
    }))
}
