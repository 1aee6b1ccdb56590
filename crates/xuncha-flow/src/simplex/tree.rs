//! The spanning tree after a pivot: the flow moved round the cycle, the
//! tree's threads, parents and subtree sizes relinked (LEMON's
//! `updateTreeStructure`), and the potentials of the moved subtree.

use super::{DIR_DOWN, DIR_UP, NONE, STATE_LOWER, STATE_TREE, STATE_UPPER, Simplex};

impl Simplex {
    pub(super) fn change_flow(&mut self, change: bool) {
        let in_arc = self.in_arc;
        let join = self.join;
        let delta = self.delta;
        let u_out = self.u_out;
        let in_source = self.arcs[self.in_arc].source as usize;
        let in_target = self.arcs[self.in_arc].target as usize;
        // Every tree array sliced to the same length: one bounds check
        // on a node then serves all of them.
        let n1 = self.node_num + 1;
        let parent = &mut self.parent[..n1];
        let pred = &mut self.pred[..n1];
        let pred_dir = &mut self.pred_dir[..n1];
        let all = self.arc_num + self.node_num;
        let flow = &mut self.flow[..all];
        let state = &mut self.state[..all];
        if delta > 0 {
            let val = i64::from(state[in_arc]) * delta;
            flow[in_arc] += val;
            let mut u = in_source;
            while u != join {
                let e = pred[u];
                flow[e] -= i64::from(pred_dir[u]) * val;
                u = parent[u];
            }
            let mut u = in_target;
            while u != join {
                let e = pred[u];
                flow[e] += i64::from(pred_dir[u]) * val;
                u = parent[u];
            }
        }
        if change {
            state[in_arc] = STATE_TREE;
            let out = pred[u_out];
            state[out] = if flow[out] == 0 {
                STATE_LOWER
            } else {
                STATE_UPPER
            };
        } else {
            state[in_arc] = -state[in_arc];
        }
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one tree update, kept whole as in the reference"
    )]
    pub(super) fn update_tree_structure(&mut self) {
        let in_arc = self.in_arc;
        let join = self.join;
        let in_source = self.arcs[self.in_arc].source as usize;
        // Every tree array sliced to the same length: one bounds check
        // on a node then serves all of them.
        let n1 = self.node_num + 1;
        let parent = &mut self.parent[..n1];
        let pred = &mut self.pred[..n1];
        let thread = &mut self.thread[..n1];
        let rev_thread = &mut self.rev_thread[..n1];
        let succ_num = &mut self.succ_num[..n1];
        let last_succ = &mut self.last_succ[..n1];
        let pred_dir = &mut self.pred_dir[..n1];
        let dirty_revs = &mut self.dirty_revs;
        let u_in = self.u_in;
        let v_in = self.v_in;
        let u_out = self.u_out;
        let old_rev_thread = rev_thread[u_out];
        let old_succ_num = succ_num[u_out];
        let old_last_succ = last_succ[u_out];
        let v_out = parent[u_out];

        if u_in == u_out {
            parent[u_in] = v_in;
            pred[u_in] = in_arc;
            pred_dir[u_in] = if u_in == in_source { DIR_UP } else { DIR_DOWN };
            if thread[v_in] != u_out {
                let mut after = thread[old_last_succ];
                thread[old_rev_thread] = after;
                rev_thread[after] = old_rev_thread;
                after = thread[v_in];
                thread[v_in] = u_out;
                rev_thread[u_out] = v_in;
                thread[old_last_succ] = after;
                rev_thread[after] = old_last_succ;
            }
        } else {
            let thread_continue = if old_rev_thread == v_in {
                thread[old_last_succ]
            } else {
                thread[v_in]
            };
            let mut stem = u_in;
            let mut par_stem = v_in;
            let mut last = last_succ[u_in];
            let mut after = thread[last];
            thread[v_in] = u_in;
            dirty_revs.clear();
            dirty_revs.push(v_in);
            while stem != u_out {
                let next_stem = parent[stem];
                thread[last] = next_stem;
                dirty_revs.push(last);
                let before = rev_thread[stem];
                thread[before] = after;
                rev_thread[after] = before;
                parent[stem] = par_stem;
                par_stem = stem;
                stem = next_stem;
                last = if last_succ[stem] == last_succ[par_stem] {
                    rev_thread[par_stem]
                } else {
                    last_succ[stem]
                };
                after = thread[last];
            }
            parent[u_out] = par_stem;
            thread[last] = thread_continue;
            rev_thread[thread_continue] = last;
            last_succ[u_out] = last;
            if old_rev_thread != v_in {
                thread[old_rev_thread] = after;
                rev_thread[after] = old_rev_thread;
            }
            for &u in dirty_revs.iter() {
                let t = thread[u];
                rev_thread[t] = u;
            }
            let mut tmp_sc = 0usize;
            let tmp_ls = last_succ[u_out];
            let mut u = u_out;
            let mut p = parent[u];
            while u != u_in {
                pred[u] = pred[p];
                pred_dir[u] = -pred_dir[p];
                tmp_sc += succ_num[u] - succ_num[p];
                succ_num[u] = tmp_sc;
                last_succ[p] = tmp_ls;
                u = p;
                p = parent[u];
            }
            pred[u_in] = in_arc;
            pred_dir[u_in] = if u_in == in_source { DIR_UP } else { DIR_DOWN };
            succ_num[u_in] = old_succ_num;
        }

        let up_limit_out = if last_succ[join] == v_in { join } else { NONE };
        let last_succ_out = last_succ[u_out];
        let mut u = v_in;
        while u != NONE && last_succ[u] == v_in {
            last_succ[u] = last_succ_out;
            u = parent[u];
        }
        if join != old_rev_thread && v_in != old_rev_thread {
            let mut u = v_out;
            while u != up_limit_out && u != NONE && last_succ[u] == old_last_succ {
                last_succ[u] = old_rev_thread;
                u = parent[u];
            }
        } else if last_succ_out != old_last_succ {
            let mut u = v_out;
            while u != up_limit_out && u != NONE && last_succ[u] == old_last_succ {
                last_succ[u] = last_succ_out;
                u = parent[u];
            }
        }
        let mut u = v_in;
        while u != join {
            succ_num[u] += old_succ_num;
            u = parent[u];
        }
        let mut u = v_out;
        while u != join {
            succ_num[u] -= old_succ_num;
            u = parent[u];
        }
    }

    pub(super) fn update_potential(&mut self) {
        let v_in = self.v_in;
        let in_cost = self.arcs[self.in_arc].cost;
        // Every tree array sliced to the same length: one bounds check
        // on a node then serves all of them.
        let n1 = self.node_num + 1;
        let thread = &mut self.thread[..n1];
        let last_succ = &mut self.last_succ[..n1];
        let pred_dir = &mut self.pred_dir[..n1];
        let pi = &mut self.pi[..n1];
        let u_in = self.u_in;
        let sigma = pi[v_in] - pi[u_in] - i64::from(pred_dir[u_in]) * in_cost;
        let end = thread[last_succ[u_in]];
        let mut u = u_in;
        while u != end {
            pi[u] += sigma;
            u = thread[u];
        }
    }
}
