//! The native backend: successive shortest paths (SSP) with node potentials, tuned for the
//! problems of the payment loop (one source, one sink, an amount small against the total
//! capacity, convex piecewise-linear costs expressed as parallel arcs).
//!
//! # Algorithm
//!
//! 1. **Convex residual edges.** Parallel arcs written consecutively (per tail, in insertion
//!    order; how piecewise-linear arcs are always produced) form a group, sorted by unit cost. An
//!    optimal flow fills a group cheapest piece first (otherwise the residual cycle "push on the
//!    cheaper piece, pull from the dearer one" would have negative cost), so a group is a single
//!    residual edge per direction: forward at the cost of its first non-full piece, backward at
//!    minus the cost of its last non-empty piece. With 5 pieces per channel direction this
//!    shrinks the graph the searches scan five-fold. Parallel arcs that are not consecutive
//!    simply form several groups between the same nodes (parallel residual edges), which is
//!    equally correct. The residual graph is built in flat arrays (CSR) by one counting sort.
//! 2. **Negative costs** are handled by saturating every negative-cost piece up front and routing
//!    the resulting imbalance as extra supply; afterwards all residual reduced costs are `>= 0`
//!    with zero potentials, so no Bellman-Ford pass is needed and negative cycles are fine.
//! 3. **Dijkstra with potentials and early stop.** Each search (a radix heap: keys are
//!    non-negative integers popped in non-decreasing order) runs on reduced costs
//!    `cost + π(u) − π(v) >= 0` and stops as soon as it settles a node of opposite imbalance. Only
//!    the settled nodes get new potentials (`π(v) += d(v) − d(t)`), which keeps every reduced cost
//!    non-negative; a search costs `O(settled · degree · log)` rather than `O(m log n)`.
//! 4. **Alternating directions.** Successive searches alternate between forward (from the nodes
//!    with excess) and backward (from the nodes with deficit, over reversed residual edges). After a
//!    forward search the potentials are distances from the source, so the reduced costs along the
//!    source's shortest-path tree are zero and point *toward the source*; a backward search then
//!    runs goal-directed like A*, settling only the nodes whose detour is below the increase of the
//!    shortest-path length, and vice versa. A plain forward-only SSP re-settles the whole previous
//!    shortest-path tree in every search.
//! 5. **Blocking flows on the admissible subgraph** (primal-dual). A search does not stop at the
//!    first node of opposite imbalance but finishes settling every node at that same distance;
//!    after the potential update, the residual edges between settled nodes with reduced cost 0
//!    (the shortest-path edges and all their ties) form the admissible subgraph. Dinic's
//!    blocking flows then route as much as that subgraph carries before the next search. Pushing
//!    flow along zero-reduced-cost edges creates reverse edges of reduced cost 0, so the
//!    potentials remain a certificate. Without this, a plateau of equally short paths costs one
//!    search per path: on `μ = 0` payment problems (the first piece of every channel free) SSP with
//!    alternating directions ping-pongs units along a zero-cost chain, one small augmentation per
//!    search (the regression instance `tests/data/plateau.min`: 90,083 augmentations without
//!    blocking flows, 26 with the default; its source, a 400-node / 12,732-arc round, went from
//!    557,951 searches and 2.5 s to 10 searches and 0.28 ms). The pass costs about as much as a
//!    search and usually finds nothing (the round-1 ln-2026 problems need 1–10 searches and have
//!    no ties; always on, it made some of them 40% slower), so it starts only at the 9th search
//!    of a solve ([`NativeOptions::blocking_flows_from_search`]), where ties are what keeps the
//!    solver searching, and backs off while it finds nothing (after a useless pass the next comes
//!    2, 4, 8, … searches later; a useful one re-arms it for the next search). On the generated
//!    6k-node instances, which need tens of searches without ties, always-on passes after the 9th
//!    search cost +9%; with the back-off the difference is within noise.
//!
//! The heuristics of 1, 4 and 5 can be switched off through [`NativeOptions`]; the `ssp` backend
//! is this solver with all three off (the textbook baseline, kept for benchmarks).
//!
//! # What was measured
//!
//! On the 20 + 20 round-1 ln-2026 instances of `benches/README.md` (135,000 arcs), medians per
//! instance: grouping saves ~20% (fewer, denser residual edges), alternation settles 2.7× fewer
//! nodes at 1,000,000 sat, the radix heap beat `std::collections::BinaryHeap` by ~4%. Merging
//! *non*-consecutive parallel arcs into one group (sorting each node's arcs by head, or gathering
//! them by head) cost more in the build (+30% of the whole solve) than it saved in the searches,
//! so it was dropped. Building the residual graph dominates (~60%); the searches touch a few
//! thousand nodes. Warm-starting from the previous round's potentials was not kept: after a
//! solve, saturated pieces have negative reduced costs, so the old potentials are not a valid
//! start for a fresh zero flow without a repair pass that costs about as much as the first
//! search it would shorten.
//!
//! # Certificate
//!
//! The final potentials are returned in [`Solution::potentials`]: every residual arc has a
//! non-negative reduced cost, which [`crate::check_optimality`] verifies.

use crate::maxflow::max_flow;
use crate::problem::{McfError, McfSolver, Problem, Solution};
use crate::radix::RadixHeap;

/// Marks a residual edge without capacity. Real costs are bounded by 2^60 in absolute value.
const NO_EDGE: i64 = i64::MAX;
const NONE: u32 = u32::MAX;

/// Switches for the heuristics of the native solver (see the module docs). The defaults are what
/// measured fastest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NativeOptions {
    /// Treat consecutive parallel arcs as one convex residual edge.
    pub group_parallel_arcs: bool,
    /// Alternate forward and backward searches (goal-directed potentials).
    pub alternate_directions: bool,
    /// From this search on (counting from 1), route after each search a maximum flow over the
    /// zero-reduced-cost edges among the settled nodes (blocking flows) instead of only the one
    /// path the search found. `1` uses blocking flows from the first search, `u32::MAX` never.
    /// Passes that route nothing make the next one come later (2, 4, 8, … searches).
    /// The first searches go without because on the usual payment problem (a handful of
    /// searches, no ties) the extra pass over the settled nodes costs up to +40% of the solve
    /// and finds nothing. Default: 9 (blocking flows from the 9th search on).
    pub blocking_flows_from_search: u32,
}

impl NativeOptions {
    /// Plain successive shortest paths: every heuristic off (the backend named `"ssp"`).
    pub const SSP: NativeOptions = NativeOptions {
        group_parallel_arcs: false,
        alternate_directions: false,
        blocking_flows_from_search: NativeOptions::NO_BLOCKING_FLOWS,
    };
    /// The default value of [`NativeOptions::blocking_flows_from_search`]: 9.
    pub const DEFAULT_BLOCKING_FLOWS_FROM_SEARCH: u32 = 9;
    /// Never use blocking flows (one augmenting path per search).
    pub const NO_BLOCKING_FLOWS: u32 = u32::MAX;
}

impl Default for NativeOptions {
    fn default() -> Self {
        NativeOptions {
            group_parallel_arcs: true,
            alternate_directions: true,
            blocking_flows_from_search: Self::DEFAULT_BLOCKING_FLOWS_FROM_SEARCH,
        }
    }
}

/// Counters of the last [`NativeSolver::solve`] call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NativeStats {
    /// Shortest-path searches run.
    pub searches: u64,
    /// Augmentations performed (one per successful search).
    pub augmentations: u64,
    /// Blocking-flow phases run on the admissible subgraphs of the searches.
    pub phases: u64,
    /// Nodes settled, summed over all searches.
    pub settled: u64,
    /// Residual edges (groups of parallel arcs) in the search graph.
    pub groups: usize,
}

/// The native backend (`"native"`, and `"ssp"` with all heuristics off). Keeps its buffers between
/// calls, so re-solving a problem of similar size allocates nothing.
#[derive(Debug, Default)]
pub struct NativeSolver {
    options: NativeOptions,
    stats: NativeStats,
    work: Work,
}

impl NativeSolver {
    /// A solver with the default (fastest) options.
    pub fn new() -> Self {
        Self::default()
    }

    /// A solver with the given options.
    pub fn with_options(options: NativeOptions) -> Self {
        NativeSolver {
            options,
            ..Self::default()
        }
    }

    /// The options in use.
    pub fn options(&self) -> NativeOptions {
        self.options
    }

    /// Counters of the last solve.
    pub fn stats(&self) -> NativeStats {
        self.stats
    }
}

impl McfSolver for NativeSolver {
    fn name(&self) -> &'static str {
        if self.options == NativeOptions::default() {
            "native"
        } else if self.options == NativeOptions::SSP {
            "ssp"
        } else {
            "native-custom"
        }
    }

    /// Solves `problem` exactly; see the module docs for the algorithm.
    ///
    /// # Complexity
    /// Building the residual graph: `O(n + m)` (a counting sort by tail), plus `O(k log k)` for
    /// each group of `k` parallel arcs given out of cost order. Then `A` searches, `A` ≤ the
    /// number of augmentations + 1, each `O(m' + n log C)` in the worst case (radix heap, `C` the
    /// largest reduced distance) but in practice bounded by the nodes settled before the early
    /// stop and their degrees; `m'` is the number of groups of parallel arcs. Each
    /// augmentation saturates a piece or exhausts a source/sink, so on the payment loop's
    /// problems `A` is a few times the number of pieces the optimal flow touches. In the worst
    /// case `A ≤ total supply` (pseudo-polynomial). With blocking flows (the default) every
    /// search is followed by a maximum flow on its admissible subgraph (`O(s · e)` per phase over
    /// the `s` settled nodes and their `e` edges, at most `s` phases), and the number of searches
    /// is bounded by the number of distinct shortest-path lengths instead of the number of
    /// augmenting paths. Memory `O(n + m)`.
    fn solve(&mut self, problem: &Problem) -> Result<Solution, McfError> {
        problem.validate()?;
        self.stats = NativeStats::default();
        let w = &mut self.work;
        let presaturated = w.build(problem, self.options.group_parallel_arcs)?;
        self.stats.groups = w.group_from.len();
        let mut forward = true;
        // Blocking flows back off while they find nothing: after a useless pass the next one
        // comes 2, 4, 8, … searches later; a useful pass makes the next search try again.
        let mut next_blocking = u64::from(self.options.blocking_flows_from_search);
        let mut blocking_gap = 1;
        while w.remaining > 0 {
            self.stats.searches += 1;
            let blocking = self.stats.searches >= next_blocking;
            let found = if forward {
                w.search::<true>(blocking, &mut self.stats)
            } else {
                w.search::<false>(blocking, &mut self.stats)
            };
            if !found {
                let required = problem.total_supply();
                let max_flow = if presaturated {
                    max_flow(problem)?
                } else {
                    required - w.remaining
                };
                return Err(McfError::Infeasible { max_flow, required });
            }
            self.stats.augmentations += 1;
            if blocking && w.remaining > 0 {
                let before = self.stats.augmentations;
                w.blocking_flows(&mut self.stats);
                if self.stats.augmentations > before {
                    blocking_gap = 1;
                } else {
                    blocking_gap = (blocking_gap * 2).min(1 << 20);
                }
                next_blocking = self.stats.searches + blocking_gap;
            }
            if self.options.alternate_directions {
                forward = !forward;
            }
        }
        let (flow, cost) = w.flow(problem)?;
        Ok(Solution {
            flow,
            cost,
            potentials: Some(w.pot.clone()),
        })
    }
}

/// Residual graph and search state, kept between solves to reuse allocations.
#[derive(Debug, Default)]
struct Work {
    n: usize,
    // Pieces (arcs with capacity > 0 and distinct endpoints) ordered by tail; a group is a run of
    // consecutive pieces with the same head, sorted by cost. Group g owns pieces
    // group_start[g]..group_start[g + 1].
    piece_arc: Vec<u32>,
    piece_cap: Vec<i64>,
    piece_cost: Vec<i64>,
    piece_flow: Vec<i64>,
    group_start: Vec<u32>,
    /// First non-full piece of the group (== end when all are full).
    group_ptr: Vec<u32>,
    group_from: Vec<u32>,
    group_to: Vec<u32>,
    /// Adjacency entries of each group: at its tail and at its head.
    group_entry_at_from: Vec<u32>,
    group_entry_at_to: Vec<u32>,
    // Adjacency in CSR: the entries of node u are adj_start[u]..adj_start[u + 1]; entry e joins u
    // to adj_head[e] through group adj_group[e]. out_cost is the cost of the residual edge
    // u -> head, in_cost that of head -> u (NO_EDGE when the edge has no residual capacity).
    adj_start: Vec<u32>,
    adj_head: Vec<u32>,
    adj_group: Vec<u32>,
    out_cost: Vec<i64>,
    in_cost: Vec<i64>,
    // Node state.
    excess: Vec<i64>,
    pot: Vec<i64>,
    /// Total positive excess still to route.
    remaining: i64,
    sources: Vec<u32>,
    sinks: Vec<u32>,
    // Search state; a node's dist/parent are valid when reached[v] == round.
    round: u32,
    reached: Vec<u32>,
    settled_in: Vec<u32>,
    dist: Vec<i64>,
    parent: Vec<u32>,
    settled: Vec<u32>,
    heap: RadixHeap,
    order: Vec<u32>,
    scratch: Vec<u32>,
    unsorted_groups: Vec<u32>,
    tmp: Vec<(u32, i64, u32, i64)>,
    // Blocking-flow state (valid for the nodes settled in the current round).
    level: Vec<u32>,
    cur: Vec<u32>,
    queue: Vec<u32>,
    path: Vec<u32>,
    /// Self-loops with negative cost: saturated in every optimal flow.
    negative_loops: Vec<u32>,
}

impl Work {
    /// Builds the grouped residual graph with zero flow, then saturates negative-cost pieces.
    /// Returns whether any piece was pre-saturated.
    #[inline(never)]
    fn build(&mut self, p: &Problem, group: bool) -> Result<bool, McfError> {
        let n = p.num_nodes;
        let m = p.num_arcs();
        self.n = n;
        // Counting sort of the usable arcs by tail (stable: insertion order within a tail).
        let mut start = std::mem::take(&mut self.scratch);
        start.clear();
        start.resize(n + 1, 0);
        for a in 0..m {
            if p.capacity[a] > 0 && p.from[a] != p.to[a] {
                start[p.from[a] as usize + 1] += 1;
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
        // Adjacency: every group appears at its tail and at its head.
        for v in 0..n {
            self.adj_start[v + 1] += self.adj_start[v];
        }
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
    fn emit_groups(&mut self, u: usize, lo: usize, hi: usize, group: bool) {
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
    fn refresh(&mut self, g: usize) {
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
    fn residual(&self, g: usize, forward: bool) -> i64 {
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
    fn push(&mut self, g: usize, forward: bool, x: i64) {
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

    fn next_round(&mut self) -> u32 {
        self.round += 1;
        self.settled.clear();
        self.heap.clear();
        self.round
    }

    /// One Dijkstra search on reduced costs, then the potential update and one augmentation.
    ///
    /// `FORWARD`: from every node with excess over residual edges, stopping at the first settled
    /// node with deficit. Backward: from every node with deficit over reversed residual edges
    /// (edge `v -> u` has reduced cost `c + pot[v] - pot[u]`), stopping at the first settled node
    /// with excess. The direction is a const parameter, so each is compiled on its own and costs
    /// nothing at run time. Returns false when the other side cannot be reached.
    fn search<const FORWARD: bool>(&mut self, drain_ties: bool, stats: &mut NativeStats) -> bool {
        let round = self.next_round();
        let excess = &self.excess;
        if FORWARD {
            self.sources.retain(|&s| excess[s as usize] > 0);
        } else {
            self.sinks.retain(|&t| excess[t as usize] < 0);
        }
        let seeds = if FORWARD { &self.sources } else { &self.sinks };
        for &s in seeds {
            let s = s as usize;
            self.reached[s] = round;
            self.dist[s] = 0;
            self.parent[s] = NONE;
            self.heap.push(0, s as u32);
        }
        let mut target = NONE;
        let mut big_d = 0;
        while let Some((d, u)) = self.heap.pop() {
            let d = d as i64;
            let u = u as usize;
            if self.settled_in[u] == round {
                continue;
            }
            if target != NONE && d > big_d {
                break;
            }
            self.settled_in[u] = round;
            self.settled.push(u as u32);
            let found = if FORWARD {
                self.excess[u] < 0
            } else {
                self.excess[u] > 0
            };
            if found && target == NONE {
                target = u as u32;
                big_d = d;
                if !drain_ties {
                    break;
                }
            }
            let du = if FORWARD {
                d + self.pot[u]
            } else {
                d - self.pot[u]
            };
            let (lo, hi) = (self.adj_start[u] as usize, self.adj_start[u + 1] as usize);
            for e in lo..hi {
                let c = if FORWARD {
                    self.out_cost[e]
                } else {
                    self.in_cost[e]
                };
                if c == NO_EDGE {
                    continue;
                }
                let v = self.adj_head[e] as usize;
                if self.settled_in[v] == round {
                    continue;
                }
                let nd = if FORWARD {
                    du + c - self.pot[v]
                } else {
                    du + c + self.pot[v]
                };
                if self.reached[v] != round || nd < self.dist[v] {
                    self.reached[v] = round;
                    self.dist[v] = nd;
                    self.parent[v] = e as u32;
                    self.heap.push(nd as u64, v as u32);
                }
            }
        }
        stats.settled += self.settled.len() as u64;
        if target == NONE {
            return false;
        }
        let start = target as usize;
        for &v in &self.settled {
            let v = v as usize;
            if FORWARD {
                self.pot[v] += self.dist[v] - big_d;
            } else {
                self.pot[v] += big_d - self.dist[v];
            }
        }
        // Walk the parent entries from `start` back to a seed: forward, `start` is a sink and the
        // walk runs against the flow; backward, `start` is a source and the walk runs with it.
        let on_path_end = |w: &Self, g: usize, v: usize| {
            if FORWARD {
                w.group_to[g] as usize == v
            } else {
                w.group_from[g] as usize == v
            }
        };
        let mut amount = if FORWARD {
            -self.excess[start]
        } else {
            self.excess[start]
        };
        let mut v = start;
        while self.parent[v] != NONE {
            let e = self.parent[v] as usize;
            let g = self.adj_group[e] as usize;
            amount = amount.min(self.residual(g, on_path_end(self, g, v)));
            v = self.adj_head_tail(e, v);
        }
        let seed = v;
        amount = amount.min(if FORWARD {
            self.excess[seed]
        } else {
            -self.excess[seed]
        });
        let mut v = start;
        while self.parent[v] != NONE {
            let e = self.parent[v] as usize;
            let g = self.adj_group[e] as usize;
            let fwd = on_path_end(self, g, v);
            self.push(g, fwd, amount);
            v = self.adj_head_tail(e, v);
        }
        let (s, t) = if FORWARD {
            (seed, start)
        } else {
            (start, seed)
        };
        self.excess[s] -= amount;
        self.excess[t] += amount;
        self.remaining -= amount;
        true
    }

    /// Routes as much excess as possible along admissible edges among the nodes settled by the
    /// last search (a maximum flow on that subgraph, by Dinic's blocking flows), so that a plateau
    /// of equally short paths costs one search instead of one search per path.
    ///
    /// An edge `u -> v` is admissible when it has residual capacity, both ends were settled in the
    /// last search and its reduced cost `c + π(u) − π(v)` is 0: the last search's shortest-path
    /// edges and every tie. Pushing flow along such edges keeps every residual reduced cost
    /// non-negative (the reverse edges get reduced cost 0), so the potentials stay a certificate.
    /// Each phase labels the admissible subgraph by hop distance from the nodes with excess (BFS),
    /// then augments along hop-increasing paths with a current-edge pointer per node until no such
    /// path remains (a blocking flow); phases repeat until no node with deficit is reachable.
    ///
    /// # Complexity
    /// With `s` settled nodes and `e` adjacency entries among them: each phase `O(e + s · p)` for
    /// `p` augmenting paths (each path is at most `s` hops; a saturated edge or a dead-end node is
    /// never revisited within the phase); at most `s` phases, since the hop distance to the
    /// nearest deficit strictly grows from one phase to the next (Dinic). Memory `O(n)`.
    fn blocking_flows(&mut self, stats: &mut NativeStats) {
        let round = self.round;
        loop {
            // Phase start: levels by BFS from the settled nodes with excess.
            for &v in &self.settled {
                self.level[v as usize] = NONE;
            }
            self.queue.clear();
            for &s in &self.sources {
                let s = s as usize;
                if self.excess[s] > 0 && self.settled_in[s] == round {
                    self.level[s] = 0;
                    self.queue.push(s as u32);
                }
            }
            let seeds = self.queue.len();
            let mut sink_level = NONE;
            let mut head = 0;
            while head < self.queue.len() {
                let u = self.queue[head] as usize;
                head += 1;
                let lu = self.level[u];
                if lu >= sink_level {
                    break;
                }
                if self.excess[u] < 0 {
                    sink_level = lu;
                    continue;
                }
                self.cur[u] = self.adj_start[u];
                for e in self.adj_start[u] as usize..self.adj_start[u + 1] as usize {
                    let v = self.adj_head[e] as usize;
                    if self.settled_in[v] == round
                        && self.level[v] == NONE
                        && self.admissible(e, u, v)
                    {
                        self.level[v] = lu + 1;
                        self.queue.push(v as u32);
                    }
                }
            }
            if sink_level == NONE {
                return;
            }
            stats.phases += 1;
            // Blocking flow: depth-first along level-increasing admissible edges from each seed
            // (the first `seeds` queue entries).
            for i in 0..seeds {
                let s = self.queue[i] as usize;
                if self.level[s] != 0 {
                    continue; // a dead end found from an earlier seed
                }
                self.path.clear();
                while self.excess[s] > 0 {
                    let u = match self.path.last() {
                        Some(&e) => self.adj_head[e as usize] as usize,
                        None => s,
                    };
                    if self.excess[u] < 0 {
                        self.augment_path(s, u);
                        stats.augmentations += 1;
                        // Resume from the tail of the first edge that is no longer admissible.
                        let mut keep = self.path.len();
                        let mut tail = s;
                        for (i, &e) in self.path.iter().enumerate() {
                            let head = self.adj_head[e as usize] as usize;
                            if !self.admissible(e as usize, tail, head) {
                                keep = i;
                                break;
                            }
                            tail = head;
                        }
                        self.path.truncate(keep);
                        continue;
                    }
                    if self.level[u] >= sink_level {
                        // A node at the deficit level without deficit: a dead end.
                        self.level[u] = NONE;
                        self.path.pop();
                        continue;
                    }
                    let end = self.adj_start[u + 1];
                    let mut advanced = false;
                    while self.cur[u] < end {
                        let e = self.cur[u] as usize;
                        let v = self.adj_head[e] as usize;
                        if self.settled_in[v] == round
                            && self.level[v] == self.level[u] + 1
                            && self.admissible(e, u, v)
                        {
                            self.path.push(e as u32);
                            advanced = true;
                            break;
                        }
                        self.cur[u] += 1;
                    }
                    if !advanced {
                        // Dead end: no path to a deficit through u in this phase.
                        self.level[u] = NONE;
                        if self.path.pop().is_none() {
                            break;
                        }
                    }
                }
            }
        }
    }

    /// Whether adjacency entry `e` (at node `u`, other end `v`) is a residual edge `u -> v` with
    /// reduced cost 0.
    #[inline]
    fn admissible(&self, e: usize, u: usize, v: usize) -> bool {
        let c = self.out_cost[e];
        c != NO_EDGE && c + self.pot[u] - self.pot[v] == 0
    }

    /// Pushes the largest amount possible along `self.path` (adjacency entries from `s`, which has
    /// excess, to `t`, which has deficit).
    fn augment_path(&mut self, s: usize, t: usize) {
        let mut amount = self.excess[s].min(-self.excess[t]);
        let mut u = s;
        for &e in &self.path {
            let e = e as usize;
            let g = self.adj_group[e] as usize;
            let fwd = self.group_entry_at_from[g] as usize == e;
            amount = amount.min(self.residual(g, fwd));
            u = self.adj_head[e] as usize;
        }
        debug_assert_eq!(u, t);
        for i in 0..self.path.len() {
            let e = self.path[i] as usize;
            let g = self.adj_group[e] as usize;
            let fwd = self.group_entry_at_from[g] as usize == e;
            self.push(g, fwd, amount);
        }
        self.excess[s] -= amount;
        self.excess[t] += amount;
        self.remaining -= amount;
    }

    /// The endpoint of entry `e`'s group other than `v`.
    #[inline]
    fn adj_head_tail(&self, e: usize, v: usize) -> usize {
        let g = self.adj_group[e] as usize;
        let (a, b) = (self.group_from[g] as usize, self.group_to[g] as usize);
        if a == v {
            b
        } else {
            a
        }
    }

    /// The flow per original arc.
    fn flow(&self, p: &Problem) -> Result<(Vec<i64>, i128), McfError> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check_optimality;

    fn all_options() -> Vec<NativeOptions> {
        let mut v = Vec::new();
        for group_parallel_arcs in [false, true] {
            for alternate_directions in [false, true] {
                for blocking_flows_from_search in [1, 3, NativeOptions::NO_BLOCKING_FLOWS] {
                    v.push(NativeOptions {
                        group_parallel_arcs,
                        alternate_directions,
                        blocking_flows_from_search,
                    });
                }
            }
        }
        v
    }

    fn solve_all(p: &Problem) -> Vec<Result<Solution, McfError>> {
        all_options()
            .into_iter()
            .map(|o| NativeSolver::with_options(o).solve(p))
            .collect()
    }

    #[test]
    fn convex_pieces_fill_cheapest_first() {
        let mut p = Problem::new(2);
        p.add_arc(0, 1, 3, 5);
        p.add_arc(0, 1, 3, 1);
        p.add_arc(0, 1, 3, 3);
        p.set_single_pair(0, 1, 5);
        for r in solve_all(&p) {
            let s = r.unwrap();
            assert_eq!(s.flow, vec![0, 3, 2]);
            assert_eq!(s.cost, 9);
            check_optimality(&p, &s).unwrap();
        }
    }

    #[test]
    fn scattered_and_unsorted_parallel_arcs_are_grouped() {
        // Parallel arcs 0 -> 1 interleaved with 0 -> 2 and out of cost order (several groups
        // between the same nodes), and 1 -> 3 pieces consecutive but unsorted (the per-group
        // sort).
        let mut p = Problem::new(4);
        p.add_arc(0, 1, 2, 5);
        p.add_arc(0, 2, 3, 4);
        p.add_arc(0, 1, 2, 1);
        p.add_arc(0, 2, 3, 0);
        p.add_arc(0, 1, 2, 3);
        p.add_arc(1, 3, 3, 2);
        p.add_arc(1, 3, 3, 0);
        p.add_arc(2, 3, 9, 3);
        p.set_single_pair(0, 3, 9);
        let results = solve_all(&p);
        let first = results[0].clone().unwrap();
        for r in results {
            let s = r.unwrap();
            assert_eq!(s.cost, first.cost);
            check_optimality(&p, &s).unwrap();
        }
        // Unit costs in order: 1, 1 (0-1-3 cheap pieces); 3, 3, 3 (0-2-3); 3 (0-1@3, 1-3@0);
        // 5 (0-1@3, 1-3@2); then 7, 7 (0-2@4 + 3, or 0-1@5 + 1-3@2): total 33.
        assert_eq!(first.cost, 33);
    }

    #[test]
    fn reroutes_through_backward_edges() {
        // The classic trap: greedy takes 0-1-2-3, the optimum needs to undo 1-2.
        let mut p = Problem::new(4);
        p.add_arc(0, 1, 1, 1);
        p.add_arc(1, 2, 1, 1);
        p.add_arc(2, 3, 1, 1);
        p.add_arc(0, 2, 1, 5);
        p.add_arc(1, 3, 1, 5);
        p.set_single_pair(0, 3, 2);
        for r in solve_all(&p) {
            let s = r.unwrap();
            assert_eq!(s.cost, 1 + 5 + 5 + 1);
            assert_eq!(s.flow, vec![1, 0, 1, 1, 1]);
            check_optimality(&p, &s).unwrap();
        }
    }

    #[test]
    fn negative_cycle_is_saturated() {
        let mut p = Problem::new(3);
        p.add_arc(0, 1, 2, -3);
        p.add_arc(1, 0, 2, 1);
        p.add_arc(1, 2, 1, 0);
        p.add_arc(2, 2, 4, -1);
        p.set_single_pair(0, 2, 1);
        for r in solve_all(&p) {
            let s = r.unwrap();
            // 0->1 saturated (2 units), 1 unit returns via 1->0, 1 unit goes on to 2; loop full.
            assert_eq!(s.flow, vec![2, 1, 1, 4]);
            assert_eq!(s.cost, -6 + 1 - 4);
            check_optimality(&p, &s).unwrap();
        }
    }

    #[test]
    fn infeasible_reports_max_flow() {
        let mut p = Problem::new(3);
        p.add_arc(0, 1, 5, 1);
        p.add_arc(1, 2, 3, 1);
        p.add_arc(0, 2, 1, 9);
        p.set_single_pair(0, 2, 10);
        for r in solve_all(&p) {
            assert_eq!(
                r.unwrap_err(),
                McfError::Infeasible {
                    max_flow: 4,
                    required: 10
                }
            );
        }
        // Same with a negative arc (exercises the max-flow fallback).
        p.cost[0] = -1;
        for r in solve_all(&p) {
            assert_eq!(
                r.unwrap_err(),
                McfError::Infeasible {
                    max_flow: 4,
                    required: 10
                }
            );
        }
    }

    #[test]
    fn zero_supply_is_zero_flow() {
        let mut p = Problem::new(2);
        p.add_arc(0, 1, 3, 1);
        let s = NativeSolver::new().solve(&p).unwrap();
        assert_eq!(s.flow, vec![0]);
        assert_eq!(s.cost, 0);
    }

    #[test]
    fn empty_problem_solves_to_nothing() {
        let p = Problem::new(0);
        let s = NativeSolver::new().solve(&p).unwrap();
        assert!(s.flow.is_empty());
        assert_eq!(s.cost, 0);
        check_optimality(&p, &s).unwrap();
    }

    #[test]
    fn reuse_between_solves() {
        let mut solver = NativeSolver::new();
        let mut p = Problem::new(3);
        p.add_arc(0, 1, 4, 1);
        p.add_arc(1, 2, 4, 1);
        p.add_arc(0, 2, 4, 3);
        p.set_single_pair(0, 2, 6);
        assert_eq!(solver.solve(&p).unwrap().cost, 8 + 6);
        let mut q = Problem::new(2);
        q.add_arc(1, 0, 1, 7);
        q.set_single_pair(1, 0, 1);
        assert_eq!(solver.solve(&q).unwrap().cost, 7);
        assert_eq!(solver.solve(&p).unwrap().cost, 14);
        assert!(solver.stats().searches >= 2);
    }

    #[test]
    fn invalid_problem_is_rejected() {
        let mut p = Problem::new(2);
        p.add_arc(0, 5, 3, 1);
        assert!(matches!(
            NativeSolver::new().solve(&p),
            Err(McfError::InvalidInput { .. })
        ));
    }
}
