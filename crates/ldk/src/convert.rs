//! Graphs both ways: a pp-graph [`Graph`] from LDK's `NetworkGraph`, an LDK `NetworkGraph` from
//! any [`Graph`], LDK's own serialization of a `NetworkGraph`, and payment parameters that allow
//! multi-path payments.

use crate::error::LdkError;
use crate::nodes::NodeMap;
use bitcoin::constants::ChainHash;
use bitcoin::Network;
use lightning::ln::msgs::UnsignedChannelUpdate;
use lightning::routing::gossip::{ChannelInfo, NetworkGraph, ReadOnlyNetworkGraph};
use lightning::routing::router::PaymentParameters;
use lightning::types::features::{Bolt11InvoiceFeatures, ChannelFeatures};
use lightning::util::logger::{Logger, Record};
use lightning::util::ser::{ReadableArgs, Writeable};
use pp_graph::{DirectionRecord, Graph, GraphBuilder, Msat, NodeId, Policy, Ppm, ShortChannelId};
use std::ops::Deref;

/// A [`Logger`] that drops every record, for graphs built in tests, benches and simulations.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoLog;

impl Logger for NoLog {
    fn log(&self, _record: Record<'_>) {}
}

/// What [`graph_from_ldk`] did with LDK's channels.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FromLdkReport {
    /// Channels in LDK's graph.
    pub channels: usize,
    /// Directions with a `ChannelUpdateInfo`, taken into the graph.
    pub directions: usize,
    /// Channels without an announced capacity whose capacity was taken from the larger
    /// `htlc_maximum_msat` of their directions (LDK's own router does the same:
    /// `EffectiveCapacity::AdvertisedMaxHTLC`).
    pub capacity_from_htlc_max: usize,
    /// Directions refused by the graph builder (zero capacity, `htlc_minimum_msat` above
    /// `htlc_maximum_msat`, …), with the channel and the reason.
    pub skipped: Vec<(ShortChannelId, String)>,
}

/// Our [`Graph`] of LDK's network graph: one direction per `ChannelUpdateInfo` (fees, CLTV
/// delta, HTLC minimum and maximum, enabled flag, last update), channels in ascending short
/// channel id order, node ids as LDK stores them.
///
/// **Capacity.** A channel's capacity is its announced `capacity_sats`. A channel without one
/// (LDK learned it without a UTXO lookup) gets the larger `htlc_maximum_msat` of its
/// directions, the same guess LDK's router makes; a channel with neither is skipped (LDK's
/// router would see it as having zero capacity too). `htlc_maximum_msat` is then capped at the
/// capacity.
///
/// # Complexity
/// O(C log C) for C channels.
pub fn graph_from_ldk(network: &ReadOnlyNetworkGraph<'_>) -> (Graph, FromLdkReport) {
    let mut channels: Vec<(&u64, &ChannelInfo)> = network.channels().unordered_iter().collect();
    channels.sort_unstable_by_key(|(scid, _)| **scid);
    let mut report = FromLdkReport {
        channels: channels.len(),
        ..FromLdkReport::default()
    };
    let mut b = GraphBuilder::new();
    for (&scid, info) in channels {
        let scid = ShortChannelId(scid);
        let updates = [
            (&info.one_to_two, info.node_one, info.node_two),
            (&info.two_to_one, info.node_two, info.node_one),
        ];
        let capacity = match info.capacity_sats {
            Some(sat) => Msat(sat.saturating_mul(1000)),
            None => {
                let guess = updates
                    .iter()
                    .filter_map(|(u, _, _)| u.as_ref().map(|u| u.htlc_maximum_msat))
                    .max()
                    .unwrap_or(0);
                if guess > 0 {
                    report.capacity_from_htlc_max += 1;
                }
                Msat(guess)
            }
        };
        for (update, source, target) in updates {
            let Some(u) = update else { continue };
            let rec = DirectionRecord {
                scid,
                source: NodeId(*source.as_array()),
                destination: NodeId(*target.as_array()),
                capacity,
                policy: Policy {
                    base_fee_msat: Msat(u64::from(u.fees.base_msat)),
                    fee_ppm: Ppm(u.fees.proportional_millionths),
                    cltv_delta: u.cltv_expiry_delta,
                    htlc_minimum_msat: Msat(u.htlc_minimum_msat),
                    htlc_maximum_msat: Msat(u.htlc_maximum_msat.min(capacity.0)),
                    active: u.enabled,
                    last_update: u.last_update,
                },
            };
            match b.add(&rec) {
                Ok(()) => report.directions += 1,
                Err(e) => report.skipped.push((scid, e.to_string())),
            }
        }
    }
    (b.build(), report)
}

/// What [`network_graph_from`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ToLdkReport {
    /// Channels announced to LDK.
    pub channels: usize,
    /// Directions whose update LDK accepted.
    pub directions: usize,
    /// Nodes that got a synthetic key ([`NodeMap`]).
    pub synthetic_nodes: usize,
    /// Channels or directions LDK refused, with its reason.
    pub refused: Vec<(ShortChannelId, String)>,
}

/// An LDK `NetworkGraph` of any [`Graph`] (a loaded snapshot, a generated graph), for tests,
/// benches and simulations: each channel as a partial announcement (what rapid gossip sync
/// feeds LDK: no signatures, the capacity known), each listed direction as an unsigned
/// `channel_update`.
///
/// LDK's rules, and how they are met:
/// - `node_id_1 < node_id_2` of the announcement (the keys of `nodes`, which may be synthetic),
///   and the update's direction bit says which of them forwards;
/// - update timestamps: every update carries `timestamp`. Built with `std`, LDK refuses updates
///   older than two weeks or more than a day ahead of its clock, so pass the current unix time
///   (the graph's own `last_update` values are old in every snapshot);
/// - `htlc_maximum_msat <= capacity`: capped at the capacity in whole sat (LDK announces sat);
///   `htlc_minimum_msat` is capped at the result;
/// - fees fit LDK's `u32` base fee (larger ones are capped, which no real channel needs);
/// - channel features are empty, node announcements absent (payee features that allow
///   multi-path come from the payment's parameters: [`mpp_payment_params`]).
///
/// # Complexity
/// O(C + D) LDK insertions.
pub fn network_graph_from<L: Deref>(
    graph: &Graph,
    nodes: &NodeMap,
    network: Network,
    logger: L,
    timestamp: u32,
) -> Result<(NetworkGraph<L>, ToLdkReport), LdkError>
where
    L::Target: Logger,
{
    if nodes.len() != graph.node_count() {
        return Err(LdkError::NodeMapMismatch {
            map: nodes.len(),
            graph: graph.node_count(),
        });
    }
    let ng = NetworkGraph::new(network, logger);
    let chain_hash = ChainHash::using_genesis_block(network);
    let mut report = ToLdkReport {
        synthetic_nodes: nodes.synthetic_count(),
        ..ToLdkReport::default()
    };
    for c in graph.channels() {
        let scid = graph.channel_scid(c);
        let dirs = graph.channel_directions(c);
        let Some(any) = dirs.iter().flatten().next().copied() else {
            continue;
        };
        let (a, b) = (
            nodes.ldk_node_id(graph.source(any)),
            nodes.ldk_node_id(graph.target(any)),
        );
        let (one, two) = if a < b { (a, b) } else { (b, a) };
        let cap_sat = graph.channel_capacity(c).0 / 1000;
        if let Err(e) = ng.add_channel_from_partial_announcement(
            scid.0,
            Some(cap_sat),
            u64::from(timestamp),
            ChannelFeatures::empty(),
            one,
            two,
        ) {
            report.refused.push((scid, e.err));
            continue;
        }
        report.channels += 1;
        for d in dirs.into_iter().flatten() {
            let p = graph.policy(d);
            let from_two = nodes.ldk_node_id(graph.source(d)) == two;
            let htlc_max = p.htlc_maximum_msat.0.min(cap_sat * 1000);
            let update = UnsignedChannelUpdate {
                chain_hash,
                short_channel_id: scid.0,
                timestamp,
                message_flags: 1,
                channel_flags: u8::from(from_two) | if p.active { 0 } else { 2 },
                cltv_expiry_delta: p.cltv_delta,
                htlc_minimum_msat: p.htlc_minimum_msat.0.min(htlc_max),
                htlc_maximum_msat: htlc_max,
                fee_base_msat: u32::try_from(p.base_fee_msat.0).unwrap_or(u32::MAX),
                fee_proportional_millionths: p.fee_ppm.0,
                excess_data: Vec::new(),
            };
            match ng.update_channel_unsigned(&update) {
                Ok(()) => report.directions += 1,
                Err(e) => report.refused.push((scid, e.err)),
            }
        }
    }
    Ok((ng, report))
}

/// Reads a `NetworkGraph` in LDK's own serialization (what a node's persister writes under
/// the key `network_graph`).
///
/// # Errors
/// [`LdkError::Decode`] when the bytes are not a serialized graph.
pub fn read_network_graph<L: Deref>(bytes: &[u8], logger: L) -> Result<NetworkGraph<L>, LdkError>
where
    L::Target: Logger,
{
    let mut reader = bytes;
    NetworkGraph::read(&mut reader, logger).map_err(|e| LdkError::Decode {
        what: "network graph",
        reason: format!("{e:?}"),
    })
}

/// Writes a `NetworkGraph` in LDK's own serialization.
pub fn write_network_graph<L: Deref>(graph: &NetworkGraph<L>) -> Vec<u8>
where
    L::Target: Logger,
{
    graph.encode()
}

/// Payment parameters for paying `payee` with multi-path allowed (the features of a BOLT 11
/// invoice with `basic_mpp`), LDK's defaults otherwise (`max_path_count` 10, total CLTV 1008,
/// 19 hops).
pub fn mpp_payment_params(
    payee: bitcoin::secp256k1::PublicKey,
    final_cltv: u32,
) -> PaymentParameters {
    let mut features = Bolt11InvoiceFeatures::empty();
    features.set_variable_length_onion_required();
    features.set_payment_secret_required();
    features.set_basic_mpp_optional();
    PaymentParameters::from_node_id(payee, final_cltv)
        .with_bolt11_features(features)
        .expect("a clear payee takes BOLT 11 features")
}
