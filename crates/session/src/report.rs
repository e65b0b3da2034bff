//! The [`PaymentReport`] a payment returns: outcome, amounts, fees, learning, timing and every
//! attempt. Serde-serializable (it is what `pickhardt pay --json` prints).
//!
//! Timing fields are measured with `std::time::Instant` for information only; nothing in the
//! loop depends on them, so two runs differ only in those fields.

use crate::attempt::{AttemptStatus, Hop};
use crate::params::StopReason;
use pp_graph::{Msat, NodeId};

/// How many attempts ended in each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AttemptCounts {
    /// All attempts sent.
    pub total: usize,
    /// Failed at some hop.
    pub failed: usize,
    /// Settled (only on success).
    pub settled: usize,
    /// Reached the receiver but released because the payment failed.
    pub released: usize,
}

/// One round of the loop.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RoundReport {
    /// 1-based round number.
    pub round: u32,
    /// The amount still to deliver when the round started.
    pub residual_msat: Msat,
    /// The μ the round's flow problem used.
    pub mu: f64,
    /// Whether the round had to include channels above the base-fee threshold.
    pub base_fee_fallback: bool,
    /// Whether the round capped `htlc_maximum_msat` per part, because capping each direction's
    /// whole flow left the payment infeasible (`PayParams::htlc_max_fallback`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub htlc_max_fallback: bool,
    /// The planned success probability of all the round's attempts together.
    pub probability: f64,
    /// The fees of the round's attempts.
    pub fee_msat: Msat,
    /// Attempts sent in this round.
    pub attempts: usize,
    /// Of which failed.
    pub failed: usize,
    /// Time building and solving the flow problem and decomposing it (ms).
    pub solve_ms: f64,
    /// Time for the whole round (ms).
    pub total_ms: f64,
}

/// One attempt as reported.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AttemptReport {
    /// The round that sent it.
    pub round: u32,
    /// Amount delivered to the receiver if it succeeds.
    pub amount_msat: Msat,
    /// Its fee (sum of the forwarding nodes' fees).
    pub fee_msat: Msat,
    /// Planned success probability.
    pub probability: f64,
    /// Its fate.
    pub outcome: AttemptStatus,
    /// The hops: channel, nodes, forwarded amount and fee.
    pub hops: Vec<Hop>,
}

/// Everything about one payment.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PaymentReport {
    /// The strategy that made it (`mcf`, `cheapest`, `probable`).
    pub strategy: String,
    /// The sender.
    pub sender: NodeId,
    /// The receiver.
    pub receiver: NodeId,
    /// The amount asked for.
    pub amount_msat: Msat,
    /// Whether everything was delivered.
    pub success: bool,
    /// Why the loop stopped.
    pub stop_reason: StopReason,
    /// Delivered (settled) amount: the whole amount on success, 0 otherwise.
    pub delivered_msat: Msat,
    /// `amount − delivered`.
    pub residual_msat: Msat,
    /// Rounds run.
    pub rounds: u32,
    /// Attempts by status.
    pub attempt_counts: AttemptCounts,
    /// Fees paid (settled attempts only).
    pub fees_msat: Msat,
    /// Fees paid per million of the delivered amount (0 when nothing was delivered).
    pub fee_ppm: f64,
    /// The belief's total entropy before the payment (bits), measured after the sender's own
    /// channels were pinned ([`crate::PayParams::local_knowledge`]), so that the entropy
    /// learned is what the attempts taught.
    pub entropy_before_bits: f64,
    /// The belief's total entropy after the payment (bits).
    pub entropy_after_bits: f64,
    /// Total time spent building and solving flow problems (ms).
    pub solve_ms: f64,
    /// Total time of the payment (ms).
    pub total_ms: f64,
    /// Per-round details.
    pub round_details: Vec<RoundReport>,
    /// Every attempt sent, in order.
    pub attempts: Vec<AttemptReport>,
}

impl PaymentReport {
    /// Entropy learned (bits): before minus after.
    pub fn entropy_learned_bits(&self) -> f64 {
        self.entropy_before_bits - self.entropy_after_bits
    }
}

/// What the first round of a payment would send, computed without sending anything
/// ([`crate::Session::plan`]): the answer to "how would this payment split?".
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PlanReport {
    /// The strategy that planned it (`mcf`, `cheapest`, `probable`).
    pub strategy: String,
    /// The sender.
    pub sender: NodeId,
    /// The receiver.
    pub receiver: NodeId,
    /// The amount asked for.
    pub amount_msat: Msat,
    /// Why a payment would not send this round: no plan at all (infeasible on the belief, no
    /// usable route; then `attempts` is empty), or a plan it would refuse (below the probability
    /// threshold, over the fee budget; `attempts` shows it). `None` when the plan would be sent.
    pub stop_reason: Option<StopReason>,
    /// The μ of the plan's flow problem (0 for the single-path baselines).
    pub mu: f64,
    /// Whether the plan had to include channels above the base-fee threshold.
    pub base_fee_fallback: bool,
    /// Whether the plan capped `htlc_maximum_msat` per part, because capping each direction's
    /// whole flow left the payment infeasible (`PayParams::htlc_max_fallback`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub htlc_max_fallback: bool,
    /// The planned success probability of all parts together (0 without a plan).
    pub probability: f64,
    /// The amount the parts deliver together (can be below the amount when parts had to give
    /// up some msat to fit exactly known channels; a payment routes that in its next round).
    pub planned_msat: Msat,
    /// The fees of all parts.
    pub fee_msat: Msat,
    /// Fees per million of the planned amount (0 without a plan).
    pub fee_ppm: f64,
    /// Time building and solving the flow problem and decomposing it (ms).
    pub solve_ms: f64,
    /// The parts (status `planned`), each with its hops.
    pub attempts: Vec<AttemptReport>,
    /// The first flow problem the plan solved (for the flow strategy; `None` when none was
    /// solved; infeasible problems tried before it do not count): the problem `mcf export`
    /// writes for the same request and parameters ([`crate::Session::planned_problem`]).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub problem: Option<ProblemSummary>,
}

/// The size and optimal cost of a solved flow problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ProblemSummary {
    /// Nodes of the problem.
    pub nodes: usize,
    /// Arcs of the problem.
    pub arcs: usize,
    /// The optimal integer cost, as `pickhardt mcf solve` prints it for the exported problem.
    pub cost: i128,
}
