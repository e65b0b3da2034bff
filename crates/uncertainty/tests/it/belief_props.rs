//! Property tests of the belief against a truthful (and a lying) oracle.

use crate::common::{apply, build, check, graph_specs, op, Op, Truth};
use pp_graph::{DirIdx, Msat};
use pp_uncertainty::{AttemptOutcome, Belief, UncertaintyError};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any sequence of truthful operations keeps the invariants and the truth inside the belief.
    #[test]
    fn truthful_operations_keep_invariants(
        specs in graph_specs(),
        seeds in prop::collection::vec(any::<u64>(), 1..8),
        ops in prop::collection::vec(op(), 0..60),
    ) {
        let g = build(&specs);
        prop_assume!(g.direction_count() > 0);
        let mut b = Belief::new(&g);
        let mut t = Truth::new(&g, &seeds);
        check(&g, &b, &t)?;
        for o in &ops {
            apply(&g, &mut b, &mut t, o);
            check(&g, &b, &t)?;
        }
        // Releasing everything leaves nothing in flight.
        for o in (0..t.htlcs.len()).map(|_| Op::Release { k: 0 }) {
            apply(&g, &mut b, &mut t, &o);
        }
        prop_assert!(b.in_flights().iter().all(|&x| x == Msat::ZERO));
        check(&g, &b, &t)?;
    }

    /// A report contradicting the belief is an error and changes nothing.
    #[test]
    fn lies_are_errors_and_change_nothing(
        specs in graph_specs(),
        seeds in prop::collection::vec(any::<u64>(), 1..8),
        ops in prop::collection::vec(op(), 0..40),
        dir in any::<u32>(),
        k in any::<u64>(),
        lie in 0u8..5,
    ) {
        let g = build(&specs);
        prop_assume!(g.direction_count() > 0);
        let mut b = Belief::new(&g);
        let mut t = Truth::new(&g, &seeds);
        for o in &ops {
            apply(&g, &mut b, &mut t, o);
        }
        let d = DirIdx(dir % g.direction_count() as u32);
        let before = b.clone();
        let (mn, mx, inf, c) = (b.min(d).0, b.max(d).0, b.in_flight(d).0, b.capacity(d).0);
        let result = match lie {
            // "Forwarded" more than the belief's max.
            0 => b.learn_forwarded(d, Msat(mx + 1 + k % 1000)),
            // "Failed" at or below the belief's min.
            1 => b.learn_failed(d, Msat(k % (mn + 1))),
            // Releasing or settling more than is in flight.
            2 => b.release(d, Msat(inf + 1 + k % 1000)),
            3 => b.settle(d, Msat(inf + 1 + k % 1000)),
            // Reserving beyond the capacity.
            _ => b.reserve(d, Msat(c - inf + 1 + k % 1000)),
        };
        prop_assert!(result.is_err(), "lie {lie} accepted");
        let is_expected = matches!(
            (lie, &result),
            (0, Err(UncertaintyError::ForwardedAboveMax { .. }))
                | (1, Err(UncertaintyError::FailedAtOrBelowMin { .. }))
                | (2 | 3, Err(UncertaintyError::ReleaseAboveInFlight { .. }))
                | (4, Err(UncertaintyError::InFlightAboveCapacity { .. }))
        );
        prop_assert!(is_expected, "lie {} gave {:?}", lie, result);
        prop_assert_eq!(&b, &before);
        check(&g, &b, &t)?;
    }
}

/// A walk of up to `len` directions from node `start` (each hop leaves where the last ended;
/// no node twice), chosen by `picks`.
fn walk(g: &pp_graph::Graph, start: u32, picks: &[u32]) -> Vec<DirIdx> {
    let mut at = pp_graph::NodeIdx(start % g.node_count() as u32);
    let mut seen = vec![at];
    let mut path = Vec::new();
    for &p in picks {
        let outs: Vec<DirIdx> = g
            .out_dirs(at)
            .filter(|&d| !seen.contains(&g.target(d)))
            .collect();
        if outs.is_empty() {
            break;
        }
        let d = outs[p as usize % outs.len()];
        path.push(d);
        at = g.target(d);
        seen.push(at);
    }
    path
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A whole attempt whose answer contradicts the belief at any hop position (forwarded above
    /// the max there, forwarded before a later failure, or failed at or below the min) is
    /// refused, and no hop's update stays: the belief equals what it was.
    #[test]
    fn a_lying_attempt_changes_no_hop(
        specs in graph_specs(),
        seeds in prop::collection::vec(any::<u64>(), 1..8),
        ops in prop::collection::vec(op(), 0..40),
        start in any::<u32>(),
        picks in prop::collection::vec(any::<u32>(), 1..6),
        position in any::<usize>(),
        lie in 0u8..3,
        k in any::<u64>(),
    ) {
        let g = build(&specs);
        prop_assume!(g.direction_count() > 0);
        let mut b = Belief::new(&g);
        let mut t = Truth::new(&g, &seeds);
        for o in &ops {
            apply(&g, &mut b, &mut t, o);
        }
        let path = walk(&g, start, &picks);
        prop_assume!(!path.is_empty());
        let n = path.len();
        let at = position % n;
        let d = path[at];
        let (mn, mx, inf) = (b.min(d).0, b.max(d).0, b.in_flight(d).0);
        // Elsewhere the largest amounts the belief allows, so that the hops before the lie
        // really learn something that must then be undone.
        let mut amounts: Vec<Msat> = path
            .iter()
            .map(|&e| Msat(b.max(e).0.saturating_sub(b.in_flight(e).0)))
            .collect();
        let above_max = Msat(mx.saturating_sub(inf) + 1 + k % 1000);
        let (outcome, lie) = match lie {
            0 => {
                amounts[at] = above_max;
                (AttemptOutcome::Forwarded, 0)
            }
            1 if at + 1 < n => {
                amounts[at] = above_max;
                (AttemptOutcome::liquidity_failure(at + 1 + (k as usize) % (n - at - 1)), 1)
            }
            _ if inf <= mn => {
                amounts[at] = Msat(k % (mn - inf + 1));
                (AttemptOutcome::liquidity_failure(at), 2)
            }
            _ => {
                amounts[at] = above_max;
                (AttemptOutcome::Forwarded, 0)
            }
        };
        let before = b.clone();
        let result = b.learn_attempt(&path, &amounts, outcome);
        prop_assert!(result.is_err(), "lie {} at hop {} of {} accepted", lie, at, n);
        prop_assert_eq!(&b, &before);
        check(&g, &b, &t)?;
    }

    /// Truthful attempts along random walks, answered by the ground truth, keep the invariants;
    /// releasing them all leaves nothing in flight.
    #[test]
    fn truthful_attempts_keep_invariants(
        specs in graph_specs(),
        seeds in prop::collection::vec(any::<u64>(), 1..8),
        walks in prop::collection::vec((any::<u32>(), prop::collection::vec(any::<u32>(), 1..6), any::<u64>()), 1..12),
    ) {
        let g = build(&specs);
        prop_assume!(g.direction_count() > 0);
        let mut b = Belief::new(&g);
        let mut t = Truth::new(&g, &seeds);
        let mut live = Vec::new();
        let mut locked = vec![0u64; g.direction_count()];
        for (start, picks, k) in &walks {
            let path = walk(&g, *start, picks);
            if path.is_empty() {
                continue;
            }
            let amounts: Vec<Msat> = path.iter().map(|&d| Msat(k % (b.capacity(d).0 + 1))).collect();
            // The truth answers: the first hop whose free liquidity is short fails.
            let failing = path.iter().zip(&amounts).position(|(&d, &h)| {
                t.liq[d.ix()] < locked[d.ix()] + h.0
            });
            let outcome = match failing {
                None => AttemptOutcome::Forwarded,
                Some(hop) => AttemptOutcome::liquidity_failure(hop),
            };
            prop_assert!(b.learn_attempt(&path, &amounts, outcome).is_ok());
            if failing.is_none() {
                for (&d, &h) in path.iter().zip(&amounts) {
                    locked[d.ix()] += h.0;
                    t.htlcs.push((d, h.0));
                }
                live.push((path, amounts));
            }
            check(&g, &b, &t)?;
        }
        for (path, amounts) in live {
            prop_assert!(b.release_attempt(&path, &amounts).is_ok());
        }
        t.htlcs.clear();
        check(&g, &b, &t)?;
        prop_assert!(b.in_flights().iter().all(|&x| x == Msat::ZERO));
    }
}
