//! # pp-mcf
//!
//! Integer min-cost flow: problem types, the [`McfSolver`] trait and its backends, flow
//! decomposition, an optimality checker and DIMACS read/write. This crate knows nothing of
//! Lightning: its nodes are `u32`, its amounts and costs `i64`.
//!
//! ```
//! use pp_mcf::{check_optimality, decompose, solver_by_name, Problem};
//!
//! // 4 units from node 0 to node 2: directly (2 fit, unit cost 3) or via node 1 (unit cost 1 + 1).
//! let mut problem = Problem::new(3);
//! problem.add_arc(0, 2, 2, 3);
//! problem.add_arc(0, 1, 3, 1);
//! problem.add_arc(1, 2, 3, 1);
//! problem.set_single_pair(0, 2, 4);
//!
//! let solution = solver_by_name("native")?.solve(&problem)?;
//! assert_eq!(solution.cost, 3 * 2 + 1 * 3); // 3 units via node 1, 1 unit directly
//! check_optimality(&problem, &solution)?; // verified without trusting the solver
//! let paths = decompose(&problem, &solution.flow)?;
//! assert_eq!(paths.iter().map(|p| p.amount).collect::<Vec<_>>(), [3, 1]);
//! # Ok::<(), pp_mcf::McfError>(())
//! ```
//!
//! ## Backends
//!
//! | name | what | feature | certificate |
//! |---|---|---|---|
//! | `native` | successive shortest paths on convex residual edges, Dijkstra (radix heap) with potentials, early stop, alternating search directions, blocking flows on the admissible subgraph ([`NativeSolver`]) | always | potentials |
//! | `ssp` | the same solver with grouping, alternation and blocking flows off: the textbook baseline, for benchmarks | always | potentials |
//! | `lp` | the LP solved by CBC through good_lp (`LpSolver`, in builds with the feature) | `lp` | none |
//!
//! Pick one at run time with [`solver_by_name`]; [`available_backends`] lists what is compiled
//! in. Every backend returns the same optimal cost; [`check_optimality`] verifies a solution with
//! potentials independently of the solver.
//!
//! ## Why this design
//!
//! The payment loop solves one problem per round on a graph of ~7,000 nodes and 135,000–330,000
//! arcs (5 convex pieces per channel direction; ln-2026 gives ~135,000 with the default base-fee
//! threshold) for one source, one sink and an amount small against the total capacity. Shortest-path augmentation touches only the part of the graph the flow
//! needs, whereas network simplex and cost scaling work on the whole graph; see the module docs of
//! `native` for the tuning and `benches/README.md` for the measurements.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod adjacency;
mod certificate;
mod decompose;
mod dimacs;
mod gen;
#[cfg(feature = "lp")]
mod lp;
mod maxflow;
mod native;
mod problem;
mod radix;

pub use adjacency::Adjacency;
pub use certificate::check_optimality;
pub use decompose::{decompose, PathFlow};
pub use dimacs::{parse_dimacs, read_dimacs, write_dimacs, DimacsFile};
pub use gen::{convex_network, instance_pairs, secant_pieces, ConvexNetworkSpec, SplitMix64};
#[cfg(feature = "lp")]
#[cfg_attr(docsrs, doc(cfg(feature = "lp")))]
pub use lp::LpSolver;
pub use maxflow::max_flow;
pub use native::{NativeOptions, NativeSolver, NativeStats};
pub use problem::{ArcId, McfError, McfSolver, Problem, Solution, MAX_COST_BOUND};

/// Names of the backends compiled in, in order of preference (the first is the default).
pub fn available_backends() -> Vec<&'static str> {
    let mut v = vec!["native", "ssp"];
    if cfg!(feature = "lp") {
        v.push("lp");
    }
    v
}

/// The backend called `name` (see the table in the crate docs).
///
/// # Errors
/// [`McfError::UnknownBackend`] listing [`available_backends`] when `name` is not one of them
/// (e.g. `"lp"` in a build without the `lp` feature).
pub fn solver_by_name(name: &str) -> Result<Box<dyn McfSolver>, McfError> {
    match name {
        "native" => Ok(Box::new(NativeSolver::new())),
        "ssp" => Ok(Box::new(NativeSolver::with_options(NativeOptions::SSP))),
        #[cfg(feature = "lp")]
        "lp" => Ok(Box::new(LpSolver::new())),
        _ => Err(McfError::UnknownBackend {
            name: name.to_string(),
            available: available_backends().join(", "),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_backend_is_constructible_and_named() {
        for name in available_backends() {
            assert_eq!(solver_by_name(name).unwrap().name(), name);
        }
        let e = solver_by_name("cplex").unwrap_err();
        assert!(e.to_string().contains("native"), "{e}");
    }
}
