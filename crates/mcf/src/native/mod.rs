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

mod residual;
mod search;

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
    /// The groups' (tail, head) of the build that laid out the adjacency below: a build with
    /// the same ones and the same node count (`n` before it) keeps it.
    prev_group_from: Vec<u32>,
    prev_group_to: Vec<u32>,
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
        let first = results[0].as_ref().unwrap().clone();
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

    /// Arcs sorted by tail with every arc usable take the build's copy path; the same arcs in
    /// another order, or with an unusable arc among them, take the scatter. Same optimal cost,
    /// both certified, and the flow lands on the right arcs.
    #[test]
    fn arcs_sorted_by_tail_solve_like_any_order() {
        let base = crate::gen::convex_network(&crate::gen::ConvexNetworkSpec {
            nodes: 300,
            links: 900,
            ..crate::gen::ConvexNetworkSpec::default()
        });
        let mut arcs: Vec<usize> = (0..base.num_arcs()).collect();
        // Stable: pieces of one direction stay in cost order.
        arcs.sort_by_key(|&a| base.from[a]);
        let rebuilt = |order: &[usize], extra_empty: bool| {
            let mut p = Problem::new(base.num_nodes);
            for &a in order {
                p.add_arc(base.from[a], base.to[a], base.capacity[a], base.cost[a]);
            }
            if extra_empty {
                p.add_arc(0, 1, 0, 5);
            }
            p
        };
        let sorted = rebuilt(&arcs, false);
        let mut shuffled_order = arcs.clone();
        shuffled_order.reverse();
        let shuffled = rebuilt(&shuffled_order, false);
        let with_empty = rebuilt(&arcs, true);
        let mut solved = 0;
        for (k, (s, t)) in crate::gen::instance_pairs(&sorted, 8, 200_000, 3)
            .into_iter()
            .enumerate()
        {
            let mut costs = Vec::new();
            for p in [&sorted, &shuffled, &with_empty] {
                let mut p = p.clone();
                p.set_single_pair(s, t, 100_000 + 50_000 * k as i64);
                match NativeSolver::new().solve(&p) {
                    Ok(sol) => {
                        check_optimality(&p, &sol).unwrap();
                        costs.push(Some(sol.cost));
                    }
                    Err(McfError::Infeasible { .. }) => costs.push(None),
                    Err(e) => panic!("{e}"),
                }
            }
            assert!(costs.iter().all(|c| *c == costs[0]), "{costs:?}");
            solved += usize::from(costs[0].is_some());
        }
        assert!(solved >= 4, "only {solved} of 8 instances feasible");
    }

    /// A solver that saw the same groups before keeps its adjacency and only resets costs
    /// and capacities: after solving one problem, a problem with the same arcs but other costs
    /// and capacities (and then another demand) solves as a fresh solver solves it.
    #[test]
    fn same_groups_with_new_costs_solve_like_a_fresh_solver() {
        let mut p = crate::gen::convex_network(&crate::gen::ConvexNetworkSpec {
            nodes: 200,
            links: 600,
            ..crate::gen::ConvexNetworkSpec::default()
        });
        let pairs = crate::gen::instance_pairs(&p, 6, 150_000, 5);
        let mut kept = NativeSolver::new();
        let mut rng = crate::gen::SplitMix64::new(9);
        let mut solved = 0;
        for (k, &(s, t)) in pairs.iter().enumerate() {
            if k > 0 {
                // New costs and capacities on the same arcs, convex per direction still:
                // pieces keep their cost order after a shared shift.
                let shift = rng.below(1000) as i64;
                for a in 0..p.num_arcs() {
                    p.cost[a] += shift;
                    p.capacity[a] = (p.capacity[a] / 2).max(1) + rng.below(3) as i64;
                }
            }
            p.set_single_pair(s, t, 100_000);
            let fresh = NativeSolver::new().solve(&p);
            let again = kept.solve(&p);
            match (fresh, again) {
                (Ok(a), Ok(b)) => {
                    check_optimality(&p, &b).unwrap();
                    assert_eq!(a.cost, b.cost);
                    solved += 1;
                }
                (Err(a), Err(b)) => assert_eq!(a, b),
                (a, b) => panic!("{a:?} against {b:?}"),
            }
        }
        assert!(solved >= 2, "only {solved} feasible");
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
