//! xuncha-flow alone: a minimum-cost flow on a petgraph graph, and the same
//! network through DIMACS.
use petgraph::graph::Graph;
use xuncha_flow::{FlowArc, FlowNetwork, MinCostFlow, NetworkSimplex, solve_graph};

fn main() {
    let mut graph = Graph::<i64, FlowArc>::new();
    let s = graph.add_node(2);
    let a = graph.add_node(0);
    let t = graph.add_node(-2);
    let cheap = graph.add_edge(s, a, FlowArc::new(0, 1, 1));
    graph.add_edge(a, t, FlowArc::new(0, 1, 1));
    graph.add_edge(s, t, FlowArc::new(0, 2, 5));
    let flow = solve_graph(&graph, &NetworkSimplex::default())
        .expect("balanced")
        .expect("feasible");
    assert_eq!((flow.cost, flow.on(&graph, cheap)), (7, 1));
    let (network, _) = xuncha_flow::network_from_graph(&graph).expect("valid");
    let again = FlowNetwork::from_dimacs(&network.to_dimacs()).expect("DIMACS");
    let solved = NetworkSimplex::default().solve(&again).expect("balanced");
    assert_eq!(solved.map(|s| s.cost), Some(7));
    println!("xuncha-flow: cost {}", flow.cost);
}
