//! Fixed instances: the toy DIMACS file, the zero-cost plateau regression and generated convex
//! networks.

use pp_mcf::{
    available_backends, check_optimality, decompose, read_dimacs, solver_by_name, McfError,
    McfSolver, NativeOptions, NativeSolver,
};
use pp_mcf::{convex_network, instance_pairs, ConvexNetworkSpec};

fn data_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

#[test]
fn toy_file_solves_as_its_comments_say() {
    let f = read_dimacs(std::fs::File::open(data_path("toy.min")).unwrap()).unwrap();
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
        for (s, t) in instance_pairs(&p, 4, amount, 5) {
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
                    ..NativeOptions::default()
                },
                NativeOptions {
                    alternate_directions: false,
                    ..NativeOptions::default()
                },
                NativeOptions {
                    blocking_flows_from_search: NativeOptions::NO_BLOCKING_FLOWS,
                    ..NativeOptions::default()
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

/// Regression (the native solver's plateau ping-pong, see the comments of `plateau.min`): with
/// blocking flows the native solver routes the zero-cost plateau in a few searches instead of
/// tens of thousands of 3-unit augmentations, and stays optimal and certified.
#[test]
fn zero_cost_plateau_takes_few_searches() {
    let f = read_dimacs(std::fs::File::open(data_path("plateau.min")).unwrap()).unwrap();
    let p = &f.problem;
    const OPTIMUM: i128 = 2_019_845_241_556;
    assert!(f.comments.iter().any(|c| c.contains("2019845241556")));
    // The default starts blocking flows at the 9th search; from the first search on, the plateau
    // takes about ten searches.
    for (from_search, max_searches) in [
        (NativeOptions::DEFAULT_BLOCKING_FLOWS_FROM_SEARCH, 30),
        (1, 20),
    ] {
        let mut native = NativeSolver::with_options(NativeOptions {
            blocking_flows_from_search: from_search,
            ..NativeOptions::default()
        });
        let s = native.solve(p).unwrap();
        assert_eq!(s.cost, OPTIMUM);
        check_optimality(p, &s).unwrap();
        let stats = native.stats();
        assert!(
            stats.searches <= max_searches && stats.augmentations <= 60 && stats.phases >= 1,
            "blocking flows from search {from_search} should route the plateau at once: {stats:?}"
        );
    }
    for name in available_backends() {
        let got = solver_by_name(name).unwrap().solve(p).unwrap();
        assert_eq!(got.cost, OPTIMUM, "{name}");
    }
    // The instance still shows the pathology it was cut down for: the same solver with one path
    // per search (the native solver before blocking flows) needs tens of thousands of them.
    let mut single_path = NativeSolver::with_options(NativeOptions {
        blocking_flows_from_search: NativeOptions::NO_BLOCKING_FLOWS,
        ..NativeOptions::default()
    });
    assert_eq!(single_path.solve(p).unwrap().cost, OPTIMUM);
    assert!(
        single_path.stats().augmentations > 50_000,
        "{:?}",
        single_path.stats()
    );
}
