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
}
