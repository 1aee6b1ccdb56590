//! Writes the seeded minimum-cost flow instances that `benches/peers/run.py`
//! solves with OR-Tools and LEMON, with this crate's optimal cost for each,
//! in `OUT/manifest.csv` (the script times all three solvers itself).
//!
//! `cargo run --release -p xuncha-benches --example dimacs_instances -- OUT`
//!
//! Shapes: `fujian` (the staffing networks of Fujian Longyan rounds, one per
//! city), `national` (those of one national round), `ties` (assignment
//! networks with all costs equal), `zero` (a third of the arcs with zero
//! capacity), `random` (small networks with lower bounds and negative
//! cycles), and `infeasible` (more demand than the arcs can carry).

use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::NaiveDate;
use xuncha_assign::{Round, StaffOptions, staffing_networks};
use xuncha_avoid::{Engine, RuleSet};
use xuncha_benches::SplitMix64;
use xuncha_flow::{FlowNetwork, MinCostFlow, NetworkSimplex, NodeId};
use xuncha_org::{Code, Hierarchy, Units};
use xuncha_synth::RosterSpec;

fn round(counties: Vec<Code>, date: NaiveDate) -> Round {
    Round::cross("peers", date, counties)
}

/// An assignment-shaped network: people, slots, a sink; `costs` draws an
/// arc cost, `caps` an arc capacity.
fn assignment(
    rng: &mut SplitMix64,
    people: usize,
    slots: usize,
    costs: &mut dyn FnMut(&mut SplitMix64) -> i64,
    caps: &mut dyn FnMut(&mut SplitMix64) -> i32,
    demand: i64,
) -> Result<FlowNetwork, Box<dyn std::error::Error>> {
    let mut net = FlowNetwork::new();
    let source = net.add_node(demand);
    let sink = net.add_node(-demand);
    let person: Vec<NodeId> = (0..people).map(|_| net.add_node(0)).collect();
    let slot: Vec<NodeId> = (0..slots).map(|_| net.add_node(0)).collect();
    for &p in &person {
        net.add_arc(source, p, 0, 1, 0)?;
        for _ in 0..6 {
            let s = slot[rng.below(slots)];
            let cap = caps(rng);
            let cost = costs(rng);
            net.add_arc(p, s, 0, cap, cost)?;
        }
    }
    for &s in &slot {
        net.add_arc(s, sink, 0, 2, 0)?;
    }
    Ok(net)
}

/// A small network with lower bounds and negative costs.
fn small(rng: &mut SplitMix64) -> Result<FlowNetwork, Box<dyn std::error::Error>> {
    let n = 3 + rng.below(6);
    let mut net = FlowNetwork::new();
    let mut supply: Vec<i64> = (0..n)
        .map(|_| i64::try_from(rng.below(5)).unwrap_or(0) - 2)
        .collect();
    let total: i64 = supply.iter().sum();
    supply[0] -= total;
    let nodes: Vec<NodeId> = supply.iter().map(|&s| net.add_node(s)).collect();
    for _ in 0..(n * 3) {
        let lower = i32::try_from(rng.below(2)).unwrap_or(0);
        let upper = lower + i32::try_from(rng.below(4)).unwrap_or(0);
        let cost = i64::try_from(rng.below(21)).unwrap_or(0) - 8;
        net.add_arc(nodes[rng.below(n)], nodes[rng.below(n)], lower, upper, cost)?;
    }
    Ok(net)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: dimacs_instances OUT_DIR")?,
    );
    std::fs::create_dir_all(&out)?;
    let date = NaiveDate::from_ymd_opt(2026, 3, 1).ok_or("date")?;
    let mut instances: Vec<(String, FlowNetwork)> = Vec::new();

    let fujian = Hierarchy::fujian();
    let units = Units::default();
    let engine = Engine::new(&fujian, &units, RuleSet::default());
    let fujian_round = round(xuncha_benches::rotatable_counties(&fujian), date);
    for seed in 1..=20 {
        let roster = RosterSpec::new(3_000, seed, date).roster(&fujian, &units)?;
        for g in staffing_networks(&engine, &roster, &fujian_round, &StaffOptions::default())? {
            instances.push(("fujian".to_owned(), g.network));
        }
    }
    let china = Hierarchy::from_nbs_dir(xuncha_benches::national_dir())?;
    let engine = Engine::new(&china, &units, RuleSet::default());
    let roster = RosterSpec::new(100_000, 1, date).roster(&china, &units)?;
    let national_round = round(xuncha_benches::rotatable_counties(&china), date);
    for g in staffing_networks(&engine, &roster, &national_round, &StaffOptions::default())? {
        instances.push(("national".to_owned(), g.network));
    }
    let mut rng = SplitMix64::new(0x7065_6572);
    for _ in 0..200 {
        let people = 20 + rng.below(200);
        let slots = 5 + rng.below(40);
        let demand = i64::try_from(slots.min(people)).unwrap_or(0);
        let net = assignment(&mut rng, people, slots, &mut |_| 5, &mut |_| 1, demand)?;
        instances.push(("ties".to_owned(), net));
    }
    for _ in 0..200 {
        let people = 20 + rng.below(200);
        let slots = 5 + rng.below(40);
        let demand = i64::try_from(slots.min(people) / 2).unwrap_or(0);
        let net = assignment(
            &mut rng,
            people,
            slots,
            &mut |r| i64::try_from(r.below(100)).unwrap_or(0),
            &mut |r| i32::from(r.below(3) != 0),
            demand,
        )?;
        instances.push(("zero".to_owned(), net));
    }
    for _ in 0..200 {
        instances.push(("random".to_owned(), small(&mut rng)?));
    }
    for _ in 0..100 {
        let people = 10 + rng.below(50);
        let slots = 5 + rng.below(10);
        let demand = i64::try_from(people + 5).unwrap_or(0);
        let net = assignment(
            &mut rng,
            people,
            slots,
            &mut |r| i64::try_from(r.below(50)).unwrap_or(0),
            &mut |_| 1,
            demand,
        )?;
        instances.push(("infeasible".to_owned(), net));
    }

    let mut manifest = String::from("file,shape,nodes,arcs,cost\n");
    for (i, (shape, net)) in instances.iter().enumerate() {
        let file = format!("{shape}-{i:05}.min");
        std::fs::write(out.join(&file), net.to_dimacs())?;
        let solution = NetworkSimplex::default().solve(net)?;
        let cost = solution.map_or_else(|| "infeasible".to_owned(), |s| s.cost.to_string());
        let _ = writeln!(
            manifest,
            "{file},{shape},{},{},{cost}",
            net.node_count(),
            net.arc_count()
        );
    }
    std::fs::write(out.join("manifest.csv"), manifest)?;
    println!("wrote {} instances to {}", instances.len(), out.display());
    Ok(())
}
