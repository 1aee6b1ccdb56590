//! The primal network simplex method with block-search pivoting.
//!
//! The algorithm follows Kovács, "Minimum-cost flow algorithms: an
//! experimental evaluation" (Optimization Methods and Software, 2015), whose
//! fastest code is the network simplex of the LEMON library: a spanning
//! tree kept as parent, thread, reverse thread, subtree sizes and last
//! successors, an artificial root joined to every node, and the block
//! search pivot rule (scan blocks of about √m arcs, enter the most violating
//! arc of the first block that has one).

mod tree;

use crate::Error;
use crate::{FlowNetwork, FlowSolution, MinCostFlow};

const STATE_UPPER: i8 = -1;
const STATE_TREE: i8 = 0;
const STATE_LOWER: i8 = 1;
const DIR_UP: i8 = 1;
const DIR_DOWN: i8 = -1;
/// Capacity of the artificial arcs: more than any flow can reach.
const INF: i64 = i64::MAX / 4;

/// The network simplex solver (see the module docs).
///
/// # Complexity
///
/// Exponential in the worst case, like every primal simplex, and in
/// practice the fastest known method on assignment-like networks. Memory:
/// 8 vectors over the arcs (45 bytes an arc with the network's own 28 shared)
/// and 9 over the nodes.
#[derive(Clone, Copy, Debug, Default)]
pub struct NetworkSimplex {
    _private: (),
}

impl MinCostFlow for NetworkSimplex {
    fn name(&self) -> &'static str {
        "network-simplex"
    }

    fn solve(&self, network: &FlowNetwork) -> Result<Option<FlowSolution>, Error> {
        let mut state = Simplex::new(network)?;
        if !state.run()? {
            return Ok(None);
        }
        let mut total: i128 = 0;
        let mut flow = Vec::with_capacity(network.arc_count());
        let arcs = state.position.iter().zip(&network.lower).zip(&network.cost);
        for ((&position, &lower), &cost) in arcs {
            let f = state.flow[position as usize] + i64::from(lower);
            total += i128::from(f) * i128::from(cost);
            flow.push(i32::try_from(f).map_err(|_| Error::Overflow)?);
        }
        let cost = i64::try_from(total).map_err(|_| Error::Overflow)?;
        Ok(Some(FlowSolution { flow, cost }))
    }
}

/// The working state of one solve.
struct Simplex {
    /// Where each of the network's arcs sits in the mixed order.
    position: Vec<u32>,
    node_num: usize,
    arc_num: usize,
    /// Ends and cost of every arc, in the mixed order, artificial arcs last.
    arcs: Vec<ArcEnds>,
    cap: Vec<i64>,
    flow: Vec<i64>,
    state: Vec<i8>,
    pi: Vec<i64>,
    parent: Vec<usize>,
    pred: Vec<usize>,
    thread: Vec<usize>,
    rev_thread: Vec<usize>,
    succ_num: Vec<usize>,
    last_succ: Vec<usize>,
    pred_dir: Vec<i8>,
    dirty_revs: Vec<usize>,
    in_arc: usize,
    join: usize,
    u_in: usize,
    v_in: usize,
    u_out: usize,
    delta: i64,
    block_size: usize,
    next_arc: usize,
}

const NONE: usize = usize::MAX;

/// An arc's ends and cost, kept together: the pivot search reads all three.
#[derive(Clone, Copy, Debug, Default)]
struct ArcEnds {
    cost: i64,
    source: u32,
    target: u32,
}

impl Simplex {
    fn new(network: &FlowNetwork) -> Result<Simplex, Error> {
        let n = network.node_count();
        let m = network.arc_count();
        let all = m + n;
        // LEMON numbers nodes and arcs from the last to the first (the
        // order in which its graphs list them); the pivots follow that
        // order, and on the staffing networks it takes about 6 % fewer
        // instructions than the forward order (callgrind).
        let last = node_id(n.saturating_sub(1))?;
        let node = |u: u32| last - u;
        let mut supply: Vec<i64> = network.supply.iter().rev().copied().collect();
        // Room for the artificial arcs too, pushed after the real ones.
        // The arc-sized vectors come from the thread's workspace: a solve
        // then touches pages the last one used instead of mapping fresh
        // ones (docs/performance.md, "xuncha-flow").
        let ws = Workspace::take();
        let mut arcs = refill(ws.arcs, m, all, ArcEnds::default());
        let mut cap = refill(ws.cap, m, all, 0);
        let mut position = refill(ws.position, m, m, 0u32);
        let mut max_cost: i64 = 0;
        // LEMON's arc mixing: arcs laid out with a stride, so that each
        // block of the pivot search sees arcs from all over the network.
        let skip = if n > 1 { (m / n).max(3) } else { 1 };
        let (mut slot, mut lap) = (0usize, 0usize);
        for (e, place) in position.iter_mut().enumerate().rev() {
            let (source, target) = (node(network.source[e]), node(network.target[e]));
            let (from, to) = (source as usize, target as usize);
            let lower = i64::from(network.lower[e]);
            *place = u32::try_from(slot).map_err(|_| Error::Overflow)?;
            arcs[slot] = ArcEnds {
                cost: network.cost[e],
                source,
                target,
            };
            cap[slot] = i64::from(network.upper[e]) - lower;
            slot += skip;
            if slot >= m {
                lap += 1;
                slot = lap;
            }
            max_cost = max_cost.max(network.cost[e].checked_abs().ok_or(Error::Overflow)?);
            // Lower bounds move into the supplies.
            supply[from] = supply[from].checked_sub(lower).ok_or(Error::Overflow)?;
            supply[to] = supply[to].checked_add(lower).ok_or(Error::Overflow)?;
        }
        let total: i64 = supply
            .iter()
            .try_fold(0i64, |acc, &s| acc.checked_add(s))
            .ok_or(Error::Overflow)?;
        if total != 0 {
            return Err(Error::Unbalanced { total });
        }
        let node_count = i64::try_from(n + 1).map_err(|_| Error::Overflow)?;
        let art_cost = max_cost
            .checked_add(1)
            .and_then(|c| c.checked_mul(node_count))
            .ok_or(Error::Overflow)?;
        // Potentials stay within (n + 1) artificial costs; keep headroom.
        art_cost.checked_mul(node_count).ok_or(Error::Overflow)?;

        let mut s = Simplex {
            position,
            node_num: n,
            arc_num: m,
            arcs,
            cap,
            flow: refill(ws.flow, all, all, 0),
            state: refill(ws.state, all, all, STATE_LOWER),
            // A power of two long, so that the pivot search can index it
            // through a mask, which the compiler sees is in bounds.
            pi: vec![0; (n + 1).next_power_of_two()],
            parent: vec![NONE; n + 1],
            pred: vec![NONE; n + 1],
            thread: vec![0; n + 1],
            rev_thread: vec![0; n + 1],
            succ_num: vec![1; n + 1],
            last_succ: vec![0; n + 1],
            pred_dir: vec![DIR_UP; n + 1],
            dirty_revs: Vec::new(),
            in_arc: 0,
            join: 0,
            u_in: 0,
            v_in: 0,
            u_out: 0,
            delta: 0,
            block_size: block_size(m),
            next_arc: 0,
        };
        s.init_tree(&supply, art_cost)?;
        s.initial_pivots(&supply)?;
        Ok(s)
    }

    /// The starting tree: every node hangs from the artificial root by an
    /// artificial arc carrying its supply (LEMON's initial basis).
    fn init_tree(&mut self, supply: &[i64], art_cost: i64) -> Result<(), Error> {
        let n = self.node_num;
        let arcs = self.arc_num;
        let root = n;
        let s = self;
        s.parent[root] = NONE;
        s.pred[root] = NONE;
        s.thread[root] = 0;
        s.rev_thread[0] = root;
        s.succ_num[root] = n + 1;
        s.last_succ[root] = if n == 0 { root } else { root - 1 };
        for (u, &node_supply) in supply.iter().enumerate() {
            let e = arcs + u;
            s.parent[u] = root;
            s.pred[u] = e;
            s.thread[u] = u + 1;
            s.rev_thread[u + 1] = u;
            s.succ_num[u] = 1;
            s.last_succ[u] = u;
            s.cap.push(INF);
            s.state[e] = STATE_TREE;
            if node_supply >= 0 {
                s.pred_dir[u] = DIR_UP;
                s.pi[u] = 0;
                s.arcs.push(ArcEnds {
                    cost: 0,
                    source: node_id(u)?,
                    target: node_id(root)?,
                });
                s.flow[e] = node_supply;
            } else {
                s.pred_dir[u] = DIR_DOWN;
                s.pi[u] = art_cost;
                s.arcs.push(ArcEnds {
                    cost: art_cost,
                    source: node_id(root)?,
                    target: node_id(u)?,
                });
                s.flow[e] = -node_supply;
            }
        }
        if n == 0 {
            s.thread[root] = root;
            s.rev_thread[root] = root;
        }
        Ok(())
    }

    /// LEMON's heuristic initial pivots: before the pivot rule takes over,
    /// enter arcs likely to be in the optimal tree. With one supply and one
    /// demand node, the arcs of a reverse search from the demand node over
    /// arcs that can carry the whole supply; otherwise the cheapest arc into
    /// each demand node. Arcs whose reduced cost is no longer negative
    /// when their turn comes are skipped.
    fn initial_pivots(&mut self, supply: &[i64]) -> Result<(), Error> {
        let (mut total, mut supplies, mut demands) = (0i64, 0usize, 0usize);
        let (mut from, mut to) = (NONE, NONE);
        for (u, &s) in supply.iter().enumerate() {
            if s > 0 {
                // Supplies that sum to zero may still overflow on the way.
                total = total.checked_add(s).ok_or(Error::Overflow)?;
                supplies += 1;
                from = u;
            } else if s < 0 {
                demands += 1;
                to = u;
            }
        }
        if total <= 0 {
            return Ok(());
        }
        let candidates = if supplies == 1 && demands == 1 {
            self.reverse_search(from, to, total)
        } else {
            // Among equally cheap arcs the last given, as LEMON's graphs
            // list a node's arcs newest first.
            let mut cheapest = vec![NONE; self.node_num];
            for &slot in &self.position {
                let e = slot as usize;
                let v = self.arcs[e].target as usize;
                if supply[v] < 0
                    && (cheapest[v] == NONE || self.arcs[e].cost <= self.arcs[cheapest[v]].cost)
                {
                    cheapest[v] = e;
                }
            }
            supply
                .iter()
                .zip(cheapest)
                .filter(|&(&s, e)| s < 0 && e != NONE)
                .map(|(_, e)| e)
                .collect()
        };
        for e in candidates {
            let (from, to) = (self.arcs[e].source as usize, self.arcs[e].target as usize);
            if i64::from(self.state[e]) * (self.arcs[e].cost + self.pi[from] - self.pi[to]) >= 0 {
                continue;
            }
            self.in_arc = e;
            self.pivot()?;
        }
        Ok(())
    }

    /// The arcs of a depth-first search backwards from `to` over arcs whose
    /// capacity is at least `total`, stopping when it reaches `from`.
    fn reverse_search(&self, from: usize, to: usize, total: i64) -> Vec<usize> {
        // The arcs into each node, grouped by their head, newest first as
        // LEMON lists them: counted, summed to each group's end, then
        // placed from the end backwards in the order given, after which
        // `at[v]..at[v + 1]` holds the arcs into `v`.
        let mut at = vec![0usize; self.node_num + 1];
        for arc in &self.arcs[..self.arc_num] {
            at[arc.target as usize] += 1;
        }
        for v in 1..=self.node_num {
            at[v] += at[v - 1];
        }
        let mut into = vec![0usize; self.arc_num];
        for &slot in &self.position {
            let v = self.arcs[slot as usize].target as usize;
            at[v] -= 1;
            into[at[v]] = slot as usize;
        }
        let mut reached = vec![false; self.node_num];
        let mut found = Vec::new();
        let mut stack = vec![to];
        reached[to] = true;
        while let Some(v) = stack.pop() {
            if v == from {
                break;
            }
            for &e in &into[at[v]..at[v + 1]] {
                let u = self.arcs[e].source as usize;
                if !reached[u] && self.cap[e] >= total {
                    found.push(e);
                    reached[u] = true;
                    stack.push(u);
                }
            }
        }
        found
    }

    /// One pivot on `in_arc`.
    fn pivot(&mut self) -> Result<(), Error> {
        self.find_join_node();
        let change = self.find_leaving_arc();
        if self.delta >= INF {
            // Only artificial arcs are uncapacitated, and they never
            // enter: an unbounded cycle cannot arise.
            return Err(Error::Overflow);
        }
        self.change_flow(change);
        if change {
            self.update_tree_structure();
            self.update_potential();
        }
        Ok(())
    }

    /// Runs the simplex; `false` if the problem is infeasible.
    fn run(&mut self) -> Result<bool, Error> {
        while self.find_entering_arc() {
            self.pivot()?;
        }
        Ok((self.arc_num..self.arc_num + self.node_num).all(|e| self.flow[e] == 0))
    }

    /// Block search: the most violating arc of the first block that has one,
    /// scanning on from where the last search stopped.
    fn find_entering_arc(&mut self) -> bool {
        let (mut min, mut found) = (0i64, NONE);
        let m = self.arc_num;
        let mut e = self.next_arc;
        let mut scanned = 0;
        while scanned < m {
            // One block of `block_size` arcs from `e`, wrapping past the
            // last arc to the first.
            let len = self.block_size.min(m - scanned);
            let end = (e + len).min(m);
            self.scan(e..end, &mut min, &mut found);
            let last = if end - e < len {
                let rest = len - (end - e);
                self.scan(0..rest, &mut min, &mut found);
                rest - 1
            } else {
                end - 1
            };
            scanned += len;
            if min < 0 && scanned < m {
                // As LEMON: the next search starts at the block's last arc.
                self.next_arc = last;
                self.in_arc = found;
                return true;
            }
            e = if last + 1 == m { 0 } else { last + 1 };
        }
        if min < 0 {
            self.in_arc = found;
            return true;
        }
        false
    }

    /// The most violating arc of `range` if it beats `min`.
    fn scan(&self, range: std::ops::Range<usize>, min: &mut i64, found: &mut usize) {
        let mask = self.pi.len() - 1;
        let pi = &self.pi[..=mask];
        // Zipped slices: one bounds check per block, not three per arc.
        let arcs = self.state[range.clone()]
            .iter()
            .zip(&self.arcs[range.clone()]);
        for (e, (&state, arc)) in range.zip(arcs) {
            let c = i64::from(state)
                * (arc.cost + pi[arc.source as usize & mask] - pi[arc.target as usize & mask]);
            if c < *min {
                // Rare past the first few arcs of a block: a branch, not a
                // chain of conditional moves that every arc would wait on.
                (*min, *found) = new_minimum(c, e);
            }
        }
    }

    fn find_join_node(&mut self) {
        let in_source = self.arcs[self.in_arc].source as usize;
        let in_target = self.arcs[self.in_arc].target as usize;
        // Every tree array sliced to the same length: one bounds check
        // on a node then serves all of them.
        let n1 = self.node_num + 1;
        let parent = &mut self.parent[..n1];
        let succ_num = &mut self.succ_num[..n1];
        let mut u = in_source;
        let mut v = in_target;
        while u != v {
            if succ_num[u] < succ_num[v] {
                u = parent[u];
            } else {
                v = parent[v];
            }
        }
        self.join = u;
    }

    fn find_leaving_arc(&mut self) -> bool {
        let in_arc = self.in_arc;
        let (s, t) = (
            self.arcs[in_arc].source as usize,
            self.arcs[in_arc].target as usize,
        );
        let (first, second) = if self.state[in_arc] == STATE_LOWER {
            (s, t)
        } else {
            (t, s)
        };
        let join = self.join;
        // The tree arrays sliced to one length and the arc arrays to
        // another: one bounds check on a node or an arc serves them all.
        let n1 = self.node_num + 1;
        let all = self.arc_num + self.node_num;
        let (parent, pred, pred_dir) = (&self.parent[..n1], &self.pred[..n1], &self.pred_dir[..n1]);
        let (flow, cap) = (&self.flow[..all], &self.cap[..all]);
        // What the arc above `u` can still carry around the cycle.
        let residual = |u: usize, toward_join_dir: i8| {
            let e = pred[u];
            if pred_dir[u] == toward_join_dir {
                flow[e]
            } else if cap[e] >= INF {
                INF
            } else {
                cap[e] - flow[e]
            }
        };
        let mut delta = cap[in_arc];
        let mut u_out = self.u_out;
        let mut result = 0;
        let mut u = first;
        while u != join {
            let d = residual(u, DIR_UP);
            if d < delta {
                delta = d;
                u_out = u;
                result = 1;
            }
            u = parent[u];
        }
        let mut u = second;
        while u != join {
            let d = residual(u, DIR_DOWN);
            if d <= delta {
                delta = d;
                u_out = u;
                result = 2;
            }
            u = parent[u];
        }
        self.delta = delta;
        self.u_out = u_out;
        if result == 1 {
            self.u_in = first;
            self.v_in = second;
        } else {
            self.u_in = second;
            self.v_in = first;
        }
        result != 0
    }
}

/// A new most violating arc in the pricing scan: a cold call, so that the
/// compiler keeps the test a branch (`std::hint::cold_path` would say it
/// directly, from Rust 1.95 on).
#[cold]
#[inline(never)]
fn new_minimum(c: i64, e: usize) -> (i64, usize) {
    (c, e)
}

/// `len` zeros in a vector with room for `capacity`.
/// `v` emptied and filled with `len` copies of `value`, with room for
/// `capacity`: its allocation reused when it is large enough.
fn refill<T: Clone>(mut v: Vec<T>, len: usize, capacity: usize, value: T) -> Vec<T> {
    v.clear();
    v.reserve(capacity);
    v.resize(len, value);
    v
}

/// The arc-sized working vectors of a solve, kept per thread between
/// solves (up to [`KEEP_BYTES`]), so that a solve reuses the memory of the
/// last one instead of asking the allocator for fresh pages each time.
#[derive(Default)]
struct Workspace {
    position: Vec<u32>,
    arcs: Vec<ArcEnds>,
    cap: Vec<i64>,
    flow: Vec<i64>,
    state: Vec<i8>,
}

/// The most a thread keeps between solves: the vectors of a network of
/// about two million arcs.
const KEEP_BYTES: usize = 64 << 20;

thread_local! {
    static WORKSPACE: std::cell::RefCell<Workspace> = std::cell::RefCell::default();
}

impl Workspace {
    /// The thread's workspace (empty vectors when there is none).
    fn take() -> Workspace {
        WORKSPACE
            .try_with(|w| w.try_borrow_mut().map(|mut w| std::mem::take(&mut *w)).ok())
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    /// Keeps the workspace for the thread's next solve, unless it is larger
    /// than [`KEEP_BYTES`].
    fn keep(self) {
        let bytes = self.position.capacity() * std::mem::size_of::<u32>()
            + self.arcs.capacity() * std::mem::size_of::<ArcEnds>()
            + (self.cap.capacity() + self.flow.capacity()) * std::mem::size_of::<i64>()
            + self.state.capacity();
        if bytes <= KEEP_BYTES {
            let _ = WORKSPACE.try_with(|w| {
                if let Ok(mut w) = w.try_borrow_mut() {
                    *w = self;
                }
            });
        }
    }
}

impl Drop for Simplex {
    fn drop(&mut self) {
        Workspace {
            position: std::mem::take(&mut self.position),
            arcs: std::mem::take(&mut self.arcs),
            cap: std::mem::take(&mut self.cap),
            flow: std::mem::take(&mut self.flow),
            state: std::mem::take(&mut self.state),
        }
        .keep();
    }
}

fn node_id(u: usize) -> Result<u32, Error> {
    u32::try_from(u).map_err(|_| Error::Overflow)
}

/// LEMON's block size: ⌊√m⌋, at least 10.
fn block_size(arcs: usize) -> usize {
    let mut root = 1usize;
    while (root + 1) * (root + 1) <= arcs {
        root += 1;
    }
    root.max(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_size_is_the_floor_of_the_square_root_at_least_ten() {
        assert_eq!(block_size(0), 10);
        assert_eq!(block_size(10_000), 100);
        assert_eq!(block_size(10_001), 100);
        assert_eq!(block_size(10_200), 100);
        assert_eq!(block_size(10_201), 101);
    }
}
