//! `PaymentReport` and `PlanReport`: the Rust reports with read-only attributes and `to_dict()`
//! (the same fields as the CLI's `--json`).

use crate::errors::to_python;
use pp_session::{PaymentReport, PlanReport, StopReason};
use pyo3::prelude::*;

/// The short name of a stop reason (`"delivered"`, `"infeasible"`, …), as in the JSON reports.
pub(crate) fn stop_name(r: &StopReason) -> String {
    serde_json::to_value(r)
        .ok()
        .and_then(|v| v.get("reason").and_then(|s| s.as_str().map(String::from)))
        .unwrap_or_else(|| "unknown".into())
}

/// What one payment did: outcome, rounds, attempts, fees, entropy, timings.
///
/// Amounts are msat; ``to_dict()`` gives every field, the rounds and each attempt's hops.
#[pyclass(name = "PaymentReport", module = "pickhardt", frozen)]
#[derive(Debug)]
pub struct PyPaymentReport {
    pub(crate) report: PaymentReport,
}

#[pymethods]
impl PyPaymentReport {
    /// Whether the whole amount was delivered.
    #[getter]
    fn success(&self) -> bool {
        self.report.success
    }
    /// Why the loop stopped (``"delivered"``, ``"infeasible"``, ``"stalled"``, …).
    #[getter]
    fn stop_reason(&self) -> String {
        stop_name(&self.report.stop_reason)
    }
    /// The stop reason in words.
    #[getter]
    fn stop_message(&self) -> String {
        self.report.stop_reason.to_string()
    }
    /// The strategy (``"mcf"``, ``"cheapest"``, ``"probable"``).
    #[getter]
    fn strategy(&self) -> &str {
        &self.report.strategy
    }
    /// Sender (hex public key).
    #[getter]
    fn sender(&self) -> String {
        self.report.sender.to_string()
    }
    /// Receiver (hex public key).
    #[getter]
    fn receiver(&self) -> String {
        self.report.receiver.to_string()
    }
    /// The amount asked for, msat.
    #[getter]
    fn amount_msat(&self) -> u64 {
        self.report.amount_msat.0
    }
    /// What reached the receiver, msat.
    #[getter]
    fn delivered_msat(&self) -> u64 {
        self.report.delivered_msat.0
    }
    /// What did not, msat.
    #[getter]
    fn residual_msat(&self) -> u64 {
        self.report.residual_msat.0
    }
    /// Rounds of the loop.
    #[getter]
    fn rounds(&self) -> u32 {
        self.report.rounds
    }
    /// Attempts (parts) sent, over all rounds.
    #[getter]
    fn attempts(&self) -> usize {
        self.report.attempt_counts.total
    }
    /// Attempts that failed.
    #[getter]
    fn failed_attempts(&self) -> usize {
        self.report.attempt_counts.failed
    }
    /// Attempts settled (the delivered parts).
    #[getter]
    fn settled_attempts(&self) -> usize {
        self.report.attempt_counts.settled
    }
    /// Fees paid, msat (the settled parts' fees, exact).
    #[getter]
    fn fees_msat(&self) -> u64 {
        self.report.fees_msat.0
    }
    /// Fees as parts per million of the delivered amount.
    #[getter]
    fn fee_ppm(&self) -> f64 {
        self.report.fee_ppm
    }
    /// Entropy of the belief before the payment, bits.
    #[getter]
    fn entropy_before_bits(&self) -> f64 {
        self.report.entropy_before_bits
    }
    /// Entropy of the belief after the payment, bits.
    #[getter]
    fn entropy_after_bits(&self) -> f64 {
        self.report.entropy_after_bits
    }
    /// What the payment taught the belief, bits (before − after).
    #[getter]
    fn entropy_learned_bits(&self) -> f64 {
        self.report.entropy_learned_bits()
    }
    /// Time spent in the min-cost-flow solver, ms.
    #[getter]
    fn solve_ms(&self) -> f64 {
        self.report.solve_ms
    }
    /// Wall time of the payment, ms.
    #[getter]
    fn total_ms(&self) -> f64 {
        self.report.total_ms
    }
    /// Every field as a dict (rounds and attempts with their hops included).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.report)
    }
    fn __repr__(&self) -> String {
        format!(
            "PaymentReport(success={}, delivered_msat={}, rounds={}, attempts={}, failed_attempts={}, fees_msat={}, stop_reason={:?})",
            if self.report.success { "True" } else { "False" },
            self.report.delivered_msat.0,
            self.report.rounds,
            self.report.attempt_counts.total,
            self.report.attempt_counts.failed,
            self.report.fees_msat.0,
            stop_name(&self.report.stop_reason)
        )
    }
}

/// How a payment would split in its first round, on the current belief; nothing sent.
#[pyclass(name = "PlanReport", module = "pickhardt", frozen)]
#[derive(Debug)]
pub struct PyPlanReport {
    pub(crate) report: PlanReport,
}

#[pymethods]
impl PyPlanReport {
    /// Sender (hex public key).
    #[getter]
    fn sender(&self) -> String {
        self.report.sender.to_string()
    }
    /// Receiver (hex public key).
    #[getter]
    fn receiver(&self) -> String {
        self.report.receiver.to_string()
    }
    /// The amount asked for, msat.
    #[getter]
    fn amount_msat(&self) -> u64 {
        self.report.amount_msat.0
    }
    /// What the plan carries, msat (less than the amount when it is infeasible or parts were
    /// left out).
    #[getter]
    fn planned_msat(&self) -> u64 {
        self.report.planned_msat.0
    }
    /// Why there is no complete plan (``None`` when there is one).
    #[getter]
    fn stop_reason(&self) -> Option<String> {
        self.report.stop_reason.as_ref().map(stop_name)
    }
    /// The μ used.
    #[getter]
    fn mu(&self) -> f64 {
        self.report.mu
    }
    /// Probability that every part succeeds at once.
    #[getter]
    fn probability(&self) -> f64 {
        self.report.probability
    }
    /// Fees of the plan, msat.
    #[getter]
    fn fee_msat(&self) -> u64 {
        self.report.fee_msat.0
    }
    /// Fees as ppm of the planned amount.
    #[getter]
    fn fee_ppm(&self) -> f64 {
        self.report.fee_ppm
    }
    /// Solver time, ms.
    #[getter]
    fn solve_ms(&self) -> f64 {
        self.report.solve_ms
    }
    /// Number of parts.
    #[getter]
    fn parts(&self) -> usize {
        self.report.attempts.len()
    }
    /// The parts as dicts (amount, fee, probability, hops).
    fn part_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.report.attempts)
    }
    /// Every field as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.report)
    }
    fn __repr__(&self) -> String {
        format!(
            "PlanReport(parts={}, planned_msat={}, probability={:.4}, fee_msat={})",
            self.report.attempts.len(),
            self.report.planned_msat.0,
            self.report.probability,
            self.report.fee_msat.0
        )
    }
}
