//! A three-node graph shared by the unit tests of this crate.

use pp_graph::{DirectionRecord, Graph, GraphBuilder, Msat, NodeId, Policy, Ppm};

/// Nodes 1, 2, 3 (`NodeId::synthetic`): channel `1x1x1` between 1 and 2 listed both ways with
/// capacity `cap_12`, and a one-way channel `1x2x1` from 2 to 3 with capacity `cap_23`; every
/// direction free of base fee, 10 ppm, HTLCs from 1 msat to `htlc_max` (all msat).
pub(crate) fn three_nodes(cap_12: u64, cap_23: u64, htlc_max: u64) -> Graph {
    let pol = Policy {
        base_fee_msat: Msat::ZERO,
        fee_ppm: Ppm(10),
        cltv_delta: 40,
        htlc_minimum_msat: Msat(1),
        htlc_maximum_msat: Msat(htlc_max),
        active: true,
        last_update: 0,
    };
    let rec = |scid: &str, s, t, cap| DirectionRecord {
        scid: scid.parse().expect("scid"),
        source: NodeId::synthetic(s),
        destination: NodeId::synthetic(t),
        capacity: Msat(cap),
        policy: pol,
    };
    let mut b = GraphBuilder::new();
    b.add(&rec("1x1x1", 1, 2, cap_12)).expect("ok");
    b.add(&rec("1x1x1", 2, 1, cap_12)).expect("ok");
    b.add(&rec("1x2x1", 2, 3, cap_23)).expect("ok");
    b.build()
}
