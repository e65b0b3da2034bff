//! [`first_hops`]: LDK's `ChannelDetails` for a node of a pp-graph [`Graph`], as its
//! `ChannelManager::list_usable_channels` would report them, for tests and simulations.

use crate::nodes::NodeMap;
use lightning::ln::channel_state::{ChannelCounterparty, ChannelDetails};
use lightning::ln::channelmanager::provided_init_features;
use lightning::ln::types::ChannelId;
use lightning::util::config::UserConfig;
use pp_graph::{DirIdx, Graph, Msat, NodeIdx};

/// The usable channels of `payer`: one `ChannelDetails` per listed direction leaving it, with
/// `spendable(d)` as both `outbound_capacity_msat` and `next_outbound_htlc_limit_msat`, the
/// direction's `htlc_minimum_msat` as `next_outbound_htlc_minimum_msat`, the graph's scid,
/// announced, ready and usable, the counterparty with LDK's default init features.
pub fn first_hops(
    graph: &Graph,
    nodes: &NodeMap,
    payer: NodeIdx,
    mut spendable: impl FnMut(DirIdx) -> Msat,
) -> Vec<ChannelDetails> {
    let features = provided_init_features(&UserConfig::default());
    graph
        .out_dirs(payer)
        .map(|d| {
            let scid = graph.scid(d).0;
            let mut id = [0u8; 32];
            id[..8].copy_from_slice(&scid.to_be_bytes());
            id[8] = graph.side(d);
            let capacity = graph.capacity(d);
            let limit = spendable(d).min(capacity).0;
            ChannelDetails {
                channel_id: ChannelId(id),
                counterparty: ChannelCounterparty {
                    node_id: nodes.pubkey(graph.target(d)),
                    features: features.clone(),
                    unspendable_punishment_reserve: 0,
                    forwarding_info: None,
                    outbound_htlc_minimum_msat: None,
                    outbound_htlc_maximum_msat: None,
                },
                funding_txo: None,
                channel_type: None,
                short_channel_id: Some(scid),
                outbound_scid_alias: None,
                inbound_scid_alias: None,
                channel_value_satoshis: capacity.0 / 1000,
                unspendable_punishment_reserve: None,
                user_channel_id: u128::from(scid),
                feerate_sat_per_1000_weight: None,
                outbound_capacity_msat: limit,
                next_outbound_htlc_limit_msat: limit,
                next_outbound_htlc_minimum_msat: graph.policy(d).htlc_minimum_msat.0,
                inbound_capacity_msat: capacity.0 - limit,
                confirmations_required: None,
                confirmations: Some(6),
                force_close_spend_delay: None,
                is_outbound: true,
                is_channel_ready: true,
                channel_shutdown_state: None,
                is_usable: true,
                is_announced: true,
                inbound_htlc_minimum_msat: None,
                inbound_htlc_maximum_msat: None,
                config: None,
                pending_inbound_htlcs: Vec::new(),
                pending_outbound_htlcs: Vec::new(),
                funding_redeem_script: None,
            }
        })
        .collect()
}

/// A deterministic `EntropySource` for tests and simulations: the `n`-th call returns
/// `sha256(seed ‖ n)`. Never use it in a node (its "randomness" is public).
#[derive(Debug)]
pub struct SeededEntropy {
    seed: u64,
    counter: std::sync::atomic::AtomicU64,
}

impl SeededEntropy {
    /// The source for `seed`.
    pub fn new(seed: u64) -> Self {
        SeededEntropy {
            seed,
            counter: std::sync::atomic::AtomicU64::new(0),
        }
    }
}

impl lightning::sign::EntropySource for SeededEntropy {
    fn get_secure_random_bytes(&self) -> [u8; 32] {
        use bitcoin::hashes::{sha256, Hash};
        let n = self
            .counter
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut data = self.seed.to_be_bytes().to_vec();
        data.extend_from_slice(&n.to_be_bytes());
        sha256::Hash::hash(&data).to_byte_array()
    }
}
