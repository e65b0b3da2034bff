//! `pickhardt pay`: one payment on a simulated network (ground truth from a balances CSV or a
//! seed), printed as a readable summary (the attempts with `-v`) or as the JSON report.
//! Its routing flags are [`RoutingOptions`] (crates/cli/src/options.rs), shared with
//! `simulate`, `tune`, `mcf export` and `bench`.

use crate::common::{self, Outcome};
use crate::input;
use crate::options::{OracleOptions, RoutingOptions};
use pp_graph::{Graph, Msat, NodeId};
use pp_session::{PayParams, PaymentReport, PlanReport, Session};
use std::path::{Path, PathBuf};

/// Arguments of `pickhardt pay`.
#[derive(Debug, clap::Args)]
pub struct PayArgs {
    /// Channel graph (listchannels or describegraph JSON, plain or gzip; `-` for stdin)
    /// [default: the embedded graph].
    #[arg(long, value_name = "FILE")]
    pub graph: Option<PathBuf>,
    #[command(flatten)]
    pub oracle: OracleOptions,
    /// Sender's public key.
    #[arg(long, value_name = "PUBKEY")]
    pub from: String,
    /// Receiver's public key.
    #[arg(long, value_name = "PUBKEY")]
    pub to: String,
    /// Amount: sat, or with a unit (`1000sat`, `1500msat`).
    #[arg(long, value_name = "AMOUNT", value_parser = input::amount, allow_hyphen_values = true)]
    pub amount: Msat,
    #[command(flatten)]
    pub pay: RoutingOptions,
    /// Print the JSON report instead of the summary.
    #[arg(long)]
    pub json: bool,
    /// Show every attempt and its path.
    #[arg(short, long)]
    pub verbose: bool,
    /// Draw the flow split (attempt amounts and probabilities per round) as SVG.
    #[arg(long, value_name = "OUT.svg")]
    pub plot: Option<PathBuf>,
    /// Only show how the payment would split: the first round's parts (paths, amounts, fees,
    /// probabilities) on the prior belief, nothing sent. The sender's own balances are taken
    /// from --balances or --seed when one is given, and are unknown otherwise.
    #[arg(long)]
    pub plan_only: bool,
}

/// Runs the command: [`Outcome::Failed`] when the payment delivered nothing (or, with
/// `--plan-only`, when there is no plan a payment would send).
pub fn run(a: PayArgs) -> anyhow::Result<Outcome> {
    let params = a.pay.params()?;
    let amount = a.amount;
    let loaded = common::load_graph(a.graph.as_deref())?;
    let graph = &loaded.graph;
    let from = graph.node_id(input::node(graph, &a.from, "--from")?);
    let to = graph.node_id(input::node(graph, &a.to, "--to")?);
    anyhow::ensure!(from != to, "--from and --to are the same node {from}");
    if a.plan_only {
        return run_plan(&a, params, graph, &from, &to, amount);
    }
    let oracle = a.oracle.oracle(graph)?;
    // What the network could carry at all: known to the simulation, never to the sender.
    let true_max_flow = match (graph.node_index(&from), graph.node_index(&to)) {
        (Some(s), Some(t)) if !a.json => Some(oracle.max_flow_up_to(s, t, amount)),
        _ => None,
    };
    let mut session = Session::new(graph, oracle).with_params(params);
    let report = session
        .pay(&from, &to, amount)
        .map_err(input::session_error)?;
    if let Some(p) = &a.plot {
        plot(&report, p)?;
    }
    if a.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&one_based_hops(&report)?)?
        );
    } else {
        out!("{}", summary(&report, a.verbose));
        if let Some(m) = true_max_flow {
            if m >= amount {
                outln!(
                    "the simulated network could carry the whole amount (true max-flow ≥ {})",
                    sat(amount)
                );
            } else {
                outln!(
                    "the simulated network could carry only {} (true max-flow): no strategy can deliver this payment",
                    sat(m)
                );
            }
        }
    }
    Ok(Outcome::from_success(report.success))
}

/// A report as JSON with the failing hop counted from 1 as the text does: an attempt's
/// `{"status": "failed_at", "hop": 0}` becomes `{"status": "failed_at", "failed_at_hop": 1}`
/// (docs/FORMATS.md).
fn one_based_hops(report: &impl serde::Serialize) -> anyhow::Result<serde_json::Value> {
    let mut v = serde_json::to_value(report)?;
    if let Some(attempts) = v.get_mut("attempts").and_then(|a| a.as_array_mut()) {
        for a in attempts {
            let Some(o) = a.get_mut("outcome").and_then(|o| o.as_object_mut()) else {
                continue;
            };
            if let Some(hop) = o.remove("hop").and_then(|h| h.as_u64()) {
                o.insert("failed_at_hop".into(), (hop + 1).into());
            }
        }
    }
    Ok(v)
}

/// `pay --plan-only`: the first round's plan, nothing sent.
fn run_plan(
    a: &PayArgs,
    mut params: PayParams,
    graph: &Graph,
    from: &NodeId,
    to: &NodeId,
    amount: Msat,
) -> anyhow::Result<Outcome> {
    let known = a.oracle.balances_known();
    params.local_knowledge &= known;
    let oracle = a.oracle.oracle(graph)?;
    let mut session = Session::new(graph, oracle).with_params(params);
    let plan = session
        .plan(from, to, amount)
        .map_err(input::session_error)?;
    if let Some(p) = &a.plot {
        plot_plan(&plan, p)?;
    }
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&plan)?);
    } else {
        out!("{}", plan_summary(&plan, known));
    }
    // A plan a payment would not send (its first round would stop) is no plan to act on.
    Ok(Outcome::from_success(plan.stop_reason.is_none()))
}

/// The human summary of a plan: totals, then every part and its hops.
pub fn plan_summary(p: &PlanReport, balances_known: bool) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "plan for {} from {} to {}{}",
        sat(p.amount_msat),
        p.sender,
        p.receiver,
        match &p.stop_reason {
            None => String::new(),
            Some(r) if p.attempts.is_empty() => format!(": NO PLAN ({})", r),
            Some(r) => format!(": a payment would NOT SEND it ({})", r),
        }
    );
    if !p.attempts.is_empty() {
        let _ = writeln!(
            s,
            "{} part(s) delivering {}, P = {:.3}, fee {} msat ({:.1} ppm), mu {:.3e}{}, solve {:.2} ms",
            p.attempts.len(),
            sat(p.planned_msat),
            p.probability,
            p.fee_msat.0,
            p.fee_ppm,
            p.mu,
            fallbacks(p.base_fee_fallback, p.htlc_max_fallback),
            p.solve_ms
        );
    }
    let _ = writeln!(
        s,
        "{}",
        if balances_known {
            "on the prior belief, the sender's own balances known exactly"
        } else {
            "on the prior belief; the sender's own balances are unknown (give --balances to use them)"
        }
    );
    for (i, a) in p.attempts.iter().enumerate() {
        let _ = writeln!(
            s,
            "  part {:>3}: {:>14}, fee {:>7} msat, P = {:.3}, {} hop(s)",
            i + 1,
            sat(a.amount_msat),
            a.fee_msat.0,
            a.probability,
            a.hops.len()
        );
        write_hops(&mut s, &a.hops);
    }
    s
}

/// One line per hop: channel, nodes, forwarded amount and fee.
fn write_hops(s: &mut String, hops: &[pp_session::Hop]) {
    use std::fmt::Write;
    for h in hops {
        let _ = writeln!(
            s,
            "      {:>16} {} -> {}  carries {} msat, fee {} msat",
            h.scid.to_string(),
            short(&h.source),
            short(&h.destination),
            h.amount_msat.0,
            h.fee_msat.0
        );
    }
}

/// The parts of `attempts` as the split plot draws them.
fn plot_parts(attempts: &[pp_session::AttemptReport]) -> Vec<crate::plot::PlannedPart> {
    use crate::plot::{PartOutcome, PlannedPart};
    use pp_session::AttemptStatus;
    attempts
        .iter()
        .map(|a| PlannedPart {
            round: a.round,
            amount_sat: a.amount_msat.0 as f64 / 1000.0,
            probability: a.probability,
            outcome: match a.outcome {
                AttemptStatus::Settled => PartOutcome::Settled,
                AttemptStatus::FailedAt { .. } => PartOutcome::Failed,
                AttemptStatus::Planned => PartOutcome::Planned,
                _ => PartOutcome::Released,
            },
        })
        .collect()
}

fn plot_plan(p: &PlanReport, path: &Path) -> anyhow::Result<()> {
    let title = format!(
        "plan: {} in {} part(s), P = {:.3}",
        sat(p.amount_msat),
        p.attempts.len(),
        p.probability
    );
    crate::plot::pay_svg(&plot_parts(&p.attempts), &title, path)
}

fn plot(r: &PaymentReport, path: &Path) -> anyhow::Result<()> {
    let title = format!(
        "{}, {} rounds, {}",
        sat(r.amount_msat),
        r.rounds,
        if r.success { "delivered" } else { "failed" }
    );
    crate::plot::pay_svg(&plot_parts(&r.attempts), &title, path)
}

fn short(id: &NodeId) -> String {
    let s = id.to_string();
    format!("{}…", &s[..12])
}

fn sat(m: Msat) -> String {
    input::sat_text(m)
}

/// The human summary of a payment report.
pub fn summary(r: &PaymentReport, verbose: bool) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let outcome = if r.success {
        "delivered".to_string()
    } else {
        format!("FAILED ({})", r.stop_reason)
    };
    let _ = writeln!(
        s,
        "payment of {} from {} to {}: {outcome} after {} round(s)",
        sat(r.amount_msat),
        r.sender,
        r.receiver,
        r.rounds
    );
    let c = &r.attempt_counts;
    let _ = writeln!(
        s,
        "attempts: {} sent, {} failed, {} settled, {} released",
        c.total, c.failed, c.settled, c.released
    );
    let _ = writeln!(s, "fees: {} msat ({:.1} ppm)", r.fees_msat.0, r.fee_ppm);
    let _ = writeln!(
        s,
        "entropy: {:.1} -> {:.1} bits (learned {:.1})",
        r.entropy_before_bits,
        r.entropy_after_bits,
        r.entropy_learned_bits()
    );
    let _ = writeln!(
        s,
        "time: {:.2} ms total, {:.2} ms building and solving flows",
        r.total_ms, r.solve_ms
    );
    for rd in &r.round_details {
        let _ = writeln!(
            s,
            "  round {:>2}: residual {:>14}, {:>3} part(s), {:>3} failed, P = {:.3}, fee {} msat, mu {:.3e}{}, solve {:.2} ms",
            rd.round,
            sat(rd.residual_msat),
            rd.attempts,
            rd.failed,
            rd.probability,
            rd.fee_msat.0,
            rd.mu,
            fallbacks(rd.base_fee_fallback, rd.htlc_max_fallback),
            rd.solve_ms
        );
    }
    if verbose {
        for (i, a) in r.attempts.iter().enumerate() {
            let outcome = match a.outcome {
                pp_session::AttemptStatus::FailedAt { hop } => format!("failed at hop {}", hop + 1),
                other => format!("{other:?}").to_lowercase(),
            };
            let _ = writeln!(
                s,
                "  attempt {:>3} (round {}): {:>14}, fee {:>7} msat, P = {:.3}, {} hop(s), {outcome}",
                i + 1,
                a.round,
                sat(a.amount_msat),
                a.fee_msat.0,
                a.probability,
                a.hops.len()
            );
            write_hops(&mut s, &a.hops);
        }
    }
    s
}

/// The fallbacks a round or plan took, as a suffix of its line: every channel (base-fee
/// threshold lifted), and `htlc_maximum_msat` per part.
fn fallbacks(all_channels: bool, htlc_max_per_part: bool) -> &'static str {
    match (all_channels, htlc_max_per_part) {
        (false, false) => "",
        (true, false) => " (all channels)",
        (false, true) => " (htlc max per part)",
        (true, true) => " (all channels, htlc max per part)",
    }
}
