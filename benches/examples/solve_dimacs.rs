//! Solves DIMACS files with the network simplex and prints, per file,
//! `FILE COST MICROSECONDS` (COST is `infeasible` when no feasible flow
//! exists), as the LEMON driver of `benches/peers/` does.
//!
//! `cargo run --release -p xuncha-benches --example solve_dimacs -- [--runs N] FILE...`
//!
//! With `--runs N` (default 1) each file is solved N times and the best
//! time printed; reading the file is not timed. `benches/peers/run.py`
//! times with `--runs 7`, alternating with LEMON over the same files. With
//! one run, under `valgrind --tool=callgrind`, it gives instruction counts,
//! which are repeatable on a noisy machine.

use std::time::Instant;

use xuncha_flow::{FlowNetwork, MinCostFlow, NetworkSimplex};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1).peekable();
    let mut runs = 1u32;
    if args.peek().map(String::as_str) == Some("--runs") {
        args.next();
        runs = args.next().ok_or("--runs needs a number")?.parse()?;
    }
    for path in args {
        let net = FlowNetwork::from_dimacs(&std::fs::read_to_string(&path)?)?;
        let mut nanos = u128::MAX;
        let mut solution = None;
        for _ in 0..runs.max(1) {
            let start = Instant::now();
            solution = NetworkSimplex::default().solve(&net)?;
            nanos = nanos.min(start.elapsed().as_nanos());
        }
        println!(
            "{path} {} {}.{:03}",
            solution.map_or_else(|| "infeasible".to_owned(), |s| s.cost.to_string()),
            nanos / 1000,
            nanos % 1000
        );
    }
    Ok(())
}
