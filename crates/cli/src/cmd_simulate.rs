//! `pickhardt simulate`: many seeded payments on a simulated network, each strategy on the same
//! payments, ending with a table per strategy and amount (or `{"strategies": [...]}` with
//! `--json`). A progress bar goes to stderr when it is a terminal and `--json` is off.
//!
//! `--amount` takes fixed amounts and ranges, comma separated: `100000` pays 100,000 sat every
//! time, `10000..1000000` draws each payment's amount log-uniformly between the bounds (seeded
//! by `--seed`, the same amounts for every strategy; see `pp_session::AmountSpec`).

use crate::common;
use crate::input;
use crate::options::{Draw, OracleOptions, RoutingOptions};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use pp_session::{simulate, AmountSpec, SimulationParams, Strategy};
use pp_session::{PaymentRecord, StrategySummary};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// The simulated runs `simulate` and `tune` share: which network, which payments.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Channel graph (listchannels or describegraph JSON, plain or gzip; `-` for stdin)
    /// [default: the embedded graph].
    #[arg(long, value_name = "FILE")]
    pub graph: Option<PathBuf>,
    /// Ground-truth balances CSV (`short_channel_id,source,liquidity_sat`, plain or gzip);
    /// without it balances are drawn from --seed.
    #[arg(long, value_name = "CSV")]
    pub balances: Option<PathBuf>,
    /// Payments per amount.
    #[arg(long, default_value_t = 100)]
    pub payments: usize,
    /// Amounts, comma separated: sat, or with a unit (`1000sat`, `1500msat`); `MIN..MAX` draws
    /// each payment's amount log-uniformly between the bounds (seeded, the same for every
    /// strategy).
    #[arg(
        long,
        value_name = "AMOUNT|MIN..MAX[,…]",
        value_delimiter = ',',
        default_value = "100000",
        value_parser = input::amount_spec,
        allow_hyphen_values = true
    )]
    pub amount: Vec<AmountSpec>,
    /// Seed of the payment pairs (and of the balances without --balances).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// How balances are drawn without --balances: `uniform` or `bimodal` (depleted channels).
    #[arg(long, value_enum, default_value_t = Draw::Uniform, conflicts_with = "balances")]
    pub draw: Draw,
    /// Worker threads [default: one per core]. Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
}

impl RunArgs {
    /// The simulated network: balances from `--balances`, or drawn from `--seed`.
    pub fn oracle<'g>(&self, graph: &'g pp_graph::Graph) -> anyhow::Result<pp_session::Oracle<'g>> {
        OracleOptions {
            balances: self.balances.clone(),
            seed: Some(self.seed),
            draw: self.draw,
        }
        .oracle(graph)
    }
}

/// Arguments of `pickhardt simulate`.
#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    #[command(flatten)]
    pub run: RunArgs,
    /// Strategies, comma separated: mcf, cheapest, probable; ldk (LDK's own router) and mcf-ldk
    /// (our LDK router) in an LDK-like retry loop (crate pp-ldk).
    #[arg(long, value_delimiter = ',', default_value = "mcf,cheapest,probable")]
    pub strategy: Vec<String>,
    /// Retries per payment of the ldk and mcf-ldk strategies (LDK's `Retry::Attempts`).
    #[arg(long, default_value_t = pp_ldk::DEFAULT_RETRIES, value_name = "N")]
    pub ldk_retries: u32,
    /// Keep the belief from one payment to the next (payments then run in order).
    #[arg(long)]
    pub keep_belief: bool,
    /// Let settlements move the balances instead of restoring them after each payment.
    #[arg(long)]
    pub drift: bool,
    #[command(flatten)]
    pub pay: RoutingOptions,
    /// Write every payment as a CSV row to this file.
    #[arg(long, value_name = "OUT")]
    pub csv: Option<PathBuf>,
    /// Print `{"strategies": [...]}` instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Draw success rate and median fee against amount per strategy as SVG.
    #[arg(long, value_name = "OUT.svg")]
    pub plot: Option<PathBuf>,
}

/// Runs the command.
pub fn run(a: SimulateArgs) -> anyhow::Result<()> {
    let pay = a.pay.params()?;
    anyhow::ensure!(a.run.payments > 0, "--payments must be at least 1");
    anyhow::ensure!(a.run.threads != Some(0), "--threads must be at least 1");
    let amounts = a.run.amount.clone();
    let mut strategies = Vec::new();
    for s in &a.strategy {
        let k: Strategy = s.trim().parse().map_err(input::session_error)?;
        if !strategies.contains(&k) {
            strategies.push(k);
        }
    }
    let external: Vec<Strategy> = strategies
        .iter()
        .copied()
        .filter(|k| k.is_external())
        .collect();
    anyhow::ensure!(
        external.is_empty() || !(a.keep_belief || a.drift),
        "--keep-belief and --drift are not supported with --strategy ldk or mcf-ldk"
    );
    let loaded = common::load_graph(a.run.graph.as_deref())?;
    let graph = &loaded.graph;
    let oracle = a.run.oracle(graph)?;
    let params = SimulationParams {
        payments: a.run.payments,
        amounts,
        seed: a.run.seed,
        strategies,
        keep_belief: a.keep_belief,
        drift: a.drift,
        pay,
        threads: a.run.threads,
    };
    let native = SimulationParams {
        strategies: params
            .strategies
            .iter()
            .copied()
            .filter(|k| !k.is_external())
            .collect(),
        ..params.clone()
    };
    if !a.json {
        // What this run is, before the progress bar and the table: enough to rerun it.
        outln!(
            "{}",
            run_line(
                &a,
                &params.amounts,
                &params.strategies,
                a.run.balances.as_deref()
            )
        );
    }
    let total = (params.payments * params.amounts.len() * params.strategies.len()) as u64;
    let bar = if a.json || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let b = ProgressBar::new(total);
        b.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} payments, {elapsed} ({eta} left)")
                .context("progress bar template")?,
        );
        b
    };
    let mut report = if native.strategies.is_empty() {
        pp_session::SimulationReport {
            records: Vec::new(),
            summary: Vec::new(),
            paired: Vec::new(),
        }
    } else {
        simulate(&oracle, &native, &|| bar.inc(1)).map_err(input::session_error)?
    };
    let mut queries = Vec::new();
    if !external.is_empty() {
        let ldk = pp_ldk::LdkSimParams {
            payments: params.payments,
            amounts: params.amounts.clone(),
            seed: params.seed,
            strategies: external,
            pay: params.pay.clone(),
            retries: a.ldk_retries,
            threads: params.threads,
            timestamp: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .context("the clock is before 1970")?
                .as_secs() as u32,
        };
        let r = pp_ldk::simulate_ldk(&oracle, &ldk, &|| bar.inc(1)).context("ldk strategies")?;
        report.records.extend(r.records);
        queries = r.queries;
        report.summary =
            pp_session::summarize(&report.records, &params.amounts, &params.strategies);
        report.paired =
            pp_session::compare_pairs(&report.records, &params.amounts, &params.strategies);
    }
    bar.finish_and_clear();
    if let Some(p) = &a.csv {
        write_csv(&report.records, p)?;
    }
    if let Some(p) = &a.plot {
        plot(
            &report.summary,
            &common::graph_name(a.run.graph.as_deref()),
            p,
        )?;
    }
    if a.json {
        let mut out = serde_json::json!({ "strategies": report.summary, "paired": report.paired });
        if !queries.is_empty() {
            out["route_queries"] = serde_json::to_value(&queries)?;
        }
        outln!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        out!("{}", table(&report.summary));
        if !queries.is_empty() {
            out!("{}", queries_table(&queries));
        }
        if !report.paired.is_empty() {
            out!("{}", paired_table(&report.paired));
        }
    }
    Ok(())
}

/// The first line of the text output: graph, balances, seed, amounts, payments, strategies.
fn run_line(
    a: &SimulateArgs,
    amounts: &[AmountSpec],
    strategies: &[Strategy],
    balances: Option<&Path>,
) -> String {
    let amounts: Vec<String> = amounts
        .iter()
        .map(|s| match s {
            AmountSpec::Fixed(m) => input::sat_text(*m),
            AmountSpec::LogUniform { min, max } => {
                format!("{}..{}", input::sat_text(*min), input::sat_text(*max))
            }
        })
        .collect();
    let strategies: Vec<String> = strategies.iter().map(|s| s.to_string()).collect();
    format!(
        "simulating {} payment(s) per amount on {}, {}, amounts {}, strategies {}",
        a.run.payments,
        common::graph_name(a.run.graph.as_deref()),
        match balances {
            Some(p) => format!(
                "balances from {}, seed {} (payment pairs)",
                p.display(),
                a.run.seed
            ),
            None if a.run.draw == Draw::Bimodal => {
                format!("seed {} (payment pairs and bimodal balances)", a.run.seed)
            }
            None => format!("seed {} (payment pairs and balances)", a.run.seed),
        },
        amounts.join(", "),
        strategies.join(", ")
    )
}

/// A row's amount as the table shows it: `SAT`, or `MIN..MAX` for a distribution.
fn amount_text(r: &StrategySummary) -> String {
    match r.amount_max_sat {
        None => r.amount_sat.to_string(),
        Some(max) => format!("{}..{max}", r.amount_sat),
    }
}

fn plot(rows: &[StrategySummary], graph: &str, path: &Path) -> anyhow::Result<()> {
    let points: Vec<crate::plot::StrategyPoint> = rows
        .iter()
        .map(|r| crate::plot::StrategyPoint {
            strategy: r.strategy.to_string(),
            // A distribution is drawn at the geometric middle of its bounds.
            amount_sat: match r.amount_max_sat {
                None => r.amount_sat,
                Some(max) => ((r.amount_sat.max(1) as f64) * (max as f64)).sqrt().round() as u64,
            },
            success_rate: r.success_rate,
            feasible_rate: if r.payments == 0 {
                0.0
            } else {
                r.feasible as f64 / r.payments as f64
            },
            median_fee_ppm: r.median_fee_ppm,
        })
        .collect();
    crate::plot::simulate_svg(&points, &format!("simulated payments on {graph}"), path)
}

fn write_csv(records: &[PaymentRecord], path: &Path) -> anyhow::Result<()> {
    let mut out = String::from(
        "strategy,amount_sat,index,sender,receiver,feasible,success,stop_reason,rounds,attempts,\
         failed_attempts,fee_msat,fee_ppm,entropy_learned_bits,ms\n",
    );
    for r in records {
        let stop = serde_json::to_value(r.stop_reason)?
            .get("reason")
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string();
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{:.3},{:.3}\n",
            r.strategy,
            r.amount_msat.sat_decimal(),
            r.index,
            r.sender,
            r.receiver,
            r.feasible,
            r.success,
            stop,
            r.rounds,
            r.attempts,
            r.failed_attempts,
            r.fee_msat.0,
            r.fee_ppm.map(|f| format!("{f:.3}")).unwrap_or_default(),
            r.entropy_learned_bits,
            r.ms
        ));
    }
    std::fs::File::create(path)
        .and_then(|mut f| f.write_all(out.as_bytes()))
        .with_context(|| format!("cannot write the CSV to {}", path.display()))
}

/// The route queries of the LDK-loop strategies: how many, and how long one takes.
pub fn queries_table(rows: &[pp_ldk::QuerySummary]) -> String {
    use std::fmt::Write as _;
    let mut s = String::from("\nroute queries (find_route) of the LDK-loop strategies:\n");
    let _ = writeln!(
        s,
        "{:<9} {:>10} {:>8} {:>12} {:>10}",
        "strategy", "amount_sat", "queries", "median_ms", "mean_ms"
    );
    for r in rows {
        let _ = writeln!(
            s,
            "{:<9} {:>10} {:>8} {:>12.2} {:>10.2}",
            r.strategy.to_string(),
            r.amount_sat,
            r.queries,
            r.median_ms_per_query,
            r.mean_ms_per_query
        );
    }
    s
}

/// The paired comparison: each pair of strategies on the payments both delivered.
pub fn paired_table(rows: &[pp_session::PairedSummary]) -> String {
    use std::fmt::Write as _;
    let mut s = String::from("\npaired, on the payments both delivered (a vs b):\n");
    let _ = writeln!(
        s,
        "{:<19} {:>10} {:>5} {:>6} {:>6} {:>15} {:>19} {:>12} {:>13} {:>11}",
        "a vs b",
        "amount_sat",
        "both",
        "only_a",
        "only_b",
        "median_fee_ppm",
        "total_fee_sat",
        "median_a/b",
        "attempts",
        "failed"
    );
    let dash = |v: Option<f64>| v.map_or_else(|| "-".to_string(), |x| format!("{x:.1}"));
    for r in rows {
        let _ = writeln!(
            s,
            "{:<19} {:>10} {:>5} {:>6} {:>6} {:>15} {:>19} {:>12} {:>13} {:>11}",
            format!("{} vs {}", r.a, r.b),
            r.amount_sat,
            r.both,
            r.only_a,
            r.only_b,
            format!(
                "{} / {}",
                dash(r.median_fee_ppm_a),
                dash(r.median_fee_ppm_b)
            ),
            format!(
                "{:.0} / {:.0}",
                r.total_fee_msat_a as f64 / 1000.0,
                r.total_fee_msat_b as f64 / 1000.0
            ),
            r.median_fee_ratio
                .map_or_else(|| "-".to_string(), |x| format!("{x:.2}")),
            format!("{} / {}", r.attempts_a, r.attempts_b),
            format!("{} / {}", r.failed_a, r.failed_b),
        );
    }
    s.push_str("(fees and attempts over the payments both strategies delivered; median_a/b is the median of the per-payment fee ratio)\n");
    s
}

/// The summary table: one row per strategy and amount.
pub fn table(rows: &[StrategySummary]) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let w = rows
        .iter()
        .map(|r| amount_text(r).len())
        .fold("amount_sat".len() + 1, usize::max);
    let _ = writeln!(
        s,
        "{:<9} {:>w$} {:>8} {:>8} {:>9} {:>12} {:>7} {:>9} {:>7} {:>9} {:>12} {:>9} {:>12}",
        "strategy",
        "amount_sat",
        "payments",
        "feasible",
        "succeeded",
        "ok/feasible",
        "rounds",
        "attempts",
        "failed",
        "fee_ppm",
        "entropy_bits",
        "ms/pay",
        "ms/feasible"
    );
    let or_dash = |v: Option<f64>, decimals: usize| {
        v.map_or_else(|| "-".to_string(), |x| format!("{x:.decimals$}"))
    };
    for r in rows {
        // Rounds and attempts are medians over the successful payments: none, none to show.
        let ok = |x: f64| (r.succeeded > 0).then_some(x);
        let _ = writeln!(
            s,
            "{:<9} {:>w$} {:>8} {:>8} {:>9} {:>12} {:>7} {:>9} {:>7} {:>9} {:>12.1} {:>9.2} {:>12}",
            r.strategy.to_string(),
            amount_text(r),
            r.payments,
            r.feasible,
            r.succeeded,
            format!("{}/{}", r.succeeded_feasible, r.feasible),
            or_dash(ok(r.median_rounds), 1),
            or_dash(ok(r.median_attempts), 1),
            r.failed_attempts,
            or_dash(r.median_fee_ppm, 1),
            r.mean_entropy_learned_bits,
            r.median_ms_per_payment,
            or_dash(r.median_ms_per_feasible_payment, 2)
        );
    }
    let _ = writeln!(
        s,
        "(medians: rounds, attempts and fee_ppm over the successful payments, ms/pay over all \
         payments, ms/feasible over the feasible ones, '-' when there are none; entropy_bits is \
         the mean learned per payment; failed counts all failed attempts{})",
        if rows.iter().any(|r| r.amount_max_sat.is_some()) {
            "; MIN..MAX: each payment's amount drawn log-uniformly between the bounds"
        } else {
            ""
        }
    );
    s
}
