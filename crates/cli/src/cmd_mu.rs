//! `pickhardt mu`: μ (the fee weight of the linearized cost) from a frugality factor, by Core
//! Lightning's "Finding μ" rule (docs/MODEL.md §3, `pp_uncertainty::mu_from_frugality`).

use crate::common::{graph_name, load_graph};
use crate::input;
use anyhow::Context;
use pp_graph::Msat;
use std::path::PathBuf;

/// Arguments of `pickhardt mu`.
#[derive(Debug, clap::Args)]
pub struct MuArgs {
    /// Channel graph (listchannels or describegraph JSON, plain or gzip; `-` for stdin).
    /// Default: the embedded 200-node graph.
    #[arg(long, value_name = "FILE")]
    pub graph: Option<PathBuf>,
    /// The payment amount: sat, or with a unit (`1000sat`, `1500msat`).
    #[arg(long, value_name = "AMOUNT", value_parser = input::amount, allow_hyphen_values = true)]
    pub amount: Msat,
    /// Frugality factor: about 0.1 prefers certainty, about 10 prefers low fees. Must be a
    /// finite number >= 0.
    #[arg(long, value_name = "F", allow_negative_numbers = true)]
    pub frugality: f64,
    /// Print one JSON object (keys `mu`, `median_capacity_msat`, `median_fee_ppm`, …).
    #[arg(long)]
    pub json: bool,
}

/// Checks a frugality factor: finite and >= 0.
pub fn check_frugality(f: f64) -> anyhow::Result<f64> {
    if !(f.is_finite() && f >= 0.0) {
        anyhow::bail!("--frugality {f} must be a finite number >= 0");
    }
    Ok(f)
}

/// Runs the command.
pub fn run(a: MuArgs) -> anyhow::Result<()> {
    let amount = a.amount;
    let frugality = check_frugality(a.frugality)?;
    let loaded = load_graph(a.graph.as_deref())?;
    let r = pp_uncertainty::mu_from_frugality(&loaded.graph, amount, frugality)
        .context("computing mu")?;
    if a.json {
        let v = serde_json::json!({
            "mu": r.mu,
            "amount_msat": amount.0,
            "frugality": frugality,
            "median_capacity_msat": r.median_capacity_msat.0,
            "median_fee_ppm": r.median_fee_ppm.0,
            "channels_considered": r.channels_considered,
            "graph": graph_name(a.graph.as_deref()),
        });
        outln!("{v}");
    } else {
        outln!("mu {}", r.mu);
        outln!("  amount           {}", input::sat_text(amount));
        outln!("  frugality        {frugality}");
        if r.channels_considered == 0 {
            outln!(
                "  median capacity  {} (no active direction is larger than the amount: the amount itself)",
                input::sat_text(r.median_capacity_msat)
            );
        } else {
            outln!(
                "  median capacity  {} (over {} active directions with capacity above the amount)",
                input::sat_text(r.median_capacity_msat),
                r.channels_considered
            );
        }
        outln!("  median fee       {} ppm", r.median_fee_ppm.0);
    }
    Ok(())
}
