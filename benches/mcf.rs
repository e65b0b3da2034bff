//! Criterion benches of the min-cost-flow backends on payment-shaped instances: 20 seeded
//! (sender, receiver) pairs at 100,000 and 1,000,000 sat, 5 pieces per direction.
//!
//! Families:
//! - `ln-2026`: round-1 problems of `$PP_DATA_DIR/ln-2026.listchannels.json.gz` built exactly as
//!   `pickhardt mcf export` builds them (prior belief, secant slopes, μ from frugality 1, flow unit
//!   1 sat); pairs drawn with a seeded SplitMix64 and kept only when feasible at 1,000,000 sat.
//!   Without `PP_DATA_DIR` the same pipeline runs on the generated 7,000-node graph
//!   (`generated-7000`).
//! - `convex-6k-300k`: `pp_mcf::convex_network` with 6,000 nodes and 30,000 links
//!   (300,000 arcs), pairs from `instance_pairs`.
//!
//! One iteration solves all 20 instances of a group, so the per-instance time is the reported
//! time / 20. The `lp` backend (feature `lp`) is benched on the first instance only (CBC takes
//! hundreds of milliseconds to seconds).
//!
//! Run: `PP_DATA_DIR=../shared/data cargo bench -p pp-benches --bench mcf [--features lp]`.
//! The external comparison (LEMON, OR-tools) is `benches/scripts/compare.sh`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use pp_graph::{Graph, Msat, NodeIdx};
use pp_mcf::{convex_network, instance_pairs, ConvexNetworkSpec, SplitMix64};
use pp_mcf::{McfSolver, NativeOptions, NativeSolver, Problem};
use pp_uncertainty::{linearize, mu_from_frugality, Belief, LinearizeParams};
use std::time::Duration;

const AMOUNTS_SAT: [u64; 2] = [100_000, 1_000_000];
const PAIRS: usize = 20;

fn round_one(g: &Graph, s: NodeIdx, t: NodeIdx, amount_sat: u64) -> Option<Problem> {
    let amount = Msat(amount_sat * 1000);
    let mu = mu_from_frugality(g, amount, 1.0).ok()?.mu;
    let params = LinearizeParams {
        mu,
        ..LinearizeParams::default()
    };
    linearize(g, &Belief::new(g), s, t, amount, &params)
        .ok()
        .map(|l| l.problem)
}

/// Instances per amount for the channel-graph family: pairs feasible at the largest amount.
fn ln_instances() -> (String, Vec<Vec<Problem>>) {
    let (g, _, name) =
        pp_benches::snapshot_or_generated("ln-2026.listchannels.json.gz", "ln-2026", 7000);
    let n = g.node_count() as u64;
    let mut rng = SplitMix64::new(1);
    let largest = *AMOUNTS_SAT.last().unwrap();
    let mut pairs = Vec::new();
    let mut solver = NativeSolver::new();
    let mut draws = 0;
    while pairs.len() < PAIRS && draws < 100_000 {
        draws += 1;
        let s = NodeIdx(rng.below(n) as u32);
        let t = NodeIdx(rng.below(n) as u32);
        if s == t || pairs.contains(&(s, t)) {
            continue;
        }
        if let Some(p) = round_one(&g, s, t, largest) {
            if solver.solve(&p).is_ok() {
                pairs.push((s, t));
            }
        }
    }
    eprintln!("{name}: {} feasible pairs of {draws} draws", pairs.len());
    let sets = AMOUNTS_SAT
        .iter()
        .map(|&a| {
            pairs
                .iter()
                .map(|&(s, t)| round_one(&g, s, t, a).expect("feasible pair exports"))
                .collect()
        })
        .collect();
    (name, sets)
}

fn convex_instances() -> Vec<Vec<Problem>> {
    let base = convex_network(&ConvexNetworkSpec::default());
    AMOUNTS_SAT
        .iter()
        .map(|&a| {
            instance_pairs(&base, PAIRS, a as i64, 7)
                .into_iter()
                .map(|(s, t)| {
                    let mut p = base.clone();
                    p.set_single_pair(s, t, a as i64);
                    p
                })
                .collect()
        })
        .collect()
}

fn backends() -> Vec<(&'static str, NativeOptions)> {
    let o = |group_parallel_arcs, alternate_directions, blocking: bool| NativeOptions {
        group_parallel_arcs,
        alternate_directions,
        blocking_flows_from_search: if blocking {
            NativeOptions::DEFAULT_BLOCKING_FLOWS_FROM_SEARCH
        } else {
            NativeOptions::NO_BLOCKING_FLOWS
        },
    };
    vec![
        ("native", o(true, true, true)),
        ("native-no-grouping", o(false, true, true)),
        ("native-no-alternation", o(true, false, true)),
        ("native-no-blocking-flows", o(true, true, false)),
        ("ssp", o(false, false, false)),
    ]
}

fn bench_family(c: &mut Criterion, family: &str, sets: &[Vec<Problem>]) {
    for (&amount, problems) in AMOUNTS_SAT.iter().zip(sets) {
        let mut group = c.benchmark_group(format!("mcf/{family}/{amount}-sat-x{}", problems.len()));
        group.sample_size(20);
        group.measurement_time(Duration::from_secs(4));
        for (name, options) in backends() {
            let mut solver = NativeSolver::with_options(options);
            group.bench_function(name, |b| {
                b.iter(|| {
                    for p in problems {
                        let _ = black_box(solver.solve(black_box(p)));
                    }
                })
            });
        }
        #[cfg(feature = "lp")]
        {
            group.sample_size(10);
            let mut lp = pp_mcf::LpSolver::new();
            group.bench_function("lp-first-instance", |b| {
                b.iter(|| black_box(lp.solve(black_box(&problems[0]))))
            });
        }
        group.finish();
    }
}

fn bench_mcf(c: &mut Criterion) {
    let (name, sets) = ln_instances();
    bench_family(c, &name, &sets);
    bench_family(c, "convex-6k-300k", &convex_instances());
}

criterion_group!(benches, bench_mcf);
criterion_main!(benches);
