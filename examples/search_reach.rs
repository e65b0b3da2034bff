//! How much of the graph a payment's first solve reaches: for seeded pairs, the round-1 flow
//! problem from the prior belief, solved by the native solver, with the nodes its searches
//! settled (those whose potential moved) and the directions touching them. It measured whether
//! computing pieces lazily, only for directions a search reaches, could pay (benches/README.md,
//! "Where a cold payment's time goes").
//!
//! ```text
//! cargo run --release --example search_reach -- GRAPH [AMOUNT_SAT [PAIRS]]
//! ```

use pp_examples::main_with;
use pp_graph::{Msat, NodeIdx};
use pp_mcf::{McfSolver, NativeSolver};
use pp_session::{Oracle, Session};
use std::error::Error;
use std::io::Write;
use std::process::ExitCode;

fn run(args: &[String], out: &mut dyn Write) -> Result<(), Box<dyn Error>> {
    let path = args
        .first()
        .ok_or("usage: search_reach GRAPH [AMOUNT_SAT [PAIRS]]")?;
    let sat: u64 = args.get(1).map_or(Ok(100_000), |s| s.parse())?;
    let count: usize = args.get(2).map_or(Ok(20), |s| s.parse())?;
    let graph = pp_graph::load_path(std::path::Path::new(path))?.graph;
    let amount = Msat(sat * 1000);
    let pairs = pp_session::random_pairs(&pp_graph::largest_scc(&graph), count, 1);
    let mut session = Session::new(&graph, Oracle::random(&graph, 1));
    let mut solver = NativeSolver::new();
    writeln!(
        out,
        "settled nodes, directions touching them (of {}), searches",
        graph.direction_count()
    )?;
    let mut touched = vec![false; graph.direction_count()];
    for &(s, t) in &pairs {
        let lin = session.first_round_problem(&graph.node_id(s), &graph.node_id(t), amount)?;
        let Ok(solution) = solver.solve(&lin.problem) else {
            writeln!(out, "infeasible")?;
            continue;
        };
        touched.fill(false);
        let pot = solution.potentials.unwrap_or_default();
        let settled: Vec<NodeIdx> = (0..pot.len())
            .filter(|&v| pot[v] != 0)
            .map(|v| NodeIdx(v as u32))
            .collect();
        for &v in &settled {
            for d in graph.out_dirs(v).chain(graph.in_dirs(v).iter().copied()) {
                touched[d.ix()] = true;
            }
        }
        let dirs = touched.iter().filter(|&&x| x).count();
        writeln!(
            out,
            "{} {} {}",
            settled.len(),
            dirs,
            solver.stats().searches
        )?;
    }
    Ok(())
}

fn main() -> ExitCode {
    main_with(run)
}
