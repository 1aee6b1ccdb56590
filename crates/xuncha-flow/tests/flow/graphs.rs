//! Minimum-cost flows on petgraph graphs: the same optimum as on the
//! crate's own network, on random instances, for `Graph` and `StableGraph`.

use petgraph::graph::{EdgeIndex, Graph, NodeIndex};
use petgraph::stable_graph::StableGraph;
use proptest::prelude::*;
use xuncha_flow::{
    ArcId, Error, FlowArc, FlowNetwork, MinCostFlow, NetworkSimplex, NodeId,
    SuccessiveShortestPaths, check_flow, network_from_graph, solve_graph,
};

use crate::solvers::{assignment_network, small_network};

/// The network as a petgraph `Graph`, node for node and arc for arc.
fn to_graph(net: &FlowNetwork) -> (Graph<i64, FlowArc>, Vec<EdgeIndex>) {
    let mut graph = Graph::new();
    let nodes: Vec<NodeIndex> = (0..net.node_count())
        .map(|i| graph.add_node(net.supply(node(i)).expect("node")))
        .collect();
    let edges = (0..net.arc_count())
        .map(|a| {
            let (s, t, lower, upper, cost) = net.arc(arc(a)).expect("arc");
            graph.add_edge(
                nodes[s.0 as usize],
                nodes[t.0 as usize],
                FlowArc::new(lower, upper, cost),
            )
        })
        .collect();
    (graph, edges)
}

fn node(i: usize) -> NodeId {
    NodeId(u32::try_from(i).expect("small"))
}

fn arc(a: usize) -> ArcId {
    ArcId(u32::try_from(a).expect("small"))
}

/// Solves `net` directly and as a `Graph`; the optima agree, and the
/// graph's flow, read back by edge, is a feasible flow of `net` of that cost.
fn agrees(net: &FlowNetwork, solver: &dyn MinCostFlow) -> Result<(), TestCaseError> {
    let own = solver.solve(net).expect("balanced");
    let (graph, edges) = to_graph(net);
    let on_graph = solve_graph(&graph, solver).expect("balanced");
    prop_assert_eq!(own.is_some(), on_graph.is_some());
    if let (Some(own), Some(on_graph)) = (own, on_graph) {
        prop_assert_eq!(own.cost, on_graph.cost);
        let flow: Vec<i32> = edges.iter().map(|&e| on_graph.on(&graph, e)).collect();
        prop_assert_eq!(check_flow(net, &flow), Ok(own.cost));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_graph_has_the_optimum_of_its_network(net in small_network()) {
        agrees(&net, &NetworkSimplex::default())?;
        agrees(&net, &SuccessiveShortestPaths::default())?;
    }

    #[test]
    fn an_assignment_graph_has_the_optimum_of_its_network(net in assignment_network()) {
        agrees(&net, &NetworkSimplex::default())?;
    }

    /// A `StableGraph` after removals: the removed nodes and edges are
    /// gone, the indices of the rest unchanged. Its optimum is that of the
    /// network built from what is left.
    #[test]
    fn a_stable_graph_with_holes_has_the_optimum_of_what_is_left(
        net in assignment_network(),
        removed in prop::collection::vec(any::<prop::sample::Index>(), 0..6),
    ) {
        let mut graph: StableGraph<i64, FlowArc> = StableGraph::new();
        let nodes: Vec<_> = (0..net.node_count())
            .map(|i| graph.add_node(net.supply(node(i)).expect("node")))
            .collect();
        let mut edges = Vec::new();
        for a in 0..net.arc_count() {
            let (s, t, lower, upper, cost) = net.arc(arc(a)).expect("arc");
            edges.push(graph.add_edge(nodes[s.0 as usize], nodes[t.0 as usize], FlowArc::new(lower, upper, cost)));
        }
        // Remove person-to-slot edges only (lower bound 0), so that the
        // supplies still balance.
        let mut kept = vec![true; edges.len()];
        for index in removed {
            let a = index.index(edges.len());
            let (s, t, _, _, _) = net.arc(arc(a)).expect("arc");
            if s.0 != 0 && t.0 as usize != net.node_count() - 1 && kept[a] {
                graph.remove_edge(edges[a]);
                kept[a] = false;
            }
        }
        let mut rest = FlowNetwork::new();
        for i in 0..net.node_count() {
            rest.add_node(net.supply(node(i)).expect("node"));
        }
        for a in (0..net.arc_count()).filter(|&a| kept[a]) {
            let (s, t, lower, upper, cost) = net.arc(arc(a)).expect("arc");
            rest.add_arc(s, t, lower, upper, cost).expect("valid arc");
        }
        let expected = NetworkSimplex::default().solve(&rest).expect("balanced");
        let on_graph = solve_graph(&graph, &NetworkSimplex::default()).expect("balanced");
        prop_assert_eq!(expected.as_ref().map(|s| s.cost), on_graph.as_ref().map(|s| s.cost));
        if let Some(flow) = on_graph {
            for (a, &edge) in edges.iter().enumerate() {
                if !kept[a] {
                    prop_assert_eq!(flow.on(&graph, edge), 0);
                }
            }
        }
    }
}

#[test]
fn tuples_serve_as_arc_data_and_nodes_may_be_i32() {
    let mut graph = Graph::<i32, (i32, i32, i64)>::new();
    let s = graph.add_node(3);
    let t = graph.add_node(-3);
    let low = graph.add_edge(s, t, (2, 2, 4));
    let free = graph.add_edge(s, t, (0, 5, 1));
    let flow = solve_graph(&graph, &NetworkSimplex::default())
        .expect("balanced")
        .expect("feasible");
    assert_eq!((flow.on(&graph, low), flow.on(&graph, free)), (2, 1));
    assert_eq!(flow.cost, 9);
}

#[test]
fn bad_edges_and_imbalance_are_the_networks_errors() {
    let mut graph = Graph::<i64, FlowArc>::new();
    let s = graph.add_node(1);
    let t = graph.add_node(-1);
    graph.add_edge(s, t, FlowArc::new(3, 1, 0));
    assert!(matches!(
        network_from_graph(&graph),
        Err(Error::BadBounds {
            arc: 0,
            lower: 3,
            upper: 1
        })
    ));
    let mut graph = Graph::<i64, FlowArc>::new();
    let s = graph.add_node(2);
    let t = graph.add_node(-1);
    graph.add_edge(s, t, FlowArc::new(0, 5, 1));
    assert_eq!(
        solve_graph(&graph, &NetworkSimplex::default()),
        Err(Error::Unbalanced { total: 1 })
    );
}

#[test]
fn an_infeasible_graph_is_none() {
    let mut graph = Graph::<i64, FlowArc>::new();
    let s = graph.add_node(2);
    let t = graph.add_node(-2);
    graph.add_edge(s, t, FlowArc::new(0, 1, 1));
    assert_eq!(solve_graph(&graph, &NetworkSimplex::default()), Ok(None));
}
