//! The belief about remote liquidity (the "uncertainty network" of Pickhardt & Richter).
//!
//! Per directed channel `d` with capacity `c` the [`Belief`] stores what we know about the
//! liquidity `L(d)` the channel's source could forward in that direction: `min(d) <= L(d) <=
//! max(d)`, plus `in_flight(d)`, the total of our own unresolved HTLCs on it. `L` counts the
//! liquidity *before* our in-flight HTLCs resolve: sending `a` more succeeds when `L >= a +
//! in_flight`, which is why every probability uses `x = a + in_flight` (docs/MODEL.md §2).
//!
//! **Invariants** (checked by [`Belief::check_invariants`], asserted in debug builds after every
//! mutation):
//! - `0 <= min(d) <= max(d) <= capacity(d)` for every direction;
//! - `in_flight(d) <= capacity(d)`;
//! - the two directions of a channel mirror each other: `L(u→v) + L(v→u) = c`, so when both
//!   directions are listed, `min(r) = c − max(d)` and `max(r) = c − min(d)` for `r =
//!   reverse(d)`. Every operation that learns on one side updates the other (docs/MODEL.md §2's
//!   coupling `max' <= c − min`, `min' >= c − max` holds with equality because both sides start
//!   from the prior and are always updated together).
//!
//! An operation whose report contradicts the belief (a lying oracle, or a caller bug) returns an
//! [`UncertaintyError`] and leaves the belief unchanged; a truthful report can never fail.
//!
//! Time: the belief never reads a clock. [`Belief::set_time`] tells it the current time, which
//! learning operations record per direction, and [`Belief::decay`] takes the time as an argument.

use crate::error::UncertaintyError;
use pp_graph::{DirIdx, Graph, Msat, ShortChannelId};

const NO_REVERSE: u32 = u32::MAX;
const NEVER: u64 = u64::MAX;

/// `−ln((n − k) / n)` for `0 <= k < n`, accurate for every `k`: `−ln_1p(−k/n)` while `k/n <=
/// 1/2` (small costs keep their digits), `ln(n) − ln(n − k)` above (where `1 − k/n` would lose
/// them).
pub(crate) fn neg_log_uniform(k: u128, n: u128) -> f64 {
    debug_assert!(k < n);
    if 2 * k <= n {
        -(-(k as f64) / n as f64).ln_1p()
    } else {
        (n as f64).ln() - ((n - k) as f64).ln()
    }
}

/// docs/MODEL.md §2's success probability of sending `amount` more over a direction with bounds
/// `min..=max` and `in_flight` already on it (see [`Belief::probability`]).
#[inline]
pub(crate) fn uniform_probability(min: u64, max: u64, in_flight: u64, amount: u64) -> f64 {
    let x = amount.saturating_add(in_flight);
    if x <= min {
        1.0
    } else if x > max {
        0.0
    } else {
        ((max - x) as f64 + 1.0) / ((max - min) as f64 + 1.0)
    }
}

/// The entropy in bits of a direction with bounds `min..=max`: `log2(max − min + 1)`.
#[inline]
pub(crate) fn interval_entropy_bits(min: u64, max: u64) -> f64 {
    ((max - min) as f64 + 1.0).log2()
}

/// What we believe about the liquidity of every listed direction of a [`Graph`].
///
/// Built with [`Belief::new`] from the graph (copying capacities, reverse indices and short
/// channel ids), so none of its methods needs the graph again. Indexed by the graph's [`DirIdx`].
/// Comparing two beliefs with `==` compares every field but the [`Belief::revision`] (used by
/// tests to show that a refused operation changed nothing).
#[derive(Debug, Clone)]
pub struct Belief {
    capacity: Vec<Msat>,
    reverse: Vec<u32>,
    scid: Vec<ShortChannelId>,
    min: Vec<Msat>,
    max: Vec<Msat>,
    in_flight: Vec<Msat>,
    /// Seconds of the last learning or decay per direction; `NEVER` while at the prior.
    learned_at: Vec<u64>,
    now_secs: u64,
    /// See [`Belief::revision`].
    revision: u64,
}

impl PartialEq for Belief {
    fn eq(&self, other: &Self) -> bool {
        // Every field but the revision (equal entries may carry different revisions).
        self.capacity == other.capacity
            && self.reverse == other.reverse
            && self.scid == other.scid
            && self.min == other.min
            && self.max == other.max
            && self.in_flight == other.in_flight
            && self.learned_at == other.learned_at
            && self.now_secs == other.now_secs
    }
}

impl Eq for Belief {}

/// A revision no belief has had yet (process-wide, so two beliefs never share one unless one is
/// a clone of the other with the same entries).
fn fresh_revision() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Belief {
    /// The prior belief over `graph`: `min = 0`, `max = capacity`, nothing in flight.
    ///
    /// # Complexity
    /// O(D) time and memory for D directions.
    pub fn new(graph: &Graph) -> Belief {
        let capacity = graph.capacities().to_vec();
        let reverse = graph
            .directions()
            .map(|d| graph.reverse(d).map_or(NO_REVERSE, |r| r.0))
            .collect();
        let scid = graph.directions().map(|d| graph.scid(d)).collect();
        let n = capacity.len();
        Belief {
            min: vec![Msat::ZERO; n],
            max: capacity.clone(),
            capacity,
            reverse,
            scid,
            in_flight: vec![Msat::ZERO; n],
            learned_at: vec![NEVER; n],
            now_secs: 0,
            revision: fresh_revision(),
        }
    }

    /// An identifier of the entries (`min`, `max`, `in_flight` of every direction): it changes
    /// whenever one of them may have changed, and a clone keeps it along with the entries. Two
    /// beliefs with the same revision have the same entries, so a cache of something computed
    /// from them (e.g. [`crate::IncrementalLinearizer::sync`]) can skip comparing them.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Number of directions (equals the graph's `direction_count()`).
    pub fn direction_count(&self) -> usize {
        self.capacity.len()
    }

    /// Lower bound on the liquidity of `d`. Panics if `d` is out of range, like every accessor
    /// (indices come from the same graph); fallible operations return
    /// [`UncertaintyError::DirectionOutOfRange`] instead.
    pub fn min(&self, d: DirIdx) -> Msat {
        self.min[d.ix()]
    }
    /// Upper bound on the liquidity of `d`.
    pub fn max(&self, d: DirIdx) -> Msat {
        self.max[d.ix()]
    }
    /// Our own unresolved HTLCs on `d`.
    pub fn in_flight(&self, d: DirIdx) -> Msat {
        self.in_flight[d.ix()]
    }
    /// The capacity of `d`'s channel.
    pub fn capacity(&self, d: DirIdx) -> Msat {
        self.capacity[d.ix()]
    }
    /// The other direction of `d`'s channel, if the graph lists it.
    pub fn reverse(&self, d: DirIdx) -> Option<DirIdx> {
        let r = self.reverse[d.ix()];
        (r != NO_REVERSE).then_some(DirIdx(r))
    }
    /// The short channel id of `d`'s channel.
    pub fn scid(&self, d: DirIdx) -> ShortChannelId {
        self.scid[d.ix()]
    }
    /// When `d` last learned something or was last decayed (seconds, as given by
    /// [`Belief::set_time`] / [`Belief::decay`]); `None` while it holds the prior.
    pub fn learned_at(&self, d: DirIdx) -> Option<u64> {
        let t = self.learned_at[d.ix()];
        (t != NEVER).then_some(t)
    }
    /// All lower bounds, indexed by [`DirIdx`].
    pub fn mins(&self) -> &[Msat] {
        &self.min
    }
    /// All upper bounds, indexed by [`DirIdx`].
    pub fn maxs(&self) -> &[Msat] {
        &self.max
    }
    /// All in-flight amounts, indexed by [`DirIdx`].
    pub fn in_flights(&self) -> &[Msat] {
        &self.in_flight
    }
    /// The current time (seconds) as last set by [`Belief::set_time`] or [`Belief::decay`].
    pub fn time(&self) -> u64 {
        self.now_secs
    }
    /// Sets the current time (seconds); learning operations record it per direction so that
    /// [`Belief::decay`] knows how old each piece of knowledge is. The belief never reads a clock.
    pub fn set_time(&mut self, now_secs: u64) {
        self.now_secs = now_secs;
    }

    /// Restores the prior (`min = 0`, `max = capacity`) on every direction.
    ///
    /// In-flight amounts are **kept**: they are our own live HTLCs, which exist whatever we
    /// believe about remote liquidity, and they must still be released or settled later
    /// (docs/MODEL.md §6 forbids leaking in-flight amounts). Use [`Belief::new`] for a completely
    /// fresh belief.
    ///
    /// # Complexity
    /// O(D).
    pub fn forget(&mut self) {
        self.revision = fresh_revision();
        self.min.fill(Msat::ZERO);
        self.max.copy_from_slice(&self.capacity);
        self.learned_at.fill(NEVER);
    }

    pub(crate) fn check_dir(&self, d: DirIdx) -> Result<(), UncertaintyError> {
        if d.ix() < self.capacity.len() {
            Ok(())
        } else {
            Err(UncertaintyError::DirectionOutOfRange {
                dir: d,
                directions: self.capacity.len(),
            })
        }
    }

    /// Success probability of sending `amount` more over `d` (docs/MODEL.md §2): with `x = amount +
    /// in_flight`, `1` if `x <= min`, `0` if `x > max`, otherwise `(max + 1 − x) / (max + 1 −
    /// min)` (uniform prior on the integers `min..=max`).
    pub fn probability(&self, d: DirIdx, amount: Msat) -> f64 {
        let i = d.ix();
        uniform_probability(self.min[i].0, self.max[i].0, self.in_flight[i].0, amount.0)
    }

    /// `−ln P` of [`Belief::probability`] (natural log; `+∞` when `P = 0`), computed to full
    /// relative precision both when `P` is close to 1 and when it is tiny.
    pub fn neg_log_probability(&self, d: DirIdx, amount: Msat) -> f64 {
        let i = d.ix();
        let x = amount.saturating_add(self.in_flight[i]);
        let (mn, mx) = (self.min[i], self.max[i]);
        if x <= mn {
            0.0
        } else if x > mx {
            f64::INFINITY
        } else {
            neg_log_uniform((x.0 - mn.0) as u128, (mx.0 - mn.0) as u128 + 1)
        }
    }

    /// Entropy of `d` in bits: `log2(max − min + 1)` (in-flight amounts do not matter).
    pub fn entropy_bits(&self, d: DirIdx) -> f64 {
        let i = d.ix();
        interval_entropy_bits(self.min[i].0, self.max[i].0)
    }

    /// Sum of [`Belief::entropy_bits`] over all listed directions (a channel listed in both
    /// directions counts twice, as in docs/MODEL.md §2: the network's entropy is the sum).
    ///
    /// # Complexity
    /// O(D).
    pub fn total_entropy_bits(&self) -> f64 {
        self.min
            .iter()
            .zip(&self.max)
            .map(|(mn, mx)| interval_entropy_bits(mn.0, mx.0))
            .sum()
    }

    /// Writes `[min, max]` on `d` and the mirrored interval on its reverse, stamping the time.
    fn set_interval(&mut self, d: DirIdx, min: Msat, max: Msat) {
        self.revision = fresh_revision();
        let i = d.ix();
        debug_assert!(min <= max && max <= self.capacity[i]);
        self.min[i] = min;
        self.max[i] = max;
        self.learned_at[i] = self.now_secs;
        if let Some(r) = self.reverse(d) {
            let c = self.capacity[i];
            let j = r.ix();
            self.min[j] = Msat(c.0 - max.0);
            self.max[j] = Msat(c.0 - min.0);
            self.learned_at[j] = self.now_secs;
        }
        self.debug_check(d);
    }

    #[inline]
    fn debug_check(&self, d: DirIdx) {
        if cfg!(debug_assertions) {
            if let Err(e) = self.check_direction(d) {
                panic!("{e}");
            }
        }
    }

    /// `[min, max, in_flight]` of `d`, for [`crate::learn`] to undo a refused attempt.
    pub(crate) fn raw_state(&self, d: DirIdx) -> [Msat; 3] {
        let i = d.ix();
        [self.min[i], self.max[i], self.in_flight[i]]
    }

    /// The learning stamp of `d` (see [`Belief::learned_at`]), raw.
    pub(crate) fn raw_stamp(&self, d: DirIdx) -> u64 {
        self.learned_at[d.ix()]
    }

    /// Puts back a state saved by [`Belief::raw_state`] and [`Belief::raw_stamp`].
    pub(crate) fn restore_raw(&mut self, d: DirIdx, [min, max, in_flight]: [Msat; 3], stamp: u64) {
        self.revision = fresh_revision();
        let i = d.ix();
        self.min[i] = min;
        self.max[i] = max;
        self.in_flight[i] = in_flight;
        self.learned_at[i] = stamp;
    }

    /// Records that `d` was last learned about at `now_secs` (used when restoring knowledge).
    pub(crate) fn mark_learned(&mut self, d: DirIdx, now_secs: u64) {
        self.learned_at[d.ix()] = now_secs;
    }

    /// The hop `d` forwarded a total of `x` (the attempt's amount plus the in-flight amount of
    /// our *other* attempts on `d`, computed by the caller as docs/MODEL.md §2 says): `min =
    /// max(min, x)`, and on the reverse direction `max = min(max, c − x)`.
    ///
    /// # Errors
    /// [`UncertaintyError::ForwardedAboveMax`] when `x > max` (this includes `x > capacity`); the
    /// belief is then unchanged.
    pub fn learn_forwarded(&mut self, d: DirIdx, x: Msat) -> Result<(), UncertaintyError> {
        self.check_dir(d)?;
        let i = d.ix();
        if x > self.max[i] {
            return Err(UncertaintyError::ForwardedAboveMax {
                dir: d,
                scid: self.scid[i],
                x,
                max: self.max[i],
            });
        }
        let min = self.min[i].max(x);
        self.set_interval(d, min, self.max[i]);
        Ok(())
    }

    /// The hop `d` could not forward a total of `x` (amount plus in-flight of other attempts):
    /// `max = min(max, x − 1)`, and on the reverse direction `min = max(min, c − x + 1)`.
    ///
    /// A failure of `x > capacity` is truthful and teaches nothing; it is accepted.
    ///
    /// # Errors
    /// [`UncertaintyError::FailedAtOrBelowMin`] when `x <= min` (we know at least `min` is
    /// there, so `x` cannot fail; this includes `x = 0`); the belief is then unchanged.
    pub fn learn_failed(&mut self, d: DirIdx, x: Msat) -> Result<(), UncertaintyError> {
        self.check_dir(d)?;
        let i = d.ix();
        if x <= self.min[i] {
            return Err(UncertaintyError::FailedAtOrBelowMin {
                dir: d,
                scid: self.scid[i],
                x,
                min: self.min[i],
            });
        }
        let max = self.max[i].min(Msat(x.0 - 1));
        self.set_interval(d, self.min[i], max);
        Ok(())
    }

    /// Puts `amount` in flight on `d` (an HTLC of ours is now outstanding there).
    ///
    /// # Errors
    /// [`UncertaintyError::InFlightAboveCapacity`] when the total in flight would exceed the
    /// capacity; the belief is then unchanged.
    pub fn reserve(&mut self, d: DirIdx, amount: Msat) -> Result<(), UncertaintyError> {
        self.check_dir(d)?;
        let i = d.ix();
        match self.in_flight[i].checked_add(amount) {
            Some(t) if t <= self.capacity[i] => {
                self.in_flight[i] = t;
                self.revision = fresh_revision();
                Ok(())
            }
            _ => Err(UncertaintyError::InFlightAboveCapacity {
                dir: d,
                scid: self.scid[i],
                amount,
                in_flight: self.in_flight[i],
                capacity: self.capacity[i],
            }),
        }
    }

    /// Removes `amount` from what is in flight on `d` (the HTLC failed or was abandoned).
    ///
    /// # Errors
    /// [`UncertaintyError::ReleaseAboveInFlight`] when less than `amount` is in flight; the belief
    /// is then unchanged.
    pub fn release(&mut self, d: DirIdx, amount: Msat) -> Result<(), UncertaintyError> {
        self.check_dir(d)?;
        let i = d.ix();
        match self.in_flight[i].checked_sub(amount) {
            Some(t) => {
                self.in_flight[i] = t;
                self.revision = fresh_revision();
                Ok(())
            }
            None => Err(UncertaintyError::ReleaseAboveInFlight {
                dir: d,
                scid: self.scid[i],
                amount,
                in_flight: self.in_flight[i],
            }),
        }
    }

    /// Settles an HTLC of `amount` that was in flight on `d` (docs/MODEL.md §2): the liquidity
    /// moved to the other side, so on `d` `min = max(min − a, 0)`, `max = max(max − a, min)`, and
    /// on the reverse direction `min = min(min + a, c)`, `max = min(max + a, c)`; `amount` leaves
    /// `in_flight(d)`.
    ///
    /// # Errors
    /// [`UncertaintyError::ReleaseAboveInFlight`] when less than `amount` is in flight, and
    /// [`UncertaintyError::SettleAboveMax`] when `amount > max` (the hop cannot have forwarded
    /// it); the belief is then unchanged.
    pub fn settle(&mut self, d: DirIdx, amount: Msat) -> Result<(), UncertaintyError> {
        self.check_dir(d)?;
        let i = d.ix();
        let Some(left) = self.in_flight[i].checked_sub(amount) else {
            return Err(UncertaintyError::ReleaseAboveInFlight {
                dir: d,
                scid: self.scid[i],
                amount,
                in_flight: self.in_flight[i],
            });
        };
        if amount > self.max[i] {
            return Err(UncertaintyError::SettleAboveMax {
                dir: d,
                scid: self.scid[i],
                amount,
                max: self.max[i],
            });
        }
        self.in_flight[i] = left;
        self.revision = fresh_revision();
        let min = self.min[i].saturating_sub(amount);
        let max = Msat(self.max[i].0 - amount.0).max(min);
        // The reverse side follows from the mirror: min(r) + a = c − (max − a), capped at c.
        self.set_interval(d, min, max);
        Ok(())
    }

    /// States the exact liquidity of `d` (the sender's own channels): `min = max = liquidity`,
    /// the reverse direction gets `capacity − liquidity`. Overrides whatever was believed.
    ///
    /// # Errors
    /// [`UncertaintyError::ExactAboveCapacity`] when `liquidity > capacity`.
    pub fn set_exact(&mut self, d: DirIdx, liquidity: Msat) -> Result<(), UncertaintyError> {
        self.check_dir(d)?;
        let i = d.ix();
        if liquidity > self.capacity[i] {
            return Err(UncertaintyError::ExactAboveCapacity {
                dir: d,
                scid: self.scid[i],
                liquidity,
                capacity: self.capacity[i],
            });
        }
        self.set_interval(d, liquidity, liquidity);
        Ok(())
    }

    /// Relaxes the belief toward the prior as time passes (docs/MODEL.md §2, optional decay).
    ///
    /// For every direction that learned something (see [`Belief::learned_at`]), with `t = now_secs
    /// − learned_at` and `f = 2^(−t / half_life_secs)` (`f = 0` when `half_life_secs = 0` and `t >
    /// 0`): `min' = floor(min · f)` and `max' = c − floor((c − max) · f)`, i.e. both the knowledge
    /// "at least min" and "at most max" lose half their strength per half-life. The new interval
    /// contains the old one, so it stays truthful; the mirror between the two directions is kept
    /// exactly (both sides use the same floors). The direction's stamp becomes `now_secs`, so
    /// decaying twice over `t1` and `t2` equals decaying once over `t1 + t2` up to the floors.
    /// A `now_secs` earlier than a stamp counts as no time passed. In-flight amounts are untouched.
    /// The belief's time becomes `max(now_secs, time())`.
    ///
    /// # Complexity
    /// O(D).
    pub fn decay(&mut self, now_secs: u64, half_life_secs: u64) {
        self.revision = fresh_revision();
        for i in 0..self.capacity.len() {
            let t0 = self.learned_at[i];
            if t0 == NEVER || now_secs <= t0 {
                continue;
            }
            let f = if half_life_secs == 0 {
                0.0
            } else {
                (-((now_secs - t0) as f64) / half_life_secs as f64).exp2()
            };
            let c = self.capacity[i].0;
            let shrink = |v: u64| ((v as f64 * f).floor() as u64).min(v);
            self.min[i] = Msat(shrink(self.min[i].0));
            self.max[i] = Msat(c - shrink(c - self.max[i].0));
            self.learned_at[i] = now_secs;
            debug_assert!(self.min[i] <= self.max[i] && self.max[i].0 <= c);
        }
        self.now_secs = self.now_secs.max(now_secs);
    }

    /// Network-wide probing as in the reference package's `learn_n_bits`: `n` binary-search
    /// probes per channel, asking `oracle(d, x)` "can direction `d` forward a total of `x`?"
    /// (i.e. is `L(d) >= x`; the oracle answers about the same liquidity `min`/`max` bound, before
    /// our in-flight HTLCs resolve).
    ///
    /// Each probe asks `x = min + ceil((max − min) / 2)` and halves the interval `min..=max`
    /// (yes: `min = x`; no: `max = x − 1`), so every probe learns one bit until the liquidity is
    /// known exactly (then the remaining probes of that channel are skipped). Because the two
    /// directions of a channel are coupled, one probe informs both; each channel is probed on its
    /// lower-indexed listed direction, and both of its directions end with `n` bits less entropy
    /// (the reference probes each direction independently, without coupling). Since `x` always
    /// lies in `min + 1 ..= max`, neither answer can contradict the belief: a lying oracle makes
    /// the belief wrong but never inconsistent. Returns the number of probes made.
    ///
    /// # Complexity
    /// O(D · n) oracle calls.
    pub fn learn_n_bits(&mut self, n: u32, oracle: &mut dyn FnMut(DirIdx, Msat) -> bool) -> u64 {
        let mut probes = 0;
        for i in 0..self.capacity.len() {
            let r = self.reverse[i];
            if r != NO_REVERSE && (r as usize) < i {
                continue;
            }
            let d = DirIdx(i as u32);
            for _ in 0..n {
                let (mn, mx) = (self.min[i].0, self.max[i].0);
                if mn == mx {
                    break;
                }
                let x = Msat(mn + (mx - mn).div_ceil(2));
                probes += 1;
                if oracle(d, x) {
                    self.set_interval(d, Msat(x.0), Msat(mx));
                } else {
                    self.set_interval(d, Msat(mn), Msat(x.0 - 1));
                }
            }
        }
        probes
    }

    /// Whether `liquidity` lies inside the belief's interval for `d`.
    pub fn contains(&self, d: DirIdx, liquidity: Msat) -> bool {
        self.min[d.ix()] <= liquidity && liquidity <= self.max[d.ix()]
    }

    fn check_direction(&self, d: DirIdx) -> Result<(), UncertaintyError> {
        let i = d.ix();
        let bad = |reason: String| Err(UncertaintyError::InvariantViolated { dir: d, reason });
        let (mn, mx, c) = (self.min[i], self.max[i], self.capacity[i]);
        if !(mn <= mx && mx <= c) {
            return bad(format!("min {mn} <= max {mx} <= capacity {c} broken"));
        }
        if self.in_flight[i] > c {
            return bad(format!(
                "in_flight {} above capacity {c}",
                self.in_flight[i]
            ));
        }
        if let Some(r) = self.reverse(d) {
            let j = r.ix();
            if self.min[j].0 != c.0 - mx.0 || self.max[j].0 != c.0 - mn.0 {
                return bad(format!(
                    "reverse {r:?} holds [{}, {}], expected the mirror [{}, {}]",
                    self.min[j],
                    self.max[j],
                    c.0 - mx.0,
                    c.0 - mn.0
                ));
            }
        }
        Ok(())
    }

    /// Checks every invariant of the module docs on every direction.
    ///
    /// # Errors
    /// [`UncertaintyError::InvariantViolated`] naming the first direction that breaks one; this
    /// would be a bug in this crate, never the result of input.
    ///
    /// # Complexity
    /// O(D).
    pub fn check_invariants(&self) -> Result<(), UncertaintyError> {
        (0..self.capacity.len() as u32).try_for_each(|d| self.check_direction(DirIdx(d)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pp_graph::NodeId;

    /// One channel between nodes 1 and 2 with capacity 99 msat, listed both ways, plus a
    /// one-way channel 2→3 with capacity 1000 msat.
    fn graph() -> (Graph, DirIdx, DirIdx, DirIdx) {
        let g = crate::test_graph::three_nodes(99, 1000, 1000);
        let n1 = g.node_index(&NodeId::synthetic(1)).expect("n1");
        let n2 = g.node_index(&NodeId::synthetic(2)).expect("n2");
        let d = g.out_dirs(n1).next().expect("1→2");
        let r = g.reverse(d).expect("2→1");
        let one_way = g.out_dirs(n2).find(|&x| x != r).expect("2→3");
        (g, d, r, one_way)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    /// Every write of an entry gives the belief a new revision; reads and a clone keep it, and
    /// two beliefs built apart never share one.
    #[test]
    fn revisions_change_with_every_write() {
        let (g, d, _, one_way) = graph();
        let mut b = Belief::new(&g);
        assert_ne!(b.revision(), Belief::new(&g).revision());
        let mut seen = vec![b.revision()];
        let mut wrote = |b: &Belief, what: &str| {
            assert!(!seen.contains(&b.revision()), "{what} kept an old revision");
            seen.push(b.revision());
        };
        b.learn_forwarded(d, Msat(10)).expect("ok");
        wrote(&b, "learn_forwarded");
        b.learn_failed(d, Msat(90)).expect("ok");
        wrote(&b, "learn_failed");
        b.reserve(one_way, Msat(100)).expect("ok");
        wrote(&b, "reserve");
        b.release(one_way, Msat(50)).expect("ok");
        wrote(&b, "release");
        b.settle(one_way, Msat(50)).expect("ok");
        wrote(&b, "settle");
        b.set_exact(d, Msat(40)).expect("ok");
        wrote(&b, "set_exact");
        b.set_time(100);
        b.decay(200, 50);
        wrote(&b, "decay");
        b.forget();
        wrote(&b, "forget");
        let r = b.revision();
        let _ = (b.probability(d, Msat(5)), b.total_entropy_bits(), b.clone());
        assert_eq!(b.revision(), r);
        assert_eq!(b.clone().revision(), r);
        // Equality ignores revisions: a fresh prior at the same time equals a forgotten one.
        let mut fresh = Belief::new(&g);
        fresh.set_time(200);
        assert_eq!(fresh, b);
    }

    #[test]
    fn prior_probabilities_and_entropy() {
        let (g, d, r, _) = graph();
        let b = Belief::new(&g);
        assert_eq!(
            (b.min(d), b.max(d), b.capacity(d)),
            (Msat(0), Msat(99), Msat(99))
        );
        assert_eq!(b.reverse(d), Some(r));
        assert!(close(b.probability(d, Msat(0)), 1.0));
        assert!(close(b.probability(d, Msat(1)), 0.99));
        assert!(close(b.probability(d, Msat(50)), 0.5));
        assert!(close(b.probability(d, Msat(99)), 0.01));
        assert_eq!(b.probability(d, Msat(100)), 0.0);
        assert!(close(b.neg_log_probability(d, Msat(50)), 2f64.ln()));
        assert_eq!(b.neg_log_probability(d, Msat(100)), f64::INFINITY);
        assert!(close(b.entropy_bits(d), 100f64.log2()));
        let total = 2.0 * 100f64.log2() + 1001f64.log2();
        assert!((b.total_entropy_bits() - total).abs() < 1e-9);
        assert_eq!(b.learned_at(d), None);
        b.check_invariants().expect("prior is consistent");
    }

    #[test]
    fn neg_log_is_precise_at_both_ends() {
        // Near P = 1: −ln(1 − 1e-18) ≈ 1e-18, not 0.
        assert!((neg_log_uniform(1, 1_000_000_000_000_000_000) - 1e-18).abs() < 1e-30);
        // Near P = 0: −ln(1 / 2.1e18) = ln(2.1e18), not distorted by 1 − k/n rounding.
        let n = 2_100_000_000_000_000_000u128;
        assert!((neg_log_uniform(n - 1, n) - (n as f64).ln()).abs() < 1e-12);
        assert!((neg_log_uniform(n - 3, n) - (n as f64 / 3.0).ln()).abs() < 1e-12);
        assert_eq!(neg_log_uniform(0, 5), 0.0);
    }

    #[test]
    fn learning_narrows_both_directions_and_probabilities_follow() {
        let (g, d, r, _) = graph();
        let mut b = Belief::new(&g);
        b.set_time(7);
        b.learn_forwarded(d, Msat(20)).expect("truthful");
        b.learn_failed(d, Msat(60)).expect("truthful");
        assert_eq!((b.min(d), b.max(d)), (Msat(20), Msat(59)));
        assert_eq!((b.min(r), b.max(r)), (Msat(40), Msat(79)));
        assert_eq!(b.learned_at(r), Some(7));
        // Around min and max: 40 equally likely values 20..=59.
        assert_eq!(b.probability(d, Msat(19)), 1.0);
        assert_eq!(b.probability(d, Msat(20)), 1.0);
        assert!(close(b.probability(d, Msat(21)), 39.0 / 40.0));
        assert!(close(b.probability(d, Msat(58)), 2.0 / 40.0));
        assert!(close(b.probability(d, Msat(59)), 1.0 / 40.0));
        assert_eq!(b.probability(d, Msat(60)), 0.0);
        assert!(close(
            b.neg_log_probability(d, Msat(21)),
            -(39f64 / 40.0).ln()
        ));
        assert_eq!(b.neg_log_probability(d, Msat(20)), 0.0);
        assert!(close(b.entropy_bits(d), 40f64.log2()));
        // In flight shifts x: 10 in flight, sending 11 more tests x = 21.
        b.reserve(d, Msat(10)).expect("fits");
        assert_eq!(b.probability(d, Msat(10)), 1.0);
        assert!(close(b.probability(d, Msat(11)), 39.0 / 40.0));
        // Weaker reports teach nothing new.
        b.learn_forwarded(d, Msat(5)).expect("truthful");
        b.learn_failed(d, Msat(90))
            .expect("truthful: 90 > capacity side");
        b.learn_failed(d, Msat(500))
            .expect("above capacity is truthful, no-op");
        assert_eq!((b.min(d), b.max(d)), (Msat(20), Msat(59)));
        b.check_invariants().expect("consistent");
    }

    #[test]
    fn contradicting_reports_are_errors_and_change_nothing() {
        let (g, d, _, one_way) = graph();
        let mut b = Belief::new(&g);
        b.learn_forwarded(d, Msat(20)).expect("ok");
        b.learn_failed(d, Msat(60)).expect("ok");
        b.reserve(d, Msat(10)).expect("ok");
        let before = b.clone();
        assert!(matches!(
            b.learn_forwarded(d, Msat(60)),
            Err(UncertaintyError::ForwardedAboveMax {
                x: Msat(60),
                max: Msat(59),
                ..
            })
        ));
        assert!(matches!(
            b.learn_forwarded(d, Msat(1000)),
            Err(UncertaintyError::ForwardedAboveMax { .. })
        ));
        assert!(matches!(
            b.learn_failed(d, Msat(20)),
            Err(UncertaintyError::FailedAtOrBelowMin {
                x: Msat(20),
                min: Msat(20),
                ..
            })
        ));
        assert!(matches!(
            b.release(d, Msat(11)),
            Err(UncertaintyError::ReleaseAboveInFlight { .. })
        ));
        assert!(matches!(
            b.settle(d, Msat(11)),
            Err(UncertaintyError::ReleaseAboveInFlight { .. })
        ));
        assert!(matches!(
            b.reserve(d, Msat(90)),
            Err(UncertaintyError::InFlightAboveCapacity { .. })
        ));
        assert!(matches!(
            b.set_exact(d, Msat(100)),
            Err(UncertaintyError::ExactAboveCapacity { .. })
        ));
        assert!(matches!(
            b.learn_failed(DirIdx(99), Msat(1)),
            Err(UncertaintyError::DirectionOutOfRange { .. })
        ));
        assert!(matches!(
            b.learn_failed(one_way, Msat(0)),
            Err(UncertaintyError::FailedAtOrBelowMin { .. })
        ));
        assert_eq!(b, before);
        // Settling more than the belief's max is refused too.
        b.learn_failed(one_way, Msat(5)).expect("ok");
        b.reserve(one_way, Msat(8)).expect("ok");
        let before = b.clone();
        assert!(matches!(
            b.settle(one_way, Msat(8)),
            Err(UncertaintyError::SettleAboveMax { .. })
        ));
        assert_eq!(b, before);
    }

    #[test]
    fn settle_moves_liquidity_to_the_other_side() {
        let (g, d, r, one_way) = graph();
        let mut b = Belief::new(&g);
        b.learn_forwarded(d, Msat(20)).expect("ok");
        b.learn_failed(d, Msat(60)).expect("ok");
        b.reserve(d, Msat(15)).expect("ok");
        b.settle(d, Msat(15)).expect("ok");
        assert_eq!(
            (b.min(d), b.max(d), b.in_flight(d)),
            (Msat(5), Msat(44), Msat(0))
        );
        assert_eq!((b.min(r), b.max(r)), (Msat(55), Msat(94)));
        // min clamps at 0; reserve/release round trip.
        b.reserve(d, Msat(30)).expect("ok");
        b.release(d, Msat(10)).expect("ok");
        b.settle(d, Msat(20)).expect("ok");
        assert_eq!(
            (b.min(d), b.max(d), b.in_flight(d)),
            (Msat(0), Msat(24), Msat(0))
        );
        assert_eq!((b.min(r), b.max(r)), (Msat(75), Msat(99)));
        // A one-way channel settles without a partner.
        b.reserve(one_way, Msat(400)).expect("ok");
        b.settle(one_way, Msat(400)).expect("ok");
        assert_eq!((b.min(one_way), b.max(one_way)), (Msat(0), Msat(600)));
        b.check_invariants().expect("consistent");
    }

    #[test]
    fn exact_knowledge_forget_and_decay() {
        let (g, d, r, _) = graph();
        let mut b = Belief::new(&g);
        b.set_exact(d, Msat(30)).expect("ok");
        assert_eq!((b.min(r), b.max(r)), (Msat(69), Msat(69)));
        assert_eq!(b.entropy_bits(d), 0.0);
        assert_eq!(b.probability(d, Msat(30)), 1.0);
        assert_eq!(b.probability(d, Msat(31)), 0.0);
        b.reserve(d, Msat(3)).expect("ok");
        b.forget();
        assert_eq!(
            (b.min(d), b.max(d), b.in_flight(d)),
            (Msat(0), Msat(99), Msat(3))
        );
        assert_eq!(b.learned_at(d), None);

        // Decay: [40, 80] of 99 learned at t = 100, one half-life later: min 20, max 99 − 9 = 90.
        b.set_time(100);
        b.learn_forwarded(d, Msat(40)).expect("ok");
        b.learn_failed(d, Msat(81)).expect("ok");
        b.decay(100, 60);
        assert_eq!((b.min(d), b.max(d)), (Msat(40), Msat(80)), "no time passed");
        b.decay(160, 60);
        assert_eq!((b.min(d), b.max(d)), (Msat(20), Msat(90)));
        assert_eq!((b.min(r), b.max(r)), (Msat(9), Msat(79)));
        assert_eq!(b.learned_at(d), Some(160));
        assert_eq!(b.time(), 160);
        b.check_invariants().expect("mirror kept");
        b.decay(10_000, 0);
        assert_eq!((b.min(d), b.max(d)), (Msat(0), Msat(99)));
    }

    #[test]
    fn learn_n_bits_is_a_binary_search() {
        let (g, d, r, one_way) = graph();
        let mut b = Belief::new(&g);
        let truth = |x: DirIdx| -> u64 {
            if x == d {
                37
            } else if x == r {
                62
            } else {
                999
            }
        };
        let mut asked = Vec::new();
        let probes = b.learn_n_bits(3, &mut |x, amt| {
            asked.push((x, amt));
            truth(x) >= amt.0
        });
        assert_eq!(probes, 6);
        // 1→2 (lower index of the pair) asked 50 (no), 25 (yes), 37 (yes).
        let on_d: Vec<u64> = asked.iter().filter(|p| p.0 == d).map(|p| p.1 .0).collect();
        assert_eq!(on_d, vec![50, 25, 37]);
        assert!(asked.iter().all(|p| p.0 != r));
        assert_eq!((b.min(d), b.max(d)), (Msat(37), Msat(49)));
        assert_eq!((b.min(r), b.max(r)), (Msat(50), Msat(62)));
        assert_eq!((b.min(one_way), b.max(one_way)), (Msat(875), Msat(1000)));
        // Enough probes pin the value, then probing stops.
        let probes = b.learn_n_bits(64, &mut |x, amt| truth(x) >= amt.0);
        assert!(probes < 20);
        assert_eq!((b.min(d), b.max(d)), (Msat(37), Msat(37)));
        assert_eq!(b.min(one_way), Msat(999));
        b.check_invariants().expect("consistent");
    }
}
