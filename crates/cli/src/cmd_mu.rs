//! `pickhardt mu`: μ (the fee weight of the linearized cost) from a frugality factor, by Core
//! Lightning's "Finding μ" rule (SPEC §3, `pp_uncertainty::mu_from_frugality`).

use crate::common::{graph_name, load_graph};
use anyhow::Context;
use pp_graph::{Msat, Sat};
use std::path::PathBuf;

/// Arguments of `pickhardt mu`.
#[derive(Debug, clap::Args)]
pub struct MuArgs {
    /// Channel graph (listchannels or describegraph JSON, plain or gzip; `-` for stdin).
    /// Default: the embedded 200-node graph.
    #[arg(long, value_name = "FILE")]
    pub graph: Option<PathBuf>,
    /// The payment amount in sat.
    #[arg(long, value_name = "SAT")]
    pub amount: u64,
    /// Frugality factor: about 0.1 prefers certainty, about 10 prefers low fees. Must be a
    /// finite number >= 0.
    #[arg(long, value_name = "F", allow_negative_numbers = true)]
    pub frugality: f64,
    /// Print one JSON object (keys `mu`, `median_capacity_msat`, `median_fee_ppm`, …).
    #[arg(long)]
    pub json: bool,
}

/// Checks a payment amount given in sat and converts it: 1 sat ..= 21 million BTC.
pub fn amount_msat(amount_sat: u64) -> anyhow::Result<Msat> {
    let sat = Sat(amount_sat);
    if sat == Sat::ZERO {
        anyhow::bail!("--amount must be at least 1 sat");
    }
    if sat.exceeds_supply() {
        anyhow::bail!("--amount {amount_sat} sat exceeds the 21 million BTC supply");
    }
    sat.to_msat()
        .with_context(|| format!("--amount {amount_sat} sat overflows msat"))
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
    let amount = amount_msat(a.amount)?;
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
        outln!("  amount           {} sat", a.amount);
        outln!("  frugality        {frugality}");
        if r.channels_considered == 0 {
            outln!(
                "  median capacity  {} msat (no active direction is larger than the amount: the amount itself)",
                r.median_capacity_msat.0
            );
        } else {
            outln!(
                "  median capacity  {} msat (over {} active directions with capacity above the amount)",
                r.median_capacity_msat.0, r.channels_considered
            );
        }
        outln!("  median fee       {} ppm", r.median_fee_ppm.0);
    }
    Ok(())
}
