//! The reports of a payment and of a plan (docs/MODEL.md §7).

use super::{ms, Payment, Plan, Run, Session};
use crate::attempt::AttemptStatus;
use crate::network::PaymentNetwork;
use crate::params::StopReason;
use crate::report::{AttemptCounts, PaymentReport, PlanReport};
use pp_graph::Msat;
use std::time::Instant;

impl<'g, N: PaymentNetwork> Session<'g, N> {
    /// The report of payment `p` that stopped with `stop`.
    pub(super) fn report(
        &self,
        p: Payment,
        stop: StopReason,
        run: Run,
        (entropy_before, entropy_after): (f64, f64),
        t0: Instant,
    ) -> PaymentReport {
        let Payment {
            strategy,
            from,
            to,
            amount,
        } = p;
        let g = self.graph;
        let success = stop == StopReason::Delivered;
        let mut counts = AttemptCounts {
            total: run.attempts.len(),
            ..AttemptCounts::default()
        };
        let mut fees = Msat::ZERO;
        for a in &run.attempts {
            match a.status {
                AttemptStatus::FailedAt { .. } => counts.failed += 1,
                AttemptStatus::Settled => {
                    counts.settled += 1;
                    fees = fees.saturating_add(a.fee);
                }
                AttemptStatus::Released => counts.released += 1,
                AttemptStatus::Planned | AttemptStatus::InFlight => {}
            }
        }
        let delivered = if success { amount } else { Msat::ZERO };
        PaymentReport {
            strategy: strategy.name().to_string(),
            sender: g.node_id(from),
            receiver: g.node_id(to),
            amount_msat: amount,
            success,
            stop_reason: stop,
            delivered_msat: delivered,
            residual_msat: Msat(amount.0 - delivered.0),
            rounds: run.rounds.len() as u32,
            attempt_counts: counts,
            fees_msat: fees,
            fee_ppm: if success {
                fees.0 as f64 * 1e6 / amount.0 as f64
            } else {
                0.0
            },
            entropy_before_bits: entropy_before,
            entropy_after_bits: entropy_after,
            solve_ms: run.solve_ms,
            total_ms: ms(t0),
            round_details: run.rounds,
            attempts: run.attempts.iter().map(|a| a.report(g)).collect(),
        }
    }

    /// The report of the plan for payment `p` (or why there is none), made in `solve_ms`.
    pub(super) fn plan_report(
        &self,
        p: Payment,
        planned: Result<Plan, StopReason>,
        solve_ms: f64,
    ) -> PlanReport {
        let Payment {
            strategy, amount, ..
        } = p;
        let g = self.graph;
        let mut report = PlanReport {
            strategy: strategy.name().to_string(),
            sender: g.node_id(p.from),
            receiver: g.node_id(p.to),
            amount_msat: amount,
            stop_reason: None,
            mu: 0.0,
            base_fee_fallback: false,
            htlc_max_fallback: self.split_htlc_max,
            probability: 0.0,
            planned_msat: Msat::ZERO,
            fee_msat: Msat::ZERO,
            fee_ppm: 0.0,
            solve_ms,
            attempts: Vec::new(),
            problem: self.first_solved,
        };
        match planned {
            Err(stop) => report.stop_reason = Some(stop),
            Ok(plan) => {
                // A plan the loop would not send (too dear, too improbable) is still shown.
                let budget = self.params.fee_budget.for_amount(amount);
                report.stop_reason = self.refuse_plan(strategy, &plan, &[], budget);
                let planned: u64 = plan.attempts.iter().map(|a| a.amount.0).sum();
                report.mu = plan.mu;
                report.base_fee_fallback = plan.fallback;
                report.probability = plan.probability;
                report.planned_msat = Msat(planned);
                report.fee_msat = plan.fee;
                report.fee_ppm = plan.fee.0 as f64 * 1e6 / planned.max(1) as f64;
                report.attempts = plan.attempts.iter().map(|a| a.report(g)).collect();
            }
        }
        report
    }
}
