//! The native solver's residual graph: building the grouped CSR arrays from a problem,
//! saturating negative-cost pieces, reading and pushing residual capacity, and reading the
//! flow per original arc back out (module docs of `native`, point 1 and 2).

use super::{Work, NONE, NO_EDGE};
use crate::problem::{McfError, Problem};

impl Work {
    /// Builds the grouped residual graph with zero flow, then saturates negative-cost pieces.
    /// Returns whether any piece was pre-saturated.
    #[inline(never)]
    pub(super) fn build(&mut self, p: &Problem, group: bool) -> Result<bool, McfError> {
        let n = p.num_nodes;
        let m = p.num_arcs();
        let same_nodes = self.n == n;
        self.n = n;
        // Counting sort of the usable arcs by tail (stable: insertion order within a tail).
        let mut start = std::mem::take(&mut self.scratch);
        start.clear();
        start.resize(n + 1, 0);
        // Whether the usable arcs come sorted by tail (as the payment loop writes them): then
        // the scatter below is a sequential copy.
        let mut by_tail = true;
        let mut last_tail = 0u32;
        for a in 0..m {
            if p.capacity[a] > 0 && p.from[a] != p.to[a] {
                let u = p.from[a];
                by_tail &= u >= last_tail;
                last_tail = u;
                start[u as usize + 1] += 1;
            }
        }
        for v in 0..n {
            start[v + 1] += start[v];
        }
        let usable = start[n] as usize;
        // Scatter the usable arcs into pieces ordered by tail (self.order holds the heads).
        self.order.clear();
        self.order.resize(usable, 0);
        self.piece_arc.clear();
        self.piece_arc.resize(usable, 0);
        self.piece_cap.clear();
        self.piece_cap.resize(usable, 0);
        self.piece_cost.clear();
        self.piece_cost.resize(usable, 0);
        let mut any_negative = false;
        self.negative_loops.clear();
        if by_tail && usable == m {
            // Every arc usable and sorted by tail: the pieces are the arcs, in order.
            self.order.copy_from_slice(&p.to);
            self.piece_cap.copy_from_slice(&p.capacity);
            self.piece_cost.copy_from_slice(&p.cost);
            for (k, a) in self.piece_arc.iter_mut().enumerate() {
                *a = k as u32;
            }
            any_negative = p.cost.iter().any(|&c| c < 0);
            // start[u] becomes the end of u's segment, as the scatter leaves it.
            for u in 0..n {
                start[u] = start[u + 1];
            }
        } else {
            for a in 0..m {
                let (u, v, cap) = (p.from[a], p.to[a], p.capacity[a]);
                if u == v && cap > 0 && p.cost[a] < 0 {
                    self.negative_loops.push(a as u32);
                }
                if cap > 0 && u != v {
                    let slot = &mut start[u as usize];
                    let k = *slot as usize;
                    *slot += 1;
                    let c = p.cost[a];
                    any_negative |= c < 0;
                    self.order[k] = v;
                    self.piece_arc[k] = a as u32;
                    self.piece_cap[k] = cap;
                    self.piece_cost[k] = c;
                }
            }
        }
        // start[u] is now the end of u's segment.
        self.group_start.clear();
        self.group_from.clear();
        self.group_to.clear();
        self.unsorted_groups.clear();
        // Degrees for the adjacency, counted while grouping.
        self.adj_start.clear();
        self.adj_start.resize(n + 1, 0);
        let mut lo = 0usize;
        let mut tmp = std::mem::take(&mut self.tmp);
        for (u, &end) in start.iter().enumerate().take(n) {
            let hi = end as usize;
            if hi > lo {
                let groups_before = self.group_from.len();
                self.emit_groups(u, lo, hi, group);
                self.adj_start[u + 1] += (self.group_from.len() - groups_before) as u32;
            }
            lo = hi;
        }
        self.scratch = start;
        self.group_start.push(self.piece_arc.len() as u32);
        for i in 0..self.unsorted_groups.len() {
            let g = self.unsorted_groups[i] as usize;
            let (lo, hi) = (
                self.group_start[g] as usize,
                self.group_start[g + 1] as usize,
            );
            tmp.clear();
            tmp.extend((lo..hi).map(|k| {
                (
                    self.order[k],
                    self.piece_cost[k],
                    self.piece_arc[k],
                    self.piece_cap[k],
                )
            }));
            tmp.sort_unstable();
            for (i, &(_, c, a, cap)) in tmp.iter().enumerate() {
                self.piece_cost[lo + i] = c;
                self.piece_arc[lo + i] = a;
                self.piece_cap[lo + i] = cap;
            }
        }
        self.tmp = tmp;
        let groups = self.group_from.len();
        let pieces = self.piece_arc.len();
        self.piece_flow.clear();
        self.piece_flow.resize(pieces, 0);
        self.group_ptr.clear();
        self.group_ptr
            .extend_from_slice(&self.group_start[..groups]);
        // Node state.
        self.excess.clear();
        self.excess.extend_from_slice(&p.supply);
        self.pot.clear();
        self.pot.resize(n, 0);
        // Pre-saturate negative-cost pieces (a prefix of each group).
        if any_negative {
            for g in 0..groups {
                let (lo, hi) = (
                    self.group_start[g] as usize,
                    self.group_start[g + 1] as usize,
                );
                let mut k = lo;
                while k < hi && self.piece_cost[k] < 0 {
                    let cap = self.piece_cap[k];
                    self.piece_flow[k] = cap;
                    let (u, v) = (self.group_from[g] as usize, self.group_to[g] as usize);
                    self.excess[u] = self.excess[u]
                        .checked_sub(cap)
                        .ok_or_else(overflow_excess)?;
                    self.excess[v] = self.excess[v]
                        .checked_add(cap)
                        .ok_or_else(overflow_excess)?;
                    k += 1;
                }
                self.group_ptr[g] = k as u32;
            }
        }
        self.remaining = 0;
        self.sources.clear();
        self.sinks.clear();
        for (v, &x) in self.excess.iter().enumerate() {
            if x > 0 {
                self.remaining = self.remaining.checked_add(x).ok_or_else(overflow_excess)?;
                self.sources.push(v as u32);
            } else if x < 0 {
                self.sinks.push(v as u32);
            }
        }
        // Adjacency: every group appears at its tail and at its head. When the groups join the
        // same nodes in the same order as in the previous build (a payment's later rounds and
        // re-plans, where the belief changed on a few directions only), the adjacency is that
        // of the previous build and only the costs are set again.
        let same_topology = same_nodes
            && self.prev_group_from == self.group_from
            && self.prev_group_to == self.group_to;
        for v in 0..n {
            self.adj_start[v + 1] += self.adj_start[v];
        }
        if !same_topology {
            let entries = 2 * groups;
            self.adj_head.clear();
            self.adj_head.resize(entries, 0);
            self.adj_group.clear();
            self.adj_group.resize(entries, 0);
            self.out_cost.clear();
            self.out_cost.resize(entries, NO_EDGE);
            self.in_cost.clear();
            self.in_cost.resize(entries, NO_EDGE);
            self.group_entry_at_from.clear();
            self.group_entry_at_from.resize(groups, 0);
            self.group_entry_at_to.clear();
            self.group_entry_at_to.resize(groups, 0);
            let fill = &mut self.scratch;
            fill.clear();
            fill.extend_from_slice(&self.adj_start[..n]);
            for g in 0..groups {
                let (u, v) = (self.group_from[g] as usize, self.group_to[g] as usize);
                let eu = fill[u] as usize;
                fill[u] += 1;
                let ev = fill[v] as usize;
                fill[v] += 1;
                self.adj_head[eu] = v as u32;
                self.adj_group[eu] = g as u32;
                self.adj_head[ev] = u as u32;
                self.adj_group[ev] = g as u32;
                self.group_entry_at_from[g] = eu as u32;
                self.group_entry_at_to[g] = ev as u32;
            }
            self.prev_group_from.clone_from(&self.group_from);
            self.prev_group_to.clone_from(&self.group_to);
        }
        for g in 0..groups {
            let (lo, ptr) = (self.group_start[g] as usize, self.group_ptr[g] as usize);
            // Zero flow except pre-saturated pieces: forward is the first non-full piece,
            // backward the last full one.
            let fwd = if ptr < self.group_start[g + 1] as usize {
                self.piece_cost[ptr]
            } else {
                NO_EDGE
            };
            let bwd = if ptr > lo {
                -self.piece_cost[ptr - 1]
            } else {
                NO_EDGE
            };
            let (eu, ev) = (
                self.group_entry_at_from[g] as usize,
                self.group_entry_at_to[g] as usize,
            );
            self.out_cost[eu] = fwd;
            self.in_cost[eu] = bwd;
            self.out_cost[ev] = bwd;
            self.in_cost[ev] = fwd;
        }
        // Search state.
        if self.reached.len() < n || self.round > u32::MAX - 4 {
            self.reached.clear();
            self.reached.resize(n, 0);
            self.settled_in.clear();
            self.settled_in.resize(n, 0);
            self.round = 0;
        }
        self.dist.resize(n, 0);
        self.parent.resize(n, NONE);
        self.level.resize(n, NONE);
        self.cur.resize(n, 0);
        Ok(any_negative)
    }

    /// Emits the groups of tail `u` from pieces `lo..hi`: a group is a maximal run of
    /// consecutive pieces with the same head (every piece its own group when `group` is false).
    /// Groups whose pieces are out of cost order are listed in `unsorted_groups`.
    ///
    /// Parallel arcs that are not consecutive in the input form separate groups between the same
    /// nodes, which is correct (they are parallel residual edges), only less compact.
    pub(super) fn emit_groups(&mut self, u: usize, lo: usize, hi: usize, group: bool) {
        let mut prev_to = u32::MAX;
        let mut prev_cost = i64::MIN;
        for k in lo..hi {
            let (v, c) = (self.order[k], self.piece_cost[k]);
            if !group || v != prev_to {
                self.group_start.push(k as u32);
                self.group_from.push(u as u32);
                self.group_to.push(v);
                self.adj_start[v as usize + 1] += 1;
                prev_to = v;
            } else if c < prev_cost {
                let g = self.group_from.len() as u32 - 1;
                if self.unsorted_groups.last() != Some(&g) {
                    self.unsorted_groups.push(g);
                }
            }
            prev_cost = c;
        }
    }

    /// Recomputes the residual costs of group `g` after its flow changed.
    #[inline]
    pub(super) fn refresh(&mut self, g: usize) {
        let (lo, hi, ptr) = (
            self.group_start[g] as usize,
            self.group_start[g + 1] as usize,
            self.group_ptr[g] as usize,
        );
        let fwd = if ptr < hi {
            self.piece_cost[ptr]
        } else {
            NO_EDGE
        };
        let bwd = if ptr < hi && self.piece_flow[ptr] > 0 {
            -self.piece_cost[ptr]
        } else if ptr > lo {
            -self.piece_cost[ptr - 1]
        } else {
            NO_EDGE
        };
        let (ef, et) = (
            self.group_entry_at_from[g] as usize,
            self.group_entry_at_to[g] as usize,
        );
        self.out_cost[ef] = fwd;
        self.in_cost[ef] = bwd;
        self.out_cost[et] = bwd;
        self.in_cost[et] = fwd;
    }

    /// Residual capacity of group `g` in the forward (`true`) or backward direction.
    #[inline]
    pub(super) fn residual(&self, g: usize, forward: bool) -> i64 {
        let (lo, hi, ptr) = (
            self.group_start[g] as usize,
            self.group_start[g + 1] as usize,
            self.group_ptr[g] as usize,
        );
        if forward {
            debug_assert!(ptr < hi);
            self.piece_cap[ptr] - self.piece_flow[ptr]
        } else if ptr < hi && self.piece_flow[ptr] > 0 {
            self.piece_flow[ptr]
        } else {
            debug_assert!(ptr > lo);
            self.piece_flow[ptr - 1]
        }
    }

    /// Pushes `x` units through group `g` forward (`true`) or pulls them back.
    #[inline]
    pub(super) fn push(&mut self, g: usize, forward: bool, x: i64) {
        let (hi, ptr) = (self.group_start[g + 1] as usize, self.group_ptr[g] as usize);
        if forward {
            self.piece_flow[ptr] += x;
            if self.piece_flow[ptr] == self.piece_cap[ptr] {
                self.group_ptr[g] += 1;
            }
        } else if ptr < hi && self.piece_flow[ptr] > 0 {
            self.piece_flow[ptr] -= x;
        } else {
            self.piece_flow[ptr - 1] -= x;
            self.group_ptr[g] -= 1;
        }
        self.refresh(g);
    }

    /// The flow per original arc.
    pub(super) fn flow(&self, p: &Problem) -> Result<(Vec<i64>, i128), McfError> {
        let mut flow = vec![0i64; p.num_arcs()];
        let mut cost: i128 = 0;
        let overflow = || McfError::Overflow {
            what: "flow cost exceeds i128".into(),
        };
        for (k, &f) in self.piece_flow.iter().enumerate() {
            if f != 0 {
                flow[self.piece_arc[k] as usize] = f;
                cost = (f as i128 * self.piece_cost[k] as i128)
                    .checked_add(cost)
                    .ok_or_else(overflow)?;
            }
        }
        for &a in &self.negative_loops {
            let a = a as usize;
            flow[a] = p.capacity[a];
            cost = (p.capacity[a] as i128 * p.cost[a] as i128)
                .checked_add(cost)
                .ok_or_else(overflow)?;
        }
        Ok((flow, cost))
    }
}

fn overflow_excess() -> McfError {
    McfError::Overflow {
        what: "node imbalance after saturating negative-cost arcs exceeds i64".into(),
    }
}
