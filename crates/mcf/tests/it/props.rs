//! Properties of every backend on random graphs against the independent references of `common`.

use crate::common::Reference;
use crate::common::{backends, brute_force, problem, reference_max_flow, reference_min_cost};
use pp_mcf::{
    check_optimality, decompose, parse_dimacs, solver_by_name, write_dimacs, McfError, McfSolver,
    NativeOptions, NativeSolver, Problem, Solution,
};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Every backend: conservation and capacities hold, the cost is the reference optimum, and an
    /// infeasible problem reports the reference max flow. Costs of any sign, parallel arcs and
    /// self-loops included.
    #[test]
    fn backends_agree_with_cycle_cancelling(p in problem(7, 16, 8, -4, 12)) {
        agree_with_cycle_cancelling(&p)?;
    }

    /// The same with costs in -1..=2 and larger capacities: many equally short paths and
    /// zero-cost cycles, the plateaus the native solver's blocking flows route at once.
    #[test]
    fn backends_agree_with_cycle_cancelling_on_ties(p in problem(9, 30, 30, -1, 2)) {
        agree_with_cycle_cancelling(&p)?;
        // The default starts blocking flows late; here from the first search on.
        let early = NativeOptions { blocking_flows_from_search: 1, ..NativeOptions::default() };
        let got = NativeSolver::with_options(early).solve(&p);
        match (reference_min_cost(&p), got) {
            (Reference::Optimal(cost, _), Ok(s)) => {
                prop_assert_eq!(p.check_feasible(&s.flow), Ok(()));
                prop_assert_eq!(s.cost, cost);
                prop_assert_eq!(check_optimality(&p, &s), Ok(()));
            }
            (Reference::Infeasible(max_flow), Err(McfError::Infeasible { max_flow: got, .. })) => {
                prop_assert_eq!(got, max_flow);
            }
            (r, g) => prop_assert!(false, "reference {:?}, native {:?}", r, g),
        }
    }

    /// Tiny graphs: the native optimum equals exhaustive enumeration of all integer flows.
    #[test]
    fn native_equals_brute_force_on_tiny_graphs(p in problem(4, 5, 3, -3, 6)) {
        let best = brute_force(&p);
        match (best, NativeSolver::new().solve(&p)) {
            (Some(c), Ok(s)) => prop_assert_eq!(s.cost, c),
            (None, Err(McfError::Infeasible { .. })) => {}
            (b, g) => prop_assert!(false, "brute force {:?}, native {:?}", b, g),
        }
    }

    /// Every combination of the native heuristics gives the same cost and a valid certificate.
    #[test]
    fn native_options_agree(p in problem(8, 24, 10, 0, 30)) {
        let mut costs = Vec::new();
        for group_parallel_arcs in [false, true] {
            for alternate_directions in [false, true] {
                for blocking_flows_from_search in [1, 2, NativeOptions::NO_BLOCKING_FLOWS] {
                    let o = NativeOptions { group_parallel_arcs, alternate_directions, blocking_flows_from_search };
                    match NativeSolver::with_options(o).solve(&p) {
                        Ok(s) => {
                            prop_assert_eq!(check_optimality(&p, &s), Ok(()));
                            costs.push(Ok(s.cost));
                        }
                        Err(e) => costs.push(Err(e)),
                    }
                }
            }
        }
        prop_assert!(costs.windows(2).all(|w| w[0] == w[1]), "{:?}", costs);
    }

    /// The checker accepts native solutions and rejects corrupted ones: a misreported cost, a
    /// flow changed on one arc, and a feasible flow that costs more than the optimum.
    #[test]
    fn checker_accepts_native_and_rejects_corruption(p in problem(7, 16, 8, -4, 12), pick in any::<prop::sample::Index>()) {
        let Ok(s) = NativeSolver::new().solve(&p) else { return Ok(()) };
        prop_assert_eq!(check_optimality(&p, &s), Ok(()));

        let mut bad = s.clone();
        bad.cost += 1;
        prop_assert!(check_optimality(&p, &bad).is_err());

        let mut bad = s.clone();
        bad.potentials = None;
        prop_assert!(check_optimality(&p, &bad).is_err());

        // Change the flow of one non-loop arc by one unit within its capacity.
        let candidates: Vec<usize> = (0..p.num_arcs())
            .filter(|&a| p.from[a] != p.to[a] && p.capacity[a] > 0)
            .collect();
        if !candidates.is_empty() {
            let a = candidates[pick.index(candidates.len())];
            let mut bad = s.clone();
            bad.flow[a] += if bad.flow[a] < p.capacity[a] { 1 } else { -1 };
            bad.cost = p.flow_cost(&bad.flow).unwrap();
            prop_assert!(check_optimality(&p, &bad).is_err());
        }

        // A feasible but costlier flow (Edmonds–Karp's) has no certificate.
        let (_, ek) = reference_max_flow(&p);
        let ek_cost = p.flow_cost(&ek).unwrap();
        if p.check_feasible(&ek).is_ok() {
            let other = Solution { flow: ek, cost: ek_cost, potentials: s.potentials.clone() };
            prop_assert_eq!(check_optimality(&p, &other).is_ok(), ek_cost == s.cost);
        }
    }

    /// Infeasible single-pair problems report the true max flow (Edmonds–Karp).
    #[test]
    fn infeasible_reports_true_max_flow(p in problem(8, 20, 6, 0, 9), extra in 1i64..50) {
        let Some((s, t, amount)) = p.single_pair() else { return Ok(()) };
        let mut q = p.clone();
        q.set_single_pair(s, t, amount + extra + q.capacity.iter().sum::<i64>());
        let (max_flow, _) = reference_max_flow(&q);
        for name in backends() {
            match solver_by_name(name).unwrap().solve(&q) {
                Err(McfError::Infeasible { max_flow: got, .. }) => prop_assert_eq!(got, max_flow, "{}", name),
                other => prop_assert!(false, "{}: expected infeasible, got {:?}", name, other),
            }
        }
        prop_assert_eq!(pp_mcf::max_flow(&q), Ok(max_flow));
    }

    /// Decomposition: simple paths from supply to demand nodes whose amounts sum to the total
    /// supply and, per arc, stay within the flow.
    #[test]
    fn decomposition_covers_the_supply(p in problem(8, 24, 10, -2, 20)) {
        let Ok(s) = NativeSolver::new().solve(&p) else { return Ok(()) };
        let paths = decompose(&p, &s.flow).unwrap();
        let total: i64 = paths.iter().map(|q| q.amount).sum();
        prop_assert_eq!(total, p.total_supply());
        let mut used = vec![0i64; p.num_arcs()];
        let mut out_of = vec![0i64; p.num_nodes];
        for q in &paths {
            prop_assert!(q.amount > 0);
            let nodes = q.nodes(&p);
            let mut sorted = nodes.clone();
            sorted.sort_unstable();
            sorted.dedup();
            prop_assert_eq!(sorted.len(), nodes.len(), "path repeats a node");
            prop_assert!(p.supply[nodes[0] as usize] > 0);
            prop_assert!(p.supply[*nodes.last().unwrap() as usize] < 0);
            out_of[nodes[0] as usize] += q.amount;
            for w in q.arcs.windows(2) {
                prop_assert_eq!(p.to[w[0].index()], p.from[w[1].index()]);
            }
            for a in &q.arcs {
                used[a.index()] += q.amount;
            }
        }
        for (u, f) in used.iter().zip(&s.flow) {
            prop_assert!(u <= f);
        }
        for (o, x) in out_of.iter().zip(&p.supply) {
            prop_assert_eq!(*o, (*x).max(0));
        }
        prop_assert!(paths.windows(2).all(|w| w[0].amount >= w[1].amount));
    }

    /// DIMACS write then parse gives back the problem and the comments.
    #[test]
    fn dimacs_round_trip(p in problem(8, 24, 1_000_000, -1_000, 1_000)) {
        let comments = vec!["node 1 02ab".to_string(), "second".to_string()];
        let mut buf = Vec::new();
        write_dimacs(&mut buf, &p, &comments).unwrap();
        let back = parse_dimacs(std::str::from_utf8(&buf).unwrap()).unwrap();
        prop_assert_eq!(back.problem, p);
        prop_assert_eq!(back.comments, comments);
    }

    /// A solver reused across different problems answers like a fresh one.
    #[test]
    fn reused_solver_matches_fresh(ps in proptest::collection::vec(problem(7, 16, 8, -3, 12), 1..6)) {
        let mut reused = NativeSolver::new();
        for p in &ps {
            prop_assert_eq!(reused.solve(p), NativeSolver::new().solve(p));
        }
    }
}

/// Every backend on `p`: conservation and capacities hold, the cost is the reference optimum (and
/// certified when the backend returns potentials), an infeasible problem reports the reference
/// max flow.
fn agree_with_cycle_cancelling(p: &Problem) -> Result<(), TestCaseError> {
    let reference = reference_min_cost(p);
    for name in backends() {
        let mut solver = solver_by_name(name).unwrap();
        let got = solver.solve(p);
        match (&reference, got) {
            (Reference::Optimal(cost, _), Ok(s)) => {
                prop_assert_eq!(p.check_feasible(&s.flow), Ok(()), "{}", name);
                prop_assert_eq!(s.cost, *cost, "{}", name);
                prop_assert_eq!(p.flow_cost(&s.flow).unwrap(), s.cost, "{}", name);
                if s.potentials.is_some() {
                    prop_assert_eq!(check_optimality(p, &s), Ok(()), "{}", name);
                }
            }
            (
                Reference::Infeasible(max_flow),
                Err(McfError::Infeasible {
                    max_flow: got,
                    required,
                }),
            ) => {
                prop_assert_eq!(got, *max_flow, "{}", name);
                prop_assert_eq!(required, p.total_supply(), "{}", name);
            }
            (r, g) => prop_assert!(false, "{}: reference {:?}, backend {:?}", name, r, g),
        }
    }
    Ok(())
}
