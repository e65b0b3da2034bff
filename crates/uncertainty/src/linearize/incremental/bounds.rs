//! The incremental linearizer's bounds before a solve: the cut bound on what the source's and
//! the target's directions can carry, and the water-filling bound on the success probability.

use super::*;

impl IncrementalLinearizer<'_> {
    /// Is direction `e` left out of a problem from `source` before looking at its pieces (base
    /// fee, exclusion)? The base-fee threshold does not apply to the source's own directions:
    /// the sender pays no fee on them.
    #[inline]
    pub(super) fn filtered(&self, e: usize, excluded: &[bool], source: u32) -> bool {
        let pos = self.pos(e);
        (self.f.pos_src[pos] != source
            && self.f.pos_base_fee[pos] > self.f.params.base_fee_threshold.0)
            || excluded.get(e).copied().unwrap_or(false)
    }

    /// The units direction `i` offers (0 when filtered or without pieces).
    pub(super) fn usable_units(&mut self, i: usize, excluded: &[bool], source: u32) -> u64 {
        if self.filtered(i, excluded, source) {
            return 0;
        }
        let pos = self.pos(i);
        let n = self.pieces_at(pos, i);
        let base = pos * self.f.stride;
        self.f.slot_units[base..base + n].iter().sum()
    }

    /// Direction `i` as (certain, uncertain width) in msat for the water-filling bound, `None`
    /// when filtered or without pieces.
    pub(super) fn cut_entry(
        &mut self,
        i: usize,
        excluded: &[bool],
        source: u32,
    ) -> Option<(f64, f64)> {
        let pos = self.pos(i);
        if self.pieces_at(pos, i) == 0 || self.filtered(i, excluded, source) {
            return None;
        }
        let (mn, mx, inf) = self.f.seen[i];
        let top = mx.saturating_sub(inf);
        let certain = mn.saturating_sub(inf).min(top);
        Some((certain as f64, (top - certain) as f64))
    }

    /// An upper bound on the flow, in units, that `round`'s problem admits: the smaller of the
    /// units of the usable directions out of the source and into the target (pieces before
    /// `cap_at_demand`; directions left out by the base-fee threshold, which never applies to
    /// the source's own directions, or by `round.excluded` do not count). A demand above it is infeasible without solving. Computes the stale pieces
    /// it reads.
    ///
    /// # Errors
    /// As [`IncrementalLinearizer::assemble`].
    ///
    /// # Complexity
    /// O(deg(source) + deg(target)) times N.
    pub fn cut_bound(&mut self, round: &Round<'_>) -> Result<u64, UncertaintyError> {
        check_round(self.graph, round)?;
        self.set_own_source(round.source);
        let graph = self.graph;
        let excluded = round.excluded.unwrap_or(&[]);
        let mut out = 0u64;
        for d in graph.out_dirs(round.source) {
            if graph.target(d) != round.source {
                out += self.usable_units(d.ix(), excluded, round.source.0);
            }
        }
        let mut inn = 0u64;
        for &d in graph.in_dirs(round.target) {
            if graph.source(d) != round.target {
                inn += self.usable_units(d.ix(), excluded, round.source.0);
            }
        }
        Ok(out.min(inn))
    }

    /// An upper bound on the success probability of *any* plan delivering `round.amount`: the
    /// best a flow could do over the sender's outgoing directions alone, and over the
    /// receiver's incoming ones alone (the smaller of the two). Every plan pushes at least the
    /// amount through each of these cuts, and a plan's probability is at most the product of its
    /// cut directions' `P` at their total flows. Per cut, the maximum of `Π P̃_e(f_e)` subject to
    /// `Σ f_e = amount` is found by water-filling (`−ln P̃` is convex), with `P̃_e(f) = min(1,
    /// (top + 1 − f) / (top + 1 − certain))` (`top = max − in_flight`, `certain = max(min −
    /// in_flight, 0)`), which is at least docs/MODEL.md §2's `P` for every `f > 0`. Uses the
    /// directions the round's problem would use; computes the stale pieces it reads.
    ///
    /// # Errors
    /// As [`IncrementalLinearizer::assemble`].
    ///
    /// # Complexity
    /// O(deg(source) + deg(target)) times 64 bisection steps.
    pub fn probability_bound(&mut self, round: &Round<'_>) -> Result<f64, UncertaintyError> {
        check_round(self.graph, round)?;
        self.set_own_source(round.source);
        let graph = self.graph;
        let excluded = round.excluded.unwrap_or(&[]);
        let amount = round.amount.0 as f64;
        let mut cut = Vec::new();
        for d in graph.out_dirs(round.source) {
            cut.extend(self.cut_entry(d.ix(), excluded, round.source.0));
        }
        let out = cut_probability_bound(&cut, amount);
        cut.clear();
        for &d in graph.in_dirs(round.target) {
            cut.extend(self.cut_entry(d.ix(), excluded, round.source.0));
        }
        Ok(out.min(cut_probability_bound(&cut, amount)))
    }
}

/// The water-filling bound of [`IncrementalLinearizer::probability_bound`] for one cut:
/// directions given as (certain, uncertain width) in msat; returns `max Π (D_e − g_e) / D_e`
/// with `D_e = width + 1` over `g_e ∈ [0, width_e]`, `Σ g_e = amount − Σ certain` (1 when the
/// certain parts suffice, 0 when the cut cannot carry the amount).
pub(super) fn cut_probability_bound(cut: &[(f64, f64)], amount: f64) -> f64 {
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
