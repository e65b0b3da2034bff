//! # pp-ldk
//!
//! Pickhardt payments inside LDK nodes: a `lightning::routing::router::Router` that plans
//! multi-path routes with a min-cost flow on a belief about every channel's liquidity, and a
//! scorer through which LDK's payment events teach that belief, both on LDK's own types.
//!
//! Built on **`lightning` 0.2.7** (the newest 0.2.x) and `bitcoin` 0.32. The other crates of
//! the workspace know nothing of LDK.
//!
//! ```
//! use bitcoin::Network;
//! use lightning::routing::router::{DefaultRouter, InFlightHtlcs, RouteParameters, Router};
//! use pp_ldk::{mpp_payment_params, network_graph_from, BeliefPenalty, BeliefScorer, NoLog,
//!     NodeMap, PickhardtRouter, SeededEntropy};
//! use std::sync::{Arc, Mutex};
//!
//! // The toy graph of data/README.md as an LDK NetworkGraph.
//! let graph = pp_graph::load_bytes(include_bytes!("../../../data/toy.listchannels.json"))?.graph;
//! let nodes = NodeMap::new(&graph);
//! # let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() as u32;
//! let (network, _) = network_graph_from(&graph, &nodes, Network::Bitcoin, Arc::new(NoLog), now)?;
//! let network = Arc::new(network);
//!
//! // One belief, shared by our router, LDK's router (as penalties) and the background processor.
//! let scorer = Arc::new(Mutex::new(BeliefScorer::new(&network.read_only())));
//! let inner = DefaultRouter::new(network.clone(), Arc::new(NoLog), Arc::new(SeededEntropy::new(1)),
//!     scorer.clone(), BeliefPenalty::default());
//! let router = PickhardtRouter::new(network.clone(), scorer.clone(), inner);
//!
//! let (a, d) = (graph.node_index(&format!("02{}", "aa".repeat(32)).parse()?).unwrap(),
//!               graph.node_index(&format!("02{}", "dd".repeat(32)).parse()?).unwrap());
//! let params = RouteParameters::from_payment_params_and_value(
//!     mpp_payment_params(nodes.pubkey(d), 40), 300_000_000);
//! let route = router.find_route(&nodes.pubkey(a), &params, None, InFlightHtlcs::new())?;
//! assert_eq!(route.get_total_amount(), 300_000_000);
//! pp_ldk::check_route(&route, &network.read_only(), &nodes.pubkey(a), &params, None)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! - [`PickhardtRouter`] answers `find_route` with one round of the Pickhardt loop planned on
//!   the belief (pp-session's `Session::plan`), mapping LDK's request (fee limit, CLTV limit,
//!   path count and length, failed channels, payee features, first hops, in-flight HTLCs) and
//!   handing what it does not route (blinded payees, payees reached only through route hints,
//!   `create_blinded_payment_paths`) to an inner router, normally LDK's `DefaultRouter`.
//! - [`BeliefScorer`] is the belief: LDK's `ScoreUpdate` (path and probe outcomes, time with
//!   decay) teaches it, its `ScoreLookUp` serves it to LDK's own router as penalties, and it
//!   persists through LDK's `Writeable` / `ReadableArgs`.
//! - [`graph_from_ldk`] and [`network_graph_from`] convert graphs both ways; [`NodeMap`] maps
//!   node ids (synthetic keys for ids that are not curve points); [`read_network_graph`] /
//!   [`write_network_graph`] use LDK's serialization, so a node's persisted graph loads.
//! - [`check_route`] checks a `Route` against LDK's rules; [`first_hops`] and
//!   [`SeededEntropy`] build an LDK node's view of a simulated network.
//!
//! **Why a router and not only a scorer.** LDK's router searches paths one by one with
//! multi-path heuristics; a scorer can change what a path costs but not that the payment is
//! split by a flow. The router plans the split; the scorer keeps the belief LDK's events feed.
//!
//! **Known limits.** Route hints (private last hops) and blinded payees go to the inner router;
//! an unannounced first hop is not used unless it is the payer's only way (then the inner
//! router answers); each query costs O(D) over the graph's D directions besides the flow
//! (when HTLCs are in flight they are looked up per direction, since LDK's `InFlightHtlcs`
//! cannot be iterated; a new planning session per query, since a session borrows the graph the
//! scorer owns, though the scorer keeps its flow model and solver warm between queries
//! (`Session::take_cache`), so only the directions whose belief changed are linearized again); no random
//! CLTV offset is added to the last hop. The graph is the one of the last
//! [`BeliefScorer::refresh`].
//!
//! **For `lightning` 0.3** (0.3.0-rc3 at the time of writing): `find_route` keeps its
//! signature; `create_blinded_payment_paths` gains a `ReceiveAuthKey` argument (handed on to
//! the inner router); `ChannelDetails` gains `next_splice_out_maximum_sat`,
//! `current_dust_exposure_msat` and `splice_details` (set in [`first_hops`]);
//! `NetworkGraph::update_channel_unsigned` returns the channel's nodes instead of `()`. No
//! change of meaning for the router or the scorer.
#![deny(missing_docs)]

mod check;
mod convert;
mod error;
mod local;
mod nodes;
mod router;
mod scorer;
mod simulate;

pub use check::check_route;
pub use convert::{
    graph_from_ldk, mpp_payment_params, network_graph_from, read_network_graph,
    write_network_graph, FromLdkReport, NoLog, ToLdkReport,
};
pub use error::LdkError;
pub use local::{first_hops, SeededEntropy};
pub use nodes::NodeMap;
pub use router::{BeliefDefaultRouter, PickhardtRouter, MAX_PLANS_PER_QUERY};
pub use scorer::{
    BeliefPenalty, BeliefScorer, DEFAULT_HALF_LIFE_SECS, DEFAULT_PENALTY_MULTIPLIER_MSAT,
};
pub use simulate::{
    simulate_ldk, LdkSimParams, LdkSimReport, QuerySummary, DEFAULT_RETRIES, FINAL_CLTV,
};
