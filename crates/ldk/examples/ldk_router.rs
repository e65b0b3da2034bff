//! Plugging Pickhardt payments into an LDK node's routing, on the toy graph of data/README.md:
//! build an LDK `NetworkGraph`, make the router with a shared belief, ask it for the route of a
//! 500,000 sat payment from A to D and print it; then let LDK's events teach the belief and ask
//! again.
//!
//! Run: `cargo run -p pp-ldk --example ldk_router`

use bitcoin::Network;
use lightning::routing::router::{DefaultRouter, InFlightHtlcs, Route, RouteParameters, Router};
use lightning::routing::scoring::ScoreUpdate;
use pp_ldk::{
    check_route, mpp_payment_params, network_graph_from, BeliefPenalty, BeliefScorer, NoLog,
    NodeMap, PickhardtRouter, SeededEntropy,
};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. The network as LDK sees it (a node has it from gossip; here from a snapshot).
    let graph = pp_graph::load_bytes(include_bytes!("../../../data/toy.listchannels.json"))?.graph;
    let nodes = NodeMap::new(&graph);
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() as u32;
    let (network, report) =
        network_graph_from(&graph, &nodes, Network::Bitcoin, Arc::new(NoLog), now)?;
    println!(
        "LDK network graph: {} channels, {} directions ({} synthetic node keys)",
        report.channels, report.directions, report.synthetic_nodes
    );
    let network = Arc::new(network);

    // 2. One belief for our router, LDK's fallback router and the background processor.
    let scorer = Arc::new(Mutex::new(BeliefScorer::new(&network.read_only())));
    let fallback = DefaultRouter::new(
        network.clone(),
        Arc::new(NoLog),
        Arc::new(SeededEntropy::new(1)),
        scorer.clone(),
        BeliefPenalty::default(),
    );
    let router = PickhardtRouter::new(network.clone(), scorer.clone(), fallback);

    // 3. A route for 500,000 sat from A to D, checked by LDK's rules.
    let id = |c: &str| -> Result<_, Box<dyn std::error::Error>> {
        let n = graph.node_index(&format!("02{}", c.repeat(32)).parse()?);
        Ok(nodes.pubkey(n.ok_or("toy node")?))
    };
    let (a, d) = (id("aa")?, id("dd")?);
    let params =
        RouteParameters::from_payment_params_and_value(mpp_payment_params(d, 40), 500_000_000);
    let route = router.find_route(&a, &params, None, InFlightHtlcs::new())?;
    check_route(&route, &network.read_only(), &a, &params, None)?;
    print_route("first route", &route);

    // 4. LDK reports that the first path failed at its last channel; the belief learns, and the
    //    next route avoids what failed.
    let failed = &route.paths[0];
    let scid = failed
        .hops
        .last()
        .map(|h| h.short_channel_id)
        .ok_or("empty path")?;
    scorer.lock().map_err(|_| "lock")?.payment_path_failed(
        failed,
        scid,
        Duration::from_secs(now.into()),
    );
    let again = router.find_route(&a, &params, None, InFlightHtlcs::new())?;
    check_route(&again, &network.read_only(), &a, &params, None)?;
    print_route("after the failure", &again);
    Ok(())
}

fn print_route(title: &str, route: &Route) {
    println!(
        "{title}: {} path(s), {} msat delivered, {} msat in fees",
        route.paths.len(),
        route.get_total_amount(),
        route.get_total_fees()
    );
    for (i, p) in route.paths.iter().enumerate() {
        println!("  path {}: {} msat", i + 1, p.final_value_msat());
        for h in &p.hops {
            let key = h.pubkey.to_string();
            println!(
                "    via {:>9} to {}…  fee_msat {:>10}  cltv_expiry_delta {:>3}",
                pp_graph::ShortChannelId(h.short_channel_id).to_string(),
                &key[..12],
                h.fee_msat,
                h.cltv_expiry_delta
            );
        }
    }
}
