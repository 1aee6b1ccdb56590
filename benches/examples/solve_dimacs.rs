//! Solves DIMACS files with the network simplex and prints each optimal
//! cost: for instruction counts under `valgrind --tool=callgrind`, which
//! are repeatable on a noisy machine.
//!
//! `cargo run --release -p xuncha-benches --example solve_dimacs -- FILE...`

use xuncha_assign::flow::{FlowNetwork, MinCostFlow, NetworkSimplex};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for path in std::env::args().skip(1) {
        let net = FlowNetwork::from_dimacs(&std::fs::read_to_string(&path)?)?;
        let solution = NetworkSimplex::default().solve(&net)?;
        println!(
            "{path} {}",
            solution.map_or_else(|| "infeasible".to_owned(), |s| s.cost.to_string())
        );
    }
    Ok(())
}
