//! μ and linearization on the real snapshots in `$PP_DATA_DIR` (ignored tests: run with `--include-ignored`).

use pp_graph::{load_path, Graph, Msat, NodeIdx, Ppm};
use pp_uncertainty::{flow_per_direction, linearize, mu_from_frugality, Belief, LinearizeParams};

fn snapshot(name: &str) -> Graph {
    let path = pp_testdata::snapshot(name);
    load_path(&path).expect("snapshot loads").graph
}

/// The two nodes with the most outgoing directions (ties by index): a well-connected pair.
fn hubs(g: &Graph) -> (NodeIdx, NodeIdx) {
    let mut nodes: Vec<NodeIdx> = g.nodes().collect();
    nodes.sort_by_key(|&n| (std::cmp::Reverse(g.out_degree(n)), n));
    (nodes[0], nodes[1])
}

#[test]
#[ignore = "needs PP_DATA_DIR (real snapshots)"]
fn mu_on_ln_2026_for_one_million_sat() {
    let g = snapshot("ln-2026.listchannels.json.gz");
    let r = mu_from_frugality(&g, Msat(1_000_000_000), 1.0).expect("valid");
    eprintln!("{r:?}");
    assert_eq!(r.median_capacity_msat, Msat(MEDIAN_CAP_1M));
    assert_eq!(r.median_fee_ppm, Ppm(MEDIAN_FEE_1M));
    assert_eq!(r.channels_considered, CONSIDERED_1M);
    let want = -((MEDIAN_CAP_1M as f64 + 1.0 - 1e9) / (MEDIAN_CAP_1M as f64 + 1.0)).ln()
        / (MEDIAN_FEE_1M as f64 + 1.0);
    assert!((r.mu - want).abs() < 1e-15);
    assert!((r.mu - 0.001_180_653_710_392_644).abs() < 1e-15, "{}", r.mu);
}

#[test]
#[ignore = "needs PP_DATA_DIR (real snapshots)"]
fn linearize_and_solve_on_ln_2026() {
    let g = snapshot("ln-2026.listchannels.json.gz");
    let (s, t) = hubs(&g);
    let b = Belief::new(&g);
    let mu = mu_from_frugality(&g, Msat(1_000_000_000), 1.0)
        .expect("valid")
        .mu;
    let params = LinearizeParams {
        mu,
        ..Default::default()
    };
    let lin = linearize(&g, &b, s, t, Msat(1_000_000_000), &params).expect("valid");
    eprintln!("arcs {} scale {}", lin.problem.num_arcs(), lin.cost_scale);
    assert!(lin.problem.num_arcs() > 100_000);
    let mut solver = pp_mcf::solver_by_name("native").expect("native");
    let sol = solver
        .solve(&lin.problem)
        .expect("1M sat between hubs is feasible");
    let per_dir = flow_per_direction(&lin, &sol).expect("valid");
    let out: u64 = per_dir
        .iter()
        .filter(|e| g.source(e.0) == s)
        .map(|e| e.1 .0)
        .sum();
    let back: u64 = per_dir
        .iter()
        .filter(|e| g.target(e.0) == s)
        .map(|e| e.1 .0)
        .sum();
    assert_eq!(out - back, 1_000_000_000);
    let bound = lin.rounding_bound(&sol.flow);
    let err = (lin.scaled_integer_cost(&sol.flow) - lin.exact_cost(&sol.flow)).abs();
    eprintln!(
        "exact cost {} err {err} bound {bound}",
        lin.exact_cost(&sol.flow)
    );
    assert!(err <= bound + 1e-9);
}

// ln-2026, 1,000,000 sat: 46,512 active directions have a capacity above the amount; their
// upper medians are 5,000,000 sat and 188 ppm (checked independently with a Python one-liner over
// the JSON), so μ = −ln((4e9 + 1) / (5e9 + 1)) / 189 ≈ 0.0011806537.
const MEDIAN_CAP_1M: u64 = 5_000_000_000;
const MEDIAN_FEE_1M: u32 = 188;
const CONSIDERED_1M: usize = 46_512;
