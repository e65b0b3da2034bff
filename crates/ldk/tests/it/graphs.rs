//! Graphs both ways and LDK's serialization.

use crate::common::{toy, Net};
use pp_graph::{generate, GeneratorParams};
use pp_ldk::{graph_from_ldk, read_network_graph, write_network_graph, NoLog};
use std::sync::Arc;

/// Each direction of `net.graph` comes back from LDK with the same policy and capacity.
fn round_trip(net: &Net) {
    let (back, report) = graph_from_ldk(&net.ng.read_only());
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    assert_eq!(back.direction_count(), net.graph.direction_count());
    assert_eq!(back.channel_count(), net.graph.channel_count());
    for d in net.graph.directions() {
        let src = net.nodes.pubkey(net.graph.source(d)).serialize();
        let e = back
            .direction_from(net.graph.scid(d), &pp_graph::NodeId(src))
            .expect("direction in LDK's graph");
        let (p, q) = (net.graph.policy(d), back.policy(e));
        assert_eq!(
            (
                p.base_fee_msat,
                p.fee_ppm,
                p.cltv_delta,
                p.htlc_minimum_msat,
                p.active
            ),
            (
                q.base_fee_msat,
                q.fee_ppm,
                q.cltv_delta,
                q.htlc_minimum_msat,
                q.active
            )
        );
        assert_eq!(
            q.htlc_maximum_msat,
            p.htlc_maximum_msat.min(net.graph.capacity(d))
        );
        assert_eq!(back.capacity(e), net.graph.capacity(d));
        let t = net.nodes.pubkey(net.graph.target(d)).serialize();
        assert_eq!(back.node_id(back.target(e)).0, t);
    }
}

#[test]
fn toy_graph_survives_ldk_both_ways() {
    round_trip(&Net::new(toy()));
}

#[test]
fn generated_graph_survives_ldk_both_ways() {
    let g = generate(&GeneratorParams::new(80, 3)).unwrap();
    let net = Net::new(g);
    assert!(
        net.nodes.synthetic_count() > 0,
        "generated ids are not curve points"
    );
    round_trip(&net);
}

#[test]
fn ldk_serialization_round_trips() {
    let net = Net::new(toy());
    let bytes = write_network_graph(&net.ng);
    let read = read_network_graph(&bytes, Arc::new(NoLog)).unwrap();
    assert_eq!(
        read.read_only().channels().len(),
        net.ng.read_only().channels().len()
    );
    let (a, _) = graph_from_ldk(&read.read_only());
    let (b, _) = graph_from_ldk(&net.ng.read_only());
    assert_eq!(a.direction_count(), b.direction_count());
    assert!(read_network_graph(&bytes[..bytes.len() / 2], Arc::new(NoLog)).is_err());
}

#[test]
fn channel_without_capacity_takes_its_largest_htlc_maximum() {
    use bitcoin::constants::ChainHash;
    use bitcoin::Network;
    use lightning::ln::msgs::UnsignedChannelUpdate;
    use lightning::routing::gossip::{NetworkGraph, NodeId};
    use lightning::types::features::ChannelFeatures;
    let ng = NetworkGraph::new(Network::Bitcoin, Arc::new(NoLog));
    let net = Net::new(toy());
    let (a, b) = (
        net.nodes.ldk_node_id(pp_graph::NodeIdx(0)),
        net.nodes.ldk_node_id(pp_graph::NodeIdx(1)),
    );
    let (one, two) = if a < b { (a, b) } else { (b, a) };
    ng.add_channel_from_partial_announcement(
        42,
        None,
        crate::common::now() as u64,
        ChannelFeatures::empty(),
        one,
        two,
    )
    .unwrap();
    for (flags, max) in [(0u8, 5_000_000u64), (1, 7_000_000)] {
        ng.update_channel_unsigned(&UnsignedChannelUpdate {
            chain_hash: ChainHash::using_genesis_block(Network::Bitcoin),
            short_channel_id: 42,
            timestamp: crate::common::now(),
            message_flags: 1,
            channel_flags: flags,
            cltv_expiry_delta: 40,
            htlc_minimum_msat: 1,
            htlc_maximum_msat: max,
            fee_base_msat: 0,
            fee_proportional_millionths: 1,
            excess_data: vec![],
        })
        .unwrap();
    }
    let (g, report) = graph_from_ldk(&ng.read_only());
    assert_eq!(report.capacity_from_htlc_max, 1);
    assert_eq!(g.direction_count(), 2);
    for d in g.directions() {
        assert_eq!(g.capacity(d).0, 7_000_000);
    }
    let _: NodeId = one;
}
