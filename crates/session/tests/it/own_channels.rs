//! The sender's own channels: it pays no fee on them (SPEC §1), so the flow cost charges none.

use crate::common::check_invariants;
use pp_graph::{DirectionRecord, Graph, GraphBuilder, Msat, NodeId, Policy, Ppm, ShortChannelId};
use pp_session::{AttemptStatus, Oracle, Session, StopReason};

/// S has two routes to T, every channel 1,000,000 sat with all its liquidity on the listed
/// side: over its own dear channel S→X (base fee 1000 msat, 5000 ppm) then a free X→T, or over
/// its own free S→Y then Y→T at 2000 ppm.
fn two_routes() -> Graph {
    let mut b = GraphBuilder::new();
    for (k, s, t, base, ppm) in [
        (1, 1, 2, 1000, 5000), // S → X
        (2, 2, 4, 0, 0),       // X → T
        (3, 1, 3, 0, 0),       // S → Y
        (4, 3, 4, 0, 2000),    // Y → T
    ] {
        b.add(&DirectionRecord {
            scid: ShortChannelId::new(1, k, 0).expect("scid"),
            source: NodeId::synthetic(s),
            destination: NodeId::synthetic(t),
            capacity: Msat(1_000_000_000),
            policy: Policy {
                base_fee_msat: Msat(base),
                fee_ppm: Ppm(ppm),
                cltv_delta: 40,
                htlc_minimum_msat: Msat(1),
                htlc_maximum_msat: Msat(1_000_000_000),
                active: true,
                last_update: 0,
            },
        })
        .expect("valid");
    }
    b.build()
}

fn full(g: &Graph) -> Oracle<'_> {
    let mut o = Oracle::from_side0_liquidity(g, |_| Msat::ZERO).expect("valid");
    for d in g.directions() {
        o.set_liquidity(d, g.capacity(d)).expect("at capacity");
    }
    o
}

#[test]
fn the_senders_dear_own_channel_is_used_for_free() {
    let g = two_routes();
    let mut session = Session::new(&g, full(&g));
    let (s, t) = (NodeId::synthetic(1), NodeId::synthetic(4));
    let r = session.pay(&s, &t, Msat(100_000_000)).expect("valid");
    assert_eq!(r.stop_reason, StopReason::Delivered);
    // One round, one part, over S→X→T: S pays nothing on its own S→X and X→T is free. (Before,
    // S→X was left out for its base fee and charged 5000 ppm in the cost: the part went over
    // S→Y→T for 200,000 msat.)
    assert_eq!((r.rounds, r.attempts.len()), (1, 1));
    let a = &r.attempts[0];
    assert_eq!(a.outcome, AttemptStatus::Settled);
    let scids: Vec<String> = a.hops.iter().map(|h| h.scid.to_string()).collect();
    assert_eq!(scids, ["1x1x0", "1x2x0"]);
    assert_eq!(r.fees_msat, Msat::ZERO);
    assert!(!r.round_details[0].base_fee_fallback);
    check_invariants(&g, session.belief(), session.network(), &r);
}
