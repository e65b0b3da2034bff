//! Every route `PickhardtRouter` returns is valid by LDK's rules (`check_route`), over random
//! requests on a generated graph (256 cases) and on the real snapshots.

use crate::common::Net;
use lightning::routing::router::{InFlightHtlcs, Router};
use pp_graph::{generate, largest_scc, GeneratorParams, Msat};
use pp_ldk::{check_route, first_hops};
use proptest::prelude::*;
use std::sync::OnceLock;

fn generated() -> &'static Net {
    static NET: OnceLock<Net> = OnceLock::new();
    NET.get_or_init(|| Net::new(generate(&GeneratorParams::new(120, 11)).unwrap()))
}

/// One request; `Ok(true)` when a route came back (and was valid).
fn one(
    net: &Net,
    seed: u64,
    amount_msat: u64,
    paths: u8,
    fee_limit: Option<u64>,
    local: bool,
) -> Result<bool, String> {
    let nodes = largest_scc(&net.graph);
    let pairs = pp_session::random_pairs(&nodes, 1, seed);
    let (s, t) = pairs[0];
    let r = net.router();
    let payer = net.key(s);
    let mut params = net.params(t, amount_msat);
    params.payment_params.max_path_count = paths;
    params.max_total_routing_fee_msat = fee_limit;
    let hops = first_hops(&net.graph, &net.nodes, s, |d| {
        Msat(net.graph.capacity(d).0 / (1 + seed % 3))
    });
    let refs: Vec<_> = hops.iter().collect();
    let fh = local.then_some(&refs[..]);
    match r.find_route(&payer, &params, fh, InFlightHtlcs::new()) {
        Ok(route) => {
            check_route(&route, &net.ng.read_only(), &payer, &params, fh)?;
            // The same request again with that route in flight: still valid, if any.
            let mut inflight = InFlightHtlcs::new();
            for p in &route.paths {
                inflight.process_path(p, payer);
            }
            if let Ok(again) = r.find_route(&payer, &params, fh, inflight) {
                check_route(&again, &net.ng.read_only(), &payer, &params, fh)?;
            }
            Ok(true)
        }
        Err(e) if e.contains("route") || e.contains("ourselves") => Ok(false),
        Err(e) => Err(e.to_string()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn every_route_is_valid(
        seed in 0u64..1_000_000,
        amount_sat in 1u64..2_000_000,
        paths in 1u8..12,
        fee_limit in proptest::option::of(0u64..50_000_000),
        local in any::<bool>(),
    ) {
        let r = one(generated(), seed, amount_sat * 1000, paths, fee_limit, local);
        prop_assert!(r.is_ok(), "{:?}", r);
    }
}

#[test]
fn most_generated_requests_get_a_route() {
    let net = generated();
    let found = (0..40)
        .filter(|&i| one(net, i, 50_000_000, 10, None, true).unwrap())
        .count();
    assert!(found >= 30, "{found} of 40");
}

#[test]
#[ignore = "needs PP_DATA_DIR (real snapshots)"]
fn routes_on_the_real_snapshots_are_valid() {
    for name in [
        "ln-2026.listchannels.json.gz",
        "ln-2020-cloth.listchannels.json.gz",
    ] {
        let path = pp_testdata::snapshot(name);
        let graph = pp_graph::load_path(&path).unwrap().graph;
        let net = Net::new(graph);
        let mut found = 0;
        for i in 0..30 {
            let amount = [10_000_000u64, 100_000_000, 1_000_000_000][i as usize % 3];
            if one(&net, i, amount, 10, Some(amount / 100 + 50_000), i % 2 == 0).unwrap() {
                found += 1;
            }
        }
        assert!(found >= 10, "{name}: {found} of 30 routed");
    }
}
