//! The round's flow problem, kept up to date incrementally.
//!
//! `pp_uncertainty::linearize` builds the flow problem from scratch: one pass over every
//! direction, a logarithm per piece. A payment re-solves after every round, and a simulation
//! pays thousands of times on one graph, while between two solves the belief changes on a few
//! dozen directions only. [`FlowModel`] therefore keeps each direction's pieces (units and
//! uncertainty slope, which depend only on that direction's `min`, `max`, `in_flight` and
//! policy) and recomputes a direction only when its belief entry changed since the last
//! [`FlowModel::sync`] (detected by comparing with a snapshot, so any change to the belief,
//! including `forget`, is noticed). [`FlowModel::assemble`] then writes the problem of one
//! round into reused buffers in a single cheap pass: per-round filters (sender, receiver,
//! base-fee threshold, exclusions), the fee term `μ·ppm·q/A` and the integer scaling.
//!
//! **Same problem as `linearize`.** Pieces, slopes, filters and integer costs follow
//! `pp_uncertainty::linearize` exactly (a test compares the two arc by arc), with one option:
//! `linearize` caps a direction's total flow at its `htlc_maximum_msat` (as Core Lightning's
//! askrene does); with `cap_at_htlc_max = false` (the payment loop's default) the cap applies to
//! each part instead, as SPEC §5 says, and the loop splits parts (a channel forwards many HTLCs
//! at once), which is the same as `linearize` on a graph whose `htlc_maximum_msat` equal the
//! capacities (also tested). One more difference, which does not change the optimum: with `cap_at_demand`, a direction's pieces are cut at the
//! demand `R` (units beyond the first `R` are dropped). An optimal flow never carries more than
//! `R` over one direction, because every uncertain piece has a positive cost and a flow above
//! `R` on a direction would need a cycle; so the optimal cost is unchanged while small payments
//! get a problem with one or two arcs per direction instead of `N + 1`.

use pp_graph::{DirIdx, Graph, Msat, NodeIdx};
use pp_mcf::Problem;
use pp_uncertainty::linearize::{
    MAX_UNIT_COST, PRUNE_MAX_ARCS, PRUNE_MIN_PROBABILITY, PRUNE_TEST_AMOUNT,
};
use pp_uncertainty::{Belief, Linearized, SlopeRule};

/// What fixes a model's pieces (a change rebuilds the model).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ModelKey {
    pub pieces: u32,
    pub slopes: SlopeRule,
    pub prune: bool,
    pub quantum: Msat,
    /// Cap a direction's total flow at its `htlc_maximum_msat` (as `linearize` does); when
    /// false the cap applies per part and parts are split instead.
    pub cap_at_htlc_max: bool,
}

/// Per-direction pieces of the linearized cost, synced incrementally with a belief.
///
/// Storage is by *position*: directions ordered by (source, target, index), so that parallel
/// channels are adjacent and [`FlowModel::assemble`] reads every array front to back.
#[derive(Debug, Clone)]
pub(crate) struct FlowModel {
    key: ModelKey,
    stride: usize,
    synced: bool,
    /// Per direction: the belief entry the pieces were computed from.
    seen: Vec<(u64, u64, u64)>,
    /// Per direction: its entropy in bits, as `Belief::entropy_bits` computes it.
    entropy: Vec<f64>,
    /// Per direction: its position.
    pos_of: Vec<u32>,
    /// Per position: the direction (`order`), its static data, and the end of its run of
    /// parallel directions.
    order: Vec<u32>,
    run_end: Vec<u32>,
    pos_src: Vec<u32>,
    pos_dst: Vec<u32>,
    pos_base_fee: Vec<u64>,
    pos_ppm: Vec<u32>,
    /// Per position: number of pieces, and `stride` slots of (piece, units, slope).
    count: Vec<u8>,
    slot_piece: Vec<u8>,
    slot_units: Vec<u64>,
    slot_slope: Vec<f64>,
    /// Scratch for merging the pieces of parallel directions: (exact cost, dir, piece, units).
    merge: Vec<(f64, u32, u8, u64)>,
}

/// Per-round inputs of [`FlowModel::assemble`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Round<'a> {
    pub source: NodeIdx,
    pub target: NodeIdx,
    pub amount: Msat,
    pub mu: f64,
    pub base_fee_threshold: Msat,
    pub excluded: &'a [bool],
    pub cap_at_demand: bool,
}

/// `g(b) − g(a)` for `g(x) = −ln P(x)` on `mn..=mx` (as in `pp_uncertainty::linearize`).
#[inline]
fn neg_log_increase(mn: u64, mx: u64, a: u64, b: u64) -> f64 {
    let (a, b) = (a.max(mn), b.max(mn));
    ((b - a) as f64 / ((mx - b) as f64 + 1.0)).ln_1p()
}

/// The water-filling bound of [`FlowModel::probability_bound`] for one cut: directions given as
/// (certain, uncertain width) in msat; returns `max Π (D_e − g_e) / D_e` with `D_e = width + 1`
/// over `g_e ∈ [0, width_e]`, `Σ g_e = amount − Σ certain` (1 when the certain parts suffice, 0
/// when the cut cannot carry the amount).
fn cut_probability_bound(cut: &[(f64, f64)], amount: f64) -> f64 {
    let certain: f64 = cut.iter().map(|c| c.0).sum();
    let rest = amount - certain;
    if rest <= 0.0 {
        return 1.0;
    }
    let width: f64 = cut.iter().map(|c| c.1).sum();
    if width < rest {
        return 0.0;
    }
    // g_e(t) = clamp(D_e − t, 0, width_e) is non-increasing in t; find t with Σ g_e(t) = rest.
    let taken = |t: f64| -> f64 { cut.iter().map(|&(_, w)| (w + 1.0 - t).clamp(0.0, w)).sum() };
    let (mut lo, mut hi) = (1.0_f64, cut.iter().map(|c| c.1 + 1.0).fold(1.0, f64::max));
    for _ in 0..64 {
        let mid = 0.5 * (lo + hi);
        if taken(mid) >= rest {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    // At t = hi at most `rest` is taken; taking less only raises the product, so the product at
    // hi bounds the optimum from above (tightly: hi − lo is negligible after 64 halvings).
    cut.iter()
        .map(|&(_, w)| {
            let g = (w + 1.0 - hi).clamp(0.0, w);
            (w + 1.0 - g) / (w + 1.0)
        })
        .product()
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

impl FlowModel {
    pub fn new(graph: &Graph, key: ModelKey) -> Self {
        let stride = key.pieces as usize + 1;
        let d = graph.direction_count();
        // Directions are stored by source; sort each source's range by target.
        let mut order: Vec<u32> = (0..d as u32).collect();
        for u in graph.nodes() {
            let r = graph.out_range(u);
            order[r.start as usize..r.end as usize].sort_by_key(|&e| (graph.target(DirIdx(e)), e));
        }
        let mut run_end = vec![0u32; d];
        let mut k = d;
        while k > 0 {
            let end = k;
            let (s, t) = (
                graph.source(DirIdx(order[k - 1])),
                graph.target(DirIdx(order[k - 1])),
            );
            while k > 0
                && graph.source(DirIdx(order[k - 1])) == s
                && graph.target(DirIdx(order[k - 1])) == t
            {
                k -= 1;
                run_end[k] = end as u32;
            }
        }
        let mut pos_of = vec![0u32; d];
        for (p, &e) in order.iter().enumerate() {
            pos_of[e as usize] = p as u32;
        }
        let dir = |p: usize| DirIdx(order[p]);
        let pos_src = (0..d).map(|p| graph.source(dir(p)).0).collect();
        let pos_dst = (0..d).map(|p| graph.target(dir(p)).0).collect();
        let pos_base_fee = (0..d)
            .map(|p| graph.policy(dir(p)).base_fee_msat.0)
            .collect();
        let pos_ppm = (0..d).map(|p| graph.policy(dir(p)).fee_ppm.0).collect();
        FlowModel {
            entropy: vec![0.0; d],
            pos_of,
            pos_src,
            pos_dst,
            pos_base_fee,
            pos_ppm,
            order,
            run_end,
            merge: Vec::new(),
            key,
            stride,
            synced: false,
            seen: vec![(0, 0, 0); d],
            count: vec![0; d],
            slot_piece: vec![0; d * stride],
            slot_units: vec![0; d * stride],
            slot_slope: vec![0.0; d * stride],
        }
    }

    pub fn key(&self) -> ModelKey {
        self.key
    }

    /// Recomputes the pieces of every direction whose belief entry changed since the last call
    /// (all of them the first time).
    ///
    /// # Complexity
    /// O(D) comparisons plus O(N) per changed direction.
    pub fn sync(&mut self, graph: &Graph, belief: &Belief) {
        let (mins, maxs, infl) = (belief.mins(), belief.maxs(), belief.in_flights());
        for i in 0..self.count.len() {
            let now = (mins[i].0, maxs[i].0, infl[i].0);
            if self.synced && self.seen[i] == now {
                continue;
            }
            self.seen[i] = now;
            self.entropy[i] = belief.entropy_bits(DirIdx(i as u32));
            self.recompute(graph, belief, i);
        }
        self.synced = true;
    }

    /// The belief's total entropy as of the last [`FlowModel::sync`], summed in direction order
    /// exactly as `Belief::total_entropy_bits` does (so the two agree to the bit), without a
    /// logarithm per direction. O(D) additions.
    pub fn total_entropy_bits(&self) -> f64 {
        self.entropy.iter().sum()
    }

    fn recompute(&mut self, graph: &Graph, belief: &Belief, i: usize) {
        let q = self.key.quantum.0;
        let n_pieces = self.key.pieces as u64;
        let pos = self.pos_of[i] as usize;
        let base = pos * self.stride;
        self.count[pos] = 0;
        let pol = graph.policy(DirIdx(i as u32));
        if !pol.active {
            return;
        }
        let d = DirIdx(i as u32);
        if self.key.prune && belief.probability(d, PRUNE_TEST_AMOUNT) < PRUNE_MIN_PROBABILITY {
            return;
        }
        let (mn, mx, inf) = self.seen[i];
        let top = mx.saturating_sub(inf);
        let cap = if self.key.cap_at_htlc_max {
            top.min(pol.htlc_maximum_msat.0)
        } else {
            top
        };
        if cap == 0 || pol.htlc_minimum_msat.0 > cap {
            return;
        }
        let cap_u = cap / q;
        if cap_u == 0 {
            return;
        }
        let max_arcs = if self.key.prune {
            PRUNE_MAX_ARCS
        } else {
            usize::MAX
        };
        let mut n = 0usize;
        let mut push = |piece: u8, units: u64, slope: f64, n: &mut usize| {
            self.slot_piece[base + *n] = piece;
            self.slot_units[base + *n] = units;
            self.slot_slope[base + *n] = slope;
            *n += 1;
        };
        let certain = mn.saturating_sub(inf);
        let certain_u = certain / q;
        if certain_u.min(cap_u) > 0 {
            push(0, certain_u.min(cap_u), 0.0, &mut n);
        }
        let top_u = top / q;
        let width = top_u - certain_u;
        if width > 0 && cap_u > certain_u {
            let mut lo = certain_u;
            for k in 1..=n_pieces {
                if n >= max_arcs || lo >= cap_u {
                    break;
                }
                let hi = certain_u + ((k as u128 * width as u128) / n_pieces as u128) as u64;
                if hi == lo {
                    continue;
                }
                let hi_c = hi.min(cap_u);
                let units = hi_c - lo;
                let slope = match self.key.slopes {
                    SlopeRule::Secant => {
                        neg_log_increase(mn, mx, lo * q + inf, hi_c * q + inf) / units as f64
                    }
                    SlopeRule::Linear => k as f64 / width as f64,
                };
                push(k as u8, units, slope, &mut n);
                lo = hi;
            }
        }
        self.count[pos] = n as u8;
    }

    /// An upper bound on the flow (units) the round's problem admits: the smaller of what the
    /// usable directions out of the source and into the target can carry. O(degree).
    pub fn cut_bound(&self, graph: &Graph, r: &Round<'_>) -> u64 {
        let usable = |d: DirIdx| {
            let i = d.ix();
            let pol = graph.policy(d);
            if pol.base_fee_msat > r.base_fee_threshold || r.excluded[i] {
                return 0;
            }
            let pos = self.pos_of[i] as usize;
            let base = pos * self.stride;
            self.slot_units[base..base + self.count[pos] as usize]
                .iter()
                .sum::<u64>()
        };
        let out: u64 = graph
            .out_dirs(r.source)
            .filter(|&d| graph.target(d) != r.source)
            .map(usable)
            .sum();
        let inn: u64 = graph
            .in_dirs(r.target)
            .iter()
            .filter(|&&d| graph.source(d) != r.target)
            .map(|&d| usable(d))
            .sum();
        out.min(inn)
    }

    /// An upper bound on the success probability of *any* plan delivering `r.amount`: the
    /// best a flow could do over the sender's outgoing directions alone, and over the receiver's
    /// incoming ones alone (the smaller of the two). Every plan pushes at least the amount
    /// through each of these cuts, and a plan's probability is at most the product of its cut
    /// directions' `P` at their total flows. Per cut, the maximum of `Π P̃_e(f_e)` subject to
    /// `Σ f_e = amount` is found by water-filling (`−ln P̃` is convex), with `P̃_e(f) = min(1,
    /// (top + 1 − f) / (top + 1 − certain))` (`top = max − in_flight`, `certain = max(min −
    /// in_flight, 0)`), which is at least SPEC §2's `P` for every `f > 0`. Uses the directions
    /// the round's problem would use.
    ///
    /// # Complexity
    /// O(deg(source) + deg(target)) times 64 bisection steps.
    pub fn probability_bound(&self, graph: &Graph, r: &Round<'_>) -> f64 {
        let amount = r.amount.0 as f64;
        let usable = |d: DirIdx| {
            let i = d.ix();
            let pos = self.pos_of[i] as usize;
            if self.count[pos] == 0
                || self.pos_base_fee[pos] > r.base_fee_threshold.0
                || r.excluded[i]
            {
                return None;
            }
            let (mn, mx, inf) = self.seen[i];
            let top = mx.saturating_sub(inf);
            let certain = mn.saturating_sub(inf).min(top);
            Some((certain as f64, (top - certain) as f64))
        };
        let out: Vec<(f64, f64)> = graph.out_dirs(r.source).filter_map(usable).collect();
        let inn: Vec<(f64, f64)> = graph
            .in_dirs(r.target)
            .iter()
            .filter_map(|&d| usable(d))
            .collect();
        cut_probability_bound(&out, amount).min(cut_probability_bound(&inn, amount))
    }

    /// Writes the round's problem into `out` (its buffers are reused). The model must be synced
    /// with the belief. `out.amount` and friends describe this round afterwards.
    ///
    /// Arcs come grouped by (tail, head) and, within a group of parallel channels, sorted by
    /// cost (the native solver then needs no sort); they are the same arcs as
    /// `pp_uncertainty::linearize` writes, in another order.
    ///
    /// # Complexity
    /// O(D + arcs), plus sorting the pieces of each group of parallel channels.
    pub fn assemble(&mut self, graph: &Graph, r: &Round<'_>, out: &mut Linearized) {
        let q = self.key.quantum.0;
        let demand = r.amount.0.div_ceil(q);
        let fee_factor = r.mu * q as f64 / r.amount.0 as f64;
        let p = &mut out.problem;
        p.num_nodes = graph.node_count();
        p.from.clear();
        p.to.clear();
        p.capacity.clear();
        p.cost.clear();
        p.supply.clear();
        p.supply.resize(graph.node_count(), 0);
        out.arc_dir.clear();
        out.arc_piece.clear();
        out.arc_cost_exact.clear();
        let mut merge = std::mem::take(&mut self.merge);
        let (tgt, src) = (r.target.0, r.source.0);
        let mut k = 0;
        while k < self.order.len() {
            let end = self.run_end[k] as usize;
            let single = end == k + 1;
            merge.clear();
            for pos in k..end {
                let n = self.count[pos] as usize;
                if n == 0 {
                    continue;
                }
                let (u, v) = (self.pos_src[pos], self.pos_dst[pos]);
                let e = self.order[pos];
                if u == tgt
                    || v == src
                    || self.pos_base_fee[pos] > r.base_fee_threshold.0
                    || r.excluded[e as usize]
                {
                    continue;
                }
                let fee_cost = fee_factor * self.pos_ppm[pos] as f64;
                let base = pos * self.stride;
                let mut used = 0u64;
                for s in base..base + n {
                    let mut units = self.slot_units[s];
                    if r.cap_at_demand {
                        if used >= demand {
                            break;
                        }
                        units = units.min(demand - used);
                        used += units;
                    }
                    let c = self.slot_slope[s] + fee_cost;
                    if single {
                        p.from.push(u);
                        p.to.push(v);
                        p.capacity.push(units as i64);
                        out.arc_dir.push(DirIdx(e));
                        out.arc_piece.push(self.slot_piece[s]);
                        out.arc_cost_exact.push(c);
                    } else {
                        merge.push((c, e, self.slot_piece[s], units));
                    }
                }
            }
            if !merge.is_empty() {
                merge.sort_by(|a, b| a.0.total_cmp(&b.0).then((a.1, a.2).cmp(&(b.1, b.2))));
                let (u, v) = (self.pos_src[k], self.pos_dst[k]);
                for &(c, e, piece, units) in &merge {
                    p.from.push(u);
                    p.to.push(v);
                    p.capacity.push(units as i64);
                    out.arc_dir.push(DirIdx(e));
                    out.arc_piece.push(piece);
                    out.arc_cost_exact.push(c);
                }
            }
            k = end;
        }
        self.merge = merge;
        let max_exact = out.arc_cost_exact.iter().copied().fold(0.0_f64, f64::max);
        let mut scale = 65536.0 * demand as f64;
        if max_exact * scale > MAX_UNIT_COST as f64 {
            scale = MAX_UNIT_COST as f64 / max_exact;
        }
        p.cost
            .extend(out.arc_cost_exact.iter().map(|&c| round_nonneg(c * scale)));
        p.set_single_pair(r.source.0, r.target.0, demand as i64);
        out.quantum = self.key.quantum;
        out.cost_scale = scale;
        out.demand_units = demand as i64;
        out.source = r.source;
        out.target = r.target;
        out.amount = r.amount;
    }
}

/// An empty [`Linearized`] to assemble into.
pub(crate) fn empty_linearized(quantum: Msat) -> Linearized {
    Linearized {
        problem: Problem::new(0),
        arc_dir: Vec::new(),
        arc_piece: Vec::new(),
        arc_cost_exact: Vec::new(),
        quantum,
        cost_scale: 1.0,
        demand_units: 0,
        source: NodeIdx(0),
        target: NodeIdx(0),
        amount: Msat(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pp_graph::{generate, GeneratorParams};
    use pp_uncertainty::{linearize, LinearizeParams};
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

    /// A belief that learned random things (forwarded, failed, in flight, settled).
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

    #[test]
    fn assembles_the_same_arcs_as_linearize() {
        let g = generate(&GeneratorParams::new(150, 4)).expect("generated");
        let nodes: Vec<NodeIdx> = g.nodes().collect();
        let excluded = vec![false; g.direction_count()];
        for (k, (pieces, slopes, prune, quantum)) in [
            (5, SlopeRule::Secant, false, 1000),
            (3, SlopeRule::Linear, false, 1),
            (7, SlopeRule::Secant, true, 10_000),
        ]
        .into_iter()
        .enumerate()
        {
            let key = ModelKey {
                pieces,
                slopes,
                prune,
                quantum: Msat(quantum),
                cap_at_htlc_max: true,
            };
            let mut model = FlowModel::new(&g, key);
            let mut out = empty_linearized(key.quantum);
            for round in 0..4u64 {
                let b = random_belief(&g, 10 * k as u64 + round);
                // Synced incrementally from the previous belief.
                model.sync(&g, &b);
                let (s, t) = (
                    nodes[round as usize],
                    nodes[nodes.len() - 1 - round as usize],
                );
                for (amount, mu, threshold) in [
                    (Msat(50_000_000), 0.0, Msat::ZERO),
                    (Msat(1_234_567_891), 0.7, Msat(1000)),
                    (Msat(999), 3.0, Msat::MAX),
                ] {
                    let want = linearize(
                        &g,
                        &b,
                        s,
                        t,
                        amount,
                        &LinearizeParams {
                            pieces,
                            slopes,
                            mu,
                            base_fee_threshold: threshold,
                            prune,
                            quantum: Msat(quantum),
                            ..LinearizeParams::default()
                        },
                    )
                    .expect("valid");
                    let r = Round {
                        source: s,
                        target: t,
                        amount,
                        mu,
                        base_fee_threshold: threshold,
                        excluded: &excluded,
                        cap_at_demand: false,
                    };
                    model.assemble(&g, &r, &mut out);
                    assert_eq!(arcs(&out), arcs(&want), "{key:?} round {round} {amount}");
                    assert_eq!(out.problem.supply, want.problem.supply);
                    assert_eq!(out.cost_scale, want.cost_scale);
                    assert_eq!(out.demand_units, want.demand_units);
                    // Capping at the demand keeps the optimum (checked by solving both).
                    let r = Round {
                        cap_at_demand: true,
                        ..r
                    };
                    model.assemble(&g, &r, &mut out);
                    let mut solver = pp_mcf::NativeSolver::new();
                    use pp_mcf::McfSolver;
                    match (solver.solve(&want.problem), solver.solve(&out.problem)) {
                        (Ok(a), Ok(b)) => assert_eq!(a.cost, b.cost),
                        (Err(a), Err(b)) => assert_eq!(a, b),
                        (a, b) => panic!("capping changed feasibility: {a:?} vs {b:?}"),
                    }
                }
            }
        }
    }

    /// `g` rebuilt from its directions in storage order, with every `htlc_maximum_msat` raised to
    /// the capacity when `open`. Two rebuilds share node and direction indices.
    fn rebuild(g: &Graph, open: bool) -> Graph {
        let mut b = pp_graph::GraphBuilder::new();
        for d in g.directions() {
            let mut policy = *g.policy(d);
            if open {
                policy.htlc_maximum_msat = g.capacity(d);
            }
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
        let (g, open) = (rebuild(&generated, false), rebuild(&generated, true));
        // Same node and direction indices: records were added in storage order.
        assert_eq!(open.direction_count(), g.direction_count());
        for d in g.directions() {
            assert_eq!((open.source(d), open.target(d)), (g.source(d), g.target(d)));
        }
        assert!(g
            .directions()
            .any(|d| g.policy(d).htlc_maximum_msat < g.capacity(d)));
        let key = ModelKey {
            pieces: 5,
            slopes: SlopeRule::Secant,
            prune: false,
            quantum: Msat(1000),
            cap_at_htlc_max: false,
        };
        let mut model = FlowModel::new(&g, key);
        let b = random_belief(&g, 77);
        model.sync(&g, &b);
        let mut out = empty_linearized(key.quantum);
        let excluded = vec![false; g.direction_count()];
        let (s, t) = (NodeIdx(0), NodeIdx(5));
        model.assemble(
            &g,
            &Round {
                source: s,
                target: t,
                amount: Msat(70_000_000),
                mu: 0.5,
                base_fee_threshold: Msat::MAX,
                excluded: &excluded,
                cap_at_demand: false,
            },
            &mut out,
        );
        let params = LinearizeParams {
            mu: 0.5,
            base_fee_threshold: Msat::MAX,
            ..LinearizeParams::default()
        };
        let want = linearize(&open, &b, s, t, Msat(70_000_000), &params).expect("valid");
        assert_eq!(arcs(&out), arcs(&want));
    }

    #[test]
    fn parallel_channels_come_sorted_by_cost() {
        let g = generate(&GeneratorParams::new(300, 2)).expect("generated");
        let mut model = FlowModel::new(
            &g,
            ModelKey {
                pieces: 5,
                slopes: SlopeRule::Secant,
                prune: false,
                quantum: Msat(1000),
                cap_at_htlc_max: false,
            },
        );
        assert!(
            (0..model.order.len()).any(|k| model.run_end[k] as usize > k + 1),
            "the generated graph has parallel channels"
        );
        let b = random_belief(&g, 3);
        model.sync(&g, &b);
        let mut out = empty_linearized(Msat(1000));
        let excluded = vec![false; g.direction_count()];
        model.assemble(
            &g,
            &Round {
                source: NodeIdx(0),
                target: NodeIdx(1),
                amount: Msat(10_000_000_000),
                mu: 1.0,
                base_fee_threshold: Msat::MAX,
                excluded: &excluded,
                cap_at_demand: true,
            },
            &mut out,
        );
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
}
