//! A round whose every part breaks an HTLC limit plans again without the offending hops, with the
//! same parameters, instead of giving up or dropping to μ = 0.

use crate::common::{check_invariants, full_oracle, one_way_graph, Dir};
use pp_graph::{Graph, Msat, NodeId};
use pp_session::{AttemptStatus, PayParams, Session, StopReason};

/// S has two routes to T, every channel 1 BTC with all its liquidity on the listed side: a free
/// S→X→T whose X→T takes no HTLC below 2,000 sat, and S→Y→T at 50,000 ppm on Y→T.
fn free_route_with_a_high_minimum() -> Graph {
    one_way_graph(&[
        Dir::new(1, 1, 2, 100_000_000),                     // S → X
        Dir::new(2, 2, 4, 100_000_000).htlc_min(2_000_000), // X → T: nothing below 2,000 sat
        Dir::new(3, 1, 3, 100_000_000),                     // S → Y
        Dir::new(4, 3, 4, 100_000_000).fees(0, 50_000),     // Y → T
    ])
}

#[test]
fn a_round_whose_parts_all_break_htlc_minimums_plans_again_with_the_same_mu() {
    let g = free_route_with_a_high_minimum();
    let (s, t) = (NodeId::synthetic(1), NodeId::synthetic(4));
    let mu = 1.0;
    // With and without the base-fee fallback (without it, the round has a single candidate;
    // before re-planning, it then fell back to μ = 0 for the rest of the round).
    for base_fee_fallback in [true, false] {
        let o = full_oracle(&g);
        // Under the 0.1 rules (base-fee threshold 0), which the fallback belongs to.
        let mut params = PayParams::legacy().with_mu(mu);
        params.base_fee_fallback = base_fee_fallback;
        let mut session = Session::new(&g, o).with_params(params);
        let r = session.pay(&s, &t, Msat(1_000_000)).expect("valid");
        assert_eq!(r.stop_reason, StopReason::Delivered, "{base_fee_fallback}");
        // The flow first puts everything on the free route; its part is below X→T's minimum,
        // so X→T is excluded and the round is solved again with the same μ.
        assert_eq!((r.rounds, r.attempts.len()), (1, 1));
        assert_eq!(r.round_details[0].mu, mu, "{base_fee_fallback}");
        let a = &r.attempts[0];
        assert_eq!(a.outcome, AttemptStatus::Settled);
        let scids: Vec<String> = a.hops.iter().map(|h| h.scid.to_string()).collect();
        assert_eq!(scids, ["1x3x0", "1x4x0"]);
        assert_eq!(r.fees_msat, Msat(50_000));
        check_invariants(&g, session.belief(), session.network(), &r);
    }
}
