//! A transport problem on a petgraph graph: three depots ship to four
//! towns at the cheapest total cost, each road with a capacity.
//!
//! `cargo run -p xuncha-flow --example transport`

use petgraph::graph::Graph;
use xuncha_flow::{FlowArc, NetworkSimplex, solve_graph};

fn main() -> Result<(), xuncha_flow::Error> {
    let mut graph = Graph::<i64, FlowArc>::new();
    let depots = [("north", 30), ("east", 25), ("south", 20)]
        .map(|(name, stock)| (name, graph.add_node(stock)));
    let towns = [("A", -20), ("B", -15), ("C", -25), ("D", -15)]
        .map(|(name, need)| (name, graph.add_node(need)));
    // Cost per unit of each road, depot by town; capacity 20 on every road.
    let costs = [[4, 6, 9, 5], [7, 3, 4, 8], [6, 8, 2, 7]];
    let mut roads = Vec::new();
    for (d, &(depot, from)) in depots.iter().enumerate() {
        for (t, &(town, to)) in towns.iter().enumerate() {
            let road = graph.add_edge(from, to, FlowArc::new(0, 20, costs[d][t]));
            roads.push((depot, town, road));
        }
    }
    let Some(flow) = solve_graph(&graph, &NetworkSimplex::default())? else {
        println!("no shipment plan meets every need within the capacities");
        return Ok(());
    };
    for (depot, town, road) in roads {
        let units = flow.on(&graph, road);
        if units > 0 {
            println!("{depot:>5} → {town}: {units}");
        }
    }
    println!("total cost {}", flow.cost);
    Ok(())
}
