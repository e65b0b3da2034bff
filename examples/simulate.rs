//! A small simulation with pp-session: the same seeded payments made by Pickhardt payments
//! (`mcf`) and by two single-path routers, side by side.
//!
//! ```text
//! cargo run --example simulate                                   # the embedded default graph
//! cargo run --example simulate -- [GRAPH [PAYMENTS [BALANCES_CSV]]]
//! ```
//!
//! Every payment starts from the prior belief and the original balances (the default,
//! independent mode); `cheapest` retries the cheapest path by fees, `probable` the most probable
//! path under the belief, both avoiding what failed. A payment is *feasible* when the network's
//! true max-flow between the pair covers the amount; the success rate among feasible payments is
//! the fair comparison. Results do not depend on the number of threads.

use pp_examples::{data_file, main_with};
use pp_graph::Msat;
use pp_session::{simulate, Oracle, SimulationParams, Strategy};
use std::error::Error;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn run(args: &[String], out: &mut dyn Write) -> Result<(), Box<dyn Error>> {
    let path = match args.first().map(String::as_str) {
        None | Some("-") => data_file("default.listchannels.json"),
        Some(p) => PathBuf::from(p),
    };
    let payments: usize = match args.get(1) {
        Some(s) => s
            .parse()
            .map_err(|_| format!("payments {s:?} is not a whole number"))?,
        None => 50,
    };
    let graph = pp_graph::load_path(&path)?.graph;
    // Ground truth: a balances CSV (`short_channel_id,source,liquidity_sat`, e.g.
    // ../shared/data/ln-2026.balances.csv.gz) or balances drawn from a seed.
    let oracle = match args.get(2) {
        Some(csv) => Oracle::from_balances_path(&graph, Path::new(csv))?,
        None => Oracle::random(&graph, 1),
    };

    let params = SimulationParams {
        payments,
        amounts: [100_000, 1_000_000, 3_000_000]
            .map(|sat| Msat(sat * 1000).into())
            .to_vec(),
        seed: 1,
        strategies: Strategy::ALL.to_vec(),
        ..SimulationParams::default()
    };
    let report = simulate(&oracle, &params, &|| {})?;

    writeln!(
        out,
        "{payments} payments per amount between random pairs of the largest strongly connected component"
    )?;
    writeln!(
        out,
        "{:>9} {:>9} {:>9} {:>9} {:>10} {:>7} {:>8} {:>9} {:>8}",
        "amount",
        "strategy",
        "feasible",
        "success",
        "success of",
        "median",
        "median",
        "median",
        "bits"
    )?;
    writeln!(
        out,
        "{:>9} {:>9} {:>9} {:>9} {:>10} {:>7} {:>8} {:>9} {:>8}",
        "sat", "", "", "rate", "feasible", "rounds", "attempts", "fee ppm", "learned"
    )?;
    for s in &report.summary {
        writeln!(
            out,
            "{:>9} {:>9} {:>9} {:>9.2} {:>10.2} {:>7.1} {:>8.1} {:>9} {:>8.1}",
            s.amount_sat,
            s.strategy.to_string(),
            s.feasible,
            s.success_rate,
            s.success_rate_feasible,
            s.median_rounds,
            s.median_attempts,
            s.median_fee_ppm
                .map_or_else(|| "-".to_string(), |p| format!("{p:.0}")),
            s.mean_entropy_learned_bits
        )?;
    }
    // Every single payment is in `report.records` (serde-serializable, like the summary).
    let failed = report.records.iter().filter(|r| !r.success).count();
    writeln!(
        out,
        "{} payments made, {failed} not delivered",
        report.records.len()
    )?;
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
    fn default_graph_small_simulation() {
        let out = capture(run, &["-", "4"]).unwrap();
        assert!(out.starts_with("4 payments per amount"), "{out}");
        // 3 amounts × 3 strategies, each a row of the table.
        for amount in [100_000, 1_000_000, 3_000_000] {
            for strategy in ["mcf", "cheapest", "probable"] {
                let row = format!("{amount:>9} {strategy:>9} ");
                assert!(out.contains(&row), "{row:?} missing in {out}");
            }
        }
        assert!(out.contains("36 payments made"), "{out}");
    }

    #[test]
    fn a_bad_balances_file_is_an_error() {
        let e = capture(run, &["-", "4", "/nonexistent/balances.csv"]).unwrap_err();
        assert!(e.to_string().contains("/nonexistent/balances.csv"), "{e}");
    }
}
