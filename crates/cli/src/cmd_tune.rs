//! `pickhardt tune`: sweeps the fee weight (frugality) of the flow strategy on one simulated
//! network and prints, per amount, the success-versus-fee frontier beside the single-path
//! baselines and the 0.1 rules (`--legacy-routing`), all on the same payments. `--plot` draws
//! the frontier as SVG.
//!
//! Fees are compared on the payments that **every** flow row delivered (so each median is over
//! the same payments), and each row against the cheapest-path baseline on the payments both
//! delivered; deliveries are counted over the feasible payments (true max-flow ≥ amount).

use crate::common;
use crate::options::RoutingOptions;
use pp_session::{median, PaymentRecord};
use pp_session::{simulate, AmountSpec, PayParams, SimulationParams, Strategy};
use std::path::PathBuf;

/// Arguments of `pickhardt tune`.
#[derive(Debug, clap::Args)]
pub struct TuneArgs {
    #[command(flatten)]
    pub run: crate::cmd_simulate::RunArgs,
    /// Frugality factors to sweep, comma separated.
    #[arg(long, value_delimiter = ',', default_value = "0.1,0.3,1,3,5,10,30,100")]
    pub frugalities: Vec<f64>,
    /// The other payment parameters of every swept row (their --frugality and --mu are
    /// replaced by the sweep).
    #[command(flatten)]
    pub pay: RoutingOptions,
    /// Draw the frontier (delivered of feasible against median fee) as SVG.
    #[arg(long, value_name = "OUT.svg")]
    pub plot: Option<PathBuf>,
    /// Print the rows as JSON.
    #[arg(long)]
    pub json: bool,
}

/// One row of the sweep at one amount.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TuneRow {
    /// What the row ran: `mcf f=…`, `mcf legacy`, `cheapest`, `probable`.
    pub setting: String,
    /// The swept frugality (`None` for the baselines and the legacy row).
    pub frugality: Option<f64>,
    /// The amount row's amount in sat (lower bound of a distribution).
    pub amount_sat: u64,
    /// Feasible payments delivered.
    pub delivered_feasible: usize,
    /// Feasible payments.
    pub feasible: usize,
    /// Payments every row delivered (the sample of the fee columns).
    pub common: usize,
    /// Median fee in ppm over the common payments.
    pub median_fee_ppm: Option<f64>,
    /// Total fees over the common payments (msat).
    pub total_fee_msat: u64,
    /// Median of the per-payment fee ratio to the cheapest-path baseline, over the payments
    /// both delivered where the baseline paid a fee (`None` when there are none).
    pub fee_ratio_to_cheapest: Option<f64>,
    /// Payments this row and the cheapest-path baseline both delivered.
    pub shared_with_cheapest: usize,
    /// Attempts over all payments.
    pub attempts: usize,
    /// Failed attempts over all payments.
    pub failed_attempts: usize,
}

/// Runs the command.
pub fn run(a: TuneArgs) -> anyhow::Result<()> {
    anyhow::ensure!(a.run.payments > 0, "--payments must be at least 1");
    anyhow::ensure!(
        !a.frugalities.is_empty(),
        "--frugalities needs at least one value"
    );
    for &f in &a.frugalities {
        anyhow::ensure!(
            f.is_finite() && f >= 0.0,
            "--frugalities: {f} is not a finite number >= 0"
        );
    }
    let amounts = a.run.amount.clone();
    let base = a.pay.params()?;
    let loaded = common::load_graph(a.run.graph.as_deref())?;
    let graph = &loaded.graph;
    let oracle = a.run.oracle(graph)?;
    let run = |strategies: Vec<Strategy>, pay: PayParams| {
        let params = SimulationParams {
            payments: a.run.payments,
            amounts: amounts.clone(),
            seed: a.run.seed,
            strategies,
            keep_belief: false,
            drift: false,
            pay,
            threads: a.run.threads,
        };
        simulate(&oracle, &params, &|| {}).map(|r| r.records)
    };
    // (setting, frugality, records of one strategy)
    let mut sets: Vec<(String, Option<f64>, Vec<PaymentRecord>)> = Vec::new();
    let baselines = run(vec![Strategy::Cheapest, Strategy::Probable], base.clone())?;
    for k in [Strategy::Cheapest, Strategy::Probable] {
        let rs = baselines
            .iter()
            .filter(|r| r.strategy == k)
            .cloned()
            .collect();
        sets.push((k.to_string(), None, rs));
    }
    // The 0.1 rules as they were (frugality 1), with the sweep's other options.
    let legacy = PayParams {
        shape: pp_session::PieceShape {
            pieces: base.shape.pieces,
            slopes: base.shape.slopes,
            ..PayParams::legacy().shape
        },
        solver: base.solver.clone(),
        limits: base.limits,
        local_knowledge: base.local_knowledge,
        ..PayParams::legacy()
    };
    sets.push(("mcf legacy".into(), None, run(vec![Strategy::Mcf], legacy)?));
    for &f in &a.frugalities {
        let pay = base.clone().with_frugality(f);
        sets.push((
            format!("mcf f={f}"),
            Some(f),
            run(vec![Strategy::Mcf], pay)?,
        ));
    }
    let rows = rows(&sets, &amounts);
    if let Some(p) = &a.plot {
        let title = format!(
            "success against fees on {} ({} payments per amount, seed {})",
            common::graph_name(a.run.graph.as_deref()),
            a.run.payments,
            a.run.seed
        );
        crate::plot::frontier_svg(&rows, &title, p)?;
    }
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        out!("{}", table(&rows));
    }
    Ok(())
}

/// The rows of every setting at every amount, fees over the payments all settings delivered.
fn rows(
    sets: &[(String, Option<f64>, Vec<PaymentRecord>)],
    amounts: &[AmountSpec],
) -> Vec<TuneRow> {
    let mut out = Vec::new();
    for (row, spec) in amounts.iter().enumerate() {
        let at = |rs: &[PaymentRecord]| -> Vec<PaymentRecord> {
            rs.iter().filter(|r| r.amount_row == row).cloned().collect()
        };
        let per: Vec<Vec<PaymentRecord>> = sets.iter().map(|(_, _, rs)| at(rs)).collect();
        // The common sample: what every flow row delivered (a baseline that delivers little
        // would shrink it to nothing); the baselines are compared pairwise below.
        let delivered_by_all = |i: usize| {
            sets.iter()
                .zip(&per)
                .filter(|((name, _, _), _)| name.starts_with("mcf"))
                .all(|(_, rs)| rs.iter().any(|r| r.index == i && r.success))
        };
        let cheapest = sets
            .iter()
            .position(|(name, _, _)| name == "cheapest")
            .map(|k| &per[k]);
        let indices: Vec<usize> = per
            .first()
            .map_or(Vec::new(), |rs| rs.iter().map(|r| r.index).collect());
        let common: Vec<usize> = indices
            .into_iter()
            .filter(|&i| delivered_by_all(i))
            .collect();
        for ((setting, frugality, _), rs) in sets.iter().zip(&per) {
            let shared: Vec<&PaymentRecord> =
                rs.iter().filter(|r| common.contains(&r.index)).collect();
            let mut ratios = Vec::new();
            let mut both = 0;
            if let Some(c) = cheapest {
                for r in rs.iter().filter(|r| r.success) {
                    if let Some(b) = c.iter().find(|b| b.index == r.index && b.success) {
                        both += 1;
                        if b.fee_msat.0 > 0 {
                            ratios.push(r.fee_msat.0 as f64 / b.fee_msat.0 as f64);
                        }
                    }
                }
            }
            out.push(TuneRow {
                setting: setting.clone(),
                frugality: *frugality,
                amount_sat: spec.min().0 / 1000,
                delivered_feasible: rs.iter().filter(|r| r.feasible && r.success).count(),
                feasible: rs.iter().filter(|r| r.feasible).count(),
                common: common.len(),
                median_fee_ppm: median(shared.iter().filter_map(|r| r.fee_ppm).collect()),
                total_fee_msat: shared.iter().map(|r| r.fee_msat.0).sum(),
                fee_ratio_to_cheapest: median(ratios),
                shared_with_cheapest: both,
                attempts: rs.iter().map(|r| r.attempts).sum(),
                failed_attempts: rs.iter().map(|r| r.failed_attempts).sum(),
            });
        }
    }
    out
}

fn table(rows: &[TuneRow]) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<14} {:>10} {:>12} {:>7} {:>15} {:>14} {:>9} {:>7}",
        "setting",
        "amount_sat",
        "ok/feasible",
        "common",
        "median_fee_ppm",
        "total_fee_sat",
        "attempts",
        "failed"
    );
    for r in rows {
        let _ = writeln!(
            s,
            "{:<14} {:>10} {:>12} {:>7} {:>15} {:>14.0} {:>15} {:>9} {:>7}",
            r.setting,
            r.amount_sat,
            format!("{}/{}", r.delivered_feasible, r.feasible),
            r.common,
            r.median_fee_ppm
                .map_or_else(|| "-".to_string(), |x| format!("{x:.1}")),
            r.total_fee_msat as f64 / 1000.0,
            r.fee_ratio_to_cheapest.map_or_else(
                || "-".to_string(),
                |x| format!("{x:.2} ({})", r.shared_with_cheapest)
            ),
            r.attempts,
            r.failed_attempts
        );
    }
    s.push_str(
        "(median_fee_ppm and total_fee_sat over the `common` payments that every mcf row delivered; \
         vs_cheapest: median per-payment fee ratio to the cheapest-path baseline over the payments \
         both delivered (their count); attempts and failed over all payments)\n",
    );
    s
}
