//! Maximum flow with a minimum cut, for infeasibility certificates.

/// A maximum flow by shortest augmenting paths (Edmonds–Karp), over arcs
/// given as (from, to, capacity); returns the flow on each arc and which
/// nodes the source reaches in the final residual graph (the source side of
/// a minimum cut).
///
/// # Complexity
///
/// O(n · m²) time, O(n + m) space; used only when a round is infeasible.
pub fn max_flow(
    nodes: usize,
    arcs: &[(usize, usize, i64)],
    source: usize,
    sink: usize,
) -> (Vec<i64>, Vec<bool>) {
    let mut head = Vec::with_capacity(2 * arcs.len());
    let mut cap = Vec::with_capacity(2 * arcs.len());
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); nodes];
    for &(u, v, c) in arcs {
        out[u].push(head.len());
        head.push(v);
        cap.push(c);
        out[v].push(head.len());
        head.push(u);
        cap.push(0);
    }
    loop {
        let mut via = vec![usize::MAX; nodes];
        let mut seen = vec![false; nodes];
        seen[source] = true;
        let mut queue = std::collections::VecDeque::from([source]);
        while let Some(u) = queue.pop_front() {
            for &a in &out[u] {
                let v = head[a];
                if cap[a] > 0 && !seen[v] {
                    seen[v] = true;
                    via[v] = a;
                    queue.push_back(v);
                }
            }
        }
        if !seen[sink] {
            let flow = (0..arcs.len()).map(|e| cap[2 * e + 1]).collect();
            return (flow, seen);
        }
        let mut bottleneck = i64::MAX;
        let mut v = sink;
        while v != source {
            let a = via[v];
            bottleneck = bottleneck.min(cap[a]);
            v = head[a ^ 1];
        }
        let mut v = sink;
        while v != source {
            let a = via[v];
            cap[a] -= bottleneck;
            cap[a ^ 1] += bottleneck;
            v = head[a ^ 1];
        }
    }
}

/// Which nodes reach `sink` in the residual graph of `flow` (from
/// [`max_flow`], over the same `arcs`): the sink side of the minimum cut
/// whose sink side is smallest. Where [`max_flow`]'s source side gives the
/// largest set of blocked demands, this gives the smallest.
///
/// # Complexity
///
/// O(n + m).
pub fn reaching_sink(
    nodes: usize,
    arcs: &[(usize, usize, i64)],
    flow: &[i64],
    sink: usize,
) -> Vec<bool> {
    // Residual arcs into each node: u → v where an arc u → v has room, or
    // an arc v → u carries flow.
    let mut into: Vec<Vec<usize>> = vec![Vec::new(); nodes];
    for (&(u, v, c), &f) in arcs.iter().zip(flow) {
        if f < c {
            into[v].push(u);
        }
        if f > 0 {
            into[u].push(v);
        }
    }
    let mut reach = vec![false; nodes];
    if sink >= nodes {
        return reach;
    }
    reach[sink] = true;
    let mut stack = vec![sink];
    while let Some(v) = stack.pop() {
        for &u in &into[v] {
            if !reach[u] {
                reach[u] = true;
                stack.push(u);
            }
        }
    }
    reach
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bottleneck_is_found_and_cut() {
        // 0 -> 1 (2), 0 -> 2 (2), 1 -> 3 (1), 2 -> 3 (5)
        let arcs = [(0, 1, 2), (0, 2, 2), (1, 3, 1), (2, 3, 5)];
        let (flow, reach) = max_flow(4, &arcs, 0, 3);
        assert_eq!(flow[2] + flow[3], 3);
        assert!(reach[0] && reach[1] && !reach[3]);
    }

    #[test]
    fn the_smallest_sink_side_holds_only_what_is_short() {
        // Two demands of 1 on nodes 3 and 4; 3 is fed by 1 (cap 0), 4 by 2.
        // 0 -> 1 (1), 0 -> 2 (1), 1 -> 3 (0), 2 -> 4 (1), 3 -> 5 (1), 4 -> 5 (1)
        let arcs = [
            (0, 1, 1),
            (0, 2, 1),
            (1, 3, 0),
            (2, 4, 1),
            (3, 5, 1),
            (4, 5, 1),
        ];
        let (flow, source_side) = max_flow(6, &arcs, 0, 5);
        let sink_side = reaching_sink(6, &arcs, &flow, 5);
        assert!(sink_side[3] && !sink_side[4], "only 3 is short");
        // The source side's complement holds 3 as well, and more.
        assert!(!source_side[3]);
        for node in 0..6 {
            assert!(
                !(sink_side[node] && source_side[node]),
                "{node} on both sides"
            );
        }
    }
}
