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
//! `pp_uncertainty::linearize` exactly (a test compares the two arc by arc). One difference,
//! which does not change the optimum: with `cap_at_demand`, a direction's pieces are cut at the
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
}

/// Per-direction pieces of the linearized cost, synced incrementally with a belief.
#[derive(Debug, Clone)]
pub(crate) struct FlowModel {
    key: ModelKey,
    stride: usize,
    synced: bool,
    seen: Vec<(u64, u64, u64)>,
    count: Vec<u8>,
    slot_piece: Vec<u8>,
    slot_units: Vec<u64>,
    slot_slope: Vec<f64>,
    /// Directions ordered by (source, target, index): parallel channels are adjacent.
    order: Vec<u32>,
    /// For each position of `order`, the end of its run of parallel directions.
    run_end: Vec<u32>,
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
        FlowModel {
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
            self.recompute(graph, belief, i);
        }
        self.synced = true;
    }

    fn recompute(&mut self, graph: &Graph, belief: &Belief, i: usize) {
        let q = self.key.quantum.0;
        let n_pieces = self.key.pieces as u64;
        let base = i * self.stride;
        self.count[i] = 0;
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
        let cap = top.min(pol.htlc_maximum_msat.0);
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
        self.count[i] = n as u8;
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
            let base = i * self.stride;
            self.slot_units[base..base + self.count[i] as usize]
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
        let (srcs, dsts, pols) = (graph.sources(), graph.targets(), graph.policies());
        let mut merge = std::mem::take(&mut self.merge);
        let mut k = 0;
        while k < self.order.len() {
            let end = self.run_end[k] as usize;
            merge.clear();
            for &e in &self.order[k..end] {
                let i = e as usize;
                let n = self.count[i] as usize;
                if n == 0 {
                    continue;
                }
                let (u, v, pol) = (srcs[i], dsts[i], &pols[i]);
                if u == r.target
                    || v == r.source
                    || pol.base_fee_msat > r.base_fee_threshold
                    || r.excluded[i]
                {
                    continue;
                }
                let fee_cost = fee_factor * pol.fee_ppm.0 as f64;
                let base = i * self.stride;
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
                    merge.push((self.slot_slope[s] + fee_cost, e, self.slot_piece[s], units));
                }
            }
            if end - k > 1 {
                merge.sort_by(|a, b| a.0.total_cmp(&b.0).then((a.1, a.2).cmp(&(b.1, b.2))));
            }
            for &(c, e, piece, units) in &merge {
                p.from.push(srcs[e as usize].0);
                p.to.push(dsts[e as usize].0);
                p.capacity.push(units as i64);
                out.arc_dir.push(DirIdx(e));
                out.arc_piece.push(piece);
                out.arc_cost_exact.push(c);
            }
            k = end;
        }
        self.merge = merge;
        let max_exact = out.arc_cost_exact.iter().copied().fold(0.0_f64, f64::max);
        let mut scale = 65536.0 * demand as f64;
        if max_exact * scale > MAX_UNIT_COST as f64 {
            scale = MAX_UNIT_COST as f64 / max_exact;
        }
        p.cost.extend(
            out.arc_cost_exact
                .iter()
                .map(|&c| (c * scale).round() as i64),
        );
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
