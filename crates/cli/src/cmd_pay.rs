//! `pickhardt pay`: one payment on a simulated network (ground truth from a balances CSV or a
//! seed), printed as a readable summary (the attempts with `-v`) or as the JSON report.
//!
//! Also defines [`PayOptions`] and [`OracleOptions`], the payment parameters and the oracle
//! source shared with `pickhardt simulate`.

use crate::common::{self, Outcome};
use crate::input;
use pp_graph::{Graph, Msat, NodeId};
use pp_session::{FeeBudget, Limits, Oracle, PayParams, PaymentReport, PlanReport, Session};
use pp_uncertainty::SlopeRule;
use std::path::{Path, PathBuf};

/// Parameters of the payment loop, shared by `pay` and `simulate`.
#[derive(Debug, Clone, clap::Args)]
pub struct PayOptions {
    /// Pieces of the piecewise linearization per channel direction.
    #[arg(long, default_value_t = pp_session::DEFAULT_PIECES)]
    pub pieces: u32,
    /// Fixed fee weight μ (0 = reliability only).
    #[arg(long, conflicts_with = "frugality", allow_negative_numbers = true)]
    pub mu: Option<f64>,
    /// Frugality factor: μ derived per payment (~0.1 prefers certainty, ~10 low fees) [default: 3].
    #[arg(long, allow_negative_numbers = true)]
    pub frugality: Option<f64>,
    /// Slope rule of the pieces.
    #[arg(long, value_enum, default_value_t = Slopes::Secant)]
    pub slopes: Slopes,
    /// Min-cost-flow backend.
    #[arg(long, default_value = "native")]
    pub solver: String,
    /// Maximum number of rounds, a safety net [default: 100].
    #[arg(long)]
    pub max_rounds: Option<u32>,
    /// Stop after this many consecutive rounds that got nothing more to the receiver
    /// [default: 8].
    #[arg(long)]
    pub max_stalled_rounds: Option<u32>,
    /// Stop when a round's best plan (all its parts at once) succeeds with less than this
    /// probability [default: 0, never; the reference uses 0.05].
    #[arg(long, allow_negative_numbers = true)]
    pub min_probability: Option<f64>,
    /// Leave out of a round the parts that succeed with less than this probability [default:
    /// 0.05; 0 keeps all].
    #[arg(long, allow_negative_numbers = true)]
    pub min_part_probability: Option<f64>,
    /// Stop when a round's plan is expected to deliver less than this share of the residual
    /// (Σ P·amount / residual) [default: 0, never].
    #[arg(long, allow_negative_numbers = true)]
    pub min_expected_share: Option<f64>,
    /// Stop when no plan through the sender's or the receiver's channels alone can succeed with
    /// this probability (a bound found without solving) [default: 0, never].
    #[arg(long, allow_negative_numbers = true)]
    pub min_cut_probability: Option<f64>,
    /// Leave channels with a base fee above this (msat) out of the flow problem (they are used
    /// anyway when the problem is infeasible or improbable without them) [default: none left
    /// out; the reference uses 0].
    #[arg(long)]
    pub base_fee_threshold: Option<u64>,
    /// Leave base fees out of the flow cost, as the reference does (by default each counts by
    /// its convex envelope, docs/MODEL.md "Base fees in the cost"; fees paid are always exact).
    #[arg(long)]
    pub no_base_fee_cost: bool,
    /// Never use channels above the base-fee threshold.
    #[arg(long)]
    pub strict_base_fee: bool,
    /// Start from the 0.1 routing rules, close to the reference package's (base-fee threshold
    /// 0, no base fee in the cost, 15 rounds, stop below 5 % plan probability, no part gate,
    /// frugality 1, no fee budget, htlc_maximum_msat per part);
    /// explicit flags still apply on top.
    #[arg(long)]
    pub legacy_routing: bool,
    /// Prune unlikely channels as the reference package does.
    #[arg(long)]
    pub prune: bool,
    /// Let a channel direction carry more than its htlc_maximum_msat in several parts (the 0.1
    /// default) instead of capping its whole flow at it (as Core Lightning's askrene does).
    #[arg(long)]
    pub htlc_max_per_part: bool,
    /// Flow unit of the solver, in msat.
    #[arg(long, default_value_t = pp_session::DEFAULT_QUANTUM.0)]
    pub quantum: u64,
    /// Fee budget: an amount (`500`, `500sat`, `1500msat`; 0 allows only fee-free routes), a
    /// share of the amount (`0.5%`), or `none`. Each round plans the most reliable flow within
    /// what is left of it; a payment stops only when even the cheapest plan found costs more
    /// [default: 0.5% of the amount, at least 5 sat].
    #[arg(long, value_name = "AMOUNT|PCT%|none", value_parser = input::fee_budget, allow_hyphen_values = true)]
    pub fee_budget: Option<FeeBudget>,
    /// At most this many parts per round.
    #[arg(long)]
    pub max_parts: Option<usize>,
    /// At most this many hops per path.
    #[arg(long)]
    pub max_hops: Option<usize>,
    /// At most this total CLTV delta per path (blocks).
    #[arg(long, default_value_t = pp_session::DEFAULT_MAX_TOTAL_CLTV)]
    pub max_cltv: u32,
    /// Treat the sender's own channels as uncertain too, as docs/MODEL.md §2's plain belief and
    /// the reference package do (by default the sender knows their balances, as a real node
    /// does; docs/MODEL.md §6).
    #[arg(long)]
    pub no_local_knowledge: bool,
}

/// The slope rule (clap side of [`SlopeRule`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Slopes {
    /// Exact secant of −ln P over each piece.
    Secant,
    /// The reference package's k/W rule.
    Linear,
}

impl PayOptions {
    /// The library parameters these options describe.
    pub fn params(&self) -> anyhow::Result<PayParams> {
        let base = if self.legacy_routing {
            PayParams::legacy()
        } else {
            PayParams::default()
        };
        let mut p = base
            .with_pieces(self.pieces)
            .with_slopes(match self.slopes {
                Slopes::Secant => SlopeRule::Secant,
                Slopes::Linear => SlopeRule::Linear,
            })
            .with_solver(&self.solver)
            .with_prune(self.prune)
            .with_limits(Limits {
                max_parts: self.max_parts,
                max_hops: self.max_hops,
                max_total_cltv: Some(self.max_cltv),
            });
        if let Some(r) = self.max_rounds {
            p = p.with_max_rounds(r);
        }
        if let Some(r) = self.max_stalled_rounds {
            p.max_stalled_rounds = r;
        }
        if let Some(x) = self.min_probability {
            p = p.with_min_plan_probability(x);
        }
        if let Some(x) = self.min_part_probability {
            p.min_part_probability = x;
        }
        if let Some(x) = self.min_expected_share {
            p.min_expected_share = x;
        }
        if let Some(x) = self.min_cut_probability {
            p.min_cut_probability = x;
        }
        if let Some(t) = self.base_fee_threshold {
            p = p.with_base_fee_threshold(Msat(t));
        }
        if self.no_base_fee_cost {
            p.base_fee_in_cost = false;
        }
        if self.strict_base_fee {
            p.base_fee_fallback = false;
        }
        p.quantum = Msat(self.quantum);
        if self.htlc_max_per_part {
            p.htlc_max_per_part = true;
        }
        p.local_knowledge = !self.no_local_knowledge;
        if let Some(mu) = self.mu {
            p = p.with_mu(mu);
        } else if let Some(f) = self.frugality {
            p = p.with_frugality(f);
        }
        if let Some(b) = self.fee_budget {
            p = p.with_fee_budget_rule(b);
        }
        pp_mcf::solver_by_name(&p.solver).map_err(|e| anyhow::anyhow!("--solver: {e}"))?;
        p.validate().map_err(input::session_error)?;
        Ok(p)
    }
}

/// Where the oracle's ground truth comes from.
#[derive(Debug, Clone, clap::Args)]
pub struct OracleOptions {
    /// Ground-truth balances CSV (`short_channel_id,source,liquidity_sat`, plain or gzip).
    #[arg(long, value_name = "CSV", conflicts_with = "seed")]
    pub balances: Option<PathBuf>,
    /// Draw balances uniformly at random with this seed (the default when no --balances).
    #[arg(long)]
    pub seed: Option<u64>,
}

impl OracleOptions {
    /// Whether the sender's balances are given (`--balances` or `--seed`). Without them a
    /// command that sends nothing (`pay --plan-only`, `mcf export`) does not invent them: the
    /// sender's channels are not pinned.
    pub fn balances_known(&self) -> bool {
        self.balances.is_some() || self.seed.is_some()
    }

    /// Builds the oracle over `graph`.
    pub fn oracle<'g>(&self, graph: &'g Graph) -> anyhow::Result<Oracle<'g>> {
        match &self.balances {
            Some(p) => Ok(Oracle::from_balances_path(graph, p)?),
            None => Ok(Oracle::random(graph, self.seed.unwrap_or(1))),
        }
    }
}

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
    pub pay: PayOptions,
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
            if p.base_fee_fallback { " (all channels)" } else { "" },
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
            if rd.base_fee_fallback { " (all channels)" } else { "" },
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
