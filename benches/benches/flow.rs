//! Benchmarks of xuncha-flow: the network simplex beside the
//! successive-shortest-paths oracle on one assignment-shaped network, and
//! the same solve on a petgraph graph (the adapter's cost). The comparison
//! with LEMON and OR-Tools on DIMACS files is `benches/peers/run.py`.
//!
//! Run with `cargo bench -p xuncha-benches --bench flow`.
#![expect(
    missing_docs,
    reason = "criterion_group! generates an undocumented public function"
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use petgraph::graph::Graph;
use xuncha_flow::{
    FlowArc, FlowNetwork, MinCostFlow, NetworkSimplex, SuccessiveShortestPaths, solve_graph,
};

fn flow(c: &mut Criterion) {
    // An assignment-shaped network of Fujian size: 3,000 people, 600 slots.
    let mut net = FlowNetwork::new();
    let people = 3_000usize;
    let slots = 600usize;
    let source = net.add_node(i64::try_from(slots).expect("small"));
    let sink = net.add_node(-i64::try_from(slots).expect("small"));
    let person: Vec<_> = (0..people).map(|_| net.add_node(0)).collect();
    let slot: Vec<_> = (0..slots).map(|_| net.add_node(0)).collect();
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    for &p in &person {
        net.add_arc(source, p, 0, 1, 0).expect("arc");
        for _ in 0..20 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let s = slot[usize::try_from(x % slots as u64).expect("small")];
            net.add_arc(p, s, 0, 1, i64::try_from(x % 100).expect("small"))
                .expect("arc");
        }
    }
    for &s in &slot {
        net.add_arc(s, sink, 1, 1, 0).expect("arc");
    }
    let mut group = c.benchmark_group("flow");
    group.sample_size(10);
    group.bench_function("network_simplex_3000x600_60k_arcs", |b| {
        b.iter(|| {
            NetworkSimplex::default()
                .solve(black_box(&net))
                .expect("ok")
                .map(|s| s.cost)
        });
    });
    group.bench_function("successive_shortest_paths_3000x600_60k_arcs", |b| {
        b.iter(|| {
            SuccessiveShortestPaths::default()
                .solve(black_box(&net))
                .expect("ok")
                .map(|s| s.cost)
        });
    });
    // The same network as a petgraph graph: the adapter's copy on top of
    // the same solve.
    let mut graph = Graph::<i64, FlowArc>::new();
    let nodes: Vec<_> = (0..net.node_count())
        .map(|i| graph.add_node(net.supplies()[i]))
        .collect();
    for a in 0..net.arc_count() {
        graph.add_edge(
            nodes[net.sources()[a] as usize],
            nodes[net.targets()[a] as usize],
            FlowArc::new(net.lower_bounds()[a], net.upper_bounds()[a], net.costs()[a]),
        );
    }
    group.bench_function("network_simplex_on_petgraph_3000x600_60k_arcs", |b| {
        b.iter(|| {
            solve_graph(black_box(&graph), &NetworkSimplex::default())
                .expect("ok")
                .map(|s| s.cost)
        });
    });
    group.finish();
}

criterion_group!(benches, flow);
criterion_main!(benches);
