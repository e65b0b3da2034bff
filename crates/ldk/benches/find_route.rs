//! `find_route` of LDK's `DefaultRouter` (with a `ProbabilisticScorer` at its defaults) and of
//! our `PickhardtRouter` (with a prior `BeliefScorer`), on ln-2026 from `$PP_DATA_DIR` (a
//! generated 7,000-node graph without it), at 100,000 and 1,000,000 sat, over 16 fixed pairs of
//! the largest strongly connected component, cycled.
//!
//! Run: `PP_DATA_DIR=../shared/data cargo bench -p pp-ldk --bench find_route`

use bitcoin::Network;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use lightning::routing::gossip::NetworkGraph;
use lightning::routing::router::{DefaultRouter, InFlightHtlcs, RouteParameters, Router};
use lightning::routing::scoring::{
    ProbabilisticScorer, ProbabilisticScoringDecayParameters, ProbabilisticScoringFeeParameters,
};
use pp_graph::{largest_scc, GeneratorParams, Graph};
use pp_ldk::{
    mpp_payment_params, network_graph_from, BeliefPenalty, BeliefScorer, NoLog, NodeMap,
    PickhardtRouter, SeededEntropy,
};
use std::sync::{Arc, Mutex};

fn graph() -> (Graph, String) {
    match pp_testdata::data_dir() {
        Some(dir) => {
            let path = dir.join("ln-2026.listchannels.json.gz");
            let g = pp_graph::load_path(&path).expect("ln-2026 loads").graph;
            (g, "ln-2026".into())
        }
        None => {
            eprintln!("PP_DATA_DIR not set: benching a generated 7000-node graph");
            let g = pp_graph::generate(&GeneratorParams::new(7000, 1)).expect("generates");
            (g, "generated-7000".into())
        }
    }
}

fn bench(c: &mut Criterion) {
    let (graph, name) = graph();
    let nodes = NodeMap::new(&graph);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as u32;
    let (ng, _) = network_graph_from(&graph, &nodes, Network::Bitcoin, Arc::new(NoLog), now)
        .expect("LDK takes the graph");
    let ng: Arc<NetworkGraph<Arc<NoLog>>> = Arc::new(ng);
    let pairs = pp_session::random_pairs(&largest_scc(&graph), 16, 1);

    let prob = Arc::new(Mutex::new(ProbabilisticScorer::new(
        ProbabilisticScoringDecayParameters::default(),
        ng.clone(),
        Arc::new(NoLog),
    )));
    let ldk = DefaultRouter::new(
        ng.clone(),
        Arc::new(NoLog),
        Arc::new(SeededEntropy::new(1)),
        prob,
        ProbabilisticScoringFeeParameters::default(),
    );
    let belief = Arc::new(Mutex::new(BeliefScorer::new(&ng.read_only())));
    let inner = DefaultRouter::new(
        ng.clone(),
        Arc::new(NoLog),
        Arc::new(SeededEntropy::new(1)),
        belief.clone(),
        BeliefPenalty::default(),
    );
    let ours = PickhardtRouter::new(ng.clone(), belief, inner);

    let mut g = c.benchmark_group(format!("find_route/{name}"));
    g.sample_size(20);
    for sat in [100_000u64, 1_000_000] {
        let requests: Vec<_> = pairs
            .iter()
            .map(|&(s, t)| {
                let p = RouteParameters::from_payment_params_and_value(
                    mpp_payment_params(nodes.pubkey(t), 40),
                    sat * 1000,
                );
                (nodes.pubkey(s), p)
            })
            .collect();
        let mut run = |label: &str, router: &dyn Fn(usize) -> bool| {
            let mut i = 0;
            g.bench_function(format!("{label}/{sat}"), |b| {
                b.iter(|| {
                    i = (i + 1) % requests.len();
                    black_box(router(i))
                })
            });
        };
        run("ldk", &|i| {
            let (payer, p) = &requests[i];
            ldk.find_route(payer, p, None, InFlightHtlcs::new()).is_ok()
        });
        run("pickhardt", &|i| {
            let (payer, p) = &requests[i];
            ours.find_route(payer, p, None, InFlightHtlcs::new())
                .is_ok()
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
