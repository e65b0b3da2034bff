//! Criterion benches of the payment loop (`pp_session::Session::pay`): whole payments with the
//! flow strategy, each starting from the prior belief and the original balances, cycling through
//! the 20 seeded pairs that `pickhardt simulate --payments 20 --seed 1` uses.
//!
//! - `pay/<graph>/<amount>/all`: every pair (infeasible ones stop early, as in `simulate`), in a
//!   warm session (the linearizer and solver kept from the previous payment);
//! - `pay/<graph>/<amount>/feasible`: only pairs whose true max-flow covers the amount, warm;
//! - `pay/<graph>/<amount>/cold`: the feasible pairs, each in a new `Session` (what one payment
//!   per process costs, graph load excluded): `Session::new` and `pay` are timed together;
//! - `pay/toy`: the pinned toy payment of the integration tests.
//!
//! Reads `$PP_DATA_DIR/ln-2020-cloth.listchannels.json.gz` and `ln-2026.listchannels.json.gz`
//! with their balances; without `PP_DATA_DIR` it benches a generated 6,000-node graph with
//! seeded balances instead and says so in the bench names. Run: `PP_DATA_DIR=../shared/data cargo bench -p pp-benches --bench
//! session`.

use criterion::{criterion_group, criterion_main, Criterion};
use pp_graph::largest_scc;
use pp_graph::{Graph, Msat, NodeIdx, Sat};
use pp_session::random_pairs;
use pp_session::{Oracle, Session, Strategy};
use std::path::Path;
use std::time::{Duration, Instant};

fn oracle<'g>(g: &'g Graph, balances: Option<&Path>) -> Oracle<'g> {
    match balances {
        Some(p) => Oracle::from_balances_path(g, p).unwrap_or_else(|e| panic!("{e}")),
        None => Oracle::random(g, 1),
    }
}

/// Pays `pairs` in turn (prior belief, original balances each time) and returns the time spent
/// in `pay` only.
fn pay_cycle(
    session: &mut Session<'_, Oracle<'_>>,
    original: &Oracle<'_>,
    pairs: &[(NodeIdx, NodeIdx)],
    amount: Msat,
    iters: u64,
) -> Duration {
    let mut total = Duration::ZERO;
    for i in 0..iters {
        let (s, t) = pairs[i as usize % pairs.len()];
        session.belief_mut().forget();
        session
            .network_mut()
            .restore_from(original)
            .unwrap_or_else(|e| panic!("{e}"));
        let t0 = Instant::now();
        let r = session
            .pay_nodes(Strategy::Mcf, s, t, amount)
            .unwrap_or_else(|e| panic!("{e}"));
        total += t0.elapsed();
        std::hint::black_box(r);
    }
    total
}

/// Pays `pairs` in turn, each in a new session on a fresh copy of the balances, and returns the
/// time spent creating the session and paying.
fn pay_cold(
    g: &Graph,
    original: &Oracle<'_>,
    pairs: &[(NodeIdx, NodeIdx)],
    amount: Msat,
    iters: u64,
) -> Duration {
    let mut total = Duration::ZERO;
    for i in 0..iters {
        let (s, t) = pairs[i as usize % pairs.len()];
        let network = original.clone();
        let t0 = Instant::now();
        let mut session = Session::new(g, network);
        let r = session
            .pay_nodes(Strategy::Mcf, s, t, amount)
            .unwrap_or_else(|e| panic!("{e}"));
        total += t0.elapsed();
        std::hint::black_box(r);
    }
    total
}

fn bench_pay(c: &mut Criterion) {
    bench_pay_on(c, "ln-2020-cloth", "ln-2020");
    if pp_testdata::data_dir().is_some() {
        bench_pay_on(c, "ln-2026", "ln-2026");
    }
}

fn bench_pay_on(c: &mut Criterion, stem: &str, label: &'static str) {
    let (g, data_dir, name) =
        pp_benches::snapshot_or_generated(&format!("{stem}.listchannels.json.gz"), label, 6000);
    let balances = data_dir.map(|d| d.join(format!("{stem}.balances.csv.gz")));
    let original = oracle(&g, balances.as_deref());
    let pairs = random_pairs(&largest_scc(&g), 20, 1);
    let mut group = c.benchmark_group("pay");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(8));
    for sat in [100_000u64, 1_000_000] {
        let amount = Sat(sat).to_msat().unwrap_or(Msat::MAX);
        let feasible: Vec<(NodeIdx, NodeIdx)> = pairs
            .iter()
            .copied()
            .filter(|&(s, t)| original.max_flow_up_to(s, t, amount) >= amount)
            .collect();
        eprintln!(
            "{name} {sat} sat: {} of {} pairs feasible",
            feasible.len(),
            pairs.len()
        );
        let mut session = Session::new(&g, original.clone());
        for (label, set) in [("all", &pairs), ("feasible", &feasible)] {
            if set.is_empty() {
                continue;
            }
            group.bench_function(format!("{name}/{sat}/{label}"), |b| {
                b.iter_custom(|iters| pay_cycle(&mut session, &original, set, amount, iters))
            });
        }
        if !feasible.is_empty() {
            group.bench_function(format!("{name}/{sat}/cold"), |b| {
                b.iter_custom(|iters| pay_cold(&g, &original, &feasible, amount, iters))
            });
        }
    }
    group.finish();
}

fn bench_toy(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/toy.listchannels.json");
    let g = pp_graph::load_path(&path)
        .unwrap_or_else(|e| panic!("{e}"))
        .graph;
    let csv = format!(
        "short_channel_id,source,liquidity_sat\n\
         103x1x0,{a},700000\n103x1x0,{b},300000\n103x2x0,{a},300000\n103x2x0,{c},200000\n\
         103x3x0,{b},250000\n103x3x0,{d},150000\n103x4x0,{c},500000\n103x4x0,{d},300000\n\
         103x5x0,{b},100000\n103x5x0,{c},100000\n",
        a = format_args!("02{}", "a".repeat(64)),
        b = format_args!("02{}", "b".repeat(64)),
        c = format_args!("02{}", "c".repeat(64)),
        d = format_args!("02{}", "d".repeat(64)),
    );
    let original =
        Oracle::from_balances_reader(&g, csv.as_bytes(), "toy").unwrap_or_else(|e| panic!("{e}"));
    let node = |c: char| {
        g.node_index(
            &format!("02{}", c.to_string().repeat(64))
                .parse()
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .unwrap_or_else(|| panic!("toy node {c}"))
    };
    let pairs = [(node('a'), node('d'))];
    let mut session = Session::new(&g, original.clone());
    c.bench_function("pay/toy/300000", |b| {
        b.iter_custom(|iters| pay_cycle(&mut session, &original, &pairs, Msat(300_000_000), iters))
    });
}

criterion_group!(benches, bench_pay, bench_toy);
criterion_main!(benches);
