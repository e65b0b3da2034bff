//! The one implementation of docs/MODEL.md §3's linearization: [`IncrementalLinearizer`] keeps
//! every direction's pieces and recomputes only what the belief changed.
//!
//! A direction's pieces (units and uncertainty slope per piece) depend only on its own belief
//! entry (`min`, `max`, `in_flight`), its policy and the parameters that shape pieces
//! ([`LinearizeParams`]'s `pieces`, `slopes`, `prune`, `include_inactive`, `quantum`,
//! `cap_at_htlc_max`). The linearizer keeps a snapshot of every direction's belief entry and
//! stores the pieces in flat per-direction slots, each direction stale until computed from the
//! snapshot. [`IncrementalLinearizer::sync`] compares the belief with the snapshot and marks
//! the directions that differ stale (so any change, including [`Belief::forget`], is noticed);
//! [`IncrementalLinearizer::assemble`] computes the stale pieces of the directions the problem
//! uses (a direction left out by the sender/receiver or base-fee filters costs nothing) and
//! writes one problem into a caller-owned [`Linearized`], reusing its buffers: the per-problem
//! filters (sender, receiver, base-fee threshold, excluded directions), the fee term
//! `μ·ppm·q/A` (none on the directions leaving the round's source, whose fee the sender never
//! pays; the threshold does not apply to them either), the optional cut at the demand and the
//! integer scaling.
//!
//! [`crate::linearize()`] is this type used once (build, assemble); a payment loop keeps one
//! linearizer for many rounds and payments, where the belief changes on a few dozen directions
//! between two solves.
//!
//! **Invariant:** every fresh direction's pieces are those of its snapshot under the current
//! parameters, and the snapshot is the belief of the last [`IncrementalLinearizer::new`] or
//! [`IncrementalLinearizer::sync`]; there is no "not yet synced" state. Between a belief change
//! and the next `sync` the linearizer describes the older belief: callers sync before they
//! assemble.
//!
//! **Arc order** ([`ArcOrder`]): by direction (what `linearize` returns: a direction's arcs are
//! contiguous, in piece order), or grouped by (tail, head) with the pieces of parallel channels
//! merged in cost order, which spares a solver from sorting them.

use super::{
    check_belief, check_params, check_round, HtlcMaxRule, LinearizeParams, Linearized, PieceShape,
    SlopeRule, MAX_UNIT_COST, PRUNE_MAX_ARCS, PRUNE_MIN_PROBABILITY, PRUNE_TEST_AMOUNT,
};
use crate::belief::{interval_entropy_bits, uniform_probability, Belief};
use crate::error::UncertaintyError;
use pp_graph::{DirIdx, Graph, Msat, NodeIdx};

mod assemble;
mod bounds;
mod detached;
pub use detached::DetachedLinearizer;
mod pieces;

/// The order in which [`IncrementalLinearizer::assemble`] writes arcs. Either way the problem
/// has the same arcs, so the same optimal cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum ArcOrder {
    /// By direction index; a direction's arcs are contiguous, in piece order (what
    /// [`crate::linearize()`] returns). Default.
    #[default]
    Direction,
    /// Grouped by (tail, head): directions sorted by (source, target, index), and within a
    /// group of parallel channels the pieces of all of them merged by exact cost (ties by
    /// direction, then piece). A direction's arcs stay in piece order but may interleave with
    /// a parallel channel's. Solvers that group arcs by endpoints then need no sort.
    Endpoints,
}

/// What one assembled problem routes: from `source` to `target`, `amount`, optionally without
/// some directions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Round<'a> {
    /// The sender. It pays no fee on its own directions, so they get no fee term and the
    /// base-fee threshold does not apply to them.
    pub source: NodeIdx,
    /// The receiver.
    pub target: NodeIdx,
    /// The amount to deliver (1 msat ..= 21 million BTC).
    pub amount: Msat,
    /// Per direction (indexed by [`DirIdx`], one entry per direction of the graph): `true`
    /// leaves it out of this problem, e.g. hops a payment loop found unusable. `None` keeps
    /// every direction.
    pub excluded: Option<&'a [bool]>,
}

impl<'a> Round<'a> {
    /// `amount` from `source` to `target` over every direction.
    pub fn new(source: NodeIdx, target: NodeIdx, amount: Msat) -> Self {
        Round {
            source,
            target,
            amount,
            excluded: None,
        }
    }

    /// The same round without the directions marked in `excluded` (see [`Round::excluded`]).
    pub fn excluding(self, excluded: &'a [bool]) -> Self {
        Round {
            excluded: Some(excluded),
            ..self
        }
    }
}

/// docs/MODEL.md §3's piecewise linearization, kept up to date with a changing [`Belief`] (see the
/// module docs).
///
/// ```
/// # use pp_graph::{DirectionRecord, GraphBuilder, Msat, NodeId, Policy, Ppm};
/// use pp_uncertainty::{linearize, ArcOrder, Belief, IncrementalLinearizer, LinearizeParams, Linearized, Round};
/// # let mut b = GraphBuilder::new();
/// # for (s, t) in [(1, 2), (2, 1)] {
/// #     b.add(&DirectionRecord {
/// #         scid: "1x1x0".parse().unwrap(),
/// #         source: NodeId::synthetic(s),
/// #         destination: NodeId::synthetic(t),
/// #         capacity: Msat(1_000_000),
/// #         policy: Policy { base_fee_msat: Msat(0), fee_ppm: Ppm(10), cltv_delta: 40,
/// #             htlc_minimum_msat: Msat(0), htlc_maximum_msat: Msat(1_000_000),
/// #             active: true, last_update: 0 },
/// #     }).unwrap();
/// # }
/// # let graph = b.build();
/// let (alice, bob) = (graph.node_index(&NodeId::synthetic(1)).unwrap(),
///                     graph.node_index(&NodeId::synthetic(2)).unwrap());
/// let params = LinearizeParams::default();
/// let mut belief = Belief::new(&graph);
/// let mut model = IncrementalLinearizer::new(&graph, &belief, &params, ArcOrder::Direction)?;
/// let mut problem = Linearized::default();
/// let round = Round::new(alice, bob, Msat(300_000));
/// model.assemble(&round, &mut problem)?;
///
/// // Learn something, sync (only that direction is recomputed), assemble again.
/// let d = graph.out_dirs(alice).next().unwrap();
/// belief.learn_forwarded(d, Msat(400_000))?;
/// model.sync(&belief)?;
/// model.assemble(&round, &mut problem)?;
/// assert_eq!(problem, linearize(&graph, &belief, alice, bob, Msat(300_000), &params)?);
/// # Ok::<(), pp_uncertainty::UncertaintyError>(())
/// ```
#[derive(Clone)]
pub struct IncrementalLinearizer<'g> {
    graph: &'g Graph,
    /// Everything else: what a [`DetachedLinearizer`] keeps without the graph.
    f: Fields,
}

/// The state of an [`IncrementalLinearizer`] besides its graph.
#[derive(Clone)]
pub(super) struct Fields {
    /// A digest of the graph the linearizer describes (`detached::graph_fingerprint`), checked
    /// when a detached linearizer is attached again.
    fingerprint: u64,
    params: LinearizeParams,
    arc_order: ArcOrder,
    /// Slots per direction: `pieces + 1`.
    stride: usize,
    /// Per direction: the belief entry (min, max, in_flight in msat) the pieces were computed
    /// from.
    seen: Vec<(u64, u64, u64)>,
    /// The [`Belief::revision`] of the last sync: a sync with a belief of the same revision
    /// has nothing to compare.
    seen_revision: u64,
    /// Per direction: its entropy in bits, valid where `entropy_ok`.
    entropy: Vec<f64>,
    entropy_ok: Vec<bool>,
    /// With [`ArcOrder::Endpoints`]: per direction its position, per position the direction
    /// and the end of its run of parallel directions. Empty with [`ArcOrder::Direction`]
    /// (position = direction).
    pos_of: Vec<u32>,
    order: Vec<u32>,
    run_end: Vec<u32>,
    /// Per position, copied from the graph so that assembling reads every array front to back:
    /// source, target, base fee (msat), fee rate (ppm).
    pos_src: Vec<u32>,
    pos_dst: Vec<u32>,
    pos_base_fee: Vec<u64>,
    pos_ppm: Vec<u32>,
    /// Per position: the number of pieces ([`STALE`] until computed from the snapshot), and
    /// `stride` slots of (piece, units, slope).
    count: Vec<u16>,
    slot_piece: Vec<u8>,
    slot_units: Vec<u64>,
    slot_slope: Vec<f64>,
    /// Per position, valid where the pieces are: the units the direction can carry in one
    /// round, its pieces' total capped at `htlc_maximum_msat / quantum` (what the base fee's
    /// envelope spreads over before the round's demand caps it).
    room: Vec<u64>,
    /// The node whose outgoing directions' pieces are cached without their `htlc_maximum_msat`
    /// cap (the last round's source with [`LinearizeParams::source_uncapped`]: a sender's own
    /// channel is not limited by the maximum it advertises for forwarding); [`NO_SOURCE`]
    /// before the first round or without that setting.
    own_source: u32,
    /// Scratch for merging the pieces of parallel directions: (exact cost, dir, piece, units).
    merge: Vec<(f64, u32, u8, u64)>,
}

impl std::fmt::Debug for IncrementalLinearizer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IncrementalLinearizer")
            .field("directions", &self.f.count.len())
            .field(
                "stale",
                &self.f.count.iter().filter(|&&c| c == STALE).count(),
            )
            .field("params", &self.f.params)
            .field("arc_order", &self.f.arc_order)
            .finish_non_exhaustive()
    }
}

/// [`Fields::own_source`] before any round: no node.
const NO_SOURCE: u32 = u32::MAX;

/// The piece count of a direction whose pieces are not computed from its snapshot yet (a
/// direction has at most 256 pieces: the certain one and 255 uncertain ones).
const STALE: u16 = u16::MAX;

/// Stale directions from which [`IncrementalLinearizer::refresh`] (and the assembly, which
/// refreshes first) computes on rayon's thread pool: 4,096 directions, so that only a fresh or
/// forgotten belief's first round goes to the pool; a payment's later rounds change a few
/// dozen directions, not worth a hand-off.
#[cfg_attr(not(feature = "parallel"), allow(dead_code))]
const PARALLEL_MIN_STALE: usize = 4096;

/// Directions per parallel task: 1,024.
#[cfg(feature = "parallel")]
const PARALLEL_CHUNK: usize = 1024;

/// `g(b) − g(a)` for `g(x) = −ln P(x)` on the interval `mn..=mx`, for `a <= b <= mx` (totals
/// including in-flight): `ln((mx + 1 − a') / (mx + 1 − b'))` with `a' = max(a, mn)`.
#[inline]
pub(super) fn neg_log_increase(mn: u64, mx: u64, a: u64, b: u64) -> f64 {
    let (a, b) = (a.max(mn), b.max(mn));
    ((b - a) as f64 / ((mx - b) as f64 + 1.0)).ln_1p()
}

/// `x.round() as i64` for `0 <= x < 2^52` without a libm call (the baseline x86-64 target has
/// no rounding instruction): truncate, then add one if the exact fraction is at least a half
/// (ties away from zero, as `f64::round`).
#[inline]
fn round_nonneg(x: f64) -> i64 {
    let t = x as i64;
    if x - t as f64 >= 0.5 {
        t + 1
    } else {
        t
    }
}

/// Do `a` and `b` give every direction the same pieces?
fn same_pieces(a: &LinearizeParams, b: &LinearizeParams) -> bool {
    a.shape == b.shape
}

/// Directions sorted by (source, target, index): (order, run_end, pos_of).
fn endpoint_order(graph: &Graph) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
    let d = graph.direction_count();
    let (srcs, dsts) = (graph.sources(), graph.targets());
    // Directions are stored by source; sort each source's range by target.
    let mut order: Vec<u32> = (0..d as u32).collect();
    for u in graph.nodes() {
        let r = graph.out_range(u);
        order[r.start as usize..r.end as usize].sort_by_key(|&e| (dsts[e as usize], e));
    }
    let mut run_end = vec![0u32; d];
    let mut k = d;
    while k > 0 {
        let end = k;
        let key = |p: usize| (srcs[order[p] as usize], dsts[order[p] as usize]);
        let first = key(k - 1);
        while k > 0 && key(k - 1) == first {
            k -= 1;
            run_end[k] = end as u32;
        }
    }
    let mut pos_of = vec![0u32; d];
    for (p, &e) in order.iter().enumerate() {
        pos_of[e as usize] = p as u32;
    }
    (order, run_end, pos_of)
}

impl<'g> IncrementalLinearizer<'g> {
    /// A linearizer of `graph` with `params`, synced with `belief`, to assemble in `arc_order`
    /// (pieces are computed when first assembled).
    ///
    /// # Errors
    /// [`UncertaintyError::GraphMismatch`] when the belief belongs to another graph,
    /// [`UncertaintyError::InvalidParameter`] for parameters out of their domain.
    ///
    /// # Complexity
    /// O(D · N) memory for D directions and N pieces; O(D) time, plus O(D log D) to sort with
    /// [`ArcOrder::Endpoints`].
    pub fn new(
        graph: &'g Graph,
        belief: &Belief,
        params: &LinearizeParams,
        arc_order: ArcOrder,
    ) -> Result<Self, UncertaintyError> {
        check_belief(graph, belief)?;
        check_params(params)?;
        let d = graph.direction_count();
        let stride = params.shape.pieces as usize + 1;
        let (order, run_end, pos_of) = match arc_order {
            ArcOrder::Direction => (Vec::new(), Vec::new(), Vec::new()),
            ArcOrder::Endpoints => endpoint_order(graph),
        };
        let dir = |p: usize| {
            if order.is_empty() {
                p
            } else {
                order[p] as usize
            }
        };
        let (srcs, dsts, pols) = (graph.sources(), graph.targets(), graph.policies());
        let pos_src = (0..d).map(|p| srcs[dir(p)].0).collect();
        let pos_dst = (0..d).map(|p| dsts[dir(p)].0).collect();
        let pos_base_fee = (0..d).map(|p| pols[dir(p)].base_fee_msat.0).collect();
        let pos_ppm = (0..d).map(|p| pols[dir(p)].fee_ppm.0).collect();
        let mut model = IncrementalLinearizer {
            graph,
            f: Fields {
                fingerprint: detached::graph_fingerprint(graph),
                params: params.clone(),
                arc_order,
                stride,
                seen: Vec::with_capacity(d),
                seen_revision: belief.revision(),
                entropy: vec![0.0; d],
                entropy_ok: vec![false; d],
                pos_of,
                order,
                run_end,
                pos_src,
                pos_dst,
                pos_base_fee,
                pos_ppm,
                count: vec![STALE; d],
                slot_piece: vec![0; d * stride],
                slot_units: vec![0; d * stride],
                slot_slope: vec![0.0; d * stride],
                room: vec![0; d],
                own_source: NO_SOURCE,
                merge: Vec::new(),
            },
        };
        let (mins, maxs, infl) = (belief.mins(), belief.maxs(), belief.in_flights());
        model
            .f
            .seen
            .extend((0..d).map(|i| (mins[i].0, maxs[i].0, infl[i].0)));
        Ok(model)
    }

    /// The graph.
    pub fn graph(&self) -> &'g Graph {
        self.graph
    }

    /// The parameters.
    pub fn params(&self) -> &LinearizeParams {
        &self.f.params
    }

    /// The arc order of assembled problems.
    pub fn arc_order(&self) -> ArcOrder {
        self.f.arc_order
    }

    /// Replaces the parameters. `mu`, `base_fee_threshold`, `cost_scale` and `cap_at_demand`
    /// only matter when assembling, so changing only them costs nothing; changing a parameter
    /// that shapes pieces (`pieces`, `slopes`, `prune`, `include_inactive`, `quantum`,
    /// `cap_at_htlc_max`) makes every direction stale (recomputed from the snapshot of the last
    /// sync when next needed).
    ///
    /// # Errors
    /// [`UncertaintyError::InvalidParameter`] for parameters out of their domain (the old ones
    /// are kept).
    ///
    /// # Complexity
    /// O(1), or O(D · N) when pieces change.
    pub fn set_params(&mut self, params: &LinearizeParams) -> Result<(), UncertaintyError> {
        check_params(params)?;
        let rebuild = !same_pieces(&self.f.params, params);
        self.f.params.clone_from(params);
        if rebuild {
            let d = self.f.count.len();
            self.f.stride = params.shape.pieces as usize + 1;
            self.f.slot_piece.resize(d * self.f.stride, 0);
            self.f.slot_units.resize(d * self.f.stride, 0);
            self.f.slot_slope.resize(d * self.f.stride, 0.0);
            self.f.count.fill(STALE);
        }
        Ok(())
    }

    /// Takes the belief's entries (`min`, `max`, `in_flight`) as the new snapshot; the
    /// directions whose entry changed since the last sync become stale (their pieces are
    /// recomputed when next needed, O(N) each).
    ///
    /// # Errors
    /// [`UncertaintyError::GraphMismatch`] when the belief belongs to another graph.
    ///
    /// # Complexity
    /// O(D) comparisons; O(1) when the belief has the revision of the last sync
    /// ([`Belief::revision`]: nothing changed since).
    pub fn sync(&mut self, belief: &Belief) -> Result<(), UncertaintyError> {
        check_belief(self.graph, belief)?;
        if belief.revision() == self.f.seen_revision {
            return Ok(());
        }
        self.f.seen_revision = belief.revision();
        let (mins, maxs, infl) = (belief.mins(), belief.maxs(), belief.in_flights());
        for i in 0..self.f.seen.len() {
            let now = (mins[i].0, maxs[i].0, infl[i].0);
            if self.f.seen[i] != now {
                self.f.seen[i] = now;
                self.f.entropy_ok[i] = false;
                let pos = self.pos(i);
                self.f.count[pos] = STALE;
            }
        }
        Ok(())
    }

    /// Computes the pieces and entropy of every stale direction now rather than when first
    /// needed (e.g. before timing payments). With many stale directions (at least
    /// 4,096, e.g. the first round on a fresh belief) the work is spread over
    /// rayon's thread pool (feature `parallel`, on by default); the result is the same to the
    /// bit either way, since every direction's pieces depend only on its own entry.
    ///
    /// # Complexity
    /// O(D) plus O(N) per stale direction.
    pub fn refresh(&mut self) {
        self.refresh_pieces();
        self.refresh_entropy();
    }

    /// The belief's total entropy as of the last sync, equal to the bit to
    /// [`Belief::total_entropy_bits`] (same terms, same order) but with a logarithm only for the
    /// directions that changed since the previous call.
    ///
    /// # Complexity
    /// O(D) additions plus a logarithm per changed direction.
    pub fn total_entropy_bits(&mut self) -> f64 {
        self.refresh_entropy();
        self.f.entropy.iter().sum()
    }

    /// Position of direction `i` in the slots.
    #[inline]
    fn pos(&self, i: usize) -> usize {
        if self.f.pos_of.is_empty() {
            i
        } else {
            self.f.pos_of[i] as usize
        }
    }

    /// Direction at position `pos`.
    #[inline]
    fn dir_at(&self, pos: usize) -> usize {
        if self.f.order.is_empty() {
            pos
        } else {
            self.f.order[pos] as usize
        }
    }

    /// The number of pieces of direction `i` at position `pos`, computed first if stale.
    #[inline]
    /// Makes `source` (with [`LinearizeParams::source_uncapped`], else no node) the node whose
    /// outgoing directions are not capped at their `htlc_maximum_msat` (see
    /// [`Fields::own_source`]): the directions of the previous source
    /// and of the new one become stale. O(deg) when the source changes, O(1) otherwise.
    fn set_own_source(&mut self, source: NodeIdx) {
        let new = if self.f.params.source_uncapped {
            source.0
        } else {
            NO_SOURCE
        };
        let old = self.f.own_source;
        if old == new {
            return;
        }
        self.f.own_source = new;
        let graph = self.graph;
        for node in [old, new] {
            if node == NO_SOURCE {
                continue;
            }
            for d in graph.out_dirs(NodeIdx(node)) {
                let pos = self.pos(d.ix());
                self.f.count[pos] = STALE;
            }
        }
    }

    fn pieces_at(&mut self, pos: usize, i: usize) -> usize {
        if self.f.count[pos] == STALE {
            self.recompute(pos, i);
        }
        self.f.count[pos] as usize
    }
}

#[cfg(test)]
mod tests {
    use super::bounds::cut_probability_bound;
    use super::*;
    use crate::linearize::linearize;
    use pp_graph::{generate, GeneratorParams};
    use pp_mcf::McfSolver;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    type Arc = (u32, u8, i64, i64, u64);

    /// Arcs as (dir, piece, capacity, integer cost, exact cost bits), sorted.
    fn arcs(l: &Linearized) -> Vec<Arc> {
        let mut v: Vec<Arc> = (0..l.problem.num_arcs())
            .map(|a| {
                (
                    l.arc_dir[a].0,
                    l.arc_piece[a],
                    l.problem.capacity[a],
                    l.problem.cost[a],
                    l.arc_cost_exact[a].to_bits(),
                )
            })
            .collect();
        v.sort_unstable();
        v
    }

    /// A belief that learned random things (forwarded, failed, in flight).
    fn random_belief(g: &Graph, seed: u64) -> Belief {
        let mut b = Belief::new(g);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        for d in g.directions() {
            let c = g.capacity(d).0;
            // The truth: a random liquidity; learn consistently with it.
            let l = rng.gen_range(0..=c);
            match rng.gen_range(0..5) {
                0 => {
                    let x = rng.gen_range(0..=l);
                    let _ = b.learn_forwarded(d, Msat(x));
                }
                1 if l < c => {
                    let x = rng.gen_range(l + 1..=c);
                    let _ = b.learn_failed(d, Msat(x));
                }
                2 => {
                    let _ = b.reserve(d, Msat(rng.gen_range(0..=c / 2)));
                }
                _ => {}
            }
        }
        b
    }

    #[test]
    fn cut_bound_water_fills() {
        // Two uncertain directions of widths 99 and 199 (D = 100, 200), 50 to send: the optimum
        // leaves the same room t in both: (100 − g1) = (200 − g2) with g1 + g2 = 50 → g1 = 0
        // (100 ≤ t = 150), g2 = 50: P = 150/200.
        let b = cut_probability_bound(&[(0.0, 99.0), (0.0, 199.0)], 50.0);
        assert!((b - 0.75).abs() < 1e-9, "{b}");
        // 150 to send: t = 75 → g1 = 25, g2 = 125: P = 75/100 · 75/200.
        let b = cut_probability_bound(&[(0.0, 99.0), (0.0, 199.0)], 150.0);
        assert!((b - 0.75 * 0.375).abs() < 1e-9, "{b}");
        // Certain liquidity is free; beyond the widths nothing is possible.
        assert_eq!(
            cut_probability_bound(&[(40.0, 10.0), (20.0, 0.0)], 60.0),
            1.0
        );
        assert_eq!(cut_probability_bound(&[(40.0, 10.0)], 51.0), 0.0);
        // Brute force on a small cut: the bound is the maximum over integer splits.
        let cut = [(3.0, 7.0), (0.0, 12.0), (1.0, 4.0)];
        for amount in 0..=27u32 {
            let mut best = 0.0_f64;
            for f0 in 0..=10u32 {
                for f1 in 0..=12u32 {
                    let f2 = amount as i64 - f0 as i64 - f1 as i64;
                    if !(0..=5).contains(&f2) {
                        continue;
                    }
                    let p = |f: f64, (c, w): (f64, f64)| {
                        ((w + 1.0 - (f - c).max(0.0)) / (w + 1.0)).min(1.0)
                    };
                    let v = p(f0 as f64, cut[0]) * p(f1 as f64, cut[1]) * p(f2 as f64, cut[2]);
                    best = best.max(v);
                }
            }
            let b = cut_probability_bound(&cut, amount as f64);
            assert!(b >= best - 1e-12, "{amount}: bound {b} below {best}");
            assert!(
                b <= best * 1.35 + 1e-12,
                "{amount}: bound {b} far above {best}"
            );
        }
    }

    #[test]
    fn round_nonneg_is_f64_round() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for x in [
            0.0,
            0.5,
            1.5,
            2.5,
            0.49999999999999994,
            4503599627370495.5,
            1e12 + 0.5,
        ] {
            assert_eq!(round_nonneg(x), x.round() as i64, "{x}");
        }
        for _ in 0..100_000 {
            let x: f64 = rng.gen_range(0.0..(1u64 << 41) as f64) * rng.gen_range(0.0..1.0);
            assert_eq!(round_nonneg(x), x.round() as i64, "{x}");
        }
    }

    /// Refreshing many stale directions at once (on rayon's pool with the `parallel` feature)
    /// gives every direction the pieces and entropy it gets computed one at a time, and a sync
    /// that makes only a few stale refreshes just those.
    #[test]
    fn refreshing_many_directions_at_once_matches_one_at_a_time() {
        let g = generate(&GeneratorParams::new(1500, 9)).expect("generated");
        assert!(
            g.direction_count() > 2 * PARALLEL_MIN_STALE,
            "{}",
            g.direction_count()
        );
        for (order, seed) in [(ArcOrder::Endpoints, 1), (ArcOrder::Direction, 2)] {
            let b = random_belief(&g, seed);
            let params = LinearizeParams::default();
            let mut all = IncrementalLinearizer::new(&g, &b, &params, order).expect("ok");
            let total = all.total_entropy_bits();
            all.refresh();
            let mut one = IncrementalLinearizer::new(&g, &b, &params, order).expect("ok");
            for i in 0..g.direction_count() {
                let pos = one.pos(i);
                one.recompute(pos, i);
            }
            assert_eq!(all.f.count, one.f.count);
            assert_eq!(all.f.room, one.f.room);
            assert_eq!(all.f.slot_units, one.f.slot_units);
            assert_eq!(all.f.slot_piece, one.f.slot_piece);
            assert!(all.f.slot_slope.iter().map(|x| x.to_bits()).eq(one
                .f
                .slot_slope
                .iter()
                .map(|x| x.to_bits())));
            assert_eq!(total.to_bits(), b.total_entropy_bits().to_bits());
            // A few changes: only they are stale, and refreshed alike.
            let mut b2 = b.clone();
            for d in g.directions().step_by(97) {
                let _ = b2.reserve(d, Msat(1));
            }
            all.sync(&b2).expect("same graph");
            assert!(all.f.count.iter().filter(|&&c| c == STALE).count() < PARALLEL_MIN_STALE);
            all.refresh();
            let fresh = IncrementalLinearizer::new(&g, &b2, &params, order).map(|mut m| {
                m.refresh();
                m
            });
            let fresh = fresh.expect("ok");
            assert_eq!(all.f.count, fresh.f.count);
            for (pos, &n) in fresh.f.count.iter().enumerate() {
                let r = pos * fresh.f.stride..pos * fresh.f.stride + n as usize;
                assert_eq!(all.f.slot_units[r.clone()], fresh.f.slot_units[r.clone()]);
                assert_eq!(all.f.slot_slope[r.clone()], fresh.f.slot_slope[r]);
            }
            assert_eq!(
                all.total_entropy_bits().to_bits(),
                b2.total_entropy_bits().to_bits()
            );
        }
    }

    /// A detached linearizer attached again to its graph, with a belief that changed since,
    /// assembles what a fresh linearizer of that belief assembles; another graph is refused.
    #[test]
    fn detached_linearizers_attach_to_their_graph_only() {
        let g = generate(&GeneratorParams::new(150, 4)).expect("generated");
        let nodes: Vec<NodeIdx> = g.nodes().collect();
        let params = LinearizeParams::default();
        let b1 = random_belief(&g, 1);
        let mut model =
            IncrementalLinearizer::new(&g, &b1, &params, ArcOrder::Endpoints).expect("ok");
        let round = Round::new(nodes[0], nodes[nodes.len() - 1], Msat(40_000_000));
        let mut out = Linearized::default();
        model.assemble(&round, &mut out).expect("valid");
        let detached = model.detach();
        let b2 = random_belief(&g, 2);
        let mut again =
            IncrementalLinearizer::attach(&g, detached.clone(), &b2).expect("same graph");
        again.assemble(&round, &mut out).expect("valid");
        let mut fresh =
            IncrementalLinearizer::new(&g, &b2, &params, ArcOrder::Endpoints).expect("ok");
        let mut want = Linearized::default();
        fresh.assemble(&round, &mut want).expect("valid");
        assert_eq!(out, want);
        let other = generate(&GeneratorParams::new(150, 5)).expect("generated");
        let b3 = Belief::new(&other);
        assert_eq!(
            IncrementalLinearizer::attach(&other, detached, &b3).err(),
            Some(UncertaintyError::OtherGraph)
        );
    }

    /// The payment loop's configuration (arcs grouped by endpoints, synced through a sequence
    /// of beliefs, μ and threshold changed per round) assembles the arcs `linearize` builds
    /// from scratch; cutting the pieces at the demand keeps the optimal cost.
    #[test]
    fn grouped_synced_model_assembles_the_arcs_of_linearize() {
        let g = generate(&GeneratorParams::new(150, 4)).expect("generated");
        let nodes: Vec<NodeIdx> = g.nodes().collect();
        for (k, (pieces, slopes, prune, quantum)) in [
            (5, SlopeRule::Secant, false, 1000),
            (3, SlopeRule::Linear, false, 1),
            (7, SlopeRule::Secant, true, 10_000),
        ]
        .into_iter()
        .enumerate()
        {
            let base = LinearizeParams {
                shape: PieceShape {
                    pieces,
                    slopes,
                    prune,
                    quantum: Msat(quantum),
                    ..PieceShape::default()
                },
                ..LinearizeParams::default()
            };
            let prior = Belief::new(&g);
            let mut model =
                IncrementalLinearizer::new(&g, &prior, &base, ArcOrder::Endpoints).expect("ok");
            let mut out = Linearized::default();
            for round in 0..4u64 {
                let b = random_belief(&g, 10 * k as u64 + round);
                // Synced incrementally from the previous belief.
                model.sync(&b).expect("same graph");
                let (s, t) = (
                    nodes[round as usize],
                    nodes[nodes.len() - 1 - round as usize],
                );
                for (amount, mu, threshold) in [
                    (Msat(50_000_000), 0.0, Msat::ZERO),
                    (Msat(1_234_567_891), 0.7, Msat(1000)),
                    (Msat(999), 3.0, Msat::MAX),
                ] {
                    let params = LinearizeParams {
                        mu,
                        base_fee_threshold: threshold,
                        ..base.clone()
                    };
                    let want = linearize(&g, &b, s, t, amount, &params).expect("valid");
                    model.set_params(&params).expect("valid");
                    model
                        .assemble(&Round::new(s, t, amount), &mut out)
                        .expect("valid");
                    assert_eq!(arcs(&out), arcs(&want), "{params:?} round {round} {amount}");
                    assert_eq!(out.problem.supply, want.problem.supply);
                    assert_eq!(out.cost_scale, want.cost_scale);
                    assert_eq!(out.demand_units, want.demand_units);
                    // Capping at the demand keeps the optimum (checked by solving both).
                    model
                        .set_params(&LinearizeParams {
                            cap_at_demand: true,
                            ..params
                        })
                        .expect("valid");
                    model
                        .assemble(&Round::new(s, t, amount), &mut out)
                        .expect("valid");
                    assert!(out.problem.num_arcs() <= want.problem.num_arcs());
                    let mut solver = pp_mcf::NativeSolver::new();
                    match (solver.solve(&want.problem), solver.solve(&out.problem)) {
                        (Ok(a), Ok(b)) => assert_eq!(a.cost, b.cost),
                        (Err(a), Err(b)) => assert_eq!(a, b),
                        (a, b) => panic!("capping changed feasibility: {a:?} vs {b:?}"),
                    }
                }
            }
        }
    }

    /// With `source_uncapped` the sender's own directions are not capped at their
    /// `htlc_maximum_msat`, other directions are; a linearizer that changes source from round to round recomputes the
    /// directions of the old and the new source and assembles the arcs of `linearize`.
    #[test]
    fn only_the_sources_own_directions_ignore_their_htlc_maximum() {
        let g0 = generate(&GeneratorParams::new(80, 5)).expect("generated");
        // Every maximum at a tenth of the capacity, so that it binds.
        let g = rebuild(&g0, |_, cap| Msat(cap.0 / 10));
        let belief = random_belief(&g, 7);
        let params = LinearizeParams {
            cap_at_demand: false,
            source_uncapped: true,
            ..LinearizeParams::default()
        };
        let mut model =
            IncrementalLinearizer::new(&g, &belief, &params, ArcOrder::Direction).expect("ok");
        let mut out = Linearized::default();
        let nodes: Vec<NodeIdx> = g.nodes().collect();
        let t = nodes[nodes.len() - 1];
        let (mut own_above, mut others_above) = (0, 0);
        for &s in nodes.iter().take(6).chain(nodes.iter().take(2)) {
            let amount = Msat(10_000_000);
            model
                .assemble(&Round::new(s, t, amount), &mut out)
                .expect("valid");
            let want = linearize(&g, &belief, s, t, amount, &params).expect("valid");
            assert_eq!(arcs(&out), arcs(&want), "source {s:?}");
            let mut per_dir = vec![0u64; g.direction_count()];
            for (a, d) in out.arc_dir.iter().enumerate() {
                per_dir[d.ix()] += out.problem.capacity[a] as u64 * 1000;
            }
            for d in g.directions() {
                let above = per_dir[d.ix()] > g.policy(d).htlc_maximum_msat.0;
                if g.source(d) == s {
                    own_above += usize::from(above);
                } else {
                    others_above += usize::from(above);
                }
            }
        }
        assert!(
            own_above > 0,
            "some own direction offers more than its maximum"
        );
        assert_eq!(others_above, 0, "no other direction does");
    }

    /// `g` rebuilt from its directions in storage order, with every `htlc_maximum_msat` set to
    /// `max(htlc_maximum_msat, capacity)`. Two rebuilds share node and direction indices.
    fn rebuild(g: &Graph, max: impl Fn(Msat, Msat) -> Msat) -> Graph {
        let mut b = pp_graph::GraphBuilder::new();
        for d in g.directions() {
            let mut policy = *g.policy(d);
            policy.htlc_maximum_msat = max(policy.htlc_maximum_msat, g.capacity(d));
            b.add(&pp_graph::DirectionRecord {
                scid: g.scid(d),
                source: g.node_id(g.source(d)),
                destination: g.node_id(g.target(d)),
                capacity: g.capacity(d),
                policy,
            })
            .expect("valid");
        }
        b.build()
    }

    #[test]
    fn per_part_htlc_max_is_linearize_without_htlc_max() {
        let generated = generate(&GeneratorParams::new(150, 6)).expect("generated");
        let g = rebuild(&generated, |max, _| max);
        let open = rebuild(&generated, |_, cap| cap);
        // Same node and direction indices: records were added in storage order.
        assert_eq!(open.direction_count(), g.direction_count());
        for d in g.directions() {
            assert_eq!((open.source(d), open.target(d)), (g.source(d), g.target(d)));
        }
        assert!(g
            .directions()
            .any(|d| g.policy(d).htlc_maximum_msat < g.capacity(d)));
        let b = random_belief(&g, 77);
        let (s, t) = (NodeIdx(0), NodeIdx(5));
        let params = LinearizeParams {
            mu: 0.5,
            base_fee_threshold: Msat::MAX,
            ..LinearizeParams::default()
        };
        let per_part = LinearizeParams {
            shape: PieceShape {
                htlc_max: HtlcMaxRule::PerPart,
                ..PieceShape::default()
            },
            ..params.clone()
        };
        for order in [ArcOrder::Direction, ArcOrder::Endpoints] {
            let mut model = IncrementalLinearizer::new(&g, &b, &per_part, order).expect("ok");
            let mut out = Linearized::default();
            model
                .assemble(&Round::new(s, t, Msat(70_000_000)), &mut out)
                .expect("valid");
            let want = linearize(&open, &b, s, t, Msat(70_000_000), &params).expect("valid");
            assert_eq!(arcs(&out), arcs(&want));
            // ... and differs from the capped problem on this graph.
            let capped = linearize(&g, &b, s, t, Msat(70_000_000), &params).expect("valid");
            assert_ne!(arcs(&out), arcs(&capped));
        }
    }

    #[test]
    fn parallel_channels_come_sorted_by_cost() {
        let g = generate(&GeneratorParams::new(300, 2)).expect("generated");
        let b = random_belief(&g, 3);
        let params = LinearizeParams {
            shape: PieceShape {
                htlc_max: HtlcMaxRule::PerPart,
                ..PieceShape::default()
            },
            mu: 1.0,
            base_fee_threshold: Msat::MAX,
            cap_at_demand: true,
            ..LinearizeParams::default()
        };
        let mut model =
            IncrementalLinearizer::new(&g, &b, &params, ArcOrder::Endpoints).expect("ok");
        assert!(
            (0..model.f.order.len()).any(|k| model.f.run_end[k] as usize > k + 1),
            "the generated graph has parallel channels"
        );
        let mut out = Linearized::default();
        model
            .assemble(
                &Round::new(NodeIdx(0), NodeIdx(1), Msat(10_000_000_000)),
                &mut out,
            )
            .expect("valid");
        let p = &out.problem;
        let mut seen = std::collections::HashSet::new();
        for a in 0..p.num_arcs() {
            let key = (p.from[a], p.to[a]);
            if a > 0 && (p.from[a - 1], p.to[a - 1]) == key {
                assert!(p.cost[a - 1] <= p.cost[a], "sorted within a group");
            } else {
                assert!(seen.insert(key), "(tail, head) {key:?} in one run");
            }
        }
    }

    #[test]
    fn rounds_and_beliefs_are_checked() {
        let g = generate(&GeneratorParams::new(20, 1)).expect("generated");
        let b = Belief::new(&g);
        let p = LinearizeParams::default();
        let mut model = IncrementalLinearizer::new(&g, &b, &p, ArcOrder::Direction).expect("ok");
        let mut out = Linearized::default();
        let (s, t) = (NodeIdx(0), NodeIdx(1));
        let short = vec![false; 3];
        for (round, what) in [
            (Round::new(s, s, Msat(1)), "same node"),
            (Round::new(s, NodeIdx(999), Msat(1)), "node out of range"),
            (Round::new(s, t, Msat(0)), "zero amount"),
            (
                Round::new(s, t, Msat(1)).excluding(&short),
                "short exclusions",
            ),
        ] {
            assert!(model.assemble(&round, &mut out).is_err(), "{what}");
            assert!(model.cut_bound(&round).is_err(), "{what}");
            assert!(model.probability_bound(&round).is_err(), "{what}");
        }
        let other = generate(&GeneratorParams::new(30, 2)).expect("generated");
        assert!(matches!(
            model.sync(&Belief::new(&other)),
            Err(UncertaintyError::GraphMismatch { .. })
        ));
        assert!(matches!(
            IncrementalLinearizer::new(&other, &b, &p, ArcOrder::Direction),
            Err(UncertaintyError::GraphMismatch { .. })
        ));
        // Refused parameters leave the old ones in place.
        let bad = LinearizeParams {
            shape: PieceShape {
                quantum: Msat(0),
                ..PieceShape::default()
            },
            ..p.clone()
        };
        assert!(matches!(
            model.set_params(&bad),
            Err(UncertaintyError::InvalidParameter { .. })
        ));
        assert_eq!(model.params(), &p);
    }

    #[test]
    fn excluded_directions_leave_the_problem() {
        let g = generate(&GeneratorParams::new(60, 5)).expect("generated");
        let b = random_belief(&g, 9);
        let p = LinearizeParams {
            base_fee_threshold: Msat::MAX,
            ..LinearizeParams::default()
        };
        let (s, t) = (NodeIdx(0), NodeIdx(7));
        let mut model = IncrementalLinearizer::new(&g, &b, &p, ArcOrder::Direction).expect("ok");
        let mut all = Linearized::default();
        model
            .assemble(&Round::new(s, t, Msat(5_000_000)), &mut all)
            .expect("valid");
        let mut excluded = vec![false; g.direction_count()];
        let dropped: Vec<DirIdx> = all.arc_dir.iter().copied().step_by(3).collect();
        for d in &dropped {
            excluded[d.ix()] = true;
        }
        let mut some = Linearized::default();
        let round = Round::new(s, t, Msat(5_000_000)).excluding(&excluded);
        model.assemble(&round, &mut some).expect("valid");
        assert!(!dropped.is_empty());
        assert!(some.arc_dir.iter().all(|d| !excluded[d.ix()]));
        let kept: Vec<usize> = (0..all.arc_dir.len())
            .filter(|&a| !excluded[all.arc_dir[a].ix()])
            .collect();
        assert_eq!(some.arc_dir.len(), kept.len());
        for (k, &a) in kept.iter().enumerate() {
            assert_eq!(some.arc_dir[k], all.arc_dir[a]);
            assert_eq!(some.problem.capacity[k], all.problem.capacity[a]);
        }
        // The cut bound drops what leaves the sender over an excluded direction.
        let out_of_s: Vec<DirIdx> = g.out_dirs(s).collect();
        let mut only_s = vec![false; g.direction_count()];
        for d in &out_of_s {
            only_s[d.ix()] = true;
        }
        let cut_round = Round::new(s, t, Msat(5_000_000)).excluding(&only_s);
        assert_eq!(model.cut_bound(&cut_round), Ok(0));
        assert_eq!(model.probability_bound(&cut_round), Ok(0.0));
    }
}
