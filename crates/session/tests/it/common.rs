//! Helpers shared by the test modules.

use pp_graph::{DirIdx, Graph, Msat, NodeId};
use pp_session::{AttemptStatus, Oracle, PaymentReport};
use pp_uncertainty::Belief;
use std::path::Path;

/// The hand-made toy graph of the repository (A–B–C–D).
pub fn toy() -> Graph {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/toy.listchannels.json");
    pp_graph::load_path(&path).expect("toy graph loads").graph
}

/// The toy's node `c` ('a'..='d'): `02` followed by 32 bytes of `cc`.
pub fn toy_node(c: char) -> NodeId {
    format!("02{}", c.to_string().repeat(64))
        .parse()
        .expect("valid key")
}

/// Checks docs/MODEL.md §6's invariants after a payment: nothing in flight in belief or oracle,
/// both sides of every oracle channel sum to its capacity, the belief contains the truth, delivered
/// plus residual is the amount, and the fees are the exact hop fees of the settled attempts.
pub fn check_invariants(graph: &Graph, belief: &Belief, oracle: &Oracle<'_>, r: &PaymentReport) {
    assert!(!oracle.has_in_flight(), "oracle keeps HTLCs in flight");
    for d in graph.directions() {
        assert_eq!(belief.in_flight(d), Msat::ZERO, "belief in flight on {d:?}");
        assert_eq!(oracle.in_flight(d), Msat::ZERO);
        assert!(
            belief.contains(d, oracle.liquidity(d)),
            "truth {} outside belief [{}, {}] on {}",
            oracle.liquidity(d),
            belief.min(d),
            belief.max(d),
            graph.scid(d)
        );
    }
    for c in graph.channels() {
        let sum = oracle.channel_side_liquidity(c, 0).0 + oracle.channel_side_liquidity(c, 1).0;
        assert_eq!(
            sum,
            graph.channel_capacity(c).0,
            "channel {}",
            graph.channel_scid(c)
        );
    }
    belief.check_invariants().expect("belief invariants");
    assert_eq!(
        r.delivered_msat.0 + r.residual_msat.0,
        r.amount_msat.0,
        "delivered + residual = amount"
    );
    assert_eq!(r.success, r.delivered_msat == r.amount_msat);
    let mut fees = 0u64;
    let mut settled_amount = 0u64;
    for a in &r.attempts {
        // Recompute every hop from the policies: hop i+1's fee is charged on its amount and
        // added to hop i's amount; the sender's own hop is free.
        let mut expect_fee = 0u64;
        for w in a.hops.windows(2) {
            let d = graph
                .direction_from(w[1].scid, &w[1].source)
                .expect("hop is a listed direction");
            let f = graph.fee(d, w[1].amount_msat).expect("no overflow");
            assert_eq!(w[0].amount_msat.0, w[1].amount_msat.0 + f.0, "hop amounts");
            assert_eq!(w[1].fee_msat, f);
            expect_fee += f.0;
        }
        assert_eq!(
            a.hops[0].fee_msat,
            Msat::ZERO,
            "the sender pays itself nothing"
        );
        assert_eq!(a.hops.last().expect("hops").amount_msat, a.amount_msat);
        assert_eq!(a.fee_msat.0, expect_fee);
        if a.outcome == AttemptStatus::Settled {
            fees += expect_fee;
            settled_amount += a.amount_msat.0;
        }
        assert!(
            !matches!(a.outcome, AttemptStatus::InFlight | AttemptStatus::Planned),
            "unresolved attempt"
        );
        if !r.success {
            assert_ne!(a.outcome, AttemptStatus::Settled, "failure settles nothing");
        }
    }
    assert_eq!(
        r.fees_msat.0, fees,
        "fees = Σ exact hop fees of settled attempts"
    );
    assert_eq!(
        settled_amount, r.delivered_msat.0,
        "settled parts sum to the delivery"
    );
}

/// The direction `from → to` of the toy graph.
pub fn toy_dir(g: &Graph, from: char, to: char) -> DirIdx {
    let (s, t) = (
        g.node_index(&toy_node(from)).expect("node"),
        g.node_index(&toy_node(to)).expect("node"),
    );
    g.out_dirs(s)
        .find(|&d| g.target(d) == t)
        .expect("direction")
}
