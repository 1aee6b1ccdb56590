//! Successive shortest paths: the textbook method, kept as the test oracle.

use crate::Error;
use crate::{FlowNetwork, FlowSolution, MinCostFlow};

/// Successive shortest paths with Bellman–Ford searches (Ahuja, Magnanti
/// and Orlin, *Network Flows*, 1993, §9.7).
///
/// Simple enough to trust, and far slower than
/// [`NetworkSimplex`](crate::NetworkSimplex): it is the oracle the
/// tests compare the engine with, not the engine.
///
/// # Complexity
///
/// O(U · n · m) for total supply U.
#[derive(Clone, Copy, Debug, Default)]
pub struct SuccessiveShortestPaths {
    _private: (),
}

impl MinCostFlow for SuccessiveShortestPaths {
    fn name(&self) -> &'static str {
        "successive-shortest-paths"
    }

    fn solve(&self, network: &FlowNetwork) -> Result<Option<FlowSolution>, Error> {
        let n = network.node_count();
        let m = network.arc_count();
        // Residual graph: arc 2e forward, 2e + 1 backward, plus arcs from a
        // super source and to a super sink.
        let (src, sink) = (n, n + 1);
        let mut excess = network.supply.clone();
        for e in 0..m {
            let lower = i64::from(network.lower[e]);
            excess[network.source[e] as usize] -= lower;
            excess[network.target[e] as usize] += lower;
        }
        let total: i64 = excess.iter().sum();
        if total != 0 {
            return Err(Error::Unbalanced { total });
        }
        let mut graph = Residual::new(n + 2);
        for e in 0..m {
            let (s, t) = (network.source[e] as usize, network.target[e] as usize);
            let cap = i64::from(network.upper[e] - network.lower[e]);
            graph.add(s, t, cap, network.cost[e]);
            // Saturate negative arcs first, so that the residual graph starts
            // without negative cycles and Bellman–Ford paths are well defined.
            if network.cost[e] < 0 {
                graph.cap[2 * e] = 0;
                graph.cap[2 * e + 1] = cap;
                excess[s] -= cap;
                excess[t] += cap;
            }
        }
        let mut need = 0i64;
        for (u, &x) in excess.iter().enumerate() {
            if x > 0 {
                graph.add(src, u, x, 0);
                need += x;
            } else if x < 0 {
                graph.add(u, sink, -x, 0);
            }
        }
        let mut sent = 0i64;
        while sent < need {
            let Some((path, bottleneck)) = graph.shortest_path(src, sink)? else {
                return Ok(None);
            };
            let amount = bottleneck.min(need - sent);
            for &a in &path {
                graph.cap[a] -= amount;
                graph.cap[a ^ 1] += amount;
            }
            sent += amount;
        }
        let flow: Vec<i32> = (0..m)
            .map(|e| {
                let used = graph.cap[2 * e + 1] + i64::from(network.lower[e]);
                i32::try_from(used).map_err(|_| Error::Overflow)
            })
            .collect::<Result<_, _>>()?;
        let cost = crate::check_flow(network, &flow)?;
        Ok(Some(FlowSolution { flow, cost }))
    }
}

struct Residual {
    head: Vec<usize>,
    to: Vec<usize>,
    cap: Vec<i64>,
    cost: Vec<i64>,
    out: Vec<Vec<usize>>,
}

impl Residual {
    fn new(nodes: usize) -> Residual {
        Residual {
            head: Vec::new(),
            to: Vec::new(),
            cap: Vec::new(),
            cost: Vec::new(),
            out: vec![Vec::new(); nodes],
        }
    }

    fn add(&mut self, u: usize, v: usize, cap: i64, cost: i64) {
        for (a, b, c, k) in [(u, v, cap, cost), (v, u, 0, -cost)] {
            self.out[a].push(self.to.len());
            self.head.push(a);
            self.to.push(b);
            self.cap.push(c);
            self.cost.push(k);
        }
    }

    /// A cheapest path with residual capacity, by Bellman–Ford (the residual
    /// graph has no negative cycle while the flow is cost-optimal for its
    /// value).
    fn shortest_path(&self, src: usize, sink: usize) -> Result<Option<(Vec<usize>, i64)>, Error> {
        let n = self.out.len();
        let mut dist = vec![i64::MAX; n];
        let mut via = vec![usize::MAX; n];
        dist[src] = 0;
        for _ in 0..n {
            let mut changed = false;
            for a in 0..self.to.len() {
                let u = self.head[a];
                if self.cap[a] > 0 && dist[u] != i64::MAX {
                    let d = dist[u].checked_add(self.cost[a]).ok_or(Error::Overflow)?;
                    if d < dist[self.to[a]] {
                        dist[self.to[a]] = d;
                        via[self.to[a]] = a;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        if dist[sink] == i64::MAX {
            return Ok(None);
        }
        let mut path = Vec::new();
        let mut bottleneck = i64::MAX;
        let mut v = sink;
        while v != src {
            let a = via[v];
            path.push(a);
            bottleneck = bottleneck.min(self.cap[a]);
            v = self.head[a];
        }
        Ok(Some((path, bottleneck)))
    }
}
