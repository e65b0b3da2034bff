//! Fixed instances: the toy DIMACS file and generated convex networks.

use pp_mcf::gen::{convex_network, random_pairs, ConvexNetworkSpec};
use pp_mcf::{
    available_backends, check_optimality, decompose, read_dimacs, solver_by_name, McfError,
    McfSolver, NativeOptions, NativeSolver,
};

fn toy_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/toy.min")
}

#[test]
fn toy_file_solves_as_its_comments_say() {
    let f = read_dimacs(std::fs::File::open(toy_path()).unwrap()).unwrap();
    assert!(f.comments[2].contains("total cost 14"));
    for name in available_backends() {
        let s = solver_by_name(name).unwrap().solve(&f.problem).unwrap();
        assert_eq!(s.cost, 14, "{name}");
    }
    let s = NativeSolver::new().solve(&f.problem).unwrap();
    check_optimality(&f.problem, &s).unwrap();
    let paths = decompose(&f.problem, &s.flow).unwrap();
    let mut by_nodes: Vec<(Vec<u32>, i64)> = paths
        .iter()
        .map(|q| (q.nodes(&f.problem), q.amount))
        .collect();
    by_nodes.sort();
    assert_eq!(by_nodes, vec![(vec![0, 1, 2, 3], 2), (vec![0, 2, 3], 2)]);
    let mut p = f.problem.clone();
    p.set_single_pair(0, 3, 10);
    assert_eq!(
        NativeSolver::new().solve(&p),
        Err(McfError::Infeasible {
            max_flow: 6,
            required: 10
        })
    );
}

/// Payment-shaped instances: every native option, the baseline and (with the `lp` feature) the
/// LP backend find the same optimum; native solutions are certified and decompose exactly.
#[test]
fn generated_convex_networks_agree_across_backends() {
    let spec = ConvexNetworkSpec {
        nodes: 400,
        links: 2_000,
        pieces: 5,
        median_capacity: 200_000,
        seed: 11,
    };
    let mut p = convex_network(&spec);
    let mut native = NativeSolver::new();
    let mut solved = 0;
    for amount in [10_000, 300_000] {
        for (s, t) in random_pairs(&p, 4, amount, 5) {
            p.clear_supplies();
            p.set_single_pair(s, t, amount);
            let reference = native.solve(&p);
            if let Ok(sol) = &reference {
                check_optimality(&p, sol).unwrap();
                let paths = decompose(&p, &sol.flow).unwrap();
                assert_eq!(paths.iter().map(|q| q.amount).sum::<i64>(), amount);
                solved += 1;
            }
            for o in [
                NativeOptions {
                    group_parallel_arcs: false,
                    alternate_directions: true,
                },
                NativeOptions {
                    group_parallel_arcs: true,
                    alternate_directions: false,
                },
            ] {
                let other = NativeSolver::with_options(o).solve(&p);
                assert_eq!(
                    other.as_ref().map(|s| s.cost),
                    reference.as_ref().map(|s| s.cost)
                );
            }
            for name in available_backends() {
                let got = solver_by_name(name).unwrap().solve(&p);
                assert_eq!(
                    got.as_ref().map(|s| s.cost),
                    reference.as_ref().map(|s| s.cost),
                    "{name} on pair ({s}, {t}) amount {amount}"
                );
            }
        }
    }
    assert!(solved >= 4, "most generated pairs are feasible");
}
