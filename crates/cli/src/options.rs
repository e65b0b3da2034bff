//! The command-line options shared by several commands: [`RoutingOptions`] (the routing flags,
//! mapped to the library's [`PayParams`] in one place) and [`OracleOptions`] (where the simulated
//! network's ground truth comes from).

use crate::input;
use pp_graph::{Graph, Msat};
use pp_session::{FeeBudget, Limits, Oracle, PayParams};
use pp_uncertainty::SlopeRule;
use std::path::PathBuf;

/// The routing flags: everything that shapes how a payment is planned and when its loop stops,
/// one flag per concept, defaults taken from the library's constants. Flattened into `pay`,
/// `simulate`, `tune`, `mcf export` and `bench`; [`RoutingOptions::params`] is the one mapping to
/// [`PayParams`].
#[derive(Debug, Clone, clap::Args)]
pub struct RoutingOptions {
    /// Pieces of the piecewise linearization per channel direction.
    #[arg(long, default_value_t = pp_session::DEFAULT_PIECES)]
    pub pieces: u32,
    /// Fixed fee weight μ (0 = reliability only).
    #[arg(long, conflicts_with = "frugality", allow_negative_numbers = true)]
    pub mu: Option<f64>,
    /// Frugality factor: μ derived per payment (~0.1 prefers certainty, ~10 low fees) [default: 5].
    #[arg(long, allow_negative_numbers = true)]
    pub frugality: Option<f64>,
    /// Factor on μ in a payment's first round, sent on the prior belief (later rounds use μ; 1
    /// weighs fees alike in every round) [default: 4; 1 with --legacy-routing].
    #[arg(long, value_name = "FACTOR", allow_negative_numbers = true)]
    pub first_round_fee_weight: Option<f64>,
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
    /// [default: 16].
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
    /// Stop as infeasible when capping each direction's whole flow at its htlc_maximum_msat
    /// leaves too little room, instead of splitting parts at it for the rest of the payment
    /// (docs/MODEL.md, "Defaults chosen by measurement").
    #[arg(long)]
    pub strict_htlc_max: bool,
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

impl RoutingOptions {
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
        p.shape.quantum = Msat(self.quantum);
        if self.htlc_max_per_part {
            p.shape.htlc_max = pp_session::HtlcMaxRule::PerPart;
        }
        if self.strict_htlc_max {
            p.htlc_max_fallback = false;
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
        if let Some(w) = self.first_round_fee_weight {
            p.first_round_fee_weight = w;
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
    /// How seeded balances are drawn: `uniform` over each channel's capacity, or `bimodal`
    /// (depleted channels: the liquidity sits in the lowest or highest tenth, see
    /// `Oracle::bimodal`).
    #[arg(long, value_enum, default_value_t = Draw::Uniform, conflicts_with = "balances")]
    pub draw: Draw,
}

/// How `--seed` draws balances.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Draw {
    /// Uniform on `0..=capacity` per channel (`Oracle::random`).
    Uniform,
    /// Near one end of each channel: the lowest or highest 10 % of its capacity, each with
    /// probability 1/2 (`Oracle::bimodal`).
    Bimodal,
}

/// The share of a channel's capacity at each end that a bimodal draw uses.
pub const BIMODAL_EDGE_SHARE: f64 = 0.1;

impl Draw {
    /// The oracle drawn with `seed`.
    pub fn oracle<'g>(self, graph: &'g Graph, seed: u64) -> anyhow::Result<Oracle<'g>> {
        Ok(match self {
            Draw::Uniform => Oracle::random(graph, seed),
            Draw::Bimodal => Oracle::bimodal(graph, seed, BIMODAL_EDGE_SHARE)?,
        })
    }
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
            None => self.draw.oracle(graph, self.seed.unwrap_or(1)),
        }
    }
}
