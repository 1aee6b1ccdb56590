//! Minimum-cost flows: the network simplex against brute force and the
//! successive-shortest-paths oracle.

use proptest::prelude::*;
use xuncha_flow::Error as FlowError;
use xuncha_flow::{
    FlowNetwork, MinCostFlow, NetworkSimplex, NodeId, SuccessiveShortestPaths, check_flow,
};

/// The least cost of any feasible flow, by enumerating every flow vector.
fn brute_force(net: &FlowNetwork) -> Option<i64> {
    let m = net.arc_count();
    let arcs: Vec<_> = (0..m)
        .map(|e| {
            net.arc(xuncha_flow::ArcId(u32::try_from(e).expect("small")))
                .expect("arc")
        })
        .collect();
    let mut flow: Vec<i32> = arcs.iter().map(|a| a.2).collect();
    let mut best: Option<i64> = None;
    loop {
        if let Ok(cost) = check_flow(net, &flow) {
            best = Some(best.map_or(cost, |b| b.min(cost)));
        }
        // Next flow vector, odometer style.
        let mut i = 0;
        loop {
            if i == m {
                return best;
            }
            if flow[i] < arcs[i].3 {
                flow[i] += 1;
                break;
            }
            flow[i] = arcs[i].2;
            i += 1;
        }
    }
}

/// A small random network with balanced supplies.
pub(crate) fn small_network() -> impl Strategy<Value = FlowNetwork> {
    (2..5usize)
        .prop_flat_map(|n| {
            (
                Just(n),
                prop::collection::vec((0..n, 0..n, 0..2i32, 0..3i32, -6..7i64), 1..6),
                prop::collection::vec(-2..3i64, n),
            )
        })
        .prop_map(|(_, arcs, mut supply)| {
            let total: i64 = supply.iter().sum();
            supply[0] -= total;
            let mut net = FlowNetwork::new();
            for &s in &supply {
                net.add_node(s);
            }
            for (s, t, low, extra, cost) in arcs {
                let node = |x: usize| NodeId(u32::try_from(x).expect("small"));
                net.add_arc(node(s), node(t), low, low + extra, cost)
                    .expect("valid arc");
            }
            net
        })
}

/// A random assignment-like network: people to slots through a sink.
pub(crate) fn assignment_network() -> impl Strategy<Value = FlowNetwork> {
    (5..40usize, 2..12usize, any::<u64>()).prop_map(|(people, slots, seed)| {
        let mut x = seed | 1;
        let mut random = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut net = FlowNetwork::new();
        let filled = i64::try_from(slots.min(people)).expect("small");
        let source = net.add_node(filled);
        let person: Vec<NodeId> = (0..people).map(|_| net.add_node(0)).collect();
        let slot: Vec<NodeId> = (0..slots).map(|_| net.add_node(0)).collect();
        let sink = net.add_node(-filled);
        for &p in &person {
            net.add_arc(source, p, 0, 1, 0).expect("arc");
            for &s in &slot {
                if random() % 3 != 0 {
                    let cost = i64::try_from(random() % 50).expect("small") - 10;
                    net.add_arc(p, s, 0, 1, cost).expect("arc");
                }
            }
        }
        for &s in &slot {
            let lower = i32::from(random() % 4 == 0);
            net.add_arc(s, sink, lower, 2, 0).expect("arc");
        }
        net
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn network_simplex_is_optimal_against_brute_force(net in small_network()) {
        let expected = brute_force(&net);
        let simplex = NetworkSimplex::default().solve(&net).expect("well-formed");
        let oracle = SuccessiveShortestPaths::default().solve(&net).expect("well-formed");
        prop_assert_eq!(simplex.as_ref().map(|s| s.cost), expected);
        prop_assert_eq!(oracle.as_ref().map(|s| s.cost), expected);
        if let Some(solution) = simplex {
            prop_assert_eq!(check_flow(&net, &solution.flow), Ok(solution.cost));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn network_simplex_agrees_with_the_oracle_on_assignment_networks(net in assignment_network()) {
        let simplex = NetworkSimplex::default().solve(&net).expect("well-formed");
        let oracle = SuccessiveShortestPaths::default().solve(&net).expect("well-formed");
        prop_assert_eq!(simplex.as_ref().map(|s| s.cost), oracle.as_ref().map(|s| s.cost));
        if let Some(solution) = simplex {
            prop_assert_eq!(check_flow(&net, &solution.flow), Ok(solution.cost));
        }
    }

    #[test]
    fn dimacs_round_trips(net in assignment_network()) {
        let text = net.to_dimacs();
        prop_assert_eq!(FlowNetwork::from_dimacs(&text).expect("parses"), net);
    }
}

#[test]
fn malformed_problems_are_typed_errors() {
    let mut net = FlowNetwork::new();
    let a = net.add_node(1);
    let b = net.add_node(0);
    assert_eq!(
        net.add_arc(a, NodeId(9), 0, 1, 0),
        Err(FlowError::UnknownNode { node: 9 })
    );
    assert!(matches!(
        net.add_arc(a, b, 2, 1, 0),
        Err(FlowError::BadBounds { .. })
    ));
    net.add_arc(a, b, 0, 1, 0).expect("valid arc");
    assert_eq!(
        NetworkSimplex::default().solve(&net),
        Err(FlowError::Unbalanced { total: 1 })
    );
    net.set_supply(b, -1).expect("node exists");
    assert_eq!(
        NetworkSimplex::default()
            .solve(&net)
            .expect("ok")
            .map(|s| s.cost),
        Some(0)
    );
    assert!(FlowNetwork::from_dimacs("p min 2 1\na 1 3 0 1 0\n").is_err());
    assert!(FlowNetwork::from_dimacs("p max 2 1\n").is_err());
    assert!(FlowNetwork::from_dimacs("p min 2 2\na 1 2 0 1 0\n").is_err());
}

#[test]
fn an_infeasible_problem_is_none() {
    let mut net = FlowNetwork::new();
    let a = net.add_node(2);
    let b = net.add_node(-2);
    net.add_arc(a, b, 0, 1, 3).expect("arc");
    assert_eq!(NetworkSimplex::default().solve(&net), Ok(None));
    assert_eq!(SuccessiveShortestPaths::default().solve(&net), Ok(None));
}

#[test]
fn costs_too_large_to_price_are_an_overflow_error() {
    let mut net = FlowNetwork::new();
    let a = net.add_node(1);
    let b = net.add_node(-1);
    net.add_arc(a, b, 0, 1, i64::MAX / 2).expect("arc");
    assert_eq!(
        NetworkSimplex::default().solve(&net),
        Err(FlowError::Overflow)
    );
}

#[test]
fn supplies_that_overflow_on_the_way_to_zero_are_an_overflow_error() {
    // They sum to zero in node order, but the supplies alone do not fit.
    let mut net = FlowNetwork::new();
    for s in [i64::MAX, -i64::MAX, i64::MAX, -i64::MAX] {
        net.add_node(s);
    }
    assert_eq!(
        NetworkSimplex::default().solve(&net),
        Err(FlowError::Overflow)
    );
}
