//! From paths to attempts that fit the belief (docs/MODEL.md §6 step 3): trim each part to what
//! every hop allows (counting the round's earlier parts), put what trimming took off onto parts
//! with room, leave a routable remainder, gate parts by probability.

use super::{Leg, Plan, Session};
use crate::attempt::{hop_htlc_max, Attempt};
use crate::error::SessionError;
use crate::network::PaymentNetwork;
use pp_graph::{DirIdx, Msat};
use std::cmp::Reverse;

impl<'g, N: PaymentNetwork> Session<'g, N> {
    /// Turns parts into attempts: trims each to what the belief allows on every hop (counting
    /// earlier parts of the round), drops it if nothing or less than a hop's htlc minimum is
    /// left; puts what trimming took off onto the round's attempts that have room (see
    /// [`Session::grow`]); makes what the round leaves of `residual` routable (see
    /// [`Session::leave_routable`]); then computes each attempt's probability, counting the
    /// round's earlier attempts on shared hops.
    pub(super) fn make_plan(
        &mut self,
        parts: Vec<(Vec<DirIdx>, Msat)>,
        leg: Leg,
        mu: f64,
        fallback: bool,
    ) -> Result<Plan, SessionError> {
        let Leg {
            residual, round, ..
        } = leg;
        let mut attempts = Vec::with_capacity(parts.len());
        let mut trimmed = 0u64;
        for (path, amount) in parts {
            let Some(attempt) = self.fit(round, path, amount)? else {
                continue;
            };
            trimmed += amount.0 - attempt.amount.0;
            self.plan_hops(&attempt, true);
            attempts.push(attempt);
        }
        // The fee amplification the flow problem ignores made some parts smaller than planned
        // (typically over a channel whose liquidity is known exactly and that the flow fills,
        // such as the sender's own). Rather than leave those few msat to a later round, where
        // they may be below every htlc_minimum_msat, they go onto the attempts that have room,
        // in order, as Core Lightning's askrene refines its flows.
        for a in attempts.iter_mut() {
            if trimmed == 0 {
                break;
            }
            self.plan_hops(a, false);
            if let Some(bigger) = self.grow(round, a, Msat(trimmed))? {
                trimmed -= bigger.amount.0 - a.amount.0;
                *a = bigger;
            }
            self.plan_hops(a, true);
        }
        for d in self.planned_touched.drain(..) {
            self.planned[d.ix()] = Msat::ZERO;
        }
        self.leave_routable(&mut attempts, residual, round)?;
        let (mut probability, mut fee) = (1.0_f64, Msat::ZERO);
        let gate = self.params.min_part_probability;
        let mut kept = Vec::with_capacity(attempts.len());
        for mut a in attempts {
            a.probability = self.planned_probability(&a);
            // A part below the gate goes back into the residual.
            if a.probability < gate {
                continue;
            }
            probability *= a.probability;
            fee = fee.saturating_add(a.fee);
            self.plan_hops(&a, true);
            kept.push(a);
        }
        let attempts = kept;
        for d in self.planned_touched.drain(..) {
            self.planned[d.ix()] = Msat::ZERO;
        }
        Ok(Plan {
            residual,
            attempts,
            probability,
            fee,
            mu,
            fallback,
        })
    }

    /// What a round leaves of `residual` for later must be routable on its own: a remainder
    /// below one flow unit (`quantum`) or below the `htlc_minimum_msat` of the hops in use
    /// (fees trimmed off a part that found no room elsewhere are often a few hundred msat)
    /// could only be sent as a part of its own, which such hops refuse. So when `0 < left <
    /// floor`, with `floor` the larger of the quantum and the largest `htlc_minimum_msat` on
    /// the largest attempt's path, that attempt gives up `floor − left` (if it stays above its
    /// own hops' minimums) and the round leaves exactly `floor`. Smaller, it still fits the
    /// belief.
    pub(super) fn leave_routable(
        &self,
        attempts: &mut [Attempt],
        residual: Msat,
        round: u32,
    ) -> Result<(), SessionError> {
        let planned: u64 = attempts.iter().map(|a| a.amount.0).sum();
        let left = residual.0.saturating_sub(planned);
        let Some(k) = (0..attempts.len()).max_by_key(|&k| (attempts[k].amount, Reverse(k))) else {
            return Ok(());
        };
        let g = self.graph;
        let a = &attempts[k];
        let floor = a
            .path
            .iter()
            .map(|&d| g.policy(d).htlc_minimum_msat.0)
            .max()
            .unwrap_or(0)
            .max(self.params.shape.quantum.0);
        if left == 0 || left >= floor || a.amount.0 <= floor - left {
            return Ok(());
        }
        let smaller = Attempt::new(g, round, a.path.clone(), Msat(a.amount.0 - (floor - left)))?;
        let above_minimums = smaller
            .path
            .iter()
            .zip(&smaller.hop_amounts)
            .all(|(&d, &h)| h >= g.policy(d).htlc_minimum_msat);
        if above_minimums {
            attempts[k] = smaller;
        }
        Ok(())
    }

    /// Adds (`add`) or removes the hop amounts of `a` to or from what the round being planned
    /// puts on each direction.
    pub(super) fn plan_hops(&mut self, a: &Attempt, add: bool) {
        for (&d, &h) in a.path.iter().zip(&a.hop_amounts) {
            let p = &mut self.planned[d.ix()];
            if add {
                if *p == Msat::ZERO {
                    self.planned_touched.push(d);
                }
                *p = p.saturating_add(h);
            } else {
                *p = Msat(p.0.saturating_sub(h.0));
            }
        }
    }

    /// The success probability of `a` under the belief, counting what the round's earlier
    /// attempts put on its hops.
    pub(super) fn planned_probability(&self, a: &Attempt) -> f64 {
        a.path
            .iter()
            .zip(&a.hop_amounts)
            .map(|(&d, &h)| {
                self.belief
                    .probability(d, h.saturating_add(self.planned[d.ix()]))
            })
            .product()
    }

    /// Whether hop `d` has room for `h` more under the belief, counting our in-flight amount
    /// there and what the round's other attempts plan on it.
    fn has_room(&self, d: DirIdx, h: Msat) -> bool {
        let used = self
            .belief
            .in_flight(d)
            .saturating_add(self.planned[d.ix()]);
        h.saturating_add(used) <= self.belief.max(d)
    }

    /// The largest `k` in `0..=span` for which the attempt of `base + k` along `path` `fits`,
    /// by bisection (hop amounts grow with the amount); `0` when none above 0 does.
    ///
    /// # Complexity
    /// O(log(span) · hops).
    fn bisect(
        &self,
        round: u32,
        path: &[DirIdx],
        base: u64,
        span: u64,
        fits: impl Fn(&Attempt) -> bool,
    ) -> Result<u64, SessionError> {
        let (mut lo, mut hi) = (0u64, span);
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            if fits(&Attempt::new(
                self.graph,
                round,
                path.to_vec(),
                Msat(base + mid),
            )?) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        Ok(lo)
    }

    /// `a` carrying up to `extra` more along the same path: the largest amount whose every hop
    /// still has room under the belief and stays within its `htlc_maximum_msat` (but the
    /// sender's own first hop, [`hop_htlc_max`]; what the
    /// round's other attempts plan must not include `a`), or `None` when it cannot carry 1 msat
    /// more.
    pub(super) fn grow(
        &self,
        round: u32,
        a: &Attempt,
        extra: Msat,
    ) -> Result<Option<Attempt>, SessionError> {
        let own = self.params.local_knowledge;
        let fits = |x: &Attempt| {
            x.path
                .iter()
                .zip(&x.hop_amounts)
                .enumerate()
                .all(|(j, (&d, &h))| {
                    self.has_room(d, h) && h <= hop_htlc_max(self.graph, j, d, own)
                })
        };
        let more = self.bisect(round, &a.path, a.amount.0, extra.0, fits)?;
        if more == 0 {
            return Ok(None);
        }
        Attempt::new(self.graph, round, a.path.clone(), Msat(a.amount.0 + more)).map(Some)
    }

    /// The attempt for `amount` along `path`, trimmed to the largest amount whose every hop
    /// has room under the belief and is at least its `htlc_minimum_msat`, or `None`.
    pub(super) fn fit(
        &self,
        round: u32,
        path: Vec<DirIdx>,
        amount: Msat,
    ) -> Result<Option<Attempt>, SessionError> {
        let fits = |a: &Attempt| {
            a.path
                .iter()
                .zip(&a.hop_amounts)
                .all(|(&d, &h)| self.has_room(d, h) && h >= self.graph.policy(d).htlc_minimum_msat)
        };
        let mut attempt = Attempt::new(self.graph, round, path, amount)?;
        if !fits(&attempt) {
            let lo = self.bisect(round, &attempt.path, 0, amount.0, fits)?;
            if lo == 0 {
                return Ok(None);
            }
            attempt = Attempt::new(self.graph, round, attempt.path, Msat(lo))?;
            if !fits(&attempt) {
                // Below an htlc minimum at every fitting amount.
                return Ok(None);
            }
        }
        attempt.probability = self.planned_probability(&attempt);
        Ok(Some(attempt))
    }
}
