//! Dependent rounding of a fractional flow to an integral one with the same
//! expectation on every arc.
//!
//! The method is the dependent rounding of Gandhi, Khuller, Parthasarathy
//! and Srinivasan ("Dependent rounding and its applications to
//! approximation algorithms", J. ACM 2006), run on the whole flow network
//! as Jecmen, Zhang, Liu, Shah, Conitzer and Fang do for reviewer
//! assignment ("Mitigating manipulation in peer review via randomized
//! reviewer assignments", `NeurIPS` 2020). Flows are integers in units of
//! `1/scale`; an arc is *fractional* when its flow is not a multiple of
//! `scale`. Every supply is a multiple of `scale`, so a node never has
//! exactly one fractional arc: the fractional arcs always hold a cycle
//! (taken without regard to direction). Shifting flow around it keeps every
//! node in balance; shifting by `+α` with probability `β / (α + β)` or by
//! `−β` with probability `α / (α + β)`, where α and β are the largest
//! shifts that keep each arc of the cycle between the multiples of `scale`
//! on either side of its flow, changes no arc's expectation and makes at
//! least one arc integral. When none is left, every arc carries a whole
//! number of units, within its original bounds' multiples.
//!
//! Because the rounding runs on the staffing network itself, everything the
//! network enforces holds in every draw: each person at most once, every
//! slot's count, the per-origin gates (Jecmen's partition constraints), and
//! the (person, team) pair arcs that carry the randomized mode's caps.

use rand::RngCore;

use crate::Error;
use crate::flow::FlowNetwork;

const NONE: usize = usize::MAX;

/// An integral flow drawn from `flow` (in units of `1/scale`) whose
/// expectation equals `flow` on every arc.
///
/// # Arguments
///
/// * `network`: the arcs (only their endpoints are read).
/// * `flow`: a flow in units of `1/scale` that balances at every node with
///   supplies that are multiples of `scale`.
/// * `scale`: the denominator.
/// * `rng`: the source of randomness; the same generator state gives the
///   same result on every machine.
///
/// # Returns
///
/// The rounded flow, every value a multiple of `scale`, each between the
/// multiples of `scale` on either side of its input.
///
/// # Complexity
///
/// O(m) to set up, then one walk over the fractional arcs that closes a
/// cycle at each step; each step makes an arc integral, so O(m · L) time
/// for cycles of length L, O(n + m) space.
#[expect(
    clippy::too_many_lines,
    clippy::many_single_char_names,
    reason = "one walk, with the usual names of graph algorithms"
)]
pub(crate) fn round_flow(
    network: &FlowNetwork,
    flow: &[i64],
    scale: i64,
    rng: &mut impl RngCore,
) -> Result<Vec<i64>, Error> {
    let broken = |message: &str| Error::Plan {
        message: format!("dependent rounding: {message}"),
    };
    if scale <= 0 || flow.len() != network.arc_count() {
        return Err(broken("the flow does not fit the network"));
    }
    let mut flow = flow.to_vec();
    let n = network.node_count();
    let fractional = |f: i64| f.rem_euclid(scale) != 0;
    // Incident fractional arcs of every node (compressed rows).
    let mut degree = vec![0usize; n + 1];
    for (a, &f) in flow.iter().enumerate() {
        if fractional(f) {
            degree[network.sources()[a] as usize] += 1;
            degree[network.targets()[a] as usize] += 1;
        }
    }
    let mut start = vec![0usize; n + 1];
    for u in 0..n {
        start[u + 1] = start[u] + degree[u];
    }
    let mut fill = start.clone();
    let mut incident = vec![0u32; start[n]];
    for (a, &f) in flow.iter().enumerate() {
        if fractional(f) {
            for u in [network.sources()[a], network.targets()[a]] {
                incident[fill[u as usize]] =
                    u32::try_from(a).map_err(|_| broken("too many arcs"))?;
                fill[u as usize] += 1;
            }
        }
    }
    let mut cursor = start.clone();
    // The walk: nodes, and the arc that entered each (NONE for the first).
    let mut nodes: Vec<usize> = Vec::new();
    let mut entered: Vec<usize> = Vec::new();
    let mut on_walk = vec![NONE; n];
    let mut next_start = 0usize;
    loop {
        if nodes.is_empty() {
            while next_start < flow.len() && !fractional(flow[next_start]) {
                next_start += 1;
            }
            if next_start == flow.len() {
                return Ok(flow);
            }
            let u = network.sources()[next_start] as usize;
            nodes.push(u);
            entered.push(NONE);
            on_walk[u] = 0;
        }
        let top = nodes.len() - 1;
        let u = nodes[top];
        let came = entered[top];
        // The next fractional arc at u other than the one we came by.
        let mut next = NONE;
        let mut i = cursor[u];
        while i < start[u + 1] {
            let a = incident[i] as usize;
            if !fractional(flow[a]) {
                if i == cursor[u] {
                    cursor[u] += 1;
                }
            } else if a != came {
                next = a;
                break;
            }
            i += 1;
        }
        if next == NONE {
            if top == 0 {
                // A start node whose arcs the last cycle made integral.
                on_walk[u] = NONE;
                nodes.clear();
                entered.clear();
                continue;
            }
            return Err(broken(
                "a node has a single fractional arc: supplies are not whole",
            ));
        }
        let v = if network.sources()[next] as usize == u {
            network.targets()[next] as usize
        } else {
            network.sources()[next] as usize
        };
        if on_walk[v] == NONE {
            on_walk[v] = nodes.len();
            nodes.push(v);
            entered.push(next);
            continue;
        }
        // A cycle: from v (on the walk) along the walk to u, then `next`.
        let from = on_walk[v];
        let mut cycle: Vec<(usize, i64)> = Vec::with_capacity(nodes.len() - from);
        for k in from + 1..nodes.len() {
            let a = entered[k];
            let dir = if network.sources()[a] as usize == nodes[k - 1] {
                1
            } else {
                -1
            };
            cycle.push((a, dir));
        }
        let dir = if network.sources()[next] as usize == u {
            1
        } else {
            -1
        };
        cycle.push((next, dir));
        shift(&mut flow, &cycle, scale, rng);
        for &w in &nodes[from + 1..] {
            on_walk[w] = NONE;
        }
        nodes.truncate(from + 1);
        entered.truncate(from + 1);
    }
}

/// Shifts flow around `cycle` (arcs with their direction of travel) by `+α`
/// or `−β` with the probabilities that keep every expectation.
fn shift(flow: &mut [i64], cycle: &[(usize, i64)], scale: i64, rng: &mut impl RngCore) {
    let (mut alpha, mut beta) = (i64::MAX, i64::MAX);
    for &(a, dir) in cycle {
        let low = flow[a].div_euclid(scale) * scale;
        let (up, down) = (low + scale - flow[a], flow[a] - low);
        let (plus, minus) = if dir > 0 { (up, down) } else { (down, up) };
        alpha = alpha.min(plus);
        beta = beta.min(minus);
    }
    let total = u64::try_from(alpha + beta).unwrap_or(1);
    let step = if below(rng, total) < u64::try_from(beta).unwrap_or(0) {
        alpha
    } else {
        -beta
    };
    for &(a, dir) in cycle {
        flow[a] += dir * step;
    }
}

/// A uniform number in `0..n` (`n > 0`), by rejection on 64-bit words, so
/// that the draw does not depend on any library's sampling algorithm.
pub(crate) fn below(rng: &mut impl RngCore, n: u64) -> u64 {
    let n = n.max(1);
    let zone = u64::MAX - (u64::MAX - n + 1) % n;
    loop {
        let x = rng.next_u64();
        if x <= zone {
            return x % n;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    #[test]
    fn a_half_and_half_square_rounds_to_one_side_with_the_same_mean() {
        // Two people, two slots, each person half on each slot.
        let mut net = FlowNetwork::new();
        let s = net.add_node(2);
        let p: Vec<_> = (0..2).map(|_| net.add_node(0)).collect();
        let q: Vec<_> = (0..2).map(|_| net.add_node(0)).collect();
        let t = net.add_node(-2);
        let mut flow = Vec::new();
        for &pi in &p {
            net.add_arc(s, pi, 0, 1, 0).expect("arc");
            flow.push(10);
        }
        for &pi in &p {
            for &qi in &q {
                net.add_arc(pi, qi, 0, 1, 0).expect("arc");
                flow.push(5);
            }
        }
        for &qi in &q {
            net.add_arc(qi, t, 1, 1, 0).expect("arc");
            flow.push(10);
        }
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let mut first = 0;
        for _ in 0..2_000 {
            let out = round_flow(&net, &flow, 10, &mut rng).expect("rounds");
            assert!(out.iter().all(|f| f % 10 == 0));
            assert_eq!(out[2] + out[3], 10, "person 0 is placed once");
            assert_eq!(out[2] + out[4], 10, "slot 0 is filled once");
            first += out[2] / 10;
        }
        assert!((850..1150).contains(&first), "{first}");
    }

    #[test]
    fn below_is_uniform_on_small_ranges() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let mut counts = [0u32; 3];
        for _ in 0..3_000 {
            counts[usize::try_from(below(&mut rng, 3)).expect("small")] += 1;
        }
        assert!(
            counts.iter().all(|&c| (900..1100).contains(&c)),
            "{counts:?}"
        );
    }
}
