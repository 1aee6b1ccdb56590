//! The DIMACS minimum-cost flow format, as LEMON's `dimacs-solver`, the
//! DIMACS implementation challenge and most solvers read and write it.
//!
//! ```text
//! c a comment
//! p min NODES ARCS
//! n NODE SUPPLY          (nodes numbered from 1; absent means 0)
//! a FROM TO LOW CAP COST
//! ```

use std::fmt::Write as _;

use crate::{Error, FlowNetwork, NodeId};

impl FlowNetwork {
    /// The network in the DIMACS minimum-cost flow format (nodes numbered
    /// from 1), as LEMON's `dimacs-solver` and other solvers read it.
    pub fn to_dimacs(&self) -> String {
        let mut out = String::with_capacity(32 * (self.arc_count() + 2));
        let _ = writeln!(out, "c minimum-cost flow network (xuncha-flow)");
        let _ = writeln!(out, "p min {} {}", self.node_count(), self.arc_count());
        for (i, &s) in self.supply.iter().enumerate() {
            if s != 0 {
                let _ = writeln!(out, "n {} {s}", i + 1);
            }
        }
        for i in 0..self.arc_count() {
            let _ = writeln!(
                out,
                "a {} {} {} {} {}",
                self.source[i] + 1,
                self.target[i] + 1,
                self.lower[i],
                self.upper[i],
                self.cost[i]
            );
        }
        out
    }

    /// Reads a network in the DIMACS minimum-cost flow format.
    ///
    /// # Errors
    ///
    /// [`Error::Dimacs`] naming the line of anything malformed.
    pub fn from_dimacs(text: &str) -> Result<FlowNetwork, Error> {
        let mut net = FlowNetwork::new();
        let mut declared = None;
        for (i, line) in text.lines().enumerate() {
            let bad = |message: &str| Error::Dimacs {
                line: i + 1,
                message: message.to_owned(),
            };
            let fields: Vec<&str> = line.split_whitespace().collect();
            match fields.first().copied() {
                None | Some("c") => {}
                Some("p") => {
                    let [_, kind, n, m] = fields[..] else {
                        return Err(bad("expected `p min NODES ARCS`"));
                    };
                    if kind != "min" {
                        return Err(bad("only `p min` problems are read"));
                    }
                    let n: usize = n.parse().map_err(|_| bad("bad node count"))?;
                    let m: usize = m.parse().map_err(|_| bad("bad arc count"))?;
                    net.supply = vec![0; n];
                    declared = Some(m);
                }
                Some("n") => {
                    let [_, id, supply] = fields[..] else {
                        return Err(bad("expected `n NODE SUPPLY`"));
                    };
                    let id: usize = id.parse().map_err(|_| bad("bad node id"))?;
                    let supply: i64 = supply.parse().map_err(|_| bad("bad supply"))?;
                    let slot = id
                        .checked_sub(1)
                        .and_then(|i| net.supply.get_mut(i))
                        .ok_or_else(|| bad("node id out of range"))?;
                    *slot = supply;
                }
                Some("a") => {
                    let [_, s, t, low, cap, cost] = fields[..] else {
                        return Err(bad("expected `a FROM TO LOW CAP COST`"));
                    };
                    let node = |text: &str| -> Result<NodeId, Error> {
                        let id: u32 = text.parse().map_err(|_| bad("bad node id"))?;
                        id.checked_sub(1)
                            .map(NodeId)
                            .ok_or_else(|| bad("node ids start at 1"))
                    };
                    let (s, t) = (node(s)?, node(t)?);
                    let low: i32 = low.parse().map_err(|_| bad("bad lower bound"))?;
                    let cap: i32 = cap.parse().map_err(|_| bad("bad capacity"))?;
                    let cost: i64 = cost.parse().map_err(|_| bad("bad cost"))?;
                    net.add_arc(s, t, low, cap, cost)
                        .map_err(|e| bad(&e.to_string()))?;
                }
                Some(_) => return Err(bad("unknown line type")),
            }
        }
        if declared.is_some_and(|m| m != net.arc_count()) {
            return Err(Error::Dimacs {
                line: 0,
                message: format!(
                    "the problem line declares {} arcs, the file has {}",
                    declared.unwrap_or(0),
                    net.arc_count()
                ),
            });
        }
        Ok(net)
    }
}
