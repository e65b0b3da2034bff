//! [`NodeMap`]: our node ids ↔ LDK's `NodeId` / `PublicKey`.
//!
//! A snapshot's node ids are 33-byte compressed public keys in hex, and LDK takes them as they
//! are. Generated graphs and the CLoTH snapshot use ids that only look like keys (the format is
//! right, the curve point is not), and LDK's `RouteHop::pubkey` is a `PublicKey`, so such a node
//! gets a synthetic key: the public key of the secret `sha256("pp-ldk synthetic node" ‖ id)`,
//! deterministic and distinct per id.

use bitcoin::hashes::{sha256, Hash};
use bitcoin::secp256k1::{PublicKey, Secp256k1, SecretKey};
use lightning::routing::gossip::NodeId as LdkNodeId;
use pp_graph::{Graph, NodeId, NodeIdx};
use std::collections::HashMap;

/// The LDK identity of every node of a pp-graph [`Graph`], and the way back.
///
/// Invariant: `to_ldk[n]` is a valid public key for every node `n`, and `from_ldk` maps exactly
/// those keys back to `n`.
#[derive(Debug, Clone)]
pub struct NodeMap {
    to_ldk: Vec<PublicKey>,
    from_ldk: HashMap<LdkNodeId, NodeIdx>,
    synthetic: usize,
}

impl NodeMap {
    /// Maps every node of `graph`: its own id when that is a valid public key, a synthetic key
    /// otherwise (see the module docs).
    ///
    /// # Complexity
    /// O(N) key parses (and derivations for synthetic ids), a few microseconds each.
    pub fn new(graph: &Graph) -> NodeMap {
        let secp = Secp256k1::signing_only();
        let mut to_ldk = Vec::with_capacity(graph.node_count());
        let mut from_ldk = HashMap::with_capacity(graph.node_count());
        let mut synthetic = 0;
        for n in graph.nodes() {
            let id = graph.node_id(n);
            let key = match PublicKey::from_slice(id.as_bytes()) {
                Ok(k) => k,
                Err(_) => {
                    synthetic += 1;
                    synthetic_key(&secp, &id)
                }
            };
            from_ldk.insert(LdkNodeId::from_pubkey(&key), n);
            to_ldk.push(key);
        }
        NodeMap {
            to_ldk,
            from_ldk,
            synthetic,
        }
    }

    /// The public key LDK knows node `n` by.
    pub fn pubkey(&self, n: NodeIdx) -> PublicKey {
        self.to_ldk[n.0 as usize]
    }

    /// The LDK `NodeId` of node `n`.
    pub fn ldk_node_id(&self, n: NodeIdx) -> LdkNodeId {
        LdkNodeId::from_pubkey(&self.to_ldk[n.0 as usize])
    }

    /// The node LDK knows by `id`, if any.
    pub fn node(&self, id: &LdkNodeId) -> Option<NodeIdx> {
        self.from_ldk.get(id).copied()
    }

    /// The node LDK knows by `key`, if any.
    pub fn node_of_pubkey(&self, key: &PublicKey) -> Option<NodeIdx> {
        self.node(&LdkNodeId::from_pubkey(key))
    }

    /// How many nodes got a synthetic key (0 for real snapshots).
    pub fn synthetic_count(&self) -> usize {
        self.synthetic
    }

    /// Number of nodes mapped.
    pub fn len(&self) -> usize {
        self.to_ldk.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.to_ldk.is_empty()
    }
}

fn synthetic_key<C: bitcoin::secp256k1::Signing>(secp: &Secp256k1<C>, id: &NodeId) -> PublicKey {
    let mut counter = 0u8;
    loop {
        let mut data = b"pp-ldk synthetic node".to_vec();
        data.extend_from_slice(id.as_bytes());
        data.push(counter);
        let digest = sha256::Hash::hash(&data).to_byte_array();
        // A digest is a valid secret key except with probability ~2^-128.
        if let Ok(sk) = SecretKey::from_slice(&digest) {
            return PublicKey::from_secret_key(secp, &sk);
        }
        counter = counter.wrapping_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pp_graph::{DirectionRecord, GraphBuilder, Msat, Policy, Ppm};

    #[test]
    fn synthetic_ids_get_distinct_valid_keys_and_map_back() {
        let mut b = GraphBuilder::new();
        let policy = Policy {
            base_fee_msat: Msat(0),
            fee_ppm: Ppm(1),
            cltv_delta: 40,
            htlc_minimum_msat: Msat(0),
            htlc_maximum_msat: Msat(1_000_000),
            active: true,
            last_update: 0,
        };
        for (s, t) in [(1, 2), (2, 3)] {
            b.add(&DirectionRecord {
                scid: pp_graph::ShortChannelId::new(1, s, 0).unwrap(),
                source: NodeId::synthetic(s),
                destination: NodeId::synthetic(t),
                capacity: Msat(1_000_000),
                policy,
            })
            .unwrap();
        }
        let g = b.build();
        let m = NodeMap::new(&g);
        assert_eq!(m.len(), 3);
        for n in g.nodes() {
            assert_eq!(m.node_of_pubkey(&m.pubkey(n)), Some(n));
        }
        assert_ne!(m.pubkey(NodeIdx(0)), m.pubkey(NodeIdx(1)));
    }
}
