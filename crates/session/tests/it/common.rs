//! Helpers shared by the test modules.

use pp_graph::{DirIdx, DirectionRecord, Graph, GraphBuilder, Msat, NodeId, Policy, Ppm};
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

/// One direction of a hand-made test graph, listed alone (its channel's other side is not
/// listed): channel `1x{tx}x0` from synthetic node `from` to `to`. [`Dir::new`] gives a free
/// direction that takes HTLCs from 1 msat up to its capacity; the setters change one field.
#[derive(Debug, Clone, Copy)]
pub struct Dir {
    tx: u32,
    from: u32,
    to: u32,
    capacity_sat: u64,
    base_msat: u64,
    ppm: u32,
    htlc_min_msat: u64,
    htlc_max_sat: u64,
}

impl Dir {
    /// `from → to` on channel `1x{tx}x0` of `capacity_sat` sat, free, HTLCs of 1 msat up to its
    /// capacity.
    pub fn new(tx: u32, from: u32, to: u32, capacity_sat: u64) -> Self {
        Dir {
            tx,
            from,
            to,
            capacity_sat,
            base_msat: 0,
            ppm: 0,
            htlc_min_msat: 1,
            htlc_max_sat: capacity_sat,
        }
    }

    /// With base fee `base_msat` msat and `ppm` parts per million.
    pub fn fees(self, base_msat: u64, ppm: u32) -> Self {
        Dir {
            base_msat,
            ppm,
            ..self
        }
    }

    /// Taking no HTLC below `msat`.
    pub fn htlc_min(self, msat: u64) -> Self {
        Dir {
            htlc_min_msat: msat,
            ..self
        }
    }

    /// Taking no HTLC above `sat`.
    pub fn htlc_max_sat(self, sat: u64) -> Self {
        Dir {
            htlc_max_sat: sat,
            ..self
        }
    }
}

/// The graph of these directions (cltv delta 40, all active).
pub fn one_way_graph(dirs: &[Dir]) -> Graph {
    let mut b = GraphBuilder::new();
    for d in dirs {
        b.add(&DirectionRecord {
            scid: pp_graph::ShortChannelId::new(1, d.tx, 0).expect("scid"),
            source: NodeId::synthetic(d.from),
            destination: NodeId::synthetic(d.to),
            capacity: Msat(d.capacity_sat * 1000),
            policy: Policy {
                base_fee_msat: Msat(d.base_msat),
                fee_ppm: Ppm(d.ppm),
                cltv_delta: 40,
                htlc_minimum_msat: Msat(d.htlc_min_msat),
                htlc_maximum_msat: Msat(d.htlc_max_sat * 1000),
                active: true,
                last_update: 0,
            },
        })
        .expect("valid");
    }
    b.build()
}

/// The ground truth with every direction of `g` holding its whole capacity.
pub fn full_oracle(g: &Graph) -> Oracle<'_> {
    let mut o = Oracle::from_side0_liquidity(g, |_| Msat::ZERO).expect("valid");
    for d in g.directions() {
        o.set_liquidity(d, g.capacity(d)).expect("at capacity");
    }
    o
}
