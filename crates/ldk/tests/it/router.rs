//! `PickhardtRouter` on the toy graph: LDK's conventions, the request's limits, fallbacks.

use crate::common::{toy, toy_node, Net};
use lightning::routing::router::{InFlightHtlcs, PaymentParameters, RouteParameters, Router};
use pp_graph::Msat;
use pp_ldk::{check_route, first_hops};
use std::sync::{Arc, Mutex};

fn toy_net() -> Net {
    Net::new(toy())
}

#[test]
fn pays_the_toy_graph_in_several_parts_by_ldk_rules() {
    let net = toy_net();
    let r = net.router();
    let (a, d) = (net.key_of(&toy_node('a')), net.key_of(&toy_node('d')));
    let params = net.params(net.graph.node_index(&toy_node('d')).unwrap(), 500_000_000);
    let route = r
        .find_route(&a, &params, None, InFlightHtlcs::new())
        .unwrap();
    check_route(&route, &net.ng.read_only(), &a, &params, None).unwrap();
    assert!(
        route.paths.len() >= 2,
        "500k sat needs both sides of the toy graph"
    );
    assert_eq!(route.get_total_amount(), 500_000_000);
    assert_eq!(route.route_params.as_ref(), Some(&params));
    for p in &route.paths {
        assert_eq!(p.hops.last().unwrap().pubkey, d);
        assert_eq!(p.hops.last().unwrap().cltv_expiry_delta, 40);
    }
    // The belief is back in the scorer with nothing in flight.
    let s = net.scorer.lock().unwrap();
    assert!(s.belief().in_flights().iter().all(|m| *m == Msat::ZERO));
}

#[test]
fn one_path_without_multi_path_features() {
    let net = toy_net();
    let r = net.router();
    let a = net.key_of(&toy_node('a'));
    let d = net.key_of(&toy_node('d'));
    let params = RouteParameters::from_payment_params_and_value(
        PaymentParameters::from_node_id(d, 40),
        100_000_000,
    );
    let route = r
        .find_route(&a, &params, None, InFlightHtlcs::new())
        .unwrap();
    assert_eq!(route.paths.len(), 1);
    check_route(&route, &net.ng.read_only(), &a, &params, None).unwrap();
}

#[test]
fn previously_failed_channels_carry_nothing() {
    let net = toy_net();
    let r = net.router();
    let a = net.key_of(&toy_node('a'));
    let di = net.graph.node_index(&toy_node('d')).unwrap();
    let mut params = net.params(di, 100_000_000);
    let first = r
        .find_route(&a, &params, None, InFlightHtlcs::new())
        .unwrap();
    let used: Vec<u64> = first
        .paths
        .iter()
        .map(|p| p.hops[0].short_channel_id)
        .collect();
    params.payment_params.previously_failed_channels = used.clone();
    if let Ok(route) = r.find_route(&a, &params, None, InFlightHtlcs::new()) {
        check_route(&route, &net.ng.read_only(), &a, &params, None).unwrap();
        for p in &route.paths {
            assert!(p.hops.iter().all(|h| !used.contains(&h.short_channel_id)));
        }
    }
}

#[test]
fn first_hops_limit_what_the_payer_spends() {
    let net = toy_net();
    let r = net.router();
    let ai = net.graph.node_index(&toy_node('a')).unwrap();
    let di = net.graph.node_index(&toy_node('d')).unwrap();
    let a = net.key(ai);
    // Only 300k sat spendable on each of A's channels: 500k sat must use both.
    let hops = first_hops(&net.graph, &net.nodes, ai, |_| Msat(300_000_000));
    let refs: Vec<_> = hops.iter().collect();
    let params = net.params(di, 500_000_000);
    let route = r
        .find_route(&a, &params, Some(&refs), InFlightHtlcs::new())
        .unwrap();
    check_route(&route, &net.ng.read_only(), &a, &params, Some(&refs)).unwrap();
    let firsts: std::collections::HashSet<u64> = route
        .paths
        .iter()
        .map(|p| p.hops[0].short_channel_id)
        .collect();
    assert!(firsts.len() >= 2);
    // Nothing spendable: no route.
    let none = first_hops(&net.graph, &net.nodes, ai, |_| Msat::ZERO);
    let refs: Vec<_> = none.iter().collect();
    assert!(r
        .find_route(&a, &params, Some(&refs), InFlightHtlcs::new())
        .is_err());
}

#[test]
fn in_flight_htlcs_count_for_the_query_only() {
    let net = toy_net();
    let r = net.router();
    let a = net.key_of(&toy_node('a'));
    let di = net.graph.node_index(&toy_node('d')).unwrap();
    let params = net.params(di, 400_000_000);
    let route = r
        .find_route(&a, &params, None, InFlightHtlcs::new())
        .unwrap();
    // With that whole route in flight, a second payment must go elsewhere or fail.
    let mut inflight = InFlightHtlcs::new();
    for p in &route.paths {
        inflight.process_path(p, a);
    }
    let params2 = net.params(di, 400_000_000);
    match r.find_route(&a, &params2, None, inflight) {
        Ok(second) => check_route(&second, &net.ng.read_only(), &a, &params2, None).unwrap(),
        Err(e) => assert!(e.contains("route"), "{e}"),
    }
    let s = net.scorer.lock().unwrap();
    assert!(s.belief().in_flights().iter().all(|m| *m == Msat::ZERO));
}

#[test]
fn limits_and_errors_read_like_ldk() {
    let net = toy_net();
    let r = net.router();
    let a = net.key_of(&toy_node('a'));
    let di = net.graph.node_index(&toy_node('d')).unwrap();
    let ai = net.graph.node_index(&toy_node('a')).unwrap();
    let mut params = net.params(di, 0);
    assert_eq!(
        r.find_route(&a, &params, None, InFlightHtlcs::new())
            .unwrap_err(),
        "Cannot send a payment of 0 msat"
    );
    params.final_value_msat = 1_000;
    let to_self = net.params(ai, 1_000);
    assert!(r
        .find_route(&a, &to_self, None, InFlightHtlcs::new())
        .is_err());
    // A total CLTV below the final one.
    params.payment_params.max_total_cltv_expiry_delta = 10;
    assert!(r
        .find_route(&a, &params, None, InFlightHtlcs::new())
        .unwrap_err()
        .contains("CLTV"));
    // More than the toy graph holds.
    let huge = net.params(di, 10_000_000_000_000);
    assert!(r.find_route(&a, &huge, None, InFlightHtlcs::new()).is_err());
    // A fee limit of 0 on a route that costs fees.
    let mut cheap = net.params(di, 500_000_000);
    cheap.max_total_routing_fee_msat = Some(0);
    if let Ok(route) = r.find_route(&a, &cheap, None, InFlightHtlcs::new()) {
        assert_eq!(route.get_total_fees(), 0);
    }
    // A path count of 1 gives one path.
    let mut single = net.params(di, 100_000_000);
    single.payment_params.max_path_count = 1;
    let route = r
        .find_route(&a, &single, None, InFlightHtlcs::new())
        .unwrap();
    assert_eq!(route.paths.len(), 1);
}

#[test]
fn blinded_and_unknown_payees_go_to_the_inner_router() {
    let net = toy_net();
    let r = net.router();
    let a = net.key_of(&toy_node('a'));
    // A payee unknown to the graph without hints fails with a reason.
    let stranger = {
        use bitcoin::secp256k1::{Secp256k1, SecretKey};
        bitcoin::secp256k1::PublicKey::from_secret_key(
            &Secp256k1::new(),
            &SecretKey::from_slice(&[9u8; 32]).unwrap(),
        )
    };
    let params = RouteParameters::from_payment_params_and_value(
        pp_ldk::mpp_payment_params(stranger, 40),
        1_000,
    );
    let e = r
        .find_route(&a, &params, None, InFlightHtlcs::new())
        .unwrap_err();
    assert!(e.contains("not in the network graph"), "{e}");
    // A blinded payee without paths: LDK's own answer.
    let blinded = RouteParameters::from_payment_params_and_value(
        PaymentParameters::blinded(Vec::new()),
        1_000,
    );
    let ours = r.find_route(&a, &blinded, None, InFlightHtlcs::new());
    let theirs = r
        .inner()
        .find_route(&a, &blinded, None, InFlightHtlcs::new());
    assert_eq!(ours.map(|_| ()), theirs.map(|_| ()));
}

#[test]
fn the_belief_serves_ldks_own_router_as_penalties() {
    let net = toy_net();
    let r = net.router();
    let a = net.key_of(&toy_node('a'));
    let di = net.graph.node_index(&toy_node('d')).unwrap();
    let params = net.params(di, 100_000_000);
    // LDK's DefaultRouter scoring with the BeliefScorer (the inner router).
    let route = r
        .inner()
        .find_route(&a, &params, None, InFlightHtlcs::new())
        .unwrap();
    check_route(&route, &net.ng.read_only(), &a, &params, None).unwrap();
}

/// The scorer keeps the last query's flow model and solver warm for the next: a sequence of
/// queries on one scorer returns the routes a fresh scorer (a clone, which starts cold) returns
/// for each of them.
#[test]
fn warm_queries_route_like_cold_ones() {
    let net = Net::new(pp_graph::generate(&pp_graph::GeneratorParams::new(150, 21)).unwrap());
    let warm = net.router();
    let nodes: Vec<_> = pp_graph::largest_scc(&net.graph);
    let mut routed = 0;
    for k in 0..12usize {
        let (s, t) = (
            nodes[(7 * k) % nodes.len()],
            nodes[(13 * k + 5) % nodes.len()],
        );
        if s == t {
            continue;
        }
        let params = net.params(t, 5_000_000 + 3_000_000 * k as u64);
        let payer = net.key(s);
        // A cold scorer: a clone of the warm one's belief, without its cache.
        let cold_net = Net {
            graph: net.graph.clone(),
            nodes: net.nodes.clone(),
            ng: net.ng.clone(),
            scorer: Arc::new(Mutex::new(net.scorer.lock().unwrap().clone())),
        };
        let cold = cold_net.router();
        let a = warm.find_route(&payer, &params, None, InFlightHtlcs::new());
        let b = cold.find_route(&payer, &params, None, InFlightHtlcs::new());
        match (a, b) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a, b, "query {k}");
                routed += 1;
            }
            (Err(a), Err(b)) => assert_eq!(a, b, "query {k}"),
            (a, b) => panic!("query {k}: {a:?} against {b:?}"),
        }
    }
    assert!(routed >= 4, "only {routed} routes");
}
