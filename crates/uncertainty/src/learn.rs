//! Learning from whole attempts: what the network answered to one HTLC sent along a path, turned
//! into belief updates as one all-or-nothing operation (docs/MODEL.md §2, §6 step 4).
//!
//! An attempt touches every hop of its path: the hops before a failure forwarded (their `min`
//! rises), the failing hop could not (its `max` falls), and a forwarded attempt puts its hop
//! amounts in flight. Each update alone is checked by [`Belief`]; here the whole attempt is
//! checked as one: when any hop's update contradicts the belief (a network that lies), the
//! belief is left exactly as it was before the attempt, so no earlier hop's update stays. The
//! same holds for settling and releasing an attempt.
//!
//! The amount learned on hop `i` is `x = hop_amounts[i] + in_flight(path[i])`, the in-flight
//! amount of the payer's *other* attempts there, taken before this attempt is reserved.

use crate::belief::Belief;
use crate::error::UncertaintyError;
use pp_graph::{DirIdx, Msat};

/// How a hop refused to forward an HTLC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum HopFailure {
    /// Not enough liquidity for the amount (BOLT 4's `temporary_channel_failure`): the hop holds
    /// less than `x`, so its `max` falls below `x`.
    Liquidity,
    /// Refused for a reason that says nothing about liquidity (disabled, policy or CLTV
    /// mismatch, an unknown next channel): the belief of the hop is unchanged and the payment
    /// should avoid the hop.
    Unavailable,
}

/// What the network answered to an HTLC sent along a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case", tag = "outcome"))]
pub enum AttemptOutcome {
    /// Every hop forwarded; the amounts stay locked until settled or released.
    Forwarded,
    /// Hop `hop` (0-based index into the path) could not forward; hops before it forwarded and
    /// were unlocked again, nothing stays locked.
    FailedAt {
        /// The failing hop.
        hop: usize,
        /// How it failed.
        failure: HopFailure,
    },
}

impl AttemptOutcome {
    /// A hop that lacked liquidity: the common failure, and the only one the simulated network
    /// reports.
    pub fn liquidity_failure(hop: usize) -> Self {
        AttemptOutcome::FailedAt {
            hop,
            failure: HopFailure::Liquidity,
        }
    }
}

/// The state of the directions an attempt touches, kept to undo a refused attempt.
struct Undo {
    saved: Vec<(DirIdx, [Msat; 3], u64)>,
}

impl Undo {
    fn new(belief: &Belief, path: &[DirIdx]) -> Undo {
        let mut saved = Vec::with_capacity(2 * path.len());
        for &d in path {
            for e in std::iter::once(d).chain(belief.reverse(d)) {
                if e.ix() < belief.direction_count() {
                    saved.push((e, belief.raw_state(e), belief.raw_stamp(e)));
                }
            }
        }
        Undo { saved }
    }

    fn restore(self, belief: &mut Belief) {
        // Later saves of a direction are never older than earlier ones, so restoring in reverse
        // order ends with the oldest state.
        for (d, state, stamp) in self.saved.into_iter().rev() {
            belief.restore_raw(d, state, stamp);
        }
    }
}

impl Belief {
    fn check_attempt(&self, path: &[DirIdx], hop_amounts: &[Msat]) -> Result<(), UncertaintyError> {
        if path.len() != hop_amounts.len() {
            return Err(UncertaintyError::PathMismatch {
                hops: path.len(),
                amounts: hop_amounts.len(),
            });
        }
        path.iter().try_for_each(|&d| self.check_dir(d))
    }

    /// Runs `f` on the belief; when it fails, every direction of `path` (and its reverse) is
    /// restored to what it was before.
    fn all_or_nothing(
        &mut self,
        path: &[DirIdx],
        f: impl FnOnce(&mut Belief) -> Result<(), UncertaintyError>,
    ) -> Result<(), UncertaintyError> {
        let undo = Undo::new(self, path);
        let r = f(self);
        if r.is_err() {
            undo.restore(self);
        }
        r
    }

    /// Learns from one attempt of `hop_amounts[i]` over `path[i]` that the network answered
    /// with `outcome`: when forwarded, every hop's amount goes in flight and every hop learns
    /// it forwarded `x`; when hop `k` failed, hops before `k` learn they forwarded `x`, and hop
    /// `k` that it could not ([`HopFailure::Liquidity`]) or nothing ([`HopFailure::Unavailable`]).
    ///
    /// # Errors
    /// A path and amounts of different lengths, a direction out of range, a failing hop beyond
    /// the path, or any hop's update that contradicts the belief; the belief is then unchanged
    /// on every hop.
    ///
    /// # Complexity
    /// O(hops).
    pub fn learn_attempt(
        &mut self,
        path: &[DirIdx],
        hop_amounts: &[Msat],
        outcome: AttemptOutcome,
    ) -> Result<(), UncertaintyError> {
        self.check_attempt(path, hop_amounts)?;
        // x per hop, before this attempt is reserved.
        let xs: Vec<Msat> = path
            .iter()
            .zip(hop_amounts)
            .map(|(&d, &h)| h.saturating_add(self.in_flight(d)))
            .collect();
        match outcome {
            AttemptOutcome::Forwarded => self.all_or_nothing(path, |b| {
                for (&d, &h) in path.iter().zip(hop_amounts) {
                    b.reserve(d, h)?;
                }
                for (&d, &x) in path.iter().zip(&xs) {
                    b.learn_forwarded(d, x)?;
                }
                Ok(())
            }),
            AttemptOutcome::FailedAt { hop, failure } => {
                if hop >= path.len() {
                    return Err(UncertaintyError::FailureBeyondPath {
                        hop,
                        hops: path.len(),
                    });
                }
                self.all_or_nothing(path, |b| {
                    for (&d, &x) in path[..hop].iter().zip(&xs) {
                        b.learn_forwarded(d, x)?;
                    }
                    match failure {
                        HopFailure::Liquidity => b.learn_failed(path[hop], xs[hop]),
                        HopFailure::Unavailable => Ok(()),
                    }
                })
            }
        }
    }

    /// Settles an attempt that [`Belief::learn_attempt`] put in flight: every hop's amount moves
    /// to the other side of its channel (see [`Belief::settle`]).
    ///
    /// # Errors
    /// As [`Belief::settle`] on any hop, or a malformed path; the belief is then unchanged.
    pub fn settle_attempt(
        &mut self,
        path: &[DirIdx],
        hop_amounts: &[Msat],
    ) -> Result<(), UncertaintyError> {
        self.every_hop(path, hop_amounts, Belief::settle)
    }

    /// Releases an attempt that [`Belief::learn_attempt`] put in flight: every hop's amount
    /// leaves what is in flight there, nothing else changes.
    ///
    /// # Errors
    /// As [`Belief::release`] on any hop, or a malformed path; the belief is then unchanged.
    pub fn release_attempt(
        &mut self,
        path: &[DirIdx],
        hop_amounts: &[Msat],
    ) -> Result<(), UncertaintyError> {
        self.every_hop(path, hop_amounts, Belief::release)
    }

    /// Applies `op` to every hop of a checked attempt, all or nothing.
    fn every_hop(
        &mut self,
        path: &[DirIdx],
        hop_amounts: &[Msat],
        op: fn(&mut Belief, DirIdx, Msat) -> Result<(), UncertaintyError>,
    ) -> Result<(), UncertaintyError> {
        self.check_attempt(path, hop_amounts)?;
        self.all_or_nothing(path, |b| {
            path.iter()
                .zip(hop_amounts)
                .try_for_each(|(&d, &h)| op(b, d, h))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_graph::three_nodes;
    use pp_graph::{Graph, NodeId};

    fn three_node_graph() -> Graph {
        three_nodes(10_000, 10_000, 10_000)
    }

    /// Node 1 → 2 → 3.
    fn path_a_to_c(g: &Graph) -> Vec<DirIdx> {
        let n = |k| g.node_index(&NodeId::synthetic(k)).expect("node");
        let (a, b, c) = (n(1), n(2), n(3));
        let ab = g.out_dirs(a).find(|&d| g.target(d) == b).expect("1→2");
        let bc = g.out_dirs(b).find(|&d| g.target(d) == c).expect("2→3");
        vec![ab, bc]
    }

    #[test]
    fn a_contradiction_at_the_last_hop_undoes_the_earlier_hops() {
        let g = three_node_graph();
        let mut b = Belief::new(&g);
        let path: Vec<DirIdx> = path_a_to_c(&g);
        let amounts = vec![Msat(2_000), Msat(1_000)];
        // The last hop is known to hold at least 5,000: a failure of 1,000 there is a lie.
        b.learn_forwarded(path[1], Msat(5_000)).unwrap();
        let before = b.clone();
        let e = b
            .learn_attempt(&path, &amounts, AttemptOutcome::liquidity_failure(1))
            .unwrap_err();
        assert!(
            matches!(e, UncertaintyError::FailedAtOrBelowMin { .. }),
            "{e}"
        );
        assert_eq!(b, before);
    }

    #[test]
    fn forwarded_reserves_and_learns_every_hop_then_settles() {
        let g = three_node_graph();
        let mut b = Belief::new(&g);
        let path = path_a_to_c(&g);
        let amounts = vec![Msat(2_000), Msat(1_000)];
        b.learn_attempt(&path, &amounts, AttemptOutcome::Forwarded)
            .unwrap();
        for (&d, &h) in path.iter().zip(&amounts) {
            assert_eq!(b.in_flight(d), h);
            assert_eq!(b.min(d), h);
        }
        b.settle_attempt(&path, &amounts).unwrap();
        for &d in &path {
            assert_eq!(b.in_flight(d), Msat::ZERO);
            assert_eq!(b.min(d), Msat::ZERO);
        }
        // Settled twice: refused, unchanged.
        let before = b.clone();
        assert!(b.settle_attempt(&path, &amounts).is_err());
        assert_eq!(b, before);
    }

    #[test]
    fn unavailable_teaches_only_the_prefix() {
        let g = three_node_graph();
        let mut b = Belief::new(&g);
        let path = path_a_to_c(&g);
        let amounts = vec![Msat(2_000), Msat(1_000)];
        let failure = AttemptOutcome::FailedAt {
            hop: 1,
            failure: HopFailure::Unavailable,
        };
        b.learn_attempt(&path, &amounts, failure).unwrap();
        assert_eq!(b.min(path[0]), Msat(2_000));
        assert_eq!(b.max(path[1]), b.capacity(path[1]));
        assert_eq!(b.in_flight(path[0]), Msat::ZERO);
    }

    #[test]
    fn malformed_attempts_are_refused() {
        let g = three_node_graph();
        let mut b = Belief::new(&g);
        let path = path_a_to_c(&g);
        let before = b.clone();
        assert!(matches!(
            b.learn_attempt(&path, &[Msat(1)], AttemptOutcome::Forwarded),
            Err(UncertaintyError::PathMismatch { .. })
        ));
        assert!(matches!(
            b.learn_attempt(
                &path,
                &[Msat(1), Msat(1)],
                AttemptOutcome::liquidity_failure(2)
            ),
            Err(UncertaintyError::FailureBeyondPath { .. })
        ));
        assert!(b.release_attempt(&[DirIdx(99)], &[Msat(1)]).is_err());
        assert_eq!(b, before);
    }
}
