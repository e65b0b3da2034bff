//! Simulation: many payments on an [`Oracle`], each strategy on the same seeded payments, and
//! their statistics.
//!
//! Payments go between seeded random pairs of distinct nodes of the largest strongly connected
//! component (over active directions), the same pairs for every amount and strategy. Each row of
//! amounts ([`AmountSpec`]) is either one fixed amount or a log-uniform distribution from which
//! every payment draws its own amount (seeded; the same draws for every strategy). For each
//! payment the oracle's true max-flow between the pair says whether it was possible at all
//! (*feasible*).
//!
//! Two modes:
//! - **independent** (default): every payment starts from the prior belief and the original
//!   balances. Payments are independent and run in parallel with rayon.
//! - **sequential** (`drift` and/or `keep_belief`): one run per strategy and amount goes through
//!   the payments in order, letting settlements move the oracle's balances (`drift`) and, with
//!   `keep_belief`, keeping the belief across payments. A kept belief implies drift: the belief
//!   follows every settlement, so restoring the old balances behind its back would leave it
//!   believing in liquidity that moved back (it would no longer contain the truth).
//!   Runs go in parallel.
//!
//! **Determinism:** each payment (or run) starts from its own prior belief (or the run's kept
//! one) and its own copy of the balances, and results are collected in input order, so the
//! records are identical whatever the thread count, except the measured times. (In independent
//! mode each worker reuses one session, reset before every payment, so the flow model stays
//! warm; it is built by [`Session::warm_up`] before any payment is timed.)
//!
//! **Timing:** a record's `ms` is the wall time of [`Session::pay_nodes`] only (not the
//! feasibility max-flow, not resetting the belief or the balances).

use crate::error::SessionError;
use crate::oracle::Oracle;
use crate::params::{PayParams, StopReason, Strategy};
use crate::session::Session;
use pp_graph::{Msat, NodeId, NodeIdx, MAX_SUPPLY_SAT};
use pp_uncertainty::Belief;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// The amounts of one row of a simulation: every payment the same, or each drawn from a
/// distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum AmountSpec {
    /// Every payment sends this amount.
    Fixed(Msat),
    /// Each payment sends an amount drawn log-uniformly from `min..=max` (`1 <= min < max`,
    /// `max` at most 21 million BTC): `floor(exp(U))` with `U` uniform on
    /// `[ln min, ln(max + 1))`, so every decade between the bounds gets as many payments and
    /// `P(k) = ln((k + 1) / k) / ln((max + 1) / min)` for each amount `k` msat.
    LogUniform {
        /// The smallest amount.
        min: Msat,
        /// The largest amount.
        max: Msat,
    },
}

impl From<Msat> for AmountSpec {
    fn from(amount: Msat) -> Self {
        AmountSpec::Fixed(amount)
    }
}

impl AmountSpec {
    /// The smallest amount it can give.
    pub fn min(self) -> Msat {
        match self {
            AmountSpec::Fixed(a) | AmountSpec::LogUniform { min: a, .. } => a,
        }
    }

    /// The largest amount it can give.
    pub fn max(self) -> Msat {
        match self {
            AmountSpec::Fixed(a) | AmountSpec::LogUniform { max: a, .. } => a,
        }
    }

    /// Checks the bounds: every amount at least 1 msat and at most 21 million BTC; a
    /// distribution's `min` below its `max`.
    ///
    /// # Errors
    /// [`SessionError::InvalidParameter`] naming `amounts`.
    pub fn validate(self) -> Result<(), SessionError> {
        let bad = |reason: String| {
            Err(SessionError::InvalidParameter {
                name: "amounts",
                reason,
            })
        };
        for a in [self.min(), self.max()] {
            if a == Msat::ZERO {
                return bad("an amount must be at least 1 msat".into());
            }
            if a.0 / 1000 > MAX_SUPPLY_SAT {
                return bad(format!("{} msat is above the 21 million BTC supply", a.0));
            }
        }
        if let AmountSpec::LogUniform { min, max } = self {
            if min >= max {
                return bad(format!(
                    "the range {}..{} msat needs its lower bound below the upper",
                    min.0, max.0
                ));
            }
        }
        Ok(())
    }

    /// The amounts of `count` payments of row `row` of a simulation seeded with `seed`: `count`
    /// copies of a fixed amount, or `count` draws of ChaCha8 seeded with `seed` on stream
    /// `1 + row` (the payment pairs use stream 0), so the draws depend only on the seed and the
    /// row, not on the strategies, the other rows or the thread count. Every draw is inside
    /// `min..=max`. The bounds are not checked here ([`AmountSpec::validate`]); a distribution
    /// whose `min` is 0 draws from 1 msat.
    ///
    /// # Complexity
    /// O(count).
    pub fn amounts(self, count: usize, seed: u64, row: usize) -> Vec<Msat> {
        match self {
            AmountSpec::Fixed(a) => vec![a; count],
            AmountSpec::LogUniform { min, max } => {
                let (lo, hi) = (min.0.max(1), max.0.max(min.0.max(1)));
                let (ln_lo, ln_hi) = ((lo as f64).ln(), (hi as f64 + 1.0).ln());
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                rng.set_stream(1 + row as u64);
                (0..count)
                    .map(|_| {
                        let u: f64 = rng.gen();
                        let x = (ln_lo + u * (ln_hi - ln_lo)).exp().floor();
                        // `as` saturates; the clamp covers rounding at the ends.
                        Msat((x as u64).clamp(lo, hi))
                    })
                    .collect()
            }
        }
    }
}

/// What to simulate.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SimulationParams {
    /// Payments per amount row.
    pub payments: usize,
    /// The amount rows; each is paid between the same pairs (a distribution draws one amount
    /// per pair, the same for every strategy).
    pub amounts: Vec<AmountSpec>,
    /// Seed of the pair selection.
    pub seed: u64,
    /// Strategies to compare.
    pub strategies: Vec<Strategy>,
    /// Keep the belief from one payment to the next (sequential mode; implies `drift`).
    pub keep_belief: bool,
    /// Let settlements move the oracle's balances instead of restoring them after each payment
    /// (sequential mode).
    pub drift: bool,
    /// Parameters of every payment.
    pub pay: PayParams,
    /// Worker threads; `None` uses rayon's global pool (one per core). Results do not depend on
    /// it.
    pub threads: Option<usize>,
}

impl Default for SimulationParams {
    fn default() -> Self {
        SimulationParams {
            payments: 100,
            amounts: vec![AmountSpec::Fixed(Msat(100_000_000))],
            seed: 1,
            strategies: Strategy::ALL.to_vec(),
            keep_belief: false,
            drift: false,
            pay: PayParams::default(),
            threads: None,
        }
    }
}

/// One simulated payment.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PaymentRecord {
    /// Strategy.
    pub strategy: Strategy,
    /// The row of [`SimulationParams::amounts`] it belongs to (0-based).
    pub amount_row: usize,
    /// Amount.
    pub amount_msat: Msat,
    /// Index of the pair (0-based).
    pub index: usize,
    /// Sender.
    pub sender: NodeId,
    /// Receiver.
    pub receiver: NodeId,
    /// Whether the oracle's true max-flow covered the amount when the payment started.
    pub feasible: bool,
    /// Whether it was delivered.
    pub success: bool,
    /// Why it stopped.
    pub stop_reason: StopReason,
    /// Rounds.
    pub rounds: u32,
    /// Attempts sent.
    pub attempts: usize,
    /// Attempts that failed.
    pub failed_attempts: usize,
    /// Fees paid.
    pub fee_msat: Msat,
    /// Fees in ppm of the amount (successful payments only).
    pub fee_ppm: Option<f64>,
    /// Entropy learned (bits).
    pub entropy_learned_bits: f64,
    /// Wall time of the payment (ms).
    pub ms: f64,
}

/// Statistics of one strategy at one amount.
///
/// Which payments each median is over: rounds, attempts and fee are medians over the payments
/// that **succeeded** (a payment found infeasible stops before sending anything, so counting it
/// would only dilute them); the time per payment is the median over **all** payments (what a run
/// costs) and, beside it, over the **feasible** ones (true max-flow ≥ amount). A median of an
/// even count is the mean of the two middle values.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StrategySummary {
    /// Strategy name.
    pub strategy: Strategy,
    /// The amount in sat (rounded down), or for a distribution its lower bound.
    pub amount_sat: u64,
    /// For a distribution ([`AmountSpec::LogUniform`]): its upper bound in sat (rounded down);
    /// absent for a fixed amount.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub amount_max_sat: Option<u64>,
    /// Payments made.
    pub payments: usize,
    /// Of which feasible (true max-flow ≥ amount).
    pub feasible: usize,
    /// Succeeded.
    pub succeeded: usize,
    /// Succeeded among the feasible ones.
    pub succeeded_feasible: usize,
    /// `succeeded / payments`.
    pub success_rate: f64,
    /// `succeeded_feasible / feasible` (1 when none is feasible).
    pub success_rate_feasible: f64,
    /// Median rounds over the successful payments (0 when none succeeded).
    pub median_rounds: f64,
    /// Median attempts sent (failed ones included) over the successful payments (0 when none
    /// succeeded).
    pub median_attempts: f64,
    /// Failed attempts, in total over all payments.
    pub failed_attempts: usize,
    /// Median fee in ppm over the successful payments (`None` if none succeeded).
    pub median_fee_ppm: Option<f64>,
    /// Mean entropy learned per payment, over all payments (bits).
    pub mean_entropy_learned_bits: f64,
    /// Median wall time per payment over all payments (ms).
    pub median_ms_per_payment: f64,
    /// Median wall time per payment over the feasible payments (ms; `None` if none was
    /// feasible).
    pub median_ms_per_feasible_payment: Option<f64>,
}

/// The result of [`simulate`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SimulationReport {
    /// Every payment, ordered by amount row, then strategy, then pair.
    pub records: Vec<PaymentRecord>,
    /// One row per amount row and strategy, in the same order.
    pub summary: Vec<StrategySummary>,
    /// Every pair of strategies per amount row, compared on the payments both delivered
    /// ([`crate::compare_pairs`]).
    #[cfg_attr(feature = "serde", serde(default))]
    pub paired: Vec<crate::PairedSummary>,
}

/// `count` seeded (sender, receiver) pairs of distinct nodes drawn uniformly from `nodes`, or
/// an empty list when fewer than two nodes are given.
pub fn random_pairs(nodes: &[NodeIdx], count: usize, seed: u64) -> Vec<(NodeIdx, NodeIdx)> {
    if nodes.len() < 2 {
        return Vec::new();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..count)
        .map(|_| {
            let s = rng.gen_range(0..nodes.len());
            let mut t = rng.gen_range(0..nodes.len() - 1);
            if t >= s {
                t += 1;
            }
            (nodes[s], nodes[t])
        })
        .collect()
}

fn record(
    strategy: Strategy,
    (row, amount): (usize, Msat),
    index: usize,
    feasible: bool,
    r: &crate::PaymentReport,
) -> PaymentRecord {
    PaymentRecord {
        strategy,
        amount_row: row,
        amount_msat: amount,
        index,
        sender: r.sender,
        receiver: r.receiver,
        feasible,
        success: r.success,
        stop_reason: r.stop_reason,
        rounds: r.rounds,
        attempts: r.attempt_counts.total,
        failed_attempts: r.attempt_counts.failed,
        fee_msat: r.fees_msat,
        fee_ppm: r.success.then_some(r.fee_ppm),
        entropy_learned_bits: r.entropy_learned_bits(),
        ms: r.total_ms,
    }
}

/// Runs the simulation (see the module docs). `progress` is called once per finished payment
/// (from any thread).
///
/// # Errors
/// Invalid parameters (no amount, an amount of 0 or above the supply, bad payment parameters),
/// a graph whose largest strongly connected component has fewer than two nodes, or a payment
/// error (which would be a bug: the oracle is truthful).
pub fn simulate(
    oracle: &Oracle<'_>,
    params: &SimulationParams,
    progress: &(dyn Fn() + Sync),
) -> Result<SimulationReport, SessionError> {
    match params.threads {
        None => simulate_in_pool(oracle, params, progress),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map_err(|e| SessionError::InvalidParameter {
                name: "threads",
                reason: e.to_string(),
            })?
            .install(|| simulate_in_pool(oracle, params, progress)),
    }
}

fn simulate_in_pool(
    oracle: &Oracle<'_>,
    params: &SimulationParams,
    progress: &(dyn Fn() + Sync),
) -> Result<SimulationReport, SessionError> {
    let graph = oracle.graph();
    params.pay.validate()?;
    for spec in &params.amounts {
        spec.validate()?;
    }
    if params.amounts.is_empty() || params.strategies.is_empty() {
        return Err(SessionError::InvalidParameter {
            name: "amounts/strategies",
            reason: "need at least one amount and one strategy".into(),
        });
    }
    if oracle.has_in_flight() {
        return Err(SessionError::InvalidParameter {
            name: "oracle",
            reason: "has HTLCs in flight".into(),
        });
    }
    let scc = pp_graph::largest_scc(graph);
    if scc.len() < 2 {
        return Err(SessionError::InvalidParameter {
            name: "graph",
            reason: format!(
                "its largest strongly connected component has {} node(s); need two",
                scc.len()
            ),
        });
    }
    let pairs = random_pairs(&scc, params.payments, params.seed);
    let mut records = Vec::new();
    for (row, spec) in params.amounts.iter().enumerate() {
        let amounts = spec.amounts(pairs.len(), params.seed, row);
        let amounts = &amounts;
        let rows: Vec<Result<Vec<PaymentRecord>, SessionError>> =
            if params.keep_belief || params.drift {
                params
                    .strategies
                    .par_iter()
                    .map(|&k| run_sequential(oracle, params, &pairs, k, (row, amounts), progress))
                    .collect()
            } else {
                let feasible: Vec<bool> = pairs
                    .par_iter()
                    .zip(amounts)
                    .map(|(&(s, t), &amount)| oracle.can_carry(s, t, amount))
                    .collect();
                let tasks: Vec<(Strategy, usize)> = params
                    .strategies
                    .iter()
                    .flat_map(|&k| (0..pairs.len()).map(move |i| (k, i)))
                    .collect();
                // One session per worker, reset to the prior belief and the original balances
                // before each payment (cheaper than a new one: the flow model stays warm).
                tasks
                    .par_iter()
                    .map_init(
                        || {
                            let mut s =
                                Session::new(graph, oracle.clone()).with_params(params.pay.clone());
                            s.warm_up();
                            s
                        },
                        |session, &(k, i)| {
                            let ((s, t), amount) = (pairs[i], amounts[i]);
                            session.belief_mut().forget();
                            session.network_mut().restore_from(oracle)?;
                            let r = session.pay_nodes(k, s, t, amount)?;
                            progress();
                            Ok(vec![record(k, (row, amount), i, feasible[i], &r)])
                        },
                    )
                    .collect()
            };
        for r in rows {
            records.extend(r?);
        }
    }
    let summary = summarize(&records, &params.amounts, &params.strategies);
    let paired = crate::compare_pairs(&records, &params.amounts, &params.strategies);
    Ok(SimulationReport {
        records,
        summary,
        paired,
    })
}

/// One sequential run of `strategy` over the pairs, pair `i` paying `amounts[i]`.
fn run_sequential(
    oracle: &Oracle<'_>,
    params: &SimulationParams,
    pairs: &[(NodeIdx, NodeIdx)],
    strategy: Strategy,
    (row, amounts): (usize, &[Msat]),
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<PaymentRecord>, SessionError> {
    let graph = oracle.graph();
    let mut session = Session::with_belief(graph, Belief::new(graph), oracle.clone())
        .with_params(params.pay.clone());
    session.warm_up();
    let mut out = Vec::with_capacity(pairs.len());
    for (i, (&(s, t), &amount)) in pairs.iter().zip(amounts).enumerate() {
        if !params.keep_belief {
            session.belief_mut().forget();
        }
        let feasible = session.network().can_carry(s, t, amount);
        let r = session.pay_nodes(strategy, s, t, amount)?;
        if !(params.drift || params.keep_belief) {
            session.network_mut().restore_from(oracle)?;
        }
        out.push(record(strategy, (row, amount), i, feasible, &r));
        progress();
    }
    Ok(out)
}

/// The median of `v` (the mean of the two middle values for an even count); `None` when empty.
/// Every median of this crate's summaries is this one; it is public so that tools summarising
/// records themselves (the CLI's `bench` and `tune`) agree with them.
pub fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    })
}

/// Aggregates records per amount row ([`PaymentRecord::amount_row`] indexes `amounts`) and
/// strategy, in the order given; see [`StrategySummary`] for which payments each median is over.
pub fn summarize(
    records: &[PaymentRecord],
    amounts: &[AmountSpec],
    strategies: &[Strategy],
) -> Vec<StrategySummary> {
    let mut out = Vec::new();
    for (row, &spec) in amounts.iter().enumerate() {
        for &k in strategies {
            let rs: Vec<&PaymentRecord> = records
                .iter()
                .filter(|r| r.amount_row == row && r.strategy == k)
                .collect();
            let n = rs.len();
            let feasible = rs.iter().filter(|r| r.feasible).count();
            let succeeded = rs.iter().filter(|r| r.success).count();
            let succeeded_feasible = rs.iter().filter(|r| r.success && r.feasible).count();
            let ok: Vec<&PaymentRecord> = rs.iter().copied().filter(|r| r.success).collect();
            out.push(StrategySummary {
                strategy: k,
                amount_sat: spec.min().0 / 1000,
                amount_max_sat: match spec {
                    AmountSpec::Fixed(_) => None,
                    AmountSpec::LogUniform { max, .. } => Some(max.0 / 1000),
                },
                payments: n,
                feasible,
                succeeded,
                succeeded_feasible,
                success_rate: if n == 0 {
                    0.0
                } else {
                    succeeded as f64 / n as f64
                },
                success_rate_feasible: if feasible == 0 {
                    1.0
                } else {
                    succeeded_feasible as f64 / feasible as f64
                },
                median_rounds: median(ok.iter().map(|r| r.rounds as f64).collect()).unwrap_or(0.0),
                median_attempts: median(ok.iter().map(|r| r.attempts as f64).collect())
                    .unwrap_or(0.0),
                failed_attempts: rs.iter().map(|r| r.failed_attempts).sum(),
                median_fee_ppm: median(ok.iter().filter_map(|r| r.fee_ppm).collect()),
                mean_entropy_learned_bits: if n == 0 {
                    0.0
                } else {
                    rs.iter().map(|r| r.entropy_learned_bits).sum::<f64>() / n as f64
                },
                median_ms_per_payment: median(rs.iter().map(|r| r.ms).collect()).unwrap_or(0.0),
                median_ms_per_feasible_payment: median(
                    rs.iter().filter(|r| r.feasible).map(|r| r.ms).collect(),
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIDE: AmountSpec = AmountSpec::LogUniform {
        min: Msat(10_000),
        max: Msat(100_000_000),
    };

    #[test]
    fn log_uniform_draws_are_seeded_per_row() {
        let a = WIDE.amounts(500, 1, 0);
        assert_eq!(a, WIDE.amounts(500, 1, 0), "same seed and row");
        assert_ne!(a, WIDE.amounts(500, 2, 0), "another seed");
        assert_ne!(a, WIDE.amounts(500, 1, 1), "another row");
        // A prefix does not depend on how many are drawn.
        assert_eq!(&a[..100], &WIDE.amounts(100, 1, 0)[..]);
        assert_eq!(
            AmountSpec::Fixed(Msat(7)).amounts(3, 1, 0),
            vec![Msat(7); 3]
        );
    }

    #[test]
    fn log_uniform_draws_stay_in_bounds_and_spread_over_the_decades() {
        let a = WIDE.amounts(4000, 9, 3);
        assert!(a.iter().all(|&x| WIDE.min() <= x && x <= WIDE.max()));
        // Four decades, a quarter of the draws each (±4 percentage points; the standard error
        // of one count is about 0.7 points).
        for k in 0..4 {
            let (lo, hi) = (10_000 * 10u64.pow(k), 10_000 * 10u64.pow(k + 1));
            let n = a.iter().filter(|x| lo <= x.0 && x.0 < hi).count();
            assert!((840..=1160).contains(&n), "decade {k}: {n} of 4000");
        }
        // A tiny range reaches both ends, each amount with P(k) = ln((k+1)/k) / ln(4).
        let tiny = AmountSpec::LogUniform {
            min: Msat(1),
            max: Msat(3),
        };
        let t = tiny.amounts(6000, 5, 0);
        for (k, p) in [(1u64, 0.5), (2, 0.2925), (3, 0.2075)] {
            let n = t.iter().filter(|x| x.0 == k).count() as f64 / 6000.0;
            assert!((n - p).abs() < 0.03, "{k}: {n} vs {p}");
        }
    }

    #[test]
    fn bad_amount_specs_are_refused() {
        for bad in [
            AmountSpec::Fixed(Msat(0)),
            AmountSpec::Fixed(Msat((MAX_SUPPLY_SAT + 1) * 1000)),
            AmountSpec::LogUniform {
                min: Msat(0),
                max: Msat(10),
            },
            AmountSpec::LogUniform {
                min: Msat(10),
                max: Msat(10),
            },
            AmountSpec::LogUniform {
                min: Msat(1),
                max: Msat(u64::MAX),
            },
        ] {
            assert!(
                matches!(
                    bad.validate(),
                    Err(SessionError::InvalidParameter {
                        name: "amounts",
                        ..
                    })
                ),
                "{bad:?}"
            );
        }
        assert!(WIDE.validate().is_ok());
        assert!(AmountSpec::Fixed(Msat(1)).validate().is_ok());
    }
}
