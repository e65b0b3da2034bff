//! Parameters of the payment loop ([`PayParams`]) and why a payment stopped ([`StopReason`]).

use crate::attempt::Limits;
use crate::error::SessionError;
use pp_graph::{Msat, Ppm};
use pp_uncertainty::{HtlcMaxRule, LinearizeParams, PieceShape, SlopeRule};

/// How fees weigh against reliability in the flow cost (SPEC §3).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum FeeWeight {
    /// A fixed μ (nats per ppm-of-the-amount); 0 optimises reliability only.
    Mu(f64),
    /// μ derived per payment from a frugality factor by Core Lightning's rule
    /// ([`pp_uncertainty::mu_from_frugality`] on the payment amount): about 0.1 prefers
    /// certainty, about 10 prefers low fees.
    Frugality(f64),
}

/// The most a payment may pay in fees ([`PayParams::fee_budget`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum FeeBudget {
    /// No limit.
    Unlimited,
    /// At most this many msat in all.
    Fixed(Msat),
    /// At most `ppm` of the amount, but never less than `floor` (small payments may pay a few
    /// sat whatever their size): the budget of a payment of `A` msat is
    /// `max(floor(A · ppm / 10^6), floor)`.
    Proportional {
        /// Parts per million of the amount.
        ppm: Ppm,
        /// The least budget, whatever the amount.
        floor: Msat,
    },
}

impl FeeBudget {
    /// The default: 0.5 % of the amount, at least 5 sat. This is Core Lightning's `pay`
    /// default (`maxfeepercent` 0.5, `exemptfee` 5,000 msat); LDK's default is looser (1 % plus
    /// 50 sat). See docs/MODEL.md, "The fee budget".
    pub const DEFAULT: FeeBudget = FeeBudget::Proportional {
        ppm: Ppm(5_000),
        floor: Msat(5_000),
    };

    /// The budget in msat for a payment of `amount`, or `None` when unlimited.
    pub fn for_amount(self, amount: Msat) -> Option<Msat> {
        match self {
            FeeBudget::Unlimited => None,
            FeeBudget::Fixed(m) => Some(m),
            FeeBudget::Proportional { ppm, floor } => {
                let part = (amount.0 as u128 * ppm.0 as u128 / 1_000_000) as u64;
                Some(Msat(part.max(floor.0)))
            }
        }
    }
}

impl Default for FeeBudget {
    fn default() -> Self {
        FeeBudget::DEFAULT
    }
}

/// Parameters of [`crate::Session::pay`]. `Default` gives the documented defaults; the `with_*`
/// methods change one field each, so a custom set reads
/// `PayParams::default().with_pieces(7).with_max_rounds(10)`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PayParams {
    /// Fee weight. Default: `Frugality(5.0)` ([`DEFAULT_FRUGALITY`]), chosen on the
    /// success-versus-fee frontier measured with `pickhardt tune` and `simulate` (docs/MODEL.md,
    /// "Defaults chosen by measurement"); the reference and version 0.1 use 1.
    pub fee_weight: FeeWeight,
    /// How much more fees weigh in a payment's first round, as a factor on its μ: round 1 plans
    /// with `first_round_fee_weight × μ`, later rounds with μ. Default 4
    /// ([`DEFAULT_FIRST_ROUND_FEE_WEIGHT`]): the first plan is sent on the prior belief, a part
    /// that fails is retried with what its failure taught, so certainty bought in round 1 is
    /// often certainty the payment did not need; once a round failed, reliability weighs as
    /// usual. Measured on 900 seeded ln-2026 payments per amount it lowers the median fee over
    /// the payments the cheapest path also delivered from 1.85× to 1.58× the cheapest path's at
    /// 100k sat and from 1.42× to 1.13× at 1M, for 3–7 % more failed attempts (docs/MODEL.md
    /// §9.4). 1 weighs fees alike in every round (the rule before; also `legacy()`); finite and
    /// `>= 0`.
    #[cfg_attr(feature = "serde", serde(default = "default_first_round"))]
    pub first_round_fee_weight: f64,
    /// How each direction's cost is cut into pieces: pieces (default 5), slope rule (default
    /// secant), flow unit (default 1,000 msat), pruning (default off) and how
    /// `htlc_maximum_msat` caps a direction. Default [`HtlcMaxRule::PerDirection`]: a
    /// direction's whole flow is capped at it, as Core Lightning's askrene does. Measured on
    /// ln-2026 (docs/MODEL.md, "Defaults chosen by measurement"), [`HtlcMaxRule::PerPart`]
    /// (the 0.1 rule: parts above it are split, docs/MODEL.md §5) delivers no more payments but
    /// sends channels with a small `htlc_maximum_msat` dozens of parts each, which pay a base
    /// fee and may fail one by one (4× the failed attempts at 1M sat). These settings live
    /// across rounds; μ and the base-fee threshold are chosen per round.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub shape: PieceShape,
    /// Directions whose base fee exceeds this are left out of the flow problem. Default
    /// `Msat::MAX`: every channel takes part, its base fee inside the cost
    /// ([`PayParams::base_fee_in_cost`]). The reference package uses 0 msat, which on today's
    /// network leaves out most of the cheapest channels (docs/MODEL.md, "Base fees in the
    /// cost"). Fees are always charged exactly, base fee included.
    pub base_fee_threshold: Msat,
    /// Count each direction's base fee in the flow cost by its convex envelope
    /// (`pp_uncertainty::LinearizeParams::base_fee_in_cost`). Default `true`; `false` is the
    /// reference's cost, which sees only `fee_ppm`.
    #[cfg_attr(feature = "serde", serde(default = "default_true"))]
    pub base_fee_in_cost: bool,
    /// When leaving out base-fee channels makes a round infeasible or its best plan improbable
    /// (below [`PayParams::min_plan_probability`]), solve again with every channel. Default
    /// `true` (the reference package instead fails, or crashes, on such graphs). Matters only
    /// with a finite [`PayParams::base_fee_threshold`].
    pub base_fee_fallback: bool,
    /// When `htlc_maximum_msat` capping each direction's whole flow
    /// ([`HtlcMaxRule::PerDirection`]) leaves the belief unable to carry a round's residual,
    /// cap each part instead ([`HtlcMaxRule::PerPart`], parts split at the maximum, at most 10
    /// parts a round) for the rest of the payment. Default `true`: on ln-2026 with its balances
    /// (1,800 seeded payments at 100k and 1M sat) it delivers 640 of 647 feasible payments
    /// instead of 631, for 14 % more failed attempts (docs/MODEL.md, "Defaults chosen by
    /// measurement"). `false` stops such payments as infeasible. No effect with `PerPart`.
    #[cfg_attr(feature = "serde", serde(default = "default_true"))]
    pub htlc_max_fallback: bool,
    /// At most this many rounds, a safety net: payments normally end earlier, delivered, when
    /// the belief shows the residual cannot get through, or after
    /// [`PayParams::max_stalled_rounds`]. Default 100.
    pub max_rounds: u32,
    /// Stop after this many consecutive rounds that got less than 1 % of their residual (and
    /// less than one flow unit) more to the receiver. Each failure teaches the belief
    /// something, so a stalled payment is not stuck, but it is not getting closer either.
    /// Default 16 ([`DEFAULT_MAX_STALLED_ROUNDS`]): at 8 (the default before) two feasible
    /// ln-2020 payments stopped one or two rounds before they would have been delivered
    /// (docs/MODEL.md, "When the loop stops").
    #[cfg_attr(feature = "serde", serde(default = "default_stalled"))]
    pub max_stalled_rounds: u32,
    /// Stop when the best plan of a round succeeds with a probability below this (the chance
    /// that every part gets through at once). Default 0: a plan of many parts is improbable as a
    /// whole although the loop delivers it, retrying what fails (docs/MODEL.md, "When the loop
    /// stops"). The reference package uses 0.05.
    pub min_plan_probability: f64,
    /// Leave out of a round's plan the parts whose own success probability is below this; they
    /// go back into the residual, and a round left without parts stops the payment
    /// (`NoUsableRoute`). Default 0.05 ([`DEFAULT_MIN_PART_PROBABILITY`]): on ln-2020 it ends
    /// hopeless payments that otherwise creep on for dozens of rounds through near-certain
    /// failures; 0 keeps every part.
    #[cfg_attr(feature = "serde", serde(default))]
    pub min_part_probability: f64,
    /// Stop when a round's plan is expected to deliver less than this share of the residual
    /// (`Σ P_i · a_i / residual` over its parts `i`). Unlike the joint probability, this does
    /// not fall with the number of parts: a plan of 12 parts at 70 % each expects 70 %.
    /// Default 0 (never).
    #[cfg_attr(feature = "serde", serde(default))]
    pub min_expected_share: f64,
    /// Stop when no plan can beat this probability through the sender's or the receiver's
    /// channels alone (the best split of the residual over either cut, an upper bound on any
    /// plan's joint probability, found without solving). Default 0 (never).
    #[cfg_attr(feature = "serde", serde(default))]
    pub min_cut_probability: f64,
    /// The most the payment may pay in fees. A round plans the most reliable flow whose fees,
    /// with those of the parts already in flight, fit the budget (a μ search, docs/MODEL.md
    /// "The fee budget"), and the payment stops only when even the cheapest plan found exceeds
    /// it. Default [`FeeBudget::DEFAULT`] (0.5 %, at least 5 sat).
    #[cfg_attr(feature = "serde", serde(default))]
    pub fee_budget: FeeBudget,
    /// The min-cost-flow backend, by name (see `pp_mcf::solver_by_name`). Default `"native"`.
    pub solver: String,
    /// Limits on parts, hops and CLTV.
    pub limits: Limits,
    /// The sender knows its own channels' balances, as a real node does (Core Lightning's
    /// renepay reads them from `listpeerchannels`): at the start of each payment the belief of
    /// every listed direction leaving the sender is pinned to what the network reports
    /// ([`crate::PaymentNetwork::local_liquidity`]; nothing is pinned when it reports `None`).
    /// Default `true`, which goes beyond the SPEC; `false` gives the SPEC's (and the reference
    /// package's) behaviour, where the sender's own channels are as uncertain as any other.
    /// Applies to every [`Strategy`].
    #[cfg_attr(feature = "serde", serde(default = "default_true"))]
    pub local_knowledge: bool,
}

#[cfg(feature = "serde")]
fn default_true() -> bool {
    true
}

#[cfg(feature = "serde")]
fn default_first_round() -> f64 {
    DEFAULT_FIRST_ROUND_FEE_WEIGHT
}

#[cfg(feature = "serde")]
fn default_stalled() -> u32 {
    DEFAULT_MAX_STALLED_ROUNDS
}

/// Default frugality ([`PayParams::fee_weight`]): 5 (3 before issue 10's fee target was
/// measured on 900 payments per amount; docs/MODEL.md §9.4).
pub const DEFAULT_FRUGALITY: f64 = 5.0;
/// Default of [`PayParams::first_round_fee_weight`]: 4 (μ × 4 in a payment's first round).
pub const DEFAULT_FIRST_ROUND_FEE_WEIGHT: f64 = 4.0;
/// Default of [`PayParams::min_part_probability`]: 0.05.
pub const DEFAULT_MIN_PART_PROBABILITY: f64 = 0.05;
/// Default of [`PayParams::max_rounds`]: 100 rounds.
pub const DEFAULT_MAX_ROUNDS: u32 = 100;
/// Default of [`PayParams::max_stalled_rounds`]: 16 rounds.
pub const DEFAULT_MAX_STALLED_ROUNDS: u32 = 16;

impl Default for PayParams {
    fn default() -> Self {
        PayParams {
            fee_weight: FeeWeight::Frugality(DEFAULT_FRUGALITY),
            first_round_fee_weight: DEFAULT_FIRST_ROUND_FEE_WEIGHT,
            shape: PieceShape::default(),
            base_fee_threshold: Msat::MAX,
            base_fee_in_cost: true,
            base_fee_fallback: true,
            htlc_max_fallback: true,
            max_rounds: DEFAULT_MAX_ROUNDS,
            max_stalled_rounds: DEFAULT_MAX_STALLED_ROUNDS,
            min_plan_probability: 0.0,
            min_part_probability: DEFAULT_MIN_PART_PROBABILITY,
            min_expected_share: 0.0,
            min_cut_probability: 0.0,
            fee_budget: FeeBudget::DEFAULT,
            solver: "native".to_string(),
            limits: Limits::default(),
            local_knowledge: true,
        }
    }
}

impl PayParams {
    /// The one mapping from payment parameters to the linearizer's: a round's flow problem with
    /// fee weight `mu` over the directions whose base fee is at most `base_fee_threshold`, with
    /// these parameters' pieces, slopes, quantum, pruning and base-fee cost, `htlc_maximum_msat` per part unless
    /// configured otherwise, pieces cut at the demand (same optimum, fewer arcs). `pay`, `plan`, `mcf export` and
    /// `bench` all build their problems through it.
    pub fn linearize_params(&self, mu: f64, base_fee_threshold: Msat) -> LinearizeParams {
        LinearizeParams {
            shape: self.shape,
            mu,
            base_fee_threshold,
            cost_scale: None,
            cap_at_demand: true,
            base_fee_in_cost: self.base_fee_in_cost,
            source_uncapped: self.local_knowledge,
        }
    }

    /// The routing rules of version 0.1, taken from the reference package: base-fee channels
    /// left out (threshold 0 msat, with the fallback to all channels when that makes a round
    /// infeasible or improbable), no base fee in the cost, 15 rounds, a stop below 5 % joint
    /// plan probability, no part gate, frugality 1 in every round, no fee budget,
    /// `htlc_maximum_msat` per part. The other fields keep their defaults. (CLI:
    /// `--legacy-routing`.)
    pub fn legacy() -> Self {
        PayParams {
            base_fee_threshold: Msat::ZERO,
            base_fee_in_cost: false,
            max_rounds: 15,
            max_stalled_rounds: 15,
            min_plan_probability: 0.05,
            min_part_probability: 0.0,
            fee_weight: FeeWeight::Frugality(1.0),
            first_round_fee_weight: 1.0,
            fee_budget: FeeBudget::Unlimited,
            shape: PieceShape {
                htlc_max: HtlcMaxRule::PerPart,
                ..PieceShape::default()
            },
            ..PayParams::default()
        }
    }

    /// Sets a fixed μ.
    pub fn with_mu(mut self, mu: f64) -> Self {
        self.fee_weight = FeeWeight::Mu(mu);
        self
    }
    /// Sets a frugality factor (μ derived per payment).
    pub fn with_frugality(mut self, frugality: f64) -> Self {
        self.fee_weight = FeeWeight::Frugality(frugality);
        self
    }
    /// Sets the number of pieces.
    pub fn with_pieces(mut self, pieces: u32) -> Self {
        self.shape.pieces = pieces;
        self
    }
    /// Sets the slope rule.
    pub fn with_slopes(mut self, slopes: SlopeRule) -> Self {
        self.shape.slopes = slopes;
        self
    }
    /// Sets the base-fee threshold.
    pub fn with_base_fee_threshold(mut self, threshold: Msat) -> Self {
        self.base_fee_threshold = threshold;
        self
    }
    /// With a flow unit of `quantum` msat.
    pub fn with_quantum(mut self, quantum: Msat) -> Self {
        self.shape.quantum = quantum;
        self
    }

    /// Sets how `htlc_maximum_msat` caps a direction.
    pub fn with_htlc_max(mut self, rule: HtlcMaxRule) -> Self {
        self.shape.htlc_max = rule;
        self
    }
    /// Sets the whole piece shape at once.
    pub fn with_shape(mut self, shape: PieceShape) -> Self {
        self.shape = shape;
        self
    }
    /// Turns pruning on or off.
    pub fn with_prune(mut self, prune: bool) -> Self {
        self.shape.prune = prune;
        self
    }
    /// Sets the maximum number of rounds.
    pub fn with_max_rounds(mut self, rounds: u32) -> Self {
        self.max_rounds = rounds;
        self
    }
    /// Sets the minimum plan probability.
    pub fn with_min_plan_probability(mut self, p: f64) -> Self {
        self.min_plan_probability = p;
        self
    }
    /// Sets a fixed fee budget in msat.
    pub fn with_fee_budget(mut self, budget: Msat) -> Self {
        self.fee_budget = FeeBudget::Fixed(budget);
        self
    }
    /// Sets the fee budget rule ([`FeeBudget::Unlimited`] for none).
    pub fn with_fee_budget_rule(mut self, budget: FeeBudget) -> Self {
        self.fee_budget = budget;
        self
    }
    /// Sets the solver backend by name.
    pub fn with_solver(mut self, name: &str) -> Self {
        self.solver = name.to_string();
        self
    }
    /// Sets the part limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
    /// Turns the sender's knowledge of its own balances on or off.
    pub fn with_local_knowledge(mut self, on: bool) -> Self {
        self.local_knowledge = on;
        self
    }

    /// Checks every field's range.
    ///
    /// # Errors
    /// [`SessionError::InvalidParameter`] naming the first bad field.
    pub fn validate(&self) -> Result<(), SessionError> {
        let bad = |name, reason: String| Err(SessionError::InvalidParameter { name, reason });
        match self.fee_weight {
            FeeWeight::Mu(m) if !(m.is_finite() && m >= 0.0) => {
                return bad("mu", format!("{m} is not a finite number >= 0"))
            }
            FeeWeight::Frugality(f) if !(f.is_finite() && f >= 0.0) => {
                return bad("frugality", format!("{f} is not a finite number >= 0"))
            }
            _ => {}
        }
        let w = self.first_round_fee_weight;
        if !(w.is_finite() && w >= 0.0) {
            return bad(
                "first_round_fee_weight",
                format!("{w} is not a finite number >= 0"),
            );
        }
        if self.shape.pieces == 0 || self.shape.pieces > 255 {
            return bad("pieces", format!("{} is not in 1..=255", self.shape.pieces));
        }
        if self.shape.quantum == Msat::ZERO {
            return bad("quantum", "must be at least 1 msat".into());
        }
        if self.max_rounds == 0 {
            return bad("max_rounds", "must be at least 1".into());
        }
        if self.max_stalled_rounds == 0 {
            return bad("max_stalled_rounds", "must be at least 1".into());
        }
        if !(0.0..=1.0).contains(&self.min_cut_probability) {
            return bad(
                "min_cut_probability",
                format!("{} is not in 0..=1", self.min_cut_probability),
            );
        }
        if !(0.0..=1.0).contains(&self.min_expected_share) {
            return bad(
                "min_expected_share",
                format!("{} is not in 0..=1", self.min_expected_share),
            );
        }
        if !(0.0..=1.0).contains(&self.min_part_probability) {
            return bad(
                "min_part_probability",
                format!("{} is not in 0..=1", self.min_part_probability),
            );
        }
        if !(0.0..=1.0).contains(&self.min_plan_probability) {
            return bad(
                "min_plan_probability",
                format!("{} is not in 0..=1", self.min_plan_probability),
            );
        }
        if self.limits.max_parts == Some(0) {
            return bad("max_parts", "must be at least 1".into());
        }
        if self.limits.max_hops == Some(0) {
            return bad("max_hops", "must be at least 1".into());
        }
        Ok(())
    }
}

/// Why a payment stopped.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case", tag = "reason"))]
pub enum StopReason {
    /// Everything was delivered and settled.
    Delivered,
    /// The round limit was reached with an amount still undelivered.
    MaxRounds {
        /// The limit.
        rounds: u32,
    },
    /// The belief admits no flow of the residual amount: at most `max_flow` could be routed.
    Infeasible {
        /// What the belief still admits, rounded down to the flow unit: the solver's max-flow,
        /// or, when the sender's or the receiver's channels alone cannot carry the residual,
        /// what they can (an upper bound found without solving).
        max_flow: Msat,
        /// The residual amount that was asked for.
        residual: Msat,
    },
    /// The best plan of a round was too unlikely to succeed.
    LowProbability {
        /// Its success probability; or, when no plan needed to be solved, an upper bound on
        /// every plan's probability (what the sender's or the receiver's channels alone allow).
        probability: f64,
        /// The threshold.
        threshold: f64,
    },
    /// Even the cheapest plan found, with the fees of the parts already in flight, would
    /// exceed the budget.
    FeeBudget {
        /// The fees that plan would pay, with those in flight.
        fees: Msat,
        /// The budget.
        budget: Msat,
    },
    /// A round planned no part that could be sent (all violated HTLC or path limits).
    NoUsableRoute,
    /// The best plan of a round was expected to deliver too small a share of the residual
    /// ([`PayParams::min_expected_share`]).
    Unlikely {
        /// `Σ P_i · a_i / residual` of the plan.
        expected_share: f64,
        /// The threshold.
        threshold: f64,
    },
    /// This many consecutive rounds got nothing more to the receiver
    /// ([`PayParams::max_stalled_rounds`]).
    Stalled {
        /// The rounds without progress.
        rounds: u32,
    },
}

/// How a payment is routed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Strategy {
    /// Pickhardt payments: min-cost flow on the belief, many parts, rounds (SPEC §6).
    Mcf,
    /// A legacy router: one path, the cheapest by fees (Dijkstra), retried on failure with
    /// what the failure taught (a hop known not to hold the amount is avoided).
    Cheapest,
    /// LDK-like: one path, the most probable under the belief (Dijkstra on `−ln P`), retried on
    /// failure with what it learned.
    Probable,
    /// LDK's own router (`DefaultRouter` with a `ProbabilisticScorer`) in an LDK-like retry
    /// loop. Driven by the crate pp-ldk (`pp_ldk::simulate_ldk`); a [`crate::Session`] refuses it.
    Ldk,
    /// pp-ldk's `PickhardtRouter` in the same LDK-like retry loop as [`Strategy::Ldk`]. Driven by
    /// pp-ldk; a [`crate::Session`] refuses it.
    #[cfg_attr(feature = "serde", serde(rename = "mcf-ldk"))]
    McfLdk,
}

impl Strategy {
    /// All strategies, in table order.
    pub const ALL: [Strategy; 3] = [Strategy::Mcf, Strategy::Cheapest, Strategy::Probable];

    /// The strategies another crate drives (pp-ldk), which a [`crate::Session`] refuses.
    pub const EXTERNAL: [Strategy; 2] = [Strategy::Ldk, Strategy::McfLdk];

    /// Whether this strategy is driven outside pp-session (see [`Strategy::EXTERNAL`]).
    pub fn is_external(self) -> bool {
        Strategy::EXTERNAL.contains(&self)
    }

    /// The name used in reports and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Mcf => "mcf",
            Strategy::Cheapest => "cheapest",
            Strategy::Probable => "probable",
            Strategy::Ldk => "ldk",
            Strategy::McfLdk => "mcf-ldk",
        }
    }
}

/// `1234 sat`, or `1234.567 sat` when not a whole number of sat.
fn sat_text(m: Msat) -> String {
    format!("{} sat", m.sat_decimal())
}

/// In words, as the CLI prints it ("the belief admits only 10 sat of the remaining 20 sat").
impl std::fmt::Display for StopReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use StopReason as S;
        match self {
            S::Delivered => f.write_str("delivered"),
            S::MaxRounds { rounds } => write!(f, "{rounds} rounds without delivering everything"),
            S::Infeasible { max_flow, residual } => write!(
                f,
                "the belief admits only {} of the remaining {}",
                sat_text(*max_flow),
                sat_text(*residual)
            ),
            S::LowProbability {
                probability,
                threshold,
            } => write!(
                f,
                "best plan succeeds with P = {probability:.4} < {threshold}"
            ),
            S::FeeBudget { fees, budget } => write!(
                f,
                "the cheapest plan found costs {} msat in fees, above the budget of {} msat",
                fees.0, budget.0
            ),
            S::NoUsableRoute => f.write_str("no usable route"),
            S::Unlikely {
                expected_share,
                threshold,
            } => write!(
                f,
                "the best plan is expected to deliver {:.1} % of the residual, below {:.1} %",
                expected_share * 100.0,
                threshold * 100.0
            ),
            S::Stalled { rounds } => {
                write!(f, "{rounds} rounds in a row got nothing more through")
            }
        }
    }
}

impl std::fmt::Display for Strategy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Strategy {
    type Err = SessionError;
    fn from_str(s: &str) -> Result<Self, SessionError> {
        Strategy::ALL
            .into_iter()
            .chain(Strategy::EXTERNAL)
            .find(|k| k.name() == s)
            .ok_or_else(|| SessionError::InvalidParameter {
                name: "strategy",
                reason: format!("{s:?} is not one of mcf, cheapest, probable, ldk, mcf-ldk"),
            })
    }
}
