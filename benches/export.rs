//! Criterion bench of the round-1 export: `pp_uncertainty::linearize` of a 1,000,000 sat payment
//! on ln-2026 (prior belief, μ from frugality 1) between the two nodes with the most channels,
//! with the secant and the linear slope rule and with pruning, plus `mu_from_frugality`.
//!
//! Reads `$PP_DATA_DIR/ln-2026.listchannels.json.gz`; without `PP_DATA_DIR` it benches a
//! generated graph of the same size (7,000 nodes, seed 1) and says so in the bench names.
//! Run: `PP_DATA_DIR=../shared/data cargo bench -p pp-benches --bench export`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use pp_graph::{Graph, Msat, NodeIdx};
use pp_uncertainty::{linearize, mu_from_frugality, Belief, LinearizeParams, SlopeRule};

/// The two nodes with the most outgoing directions (ties by index).
fn hubs(g: &Graph) -> (NodeIdx, NodeIdx) {
    let mut nodes: Vec<NodeIdx> = g.nodes().collect();
    nodes.sort_by_key(|&n| (std::cmp::Reverse(g.out_degree(n)), n));
    (nodes[0], nodes[1])
}

fn bench_export(c: &mut Criterion) {
    let (g, _, name) =
        pp_benches::snapshot_or_generated("ln-2026.listchannels.json.gz", "ln-2026", 7000);
    let (s, t) = hubs(&g);
    let amount = Msat(1_000_000_000);
    let belief = Belief::new(&g);
    let mu = mu_from_frugality(&g, amount, 1.0)
        .unwrap_or_else(|e| panic!("mu: {e}"))
        .mu;
    let secant = LinearizeParams {
        mu,
        ..Default::default()
    };
    let linear = LinearizeParams {
        shape: pp_uncertainty::PieceShape {
            slopes: SlopeRule::Linear,
            ..pp_uncertainty::PieceShape::default()
        },
        ..secant.clone()
    };
    let pruned = LinearizeParams {
        shape: pp_uncertainty::PieceShape {
            prune: true,
            ..pp_uncertainty::PieceShape::default()
        },
        ..secant.clone()
    };
    let lin = linearize(&g, &belief, s, t, amount, &secant).unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "{name}: {} directions, {} arcs, mu {mu}",
        g.direction_count(),
        lin.problem.num_arcs()
    );
    let mut group = c.benchmark_group(format!("export/{name}/1M-sat"));
    for (label, p) in [
        ("secant", &secant),
        ("linear", &linear),
        ("pruned", &pruned),
    ] {
        group.bench_function(label, |b| {
            b.iter(|| linearize(&g, &belief, s, t, black_box(amount), p))
        });
    }
    group.bench_function("mu_from_frugality", |b| {
        b.iter(|| mu_from_frugality(&g, black_box(amount), 1.0))
    });
    group.finish();
}

criterion_group!(benches, bench_export);
criterion_main!(benches);
