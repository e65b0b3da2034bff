//! A pp graph turned into an LDK node's view: network graph, shared belief, routers.

use bitcoin::secp256k1::PublicKey;
use bitcoin::Network;
use lightning::routing::gossip::NetworkGraph;
use lightning::routing::router::{DefaultRouter, RouteParameters};
use pp_graph::{Graph, NodeId, NodeIdx};
use pp_ldk::{
    mpp_payment_params, network_graph_from, BeliefPenalty, BeliefScorer, NoLog, NodeMap,
    PickhardtRouter, SeededEntropy,
};
use std::sync::{Arc, Mutex};

pub type Ng = NetworkGraph<Arc<NoLog>>;
pub type Inner = DefaultRouter<
    Arc<Ng>,
    Arc<NoLog>,
    Arc<SeededEntropy>,
    Arc<Mutex<BeliefScorer>>,
    BeliefPenalty,
    BeliefScorer,
>;
pub type Ours = PickhardtRouter<Arc<Ng>, Arc<NoLog>, Inner, Arc<Mutex<BeliefScorer>>>;

pub struct Net {
    pub graph: Graph,
    pub nodes: NodeMap,
    pub ng: Arc<Ng>,
    pub scorer: Arc<Mutex<BeliefScorer>>,
}

pub fn now() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as u32
}

impl Net {
    pub fn new(graph: Graph) -> Net {
        let nodes = NodeMap::new(&graph);
        let (ng, report) =
            network_graph_from(&graph, &nodes, Network::Bitcoin, Arc::new(NoLog), now()).unwrap();
        assert!(
            report.refused.is_empty(),
            "{:?}",
            &report.refused[..3.min(report.refused.len())]
        );
        let scorer = Arc::new(Mutex::new(BeliefScorer::new(&ng.read_only())));
        Net {
            graph,
            nodes,
            ng: Arc::new(ng),
            scorer,
        }
    }

    pub fn router(&self) -> Ours {
        let inner = DefaultRouter::new(
            self.ng.clone(),
            Arc::new(NoLog),
            Arc::new(SeededEntropy::new(7)),
            self.scorer.clone(),
            BeliefPenalty::default(),
        );
        PickhardtRouter::new(self.ng.clone(), self.scorer.clone(), inner)
    }

    pub fn key(&self, n: NodeIdx) -> PublicKey {
        self.nodes.pubkey(n)
    }

    pub fn key_of(&self, id: &NodeId) -> PublicKey {
        self.key(self.graph.node_index(id).unwrap())
    }

    pub fn params(&self, payee: NodeIdx, amount_msat: u64) -> RouteParameters {
        RouteParameters::from_payment_params_and_value(
            mpp_payment_params(self.key(payee), 40),
            amount_msat,
        )
    }
}

pub fn toy() -> Graph {
    pp_graph::load_bytes(include_bytes!("../../../../data/toy.listchannels.json"))
        .unwrap()
        .graph
}

pub fn toy_node(c: char) -> NodeId {
    let hex = format!("02{}", c.to_string().repeat(64));
    hex.parse().unwrap()
}
