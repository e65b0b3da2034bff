//! [`simulate_ldk`]: LDK's router and ours side by side in an LDK-like payment loop, on the
//! simulated network of pp-session (the same pairs, amounts and balances as `pp_session::simulate`).
//!
//! **The loop** (what LDK's `ChannelManager` does with `Retry::Attempts(n)`): find a route for
//! what is left (`final_value_msat`), with the fee limit of `RouteParameters::
//! from_payment_params_and_value` (1 % + 50 sat) less the fees of the paths in flight, the
//! payer's channels as `first_hops` (their spendable balance now), the paths in flight as
//! `InFlightHtlcs`, and every channel that failed so far in `previously_failed_channels`; send
//! every path; each failed path is reported to the scorer (`payment_path_failed` with the failing
//! channel) and its amount is retried, at most `retries` times. A payment that is delivered
//! settles all its paths and reports each as successful to the scorer; one whose routing fails
//! or whose retries run out releases what is in flight, and nothing settles.
//!
//! **Strategies.** `ldk`: LDK's `DefaultRouter` with a fresh `ProbabilisticScorer` per payment,
//! both at their default parameters. `mcf-ldk`: our [`PickhardtRouter`] with a [`BeliefScorer`]
//! at the prior per payment (its inner router, for what it does not route, is a `DefaultRouter`
//! on the same belief). The two differ in nothing but the router and its scorer.

use crate::convert::{graph_from_ldk, mpp_payment_params, network_graph_from, NoLog};
use crate::error::LdkError;
use crate::local::{first_hops, SeededEntropy};
use crate::nodes::NodeMap;
use crate::router::PickhardtRouter;
use crate::scorer::{BeliefPenalty, BeliefScorer};
use bitcoin::Network;
use lightning::routing::gossip::NetworkGraph;
use lightning::routing::router::{DefaultRouter, InFlightHtlcs, Path, RouteParameters, Router};
use lightning::routing::scoring::{
    ProbabilisticScorer, ProbabilisticScoringDecayParameters, ProbabilisticScoringFeeParameters,
    ScoreUpdate,
};
use pp_graph::{largest_scc, DirIdx, Graph, Msat, NodeIdx};
use pp_session::{
    median, random_pairs, AmountSpec, Oracle, PayParams, PaymentNetwork, PaymentRecord,
    SendOutcome, StopReason, Strategy,
};
use rayon::prelude::*;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Retries per payment: `Retry::Attempts(3)`, LDK's default for offer payments without `std`
/// (with `std` it is `Retry::Timeout(2 s)`, which a simulation cannot reproduce without making
/// results depend on the machine).
pub const DEFAULT_RETRIES: u32 = 3;

/// The final CLTV delta of the simulated invoices (LDK's `MIN_FINAL_CLTV_EXPIRY_DELTA` is 18,
/// invoices commonly ask 40 or more).
pub const FINAL_CLTV: u32 = 40;

type Ng = NetworkGraph<Arc<NoLog>>;
type Prob = ProbabilisticScorer<Arc<Ng>, Arc<NoLog>>;
type LdkRouter = DefaultRouter<
    Arc<Ng>,
    Arc<NoLog>,
    Arc<SeededEntropy>,
    Arc<Mutex<Prob>>,
    ProbabilisticScoringFeeParameters,
    Prob,
>;
type BeliefInner = DefaultRouter<
    Arc<Ng>,
    Arc<NoLog>,
    Arc<SeededEntropy>,
    Arc<Mutex<BeliefScorer>>,
    BeliefPenalty,
    BeliefScorer,
>;
type OurRouter = PickhardtRouter<Arc<Ng>, Arc<NoLog>, BeliefInner, Arc<Mutex<BeliefScorer>>>;

/// What [`simulate_ldk`] runs.
#[derive(Debug, Clone)]
pub struct LdkSimParams {
    /// Payments per amount row.
    pub payments: usize,
    /// The amount rows (as `pp_session::SimulationParams::amounts`).
    pub amounts: Vec<AmountSpec>,
    /// Seed of the pairs (and amounts), as `pp_session::simulate` uses it.
    pub seed: u64,
    /// [`Strategy::Ldk`] and/or [`Strategy::McfLdk`].
    pub strategies: Vec<Strategy>,
    /// The planner's parameters for `mcf-ldk` (fee budget and limits come from LDK's request).
    pub pay: PayParams,
    /// Retries per payment ([`DEFAULT_RETRIES`]).
    pub retries: u32,
    /// Worker threads (`None`: rayon's global pool). Results do not depend on it.
    pub threads: Option<usize>,
    /// Unix time stamped on the LDK graph's updates (LDK refuses updates older than two weeks
    /// of its clock); pass the current time.
    pub timestamp: u32,
}

/// Route queries of one strategy at one amount row.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct QuerySummary {
    /// The strategy.
    pub strategy: Strategy,
    /// The amount row's (lower) amount in sat.
    pub amount_sat: u64,
    /// `find_route` calls, over all payments.
    pub queries: usize,
    /// Median wall time of one `find_route` (ms).
    pub median_ms_per_query: f64,
    /// Mean wall time of one `find_route` (ms).
    pub mean_ms_per_query: f64,
}

/// The result of [`simulate_ldk`].
#[derive(Debug, Clone, PartialEq)]
pub struct LdkSimReport {
    /// Every payment, as pp-session records them (rounds = route queries).
    pub records: Vec<PaymentRecord>,
    /// Route query times per strategy and amount row.
    pub queries: Vec<QuerySummary>,
}

struct Shared<'o, 'g> {
    oracle: &'o Oracle<'g>,
    nodes: NodeMap,
    ng: Arc<Ng>,
    ldk_graph: Arc<Graph>,
    params: &'o LdkSimParams,
}

/// One payment's outcome in the loop.
struct Paid {
    record: PaymentRecord,
    query_ms: Vec<f64>,
}

/// Runs `ldk` and/or `mcf-ldk` over the same payments as `pp_session::simulate` with the same
/// seed (pairs drawn from the largest strongly connected component, the oracle's balances
/// restored before each payment). See the module docs for the loop.
///
/// # Errors
/// No amount or strategy, a strategy other than the two, a graph LDK refuses, a route that
/// does not fit the graph (a bug), or the oracle's errors.
pub fn simulate_ldk(
    oracle: &Oracle<'_>,
    params: &LdkSimParams,
    progress: &(dyn Fn() + Sync),
) -> Result<LdkSimReport, LdkError> {
    if params.amounts.is_empty()
        || params.strategies.is_empty()
        || params.strategies.iter().any(|s| !s.is_external())
    {
        return Err(LdkError::Invalid {
            reason: "need at least one amount and the strategies ldk and/or mcf-ldk only".into(),
        });
    }
    let graph = oracle.graph();
    let nodes = NodeMap::new(graph);
    let (ng, _) = network_graph_from(
        graph,
        &nodes,
        Network::Bitcoin,
        Arc::new(NoLog),
        params.timestamp,
    )?;
    let ng = Arc::new(ng);
    let (ldk_graph, _) = graph_from_ldk(&ng.read_only());
    let shared = Shared {
        oracle,
        nodes,
        ng,
        ldk_graph: Arc::new(ldk_graph),
        params,
    };
    let run = || run_all(&shared, progress);
    match params.threads {
        None => run(),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map_err(|e| LdkError::Invalid {
                reason: e.to_string(),
            })?
            .install(run),
    }
}

fn run_all(sh: &Shared<'_, '_>, progress: &(dyn Fn() + Sync)) -> Result<LdkSimReport, LdkError> {
    let p = sh.params;
    let graph = sh.oracle.graph();
    let scc = largest_scc(graph);
    let pairs = random_pairs(&scc, p.payments, p.seed);
    let mut records = Vec::new();
    let mut queries = Vec::new();
    for (row, spec) in p.amounts.iter().enumerate() {
        let amounts = spec.amounts(pairs.len(), p.seed, row);
        let feasible: Vec<bool> = pairs
            .par_iter()
            .zip(&amounts)
            .map(|(&(s, t), &a)| sh.oracle.can_carry(s, t, a))
            .collect();
        let tasks: Vec<(Strategy, usize)> = p
            .strategies
            .iter()
            .flat_map(|&k| (0..pairs.len()).map(move |i| (k, i)))
            .collect();
        let paid: Vec<Result<Paid, LdkError>> = tasks
            .par_iter()
            .map_init(
                || Worker::new(sh),
                |w, &(k, i)| {
                    let (s, t) = pairs[i];
                    let mut paid = w.pay(sh, k, s, t, amounts[i], (row, i))?;
                    paid.record.feasible = feasible[i];
                    progress();
                    Ok(paid)
                },
            )
            .collect();
        let mut per: Vec<(Strategy, Vec<f64>)> =
            p.strategies.iter().map(|&k| (k, Vec::new())).collect();
        for r in paid {
            let r = r?;
            if let Some((_, v)) = per.iter_mut().find(|(k, _)| *k == r.record.strategy) {
                v.extend(&r.query_ms);
            }
            records.push(r.record);
        }
        for (k, v) in per {
            let n = v.len();
            queries.push(QuerySummary {
                strategy: k,
                amount_sat: spec.min().0 / 1000,
                queries: n,
                mean_ms_per_query: if n == 0 {
                    0.0
                } else {
                    v.iter().sum::<f64>() / n as f64
                },
                median_ms_per_query: median(v).unwrap_or(0.0),
            });
        }
    }
    Ok(LdkSimReport { records, queries })
}

/// One worker's state: its own copy of the network and, for `mcf-ldk`, its router and belief.
struct Worker<'g> {
    oracle: Oracle<'g>,
    ours: Option<(OurRouter, Arc<Mutex<BeliefScorer>>)>,
}

impl<'g> Worker<'g> {
    fn new(sh: &Shared<'_, 'g>) -> Self {
        let ours = sh.params.strategies.contains(&Strategy::McfLdk).then(|| {
            let scorer = Arc::new(Mutex::new(BeliefScorer::from_graph(sh.ldk_graph.clone())));
            let inner = DefaultRouter::new(
                sh.ng.clone(),
                Arc::new(NoLog),
                Arc::new(SeededEntropy::new(sh.params.seed)),
                scorer.clone(),
                BeliefPenalty::default(),
            );
            let router = PickhardtRouter::new(sh.ng.clone(), scorer.clone(), inner)
                .with_params(sh.params.pay.clone());
            (router, scorer)
        });
        Worker {
            oracle: sh.oracle.clone(),
            ours,
        }
    }

    fn pay(
        &mut self,
        sh: &Shared<'_, 'g>,
        k: Strategy,
        s: NodeIdx,
        t: NodeIdx,
        amount: Msat,
        (row, i): (usize, usize),
    ) -> Result<Paid, LdkError> {
        self.oracle
            .restore_from(sh.oracle)
            .map_err(pp_session::SessionError::from)?;
        let t0 = Instant::now();
        let mut out = match k {
            Strategy::McfLdk => {
                let (router, scorer) = self.ours.as_ref().expect("made for mcf-ldk");
                lock(scorer).forget();
                pay_loop(router, &**scorer, &mut self.oracle, sh, s, t, amount)?
            }
            _ => {
                let scorer = Arc::new(Mutex::new(ProbabilisticScorer::new(
                    ProbabilisticScoringDecayParameters::default(),
                    sh.ng.clone(),
                    Arc::new(NoLog),
                )));
                let seed = sh.params.seed ^ ((row as u64) << 48) ^ (i as u64);
                let router: LdkRouter = DefaultRouter::new(
                    sh.ng.clone(),
                    Arc::new(NoLog),
                    Arc::new(SeededEntropy::new(seed)),
                    scorer.clone(),
                    ProbabilisticScoringFeeParameters::default(),
                );
                pay_loop(&router, &*scorer, &mut self.oracle, sh, s, t, amount)?
            }
        };
        let graph = sh.oracle.graph();
        let success = out.stop == StopReason::Delivered;
        out.record = PaymentRecord {
            strategy: k,
            amount_row: row,
            amount_msat: amount,
            index: i,
            sender: graph.node_id(s),
            receiver: graph.node_id(t),
            feasible: false,
            success,
            stop_reason: out.stop,
            rounds: out.query_ms.len() as u32,
            attempts: out.attempts,
            failed_attempts: out.failed,
            fee_msat: out.fee,
            fee_ppm: success.then(|| out.fee.0 as f64 * 1e6 / amount.0 as f64),
            // Not measured: LDK's scorer has no entropy, and ours pins the payer's channels
            // inside the first query.
            entropy_learned_bits: 0.0,
            ms: t0.elapsed().as_secs_f64() * 1e3,
        };
        Ok(Paid {
            record: out.record,
            query_ms: out.query_ms,
        })
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// What the loop found, before it becomes a record.
struct LoopOut {
    record: PaymentRecord,
    stop: StopReason,
    attempts: usize,
    failed: usize,
    fee: Msat,
    query_ms: Vec<f64>,
}

/// A path sent and in flight: LDK's path, the oracle's directions and hop amounts.
type Sent = (Path, Vec<DirIdx>, Vec<Msat>);

fn pay_loop<R: Router, S: ScoreUpdate>(
    router: &R,
    scorer: &Mutex<S>,
    oracle: &mut Oracle<'_>,
    sh: &Shared<'_, '_>,
    from: NodeIdx,
    to: NodeIdx,
    amount: Msat,
) -> Result<LoopOut, LdkError> {
    let graph = sh.oracle.graph();
    let payer = sh.nodes.pubkey(from);
    let mut params = RouteParameters::from_payment_params_and_value(
        mpp_payment_params(sh.nodes.pubkey(to), FINAL_CLTV),
        amount.0,
    );
    let fee_limit = params.max_total_routing_fee_msat.unwrap_or(u64::MAX);
    let mut in_flight: Vec<Sent> = Vec::new();
    let (mut attempts, mut failed) = (0, 0);
    let mut query_ms = Vec::new();
    let mut residual = amount.0;
    let mut clock = 1_000_000u64;
    let mut retries = 0;
    let stop = loop {
        let fees_in_flight: u64 = in_flight.iter().map(|(p, _, _)| p.fee_msat()).sum();
        params.final_value_msat = residual;
        params.max_total_routing_fee_msat = Some(fee_limit.saturating_sub(fees_in_flight));
        let hops = first_hops(graph, &sh.nodes, from, |d| oracle.available(d));
        let refs: Vec<_> = hops.iter().collect();
        let mut inflight = InFlightHtlcs::new();
        for (p, _, _) in &in_flight {
            inflight.process_path(p, payer);
        }
        let t = Instant::now();
        let found = router.find_route(&payer, &params, Some(&refs), inflight);
        query_ms.push(t.elapsed().as_secs_f64() * 1e3);
        let route = match found {
            Ok(r) => r,
            Err(e) if e.contains("fee") => {
                break StopReason::FeeBudget {
                    fees: Msat(fees_in_flight),
                    budget: Msat(fee_limit),
                }
            }
            Err(_) => break StopReason::NoUsableRoute,
        };
        clock += 1;
        for path in route.paths {
            let (dirs, amounts) = oracle_path(graph, &sh.nodes, from, &path)?;
            attempts += 1;
            match oracle
                .send(&dirs, &amounts)
                .map_err(pp_session::SessionError::from)?
            {
                SendOutcome::Forwarded => {
                    residual = residual.saturating_sub(path.final_value_msat());
                    in_flight.push((path, dirs, amounts));
                }
                SendOutcome::FailedAt { hop, .. } => {
                    failed += 1;
                    let scid = path.hops[hop].short_channel_id;
                    lock(scorer).payment_path_failed(&path, scid, Duration::from_secs(clock));
                    params.payment_params.previously_failed_channels.push(scid);
                }
            }
        }
        if residual == 0 {
            break StopReason::Delivered;
        }
        if retries >= sh.params.retries {
            break StopReason::MaxRounds {
                rounds: query_ms.len() as u32,
            };
        }
        retries += 1;
    };
    let mut fee = Msat::ZERO;
    for (path, dirs, amounts) in &in_flight {
        if stop == StopReason::Delivered {
            oracle
                .settle(dirs, amounts)
                .map_err(pp_session::SessionError::from)?;
            lock(scorer).payment_path_successful(path, Duration::from_secs(clock + 1));
            fee = fee.saturating_add(Msat(path.fee_msat()));
        } else {
            oracle
                .release(dirs, amounts)
                .map_err(pp_session::SessionError::from)?;
        }
    }
    if stop == StopReason::Delivered {
        // What a route delivers above the amount (to meet an HTLC minimum) is a fee too.
        let delivered: u64 = in_flight.iter().map(|(p, _, _)| p.final_value_msat()).sum();
        fee = fee.saturating_add(Msat(delivered.saturating_sub(amount.0)));
    }
    Ok(LoopOut {
        record: PaymentRecord {
            strategy: Strategy::Ldk,
            amount_row: 0,
            amount_msat: amount,
            index: 0,
            sender: graph.node_id(from),
            receiver: graph.node_id(to),
            feasible: false,
            success: false,
            stop_reason: stop,
            rounds: 0,
            attempts: 0,
            failed_attempts: 0,
            fee_msat: Msat::ZERO,
            fee_ppm: None,
            entropy_learned_bits: 0.0,
            ms: 0.0,
        },
        stop,
        attempts,
        failed,
        fee,
        query_ms,
    })
}

/// An LDK path as the oracle's directions and the amount each forwards.
fn oracle_path(
    graph: &Graph,
    nodes: &NodeMap,
    payer: NodeIdx,
    path: &Path,
) -> Result<(Vec<DirIdx>, Vec<Msat>), LdkError> {
    let k = path.hops.len();
    let mut dirs = Vec::with_capacity(k);
    let mut source = payer;
    for h in &path.hops {
        let d = graph
            .direction_from(
                pp_graph::ShortChannelId(h.short_channel_id),
                &graph.node_id(source),
            )
            .ok_or_else(|| LdkError::Invalid {
                reason: format!(
                    "a route uses channel {} not in the graph",
                    h.short_channel_id
                ),
            })?;
        source = nodes
            .node_of_pubkey(&h.pubkey)
            .ok_or_else(|| LdkError::Invalid {
                reason: "a route goes through a node not in the graph".into(),
            })?;
        if graph.target(d) != source {
            return Err(LdkError::Invalid {
                reason: format!(
                    "channel {} does not lead to the route's next node",
                    h.short_channel_id
                ),
            });
        }
        dirs.push(d);
    }
    let mut amounts = vec![Msat::ZERO; k];
    let mut acc = 0u64;
    for i in (0..k).rev() {
        acc = acc.saturating_add(path.hops[i].fee_msat);
        amounts[i] = Msat(acc);
    }
    Ok((dirs, amounts))
}
