//! Warm starts: an optimal flow reached from a nearly optimal one.
//!
//! Replanning changes a solved network a little: a person withdraws (their
//! arcs close), a person comes back or is added (arcs open), a conflict is
//! declared (an arc closes). The previous flow, clamped to the new bounds,
//! is then a pseudo-flow: within every bound, out of balance at a few nodes,
//! and with at most a few negative cycles in its residual network (none when
//! arcs only close). Two classical steps make it optimal again (Ahuja,
//! Magnanti and Orlin, *Network Flows*, 1993, §9.6 and §9.7):
//!
//! 1. cancel negative cycles, each found by Bellman–Ford;
//! 2. successive shortest paths: while a node has excess, send it along a
//!    shortest residual path (Bellman–Ford from all excess nodes at once) to
//!    the nearest node with a deficit.
//!
//! With no negative cycle left, each augmentation along a shortest path
//! keeps none, so the final flow is optimal. After one withdrawal this is
//! one shortest-path computation instead of a whole solve.

use crate::Error;
use crate::FlowNetwork;

const NONE: usize = usize::MAX;

/// Makes `flow` (within every arc's bounds) an optimal flow of `network`.
///
/// # Returns
///
/// `Ok(true)` when the flow is now feasible and optimal, `Ok(false)` when
/// the excess cannot reach the deficits (the network is infeasible).
///
/// # Complexity
///
/// O(n · m) per negative cycle and per augmentation in the worst case
/// (Bellman–Ford), usually a few passes over the arcs each.
pub fn repair(network: &FlowNetwork, flow: &mut [i64]) -> Result<bool, Error> {
    if flow.len() != network.arc_count() {
        return Err(Error::NotAFlow {
            message: format!("{} flows for {} arcs", flow.len(), network.arc_count()),
        });
    }
    let n = network.node_count();
    let mut excess = network.supply.clone();
    for (a, &f) in flow.iter().enumerate() {
        if f < i64::from(network.lower[a]) || f > i64::from(network.upper[a]) {
            return Err(Error::NotAFlow {
                message: format!("arc {a} starts outside its bounds"),
            });
        }
        excess[network.source[a] as usize] -= f;
        excess[network.target[a] as usize] += f;
    }
    // Excess means more flow in than out plus supply: supply − out + in.
    let mut residual = Residual {
        network,
        dist: vec![0; n],
        pred: vec![NONE; n],
    };
    while let Some(cycle) = residual.negative_cycle(flow) {
        let delta = cycle
            .iter()
            .map(|&(a, forward)| residual.room(flow, a, forward))
            .min()
            .unwrap_or(0);
        if delta <= 0 {
            break;
        }
        for &(a, forward) in &cycle {
            flow[a] += if forward { delta } else { -delta };
        }
    }
    loop {
        let sources: Vec<usize> = (0..n).filter(|&u| excess[u] > 0).collect();
        if sources.is_empty() {
            return Ok(true);
        }
        residual.shortest(flow, &sources);
        let Some(end) = (0..n)
            .filter(|&u| excess[u] < 0 && residual.dist[u] < i64::MAX)
            .min_by_key(|&u| (residual.dist[u], u))
        else {
            return Ok(false);
        };
        let mut path = Vec::new();
        let mut u = end;
        while residual.pred[u] != NONE {
            let (a, forward) = decode(residual.pred[u]);
            path.push((a, forward));
            u = if forward {
                network.source[a] as usize
            } else {
                network.target[a] as usize
            };
            if path.len() > n {
                return Err(Error::NotAFlow {
                    message: "a shortest-path tree with a cycle".into(),
                });
            }
        }
        let start = u;
        let delta = path
            .iter()
            .map(|&(a, forward)| residual.room(flow, a, forward))
            .chain([excess[start], -excess[end]])
            .min()
            .unwrap_or(0);
        if delta <= 0 {
            return Ok(false);
        }
        for &(a, forward) in &path {
            flow[a] += if forward { delta } else { -delta };
        }
        excess[start] -= delta;
        excess[end] += delta;
    }
}

/// Residual arcs are encoded as `2a` (forward) and `2a + 1` (backward).
fn decode(code: usize) -> (usize, bool) {
    (code / 2, code.is_multiple_of(2))
}

/// Bellman–Ford over the residual network of a flow.
struct Residual<'n> {
    network: &'n FlowNetwork,
    dist: Vec<i64>,
    pred: Vec<usize>,
}

impl Residual<'_> {
    /// How much more the residual arc can carry.
    fn room(&self, flow: &[i64], a: usize, forward: bool) -> i64 {
        if forward {
            i64::from(self.network.upper[a]) - flow[a]
        } else {
            flow[a] - i64::from(self.network.lower[a])
        }
    }

    /// One pass over every residual arc; returns the last node improved.
    fn pass(&mut self, flow: &[i64]) -> Option<usize> {
        let net = self.network;
        let mut last = None;
        for a in 0..net.arc_count() {
            let (u, v) = (net.source[a] as usize, net.target[a] as usize);
            let c = net.cost[a];
            if self.room(flow, a, true) > 0
                && self.dist[u] < i64::MAX
                && self.dist[u] + c < self.dist[v]
            {
                self.dist[v] = self.dist[u] + c;
                self.pred[v] = 2 * a;
                last = Some(v);
            }
            if self.room(flow, a, false) > 0
                && self.dist[v] < i64::MAX
                && self.dist[v] - c < self.dist[u]
            {
                self.dist[u] = self.dist[v] - c;
                self.pred[u] = 2 * a + 1;
                last = Some(u);
            }
        }
        last
    }

    /// A negative cycle of the residual network, as (arc, forward) pairs.
    fn negative_cycle(&mut self, flow: &[i64]) -> Option<Vec<(usize, bool)>> {
        let n = self.network.node_count();
        self.dist.iter_mut().for_each(|d| *d = 0);
        self.pred.iter_mut().for_each(|p| *p = NONE);
        let mut last = None;
        for _ in 0..=n {
            last = self.pass(flow);
            last?;
        }
        // Still improving after n passes: a predecessor walk of n steps from
        // the last improved node lands on a cycle.
        let mut u = last?;
        for _ in 0..n {
            let (a, forward) = decode(self.pred[u]);
            u = self.tail(a, forward);
        }
        let mut cycle = Vec::new();
        let start = u;
        loop {
            let (a, forward) = decode(self.pred[u]);
            cycle.push((a, forward));
            u = self.tail(a, forward);
            if u == start || cycle.len() > n {
                break;
            }
        }
        Some(cycle)
    }

    /// Where a residual arc starts.
    fn tail(&self, a: usize, forward: bool) -> usize {
        if forward {
            self.network.source[a] as usize
        } else {
            self.network.target[a] as usize
        }
    }

    /// Shortest residual distances from `sources` (no negative cycle).
    fn shortest(&mut self, flow: &[i64], sources: &[usize]) {
        let n = self.network.node_count();
        self.dist.iter_mut().for_each(|d| *d = i64::MAX);
        self.pred.iter_mut().for_each(|p| *p = NONE);
        for &s in sources {
            self.dist[s] = 0;
        }
        for _ in 0..n {
            if self.pass(flow).is_none() {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MinCostFlow, NetworkSimplex, check_flow};

    #[test]
    fn closing_the_used_arc_reroutes_to_the_next_cheapest() {
        // s → a → t (cost 1) and s → b → t (cost 5).
        let mut net = FlowNetwork::new();
        let s = net.add_node(1);
        let a = net.add_node(0);
        let b = net.add_node(0);
        let t = net.add_node(-1);
        net.add_arc(s, a, 0, 1, 0).expect("arc");
        net.add_arc(a, t, 0, 1, 1).expect("arc");
        net.add_arc(s, b, 0, 1, 0).expect("arc");
        net.add_arc(b, t, 0, 1, 5).expect("arc");
        let solved = NetworkSimplex::default()
            .solve(&net)
            .expect("ok")
            .expect("feasible");
        let mut flow: Vec<i64> = solved.flow.iter().map(|&f| i64::from(f)).collect();
        assert_eq!(flow, vec![1, 1, 0, 0]);
        net.upper[1] = 0;
        flow[1] = 0;
        assert!(repair(&net, &mut flow).expect("repairs"));
        let flow32: Vec<i32> = flow
            .iter()
            .map(|&f| i32::try_from(f).expect("small"))
            .collect();
        assert_eq!(check_flow(&net, &flow32), Ok(5));
    }

    #[test]
    fn a_cheaper_arc_opened_later_is_found_by_cycle_cancelling() {
        let mut net = FlowNetwork::new();
        let s = net.add_node(1);
        let t = net.add_node(-1);
        net.add_arc(s, t, 0, 1, 5).expect("arc");
        net.add_arc(s, t, 0, 1, 2).expect("arc");
        let mut flow = vec![1, 0];
        assert!(repair(&net, &mut flow).expect("repairs"));
        assert_eq!(flow, vec![0, 1]);
    }
}
