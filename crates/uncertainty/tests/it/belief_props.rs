//! Property tests of the belief against a truthful (and a lying) oracle.

use crate::common::{apply, build, check, graph_specs, op, Op, Truth};
use pp_graph::{DirIdx, Msat};
use pp_uncertainty::{Belief, UncertaintyError};
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
