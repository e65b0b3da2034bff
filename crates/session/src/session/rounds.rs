//! The payment loop's rounds and the rules that stop it (docs/MODEL.md §6, §9.3): plan the
//! residual, refuse a plan (no part, over the fee budget, unlikely), send, and stop when
//! delivered, stalled or out of rounds.

use super::{external, ms, Leg, Payment, Plan, Run, Session};
use crate::attempt::{Attempt, AttemptStatus};
use crate::baseline::RouteKind;
use crate::error::SessionError;
use crate::network::PaymentNetwork;
use crate::params::{StopReason, Strategy};
use crate::report::RoundReport;
use pp_graph::Msat;
use std::time::Instant;

impl<'g, N: PaymentNetwork> Session<'g, N> {
    /// Why a round's plan is not sent: no part at all, fees beyond the budget (with the fees of
    /// the payment's `earlier` attempts still in flight), or, for the flow strategy, a
    /// probability below the threshold.
    pub(super) fn refuse_plan(
        &self,
        strategy: Strategy,
        plan: &Plan,
        earlier: &[Attempt],
        budget: Option<Msat>,
    ) -> Option<StopReason> {
        if plan.attempts.is_empty() {
            return Some(StopReason::NoUsableRoute);
        }
        if let Some(budget) = budget {
            let fees = Self::in_flight_fees(earlier).saturating_add(plan.fee);
            if fees > budget {
                return Some(StopReason::FeeBudget { fees, budget });
            }
        }
        if strategy == Strategy::Mcf && self.params.min_expected_share > 0.0 {
            let residual = plan.residual.0.max(1) as f64;
            let expected: f64 = plan
                .attempts
                .iter()
                .map(|a| a.probability * a.amount.0 as f64)
                .sum::<f64>()
                / residual;
            if expected < self.params.min_expected_share {
                return Some(StopReason::Unlikely {
                    expected_share: expected,
                    threshold: self.params.min_expected_share,
                });
            }
        }
        if strategy == Strategy::Mcf && plan.probability < self.params.min_plan_probability {
            return Some(StopReason::LowProbability {
                probability: plan.probability,
                threshold: self.params.min_plan_probability,
            });
        }
        None
    }

    /// The fees of the attempts in flight (what the payment pays if they settle).
    pub(super) fn in_flight_fees(attempts: &[Attempt]) -> Msat {
        Msat(
            attempts
                .iter()
                .filter(|a| a.status == AttemptStatus::InFlight)
                .map(|a| a.fee.0)
                .sum(),
        )
    }

    pub(super) fn in_flight_amount(run: &Run) -> Msat {
        Msat(
            run.attempts
                .iter()
                .filter(|a| a.status == AttemptStatus::InFlight)
                .map(|a| a.amount.0)
                .sum(),
        )
    }

    pub(super) fn rounds(&mut self, p: Payment, run: &mut Run) -> Result<StopReason, SessionError> {
        let Payment {
            strategy,
            from,
            to,
            amount,
        } = p;
        // μ matters to the flow strategy only (the baselines ignore it).
        let mu = match strategy {
            Strategy::Mcf => self.mu_for(amount)?,
            Strategy::Cheapest | Strategy::Probable | Strategy::Ldk | Strategy::McfLdk => 0.0,
        };
        let budget = self.params.fee_budget.for_amount(amount);
        let mut fallback_needed = false;
        let mut stalled = 0;
        for round in 1..=self.params.max_rounds {
            let t_round = Instant::now();
            let in_flight = Self::in_flight_amount(run);
            let residual = Msat(amount.0 - in_flight.0);
            let t_solve = Instant::now();
            let leg = Leg {
                from,
                to,
                residual,
                round,
            };
            let planned = match strategy {
                Strategy::Mcf => {
                    let left = budget
                        .map(|b| Msat(b.0.saturating_sub(Self::in_flight_fees(&run.attempts).0)));
                    self.plan_flow(leg, self.round_mu(mu, round), &mut fallback_needed, left)?
                }
                Strategy::Cheapest => self.plan_single(RouteKind::Cheapest, leg)?,
                Strategy::Probable => self.plan_single(RouteKind::Probable, leg)?,
                Strategy::Ldk | Strategy::McfLdk => return Err(external(strategy)),
            };
            let solve_ms = ms(t_solve);
            run.solve_ms += solve_ms;
            let plan = match planned {
                Ok(plan) => plan,
                Err(stop) => return Ok(stop),
            };
            if let Some(stop) = self.refuse_plan(strategy, &plan, &run.attempts, budget) {
                return Ok(stop);
            }
            let (n, mut failed) = (plan.attempts.len(), 0);
            for attempt in plan.attempts {
                run.attempts.push(attempt);
                let a = run.attempts.last_mut().expect("just pushed");
                self.send(a)?;
                if matches!(a.status, AttemptStatus::FailedAt { .. }) {
                    failed += 1;
                }
            }
            run.rounds.push(RoundReport {
                round,
                residual_msat: residual,
                mu: plan.mu,
                base_fee_fallback: plan.fallback,
                htlc_max_fallback: self.split_htlc_max,
                probability: plan.probability,
                fee_msat: plan.fee,
                attempts: n,
                failed,
                solve_ms,
                total_ms: ms(t_round),
            });
            let now = Self::in_flight_amount(run);
            if now == amount {
                return Ok(StopReason::Delivered);
            }
            // Progress is at least 1 % of the round's residual (and one flow unit) more at the
            // receiver; a round whose parts all failed taught the belief something but got no
            // closer, and one that moved a few sat of a large residual hardly did.
            let step = (residual.0 / 100)
                .max(self.params.shape.quantum.0)
                .min(residual.0);
            stalled = if now.0 - in_flight.0 >= step {
                0
            } else {
                stalled + 1
            };
            if stalled >= self.params.max_stalled_rounds {
                return Ok(StopReason::Stalled { rounds: stalled });
            }
        }
        Ok(StopReason::MaxRounds {
            rounds: self.params.max_rounds,
        })
    }
}
