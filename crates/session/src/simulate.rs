//! Simulation: many payments on an [`Oracle`], each strategy on the same seeded payments, and
//! their statistics.
//!
//! Payments go between seeded random pairs of distinct nodes of the largest strongly connected
//! component (over active directions), the same pairs for every amount and strategy. For each
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
use pp_graph::{Graph, Msat, NodeId, NodeIdx};
use pp_uncertainty::Belief;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// What to simulate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimulationParams {
    /// Payments per amount.
    pub payments: usize,
    /// The amounts; each is paid between the same pairs.
    pub amounts: Vec<Msat>,
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
            amounts: vec![Msat(100_000_000)],
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentRecord {
    /// Strategy.
    pub strategy: Strategy,
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StrategySummary {
    /// Strategy name.
    pub strategy: Strategy,
    /// Amount in sat.
    pub amount_sat: u64,
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimulationReport {
    /// Every payment, ordered by amount, then strategy, then pair.
    pub records: Vec<PaymentRecord>,
    /// One row per amount and strategy, in the same order.
    pub summary: Vec<StrategySummary>,
}

/// The nodes of the largest strongly connected component over active directions, ascending
/// (ties between equal-sized components: the one containing the smallest node index).
///
/// # Complexity
/// O(N + D): Kosaraju's two passes, iterative.
pub fn largest_scc(graph: &Graph) -> Vec<NodeIdx> {
    let n = graph.node_count();
    // Pass 1: finishing order of a DFS on the graph.
    let mut seen = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut stack: Vec<(NodeIdx, u32)> = Vec::new();
    for root in graph.nodes() {
        if seen[root.ix()] {
            continue;
        }
        seen[root.ix()] = true;
        stack.push((root, graph.out_range(root).start));
        while let Some((v, pos)) = stack.last_mut() {
            let v = *v;
            if *pos < graph.out_range(v).end {
                let d = pp_graph::DirIdx(*pos);
                *pos += 1;
                let w = graph.target(d);
                if graph.policy(d).active && !seen[w.ix()] {
                    seen[w.ix()] = true;
                    stack.push((w, graph.out_range(w).start));
                }
            } else {
                order.push(v);
                stack.pop();
            }
        }
    }
    // Pass 2: on the reverse graph in reverse finishing order.
    let mut comp = vec![u32::MAX; n];
    let mut sizes: Vec<(usize, u32)> = Vec::new();
    let mut todo = Vec::new();
    for &root in order.iter().rev() {
        if comp[root.ix()] != u32::MAX {
            continue;
        }
        let c = sizes.len() as u32;
        comp[root.ix()] = c;
        todo.push(root);
        let mut size = 0;
        while let Some(v) = todo.pop() {
            size += 1;
            for &d in graph.in_dirs(v) {
                let u = graph.source(d);
                if graph.policy(d).active && comp[u.ix()] == u32::MAX {
                    comp[u.ix()] = c;
                    todo.push(u);
                }
            }
        }
        sizes.push((size, c));
    }
    let Some(best) = graph
        .nodes()
        .map(|v| comp[v.ix()])
        .max_by_key(|&c| (sizes[c as usize].0, std::cmp::Reverse(c)))
    else {
        return Vec::new();
    };
    graph.nodes().filter(|v| comp[v.ix()] == best).collect()
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
    amount: Msat,
    index: usize,
    feasible: bool,
    r: &crate::PaymentReport,
) -> PaymentRecord {
    PaymentRecord {
        strategy,
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
    let scc = largest_scc(graph);
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
    for &amount in &params.amounts {
        let rows: Vec<Result<Vec<PaymentRecord>, SessionError>> =
            if params.keep_belief || params.drift {
                params
                    .strategies
                    .par_iter()
                    .map(|&k| run_sequential(oracle, params, &pairs, k, amount, progress))
                    .collect()
            } else {
                let feasible: Vec<bool> = pairs
                    .par_iter()
                    .map(|&(s, t)| oracle.max_flow_up_to(s, t, amount) >= amount)
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
                            let (s, t) = pairs[i];
                            session.belief_mut().forget();
                            session.network_mut().restore_from(oracle)?;
                            let r = session.pay_nodes(k, s, t, amount)?;
                            progress();
                            Ok(vec![record(k, amount, i, feasible[i], &r)])
                        },
                    )
                    .collect()
            };
        for r in rows {
            records.extend(r?);
        }
    }
    let summary = summarize(&records, &params.amounts, &params.strategies);
    Ok(SimulationReport { records, summary })
}

fn run_sequential(
    oracle: &Oracle<'_>,
    params: &SimulationParams,
    pairs: &[(NodeIdx, NodeIdx)],
    strategy: Strategy,
    amount: Msat,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<PaymentRecord>, SessionError> {
    let graph = oracle.graph();
    let mut session = Session::with_belief(graph, Belief::new(graph), oracle.clone())
        .with_params(params.pay.clone());
    session.warm_up();
    let mut out = Vec::with_capacity(pairs.len());
    for (i, &(s, t)) in pairs.iter().enumerate() {
        if !params.keep_belief {
            session.belief_mut().forget();
        }
        let feasible = session.network().max_flow_up_to(s, t, amount) >= amount;
        let r = session.pay_nodes(strategy, s, t, amount)?;
        if !(params.drift || params.keep_belief) {
            session.network_mut().restore_from(oracle)?;
        }
        out.push(record(strategy, amount, i, feasible, &r));
        progress();
    }
    Ok(out)
}

fn median(mut v: Vec<f64>) -> Option<f64> {
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

/// Aggregates records per amount and strategy (in the order given); see [`StrategySummary`] for
/// which payments each median is over.
pub fn summarize(
    records: &[PaymentRecord],
    amounts: &[Msat],
    strategies: &[Strategy],
) -> Vec<StrategySummary> {
    let mut out = Vec::new();
    for &amount in amounts {
        for &k in strategies {
            let rs: Vec<&PaymentRecord> = records
                .iter()
                .filter(|r| r.amount_msat == amount && r.strategy == k)
                .collect();
            let n = rs.len();
            let feasible = rs.iter().filter(|r| r.feasible).count();
            let succeeded = rs.iter().filter(|r| r.success).count();
            let succeeded_feasible = rs.iter().filter(|r| r.success && r.feasible).count();
            let ok: Vec<&PaymentRecord> = rs.iter().copied().filter(|r| r.success).collect();
            out.push(StrategySummary {
                strategy: k,
                amount_sat: amount.0 / 1000,
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
