//! The single-path baselines: the cheapest route by fees (a legacy router) and the most
//! probable route under the belief (like LDK's probabilistic scorer).
//!
//! Both search **backwards** from the receiver, as real routers do, so that the exact amount
//! every hop must forward is known when the hop is considered: the hop into the receiver
//! carries the payment, the hop before it that plus the next node's fee, and so on
//! (docs/MODEL.md §1; the sender's own hop costs no fee). A hop is usable when it is active, the
//! amount fits its HTLC limits, it is not excluded, and the belief gives it a non-zero success
//! probability (`amount + in_flight <= max`), which is how a failure teaches the next search to
//! avoid the hop.
//!
//! - [`RouteKind::Cheapest`] minimises the total fee;
//! - [`RouteKind::Probable`] minimises `Σ −ln P(hop)` (maximises the product of probabilities),
//!   ties broken by the lower fee.
//!
//! Labels are settled once (Dijkstra); because the amount a hop carries depends on the route
//! downstream, the probable search is the usual greedy approximation routers use, exact when fees
//! are zero.

use pp_graph::{DirIdx, Graph, Msat, NodeIdx};
use pp_uncertainty::Belief;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Which single path to look for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteKind {
    /// Lowest total fee.
    Cheapest,
    /// Highest success probability under the belief.
    Probable,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Label {
    cost: f64,
    /// Amount the hop into this node must deliver to it.
    amount: u64,
    node: u32,
}

impl Eq for Label {}
impl Ord for Label {
    fn cmp(&self, other: &Self) -> Ordering {
        // Min-heap on (cost, amount, node).
        other
            .cost
            .total_cmp(&self.cost)
            .then(other.amount.cmp(&self.amount))
            .then(other.node.cmp(&self.node))
    }
}
impl PartialOrd for Label {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Finds one path from `from` to `to` delivering `amount` (see the module docs), or `None`.
///
/// `excluded(d)` removes directions from the search. Every hop, the sender's own first one
/// too, must take the amount within its `htlc_minimum_msat..=htlc_maximum_msat`.
///
/// # Complexity
/// Dijkstra with a binary heap: O((N + D) log N) time, O(N) memory.
pub fn single_path(
    graph: &Graph,
    belief: &Belief,
    from: NodeIdx,
    to: NodeIdx,
    amount: Msat,
    kind: RouteKind,
    excluded: &dyn Fn(DirIdx) -> bool,
) -> Option<Vec<DirIdx>> {
    route(graph, belief, (from, to, amount), kind, excluded, false)
}

/// [`single_path`], with the sender's own first hop not held to its `htlc_maximum_msat` when
/// `own_uncapped` (the sender knows its channels: `crate::attempt::hop_htlc_max`).
pub(crate) fn route(
    graph: &Graph,
    belief: &Belief,
    (from, to, amount): (NodeIdx, NodeIdx, Msat),
    kind: RouteKind,
    excluded: &dyn Fn(DirIdx) -> bool,
    own_uncapped: bool,
) -> Option<Vec<DirIdx>> {
    let n = graph.node_count();
    if from == to || from.ix() >= n || to.ix() >= n || amount == Msat::ZERO {
        return None;
    }
    let mut best = vec![(f64::INFINITY, u64::MAX); n];
    let mut done = vec![false; n];
    // next[u]: the direction leaving u toward `to` on the best route found.
    let mut next = vec![DirIdx(u32::MAX); n];
    let mut heap = BinaryHeap::new();
    best[to.ix()] = (0.0, amount.0);
    heap.push(Label {
        cost: 0.0,
        amount: amount.0,
        node: to.0,
    });
    while let Some(Label {
        cost,
        amount: av,
        node,
    }) = heap.pop()
    {
        let v = NodeIdx(node);
        if done[v.ix()] {
            continue;
        }
        done[v.ix()] = true;
        if v == from {
            break;
        }
        for &d in graph.in_dirs(v) {
            let u = graph.source(d);
            if done[u.ix()] || excluded(d) {
                continue;
            }
            let pol = graph.policy(d);
            let h = Msat(av);
            // With `own_uncapped` the sender's own channel is not limited by the maximum it
            // advertises for forwarding (`crate::attempt::hop_htlc_max`).
            let too_big = !(own_uncapped && u == from) && h > pol.htlc_maximum_msat;
            if !pol.active || h < pol.htlc_minimum_msat || too_big {
                continue;
            }
            let p = belief.probability(d, h);
            if p <= 0.0 {
                continue;
            }
            // What u must receive: h plus u's fee for forwarding over d (none for the sender).
            let au = if u == from {
                av
            } else {
                match pol.fee(h).and_then(|f| h.checked_add(f)) {
                    Some(a) => a.0,
                    None => continue,
                }
            };
            let c = match kind {
                RouteKind::Cheapest => (au - amount.0) as f64,
                RouteKind::Probable => cost + belief.neg_log_probability(d, h),
            };
            let better = match c.total_cmp(&best[u.ix()].0) {
                Ordering::Less => true,
                Ordering::Equal => au < best[u.ix()].1,
                Ordering::Greater => false,
            };
            if better {
                best[u.ix()] = (c, au);
                next[u.ix()] = d;
                heap.push(Label {
                    cost: c,
                    amount: au,
                    node: u.0,
                });
            }
        }
    }
    if !done[from.ix()] {
        return None;
    }
    let mut path = Vec::new();
    let mut u = from;
    while u != to {
        let d = next[u.ix()];
        path.push(d);
        u = graph.target(d);
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pp_graph::{DirectionRecord, GraphBuilder, NodeId, Policy, Ppm};

    /// 1→2→4 (cheap, small) and 1→3→4 (dear, large).
    fn diamond() -> Graph {
        let mut b = GraphBuilder::new();
        let mut add = |i: u32, s: u32, t: u32, cap: u64, ppm: u32| {
            b.add(&DirectionRecord {
                scid: format!("1x{i}x0").parse().expect("scid"),
                source: NodeId::synthetic(s),
                destination: NodeId::synthetic(t),
                capacity: Msat(cap),
                policy: Policy {
                    base_fee_msat: Msat(0),
                    fee_ppm: Ppm(ppm),
                    cltv_delta: 40,
                    htlc_minimum_msat: Msat(0),
                    htlc_maximum_msat: Msat(cap),
                    active: true,
                    last_update: 0,
                },
            })
            .expect("valid");
        };
        add(1, 1, 2, 1_000_000, 10);
        add(2, 2, 4, 1_000_000, 10);
        add(3, 1, 3, 100_000_000, 1000);
        add(4, 3, 4, 100_000_000, 1000);
        b.build()
    }

    fn node(g: &Graph, i: u32) -> NodeIdx {
        g.node_index(&NodeId::synthetic(i)).expect("node")
    }

    #[test]
    fn cheapest_and_probable_disagree_on_a_large_amount() {
        let g = diamond();
        let b = Belief::new(&g);
        let (s, t) = (node(&g, 1), node(&g, 4));
        let via = |p: &[DirIdx]| g.target(p[0]);
        let no = |_| false;
        let cheap =
            single_path(&g, &b, s, t, Msat(900_000), RouteKind::Cheapest, &no).expect("route");
        assert_eq!(via(&cheap), node(&g, 2));
        let likely =
            single_path(&g, &b, s, t, Msat(900_000), RouteKind::Probable, &no).expect("route");
        assert_eq!(via(&likely), node(&g, 3));
        // Too large for the small channels: both take the large one.
        let big =
            single_path(&g, &b, s, t, Msat(2_000_000), RouteKind::Cheapest, &no).expect("route");
        assert_eq!(via(&big), node(&g, 3));
        // Excluding the large one leaves nothing for 2M.
        let excl = |d: DirIdx| g.target(d) == node(&g, 3);
        assert!(single_path(&g, &b, s, t, Msat(2_000_000), RouteKind::Cheapest, &excl).is_none());
    }
}
