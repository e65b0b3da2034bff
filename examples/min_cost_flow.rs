//! pp-mcf in one page: build a flow problem by hand, solve it, check the answer without trusting
//! the solver, split the flow into paths and write the problem as DIMACS.
//!
//! ```text
//! cargo run --example min_cost_flow                          # the hand-made problem below
//! cargo run --example min_cost_flow -- FILE.min [BACKEND]    # any DIMACS min-cost-flow file,
//!                                                            # e.g. from `pickhardt mcf export`
//! ```
//!
//! pp-mcf knows nothing of Lightning: nodes are `u32`, capacities and costs `i64`. A convex
//! piecewise-linear cost (how the payment loop expresses `−ln P`) is written as parallel arcs,
//! one per piece, cheapest first.

use pp_examples::main_with;
use pp_mcf::{check_optimality, decompose, max_flow, solver_by_name, McfError, Problem};
use std::error::Error;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Four nodes, `s = 0`, `a = 1`, `b = 2`, `t = 3`, and 10 units to send from `s` to `t`.
///
/// `s→a` and `b→t` have convex costs: 4 units at 1 then 4 more at 3, and 3 units at 1 then 5 more
/// at 4. By hand: with `x` units through `a` and `10 − x` through `b`, the cost is least at
/// `x = 7` (4·1 + 3·3 + 7·1 through `a`, 3·2 + 3·1 through `b`): 29.
fn hand_made_problem(amount: i64) -> Problem {
    let (s, a, b, t) = (0, 1, 2, 3);
    let mut p = Problem::new(4);
    p.add_arc(s, a, 4, 1); // s→a, first piece
    p.add_arc(s, a, 4, 3); // s→a, second piece
    p.add_arc(s, b, 6, 2);
    p.add_arc(a, t, 8, 1);
    p.add_arc(a, b, 2, 0);
    p.add_arc(b, t, 3, 1); // b→t, first piece
    p.add_arc(b, t, 5, 4); // b→t, second piece
    p.set_single_pair(s, t, amount);
    p
}

fn run(args: &[String], out: &mut dyn Write) -> Result<(), Box<dyn Error>> {
    let (problem, comments) = match args.first() {
        Some(path) => {
            let file = std::fs::File::open(path).map_err(|e| format!("cannot open {path}: {e}"))?;
            let dimacs = pp_mcf::read_dimacs(file)?;
            (dimacs.problem, dimacs.comments)
        }
        None => (hand_made_problem(10), vec!["hand-made example".to_string()]),
    };
    let backend = args.get(1).map_or("native", String::as_str);
    writeln!(
        out,
        "problem: {} nodes, {} arcs, {} units to route",
        problem.num_nodes,
        problem.num_arcs(),
        problem.total_supply()
    )?;

    // Backends are chosen by name at run time; `available_backends()` lists what is compiled in.
    let mut solver = solver_by_name(backend)?;
    let solution = solver.solve(&problem)?;
    writeln!(out, "{}: optimal cost {}", solver.name(), solution.cost)?;

    // The certificate: node potentials under which no residual arc has a negative reduced
    // cost. Checking it needs only the problem and the solution, not the solver.
    match check_optimality(&problem, &solution) {
        Ok(()) => writeln!(
            out,
            "certificate: optimal (reduced costs checked on every arc)"
        )?,
        Err(McfError::CertificateRejected { reason }) if solution.potentials.is_none() => {
            writeln!(out, "certificate: none from this backend ({reason})")?
        }
        Err(e) => return Err(e.into()),
    }

    let paths = decompose(&problem, &solution.flow)?;
    writeln!(
        out,
        "{} paths (nodes numbered from 0), largest first:",
        paths.len()
    )?;
    for p in paths.iter().take(10) {
        let nodes: Vec<String> = p.nodes(&problem).iter().map(u32::to_string).collect();
        let cost: i64 = p.arcs.iter().map(|a| problem.cost[a.index()]).sum();
        writeln!(
            out,
            "  {} units over {} (unit cost {cost})",
            p.amount,
            nodes.join("→")
        )?;
    }
    if paths.len() > 10 {
        writeln!(out, "  … {} more", paths.len() - 10)?;
    }

    if args.is_empty() {
        // Asking for more than the network carries is a typed error, with the max-flow
        // (max_flow says how much of a problem's supply can be routed at all).
        let too_much = hand_made_problem(20);
        writeln!(out, "max flow s→t: {} units", max_flow(&too_much)?)?;
        match solver.solve(&too_much) {
            Err(e @ McfError::Infeasible { .. }) => writeln!(out, "20 units: {e}")?,
            other => return Err(format!("expected infeasible, got {other:?}").into()),
        }
        // DIMACS, the format every external min-cost-flow solver reads.
        writeln!(out, "\nDIMACS:")?;
        pp_mcf::write_dimacs(&mut *out, &problem, &comments)?;
    } else {
        let name = Path::new(&args[0]).display();
        writeln!(out, "{} comment lines in {name}", comments.len())?;
    }
    Ok(())
}

fn main() -> ExitCode {
    main_with(run)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pp_examples::capture;

    #[test]
    fn hand_made_problem_is_solved_as_computed_by_hand() {
        let out = capture(run, &[]).unwrap();
        assert!(out.contains("native: optimal cost 29"), "{out}");
        assert!(out.contains("certificate: optimal"), "{out}");
        // One path per piece: the two pieces of s→a are parallel arcs.
        assert!(out.contains("4 units over 0→1→3 (unit cost 2)"), "{out}");
        assert!(out.contains("3 units over 0→1→3 (unit cost 4)"), "{out}");
        assert!(out.contains("3 units over 0→2→3 (unit cost 3)"), "{out}");
        assert!(out.contains("max flow s→t: 14 units"), "{out}");
        assert!(
            out.contains("20 units: infeasible: only 14 of 20 units can be routed"),
            "{out}"
        );
        let dimacs = &out[out.find("DIMACS:\n").unwrap() + 8..];
        let back = pp_mcf::parse_dimacs(dimacs).unwrap();
        assert_eq!(back.problem, hand_made_problem(10));
    }

    #[test]
    fn every_backend_agrees_and_files_are_read() {
        for backend in pp_mcf::available_backends() {
            let p = hand_made_problem(10);
            let sol = solver_by_name(backend).unwrap().solve(&p).unwrap();
            assert_eq!(sol.cost, 29, "{backend}");
        }
        let path = std::env::temp_dir().join(format!("pp-example-mcf-{}.min", std::process::id()));
        let file = std::fs::File::create(&path).unwrap();
        pp_mcf::write_dimacs(file, &hand_made_problem(10), &["written by a test"]).unwrap();
        let toy = path.to_str().unwrap();
        let out = capture(run, &[toy, "ssp"]);
        let e = capture(run, &[toy, "simplex"]);
        std::fs::remove_file(&path).unwrap();
        let out = out.unwrap();
        assert!(out.contains("ssp: optimal cost 29"), "{out}");
        assert!(out.contains("1 comment lines"), "{out}");
        let e = e.unwrap_err();
        assert!(e.to_string().contains("unknown solver backend"), "{e}");
    }
}
