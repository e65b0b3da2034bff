//! pp-session in one page: one Pickhardt payment on a simulated network, and its report.
//!
//! ```text
//! cargo run --example pay                                   # the embedded default graph
//! cargo run --example pay -- [GRAPH [AMOUNT_SAT [SEED]]]    # GRAPH `-`: the default graph
//! ```
//!
//! The simulated network (the *oracle*) draws every channel's true balance uniformly from a seed.
//! The session knows only the graph: it plans a flow on its belief, sends the parts, learns from
//! what fails, and plans the rest again, round after round, until everything is delivered or a
//! stop rule fires. Sender and receiver are a seeded random pair of the largest strongly
//! connected component.

use pp_examples::{data_file, main_with};
use pp_graph::{DirIdx, Msat, NodeId};
use pp_session::{Oracle, PayParams, Session};
use std::error::Error;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// A node id shortened for a line of text: the first 4 and the last 6 hex digits.
fn short(id: &NodeId) -> String {
    let hex = id.to_string();
    format!("{}…{}", &hex[..4], &hex[hex.len() - 6..])
}

fn run(args: &[String], out: &mut dyn Write) -> Result<(), Box<dyn Error>> {
    let path = match args.first().map(String::as_str) {
        None | Some("-") => data_file("default.listchannels.json"),
        Some(p) => PathBuf::from(p),
    };
    let amount_sat: u64 = match args.get(1) {
        Some(s) => s
            .parse()
            .map_err(|_| format!("amount {s:?} is not a whole number of sat"))?,
        None => 2_000_000,
    };
    // Seed 8 picks, on the default graph, a pair that takes more than one round (two with the
    // default routing rules, three with `PayParams::legacy`).
    let seed: u64 = match args.get(2) {
        Some(s) => s
            .parse()
            .map_err(|_| format!("seed {s:?} is not a whole number"))?,
        None => 8,
    };
    let graph = pp_graph::load_path(&path)?.graph;
    let amount = Msat(amount_sat.checked_mul(1000).ok_or("amount too large")?);

    // Ground truth from a seed (or from a balances CSV with `Oracle::from_balances_path`).
    let oracle = Oracle::random(&graph, seed);
    let nodes = pp_graph::largest_scc(&graph);
    let &(from, to) = pp_session::random_pairs(&nodes, 1, seed)
        .first()
        .ok_or("the graph has no two connected nodes")?;
    let (sender, receiver) = (graph.node_id(from), graph.node_id(to));
    writeln!(
        out,
        "paying {amount_sat} sat\n  from {sender}\n  to   {receiver}"
    )?;
    writeln!(
        out,
        "the network could carry at most {} sat between them (true max-flow, unknown to the sender)",
        oracle.max_flow(from, to).to_sat_floor().get()
    )?;

    // A real sender knows the balances of its own channels; the belief starts from the prior
    // everywhere, so state them (without this, the first hop may fail like any other).
    let own: Vec<(DirIdx, Msat)> = graph
        .out_dirs(from)
        .map(|d| (d, oracle.liquidity(d)))
        .collect();

    // The documented defaults: μ from frugality 1, 5 pieces, 15 rounds, stop below 5 %.
    let mut session = Session::new(&graph, oracle).with_params(PayParams::default());
    for &(d, liquidity) in &own {
        session.belief_mut().set_exact(d, liquidity)?;
    }
    writeln!(
        out,
        "the sender's {} channels hold {} sat on its side",
        own.len(),
        own.iter().map(|(_, l)| l.to_sat_floor().get()).sum::<u64>()
    )?;
    // How would it split? The first round's plan, computed without sending anything.
    let plan = session.plan(&sender, &receiver, amount)?;
    match &plan.stop_reason {
        None => writeln!(
            out,
            "plan: {} part(s) over {} hops in all, P = {:.3}, fee {} msat",
            plan.attempts.len(),
            plan.attempts.iter().map(|a| a.hops.len()).sum::<usize>(),
            plan.probability,
            plan.fee_msat.get()
        )?,
        Some(why) => writeln!(out, "plan: none ({why:?})")?,
    }
    let report = session.pay(&sender, &receiver, amount)?;

    writeln!(
        out,
        "{}: {:?} after {} rounds; {} attempts ({} failed, {} settled); fees {} msat = {:.1} ppm",
        if report.success {
            "delivered"
        } else {
            "not delivered"
        },
        report.stop_reason,
        report.rounds,
        report.attempt_counts.total,
        report.attempt_counts.failed,
        report.attempt_counts.settled,
        report.fees_msat.get(),
        report.fee_ppm
    )?;
    writeln!(
        out,
        "learned {:.1} bits about the network; {:.1} ms solving, {:.1} ms in total",
        report.entropy_learned_bits(),
        report.solve_ms,
        report.total_ms
    )?;
    for r in &report.round_details {
        writeln!(
            out,
            "round {}: {} sat to go, μ = {:.4}, plan succeeds with P = {:.3}, {} attempts, {} failed",
            r.round,
            r.residual_msat.to_sat_floor().get(),
            r.mu,
            r.probability,
            r.attempts,
            r.failed
        )?;
    }
    for a in &report.attempts {
        let path: Vec<String> = a.hops.iter().map(|h| short(&h.destination)).collect();
        writeln!(
            out,
            "  round {} {:>13} sat P = {:.3} fee {:>6} msat {:?}: {}→{}",
            a.round,
            format!("{}.{:03}", a.amount_msat.0 / 1000, a.amount_msat.0 % 1000),
            a.probability,
            a.fee_msat.get(),
            a.outcome,
            short(&sender),
            path.join("→")
        )?;
    }
    // Whatever happened, nothing of ours is left in flight.
    if session.network().has_in_flight() {
        return Err("an HTLC was left in flight".into());
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
    fn default_graph_payment() {
        let out = capture(run, &[]).unwrap();
        assert!(out.starts_with("paying 2000000 sat\n  from 02"), "{out}");
        assert!(out.contains("round 1: 2000000 sat to go"), "{out}");
        assert!(out.contains("\nplan: "), "{out}");
        // The default pair is chosen to show learning: more than one round.
        assert!(out.contains("after 2 rounds"), "{out}");
        // Settled attempts deliver exactly the amount, or nothing when the payment failed.
        let settled_msat: u64 = out
            .lines()
            .filter(|l| l.contains(" Settled: "))
            .map(|l| l.split_whitespace().nth(2).unwrap().replace('.', ""))
            .map(|msat| msat.parse::<u64>().unwrap())
            .sum();
        if out.contains("\ndelivered: Delivered after ") {
            assert_eq!(settled_msat, 2_000_000_000, "{out}");
        } else {
            assert!(out.contains("\nnot delivered: "), "{out}");
            assert_eq!(settled_msat, 0, "{out}");
        }
    }

    #[test]
    fn bad_arguments_are_errors() {
        let g = data_file("default.listchannels.json");
        let g = g.to_str().unwrap();
        let e = capture(run, &[g, "lots"]).unwrap_err();
        assert!(
            e.to_string().contains("\"lots\" is not a whole number"),
            "{e}"
        );
        let e = capture(run, &[g, "0"]).unwrap_err();
        assert!(e.to_string().contains("invalid amount"), "{e}");
    }
}
