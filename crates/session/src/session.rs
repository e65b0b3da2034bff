//! The payment loop (SPEC §6): [`Session`] owns a belief and a network and delivers payments in
//! rounds, learning from every attempt.
//!
//! **Local knowledge.** With [`PayParams::local_knowledge`] (the default) a payment first pins
//! the belief of every listed direction leaving the sender to its exact balance, as the network
//! reports it ([`PaymentNetwork::local_liquidity`]; `min = max`, the reverse side follows),
//! for every strategy. Once per payment is enough: within the payment the belief tracks the
//! in-flight amounts, and settlement moves the pinned interval by exactly what the network
//! moves, so it stays the truth (also when the belief is kept for later payments). The report's
//! entropy is measured after pinning: what a payment learned is what its attempts taught.
//!
//! One round of the [`Strategy::Mcf`] loop:
//! 1. `residual = amount − Σ amounts in flight`;
//! 2. the belief (in-flight counted) becomes a min-cost-flow problem for the residual: the
//!    piecewise linearization of SPEC §3, by a `pp_uncertainty::IncrementalLinearizer` kept
//!    across rounds and payments (it recomputes only the directions whose belief changed;
//!    `htlc_maximum_msat` per part unless [`PayParams::htlc_max_per_part`] is off, pieces cut at
//!    the demand, arcs grouped by endpoints), solved by the chosen backend; the
//!    flow, mapped back to msat per direction, sums exactly to the residual (see *Rounding*
//!    below), and is decomposed into paths (`pp_mcf::decompose`, cycles carry nothing);
//! 3. paths become parts ([`crate::attempt`]): split at `htlc_maximum_msat`, dropped below
//!    `htlc_minimum_msat` or beyond the [`crate::Limits`], and trimmed so that every hop's exact
//!    amount (the part plus downstream fees, which the flow problem ignores) stays within what
//!    the belief allows (`amount + in_flight + earlier parts of this round <= max`); what
//!    trimming takes off goes onto the round's parts that have room (under the belief and
//!    `htlc_maximum_msat`), as Core Lightning's askrene refines its flows, so that a remainder
//!    of a few msat is not left to a later round where it may be below every
//!    `htlc_minimum_msat`; what is dropped, or trimmed and found no room, stays in the residual
//!    for the next round, made at least one flow unit and the hops' `htlc_minimum_msat` by
//!    taking it off the largest part if needed (a remainder of a few hundred msat could not be
//!    sent on its own);
//! 4. each part is sent; the belief learns from it (hops that forwarded: `min` rises; the failing
//!    hop: `max` falls, both with `x = hop amount + our other in-flight amounts there`); parts that
//!    reached the receiver stay in flight, failed ones hold nothing;
//! 5. the loop ends with success when nothing is left to send (every in-flight part is then
//!    settled, in network and belief), or with a [`StopReason`] (every in-flight part is then
//!    released, nothing settles). Errors (a lying network, a solver failure) release everything
//!    too before they are returned, so no in-flight amount ever leaks.
//!
//! **Best plan.** A round first solves with the configured base-fee threshold and μ. If that is
//! infeasible or its plan's success probability is below `min_plan_probability`, it solves again
//! with every channel (`base_fee_fallback`), then with μ = 0 (reliability only), and keeps the
//! first acceptable plan, or the most probable one; the round stops the payment when even that is
//! below the threshold. A plan whose parts were all dropped (step 3) has excluded the hops that
//! caused it for the rest of the payment; the same candidate is then solved again without them
//! (at most `MAX_REPLANS_PER_ROUND` = 8 times per round) before the next one is tried.
//!
//! **Plans without sending.** [`Session::plan`] runs steps 1–3 of the first round and reports the
//! plan ([`crate::PlanReport`]), with the reason a payment would not send it (the same rule as
//! the loop: no part, over the fee budget, below the probability threshold).
//!
//! **Rounding.** The flow is solved in units of `quantum` msat: capacities round down, the demand
//! is `ceil(residual / quantum)` units, and `pp_uncertainty::flow_per_direction` removes the excess
//! (less than one quantum) along one path, so the parts of a round sum exactly to the residual in
//! msat (before any part is dropped or trimmed).
//!
//! **Determinism.** Every decision depends only on the graph, the belief, the network's answers
//! and the parameters; `std::time::Instant` is read only to fill the report's timing fields.

use crate::attempt::{loop_erase, shape_parts, Attempt, AttemptStatus, Dropped};
use crate::baseline::{single_path, RouteKind};
use crate::error::SessionError;
use crate::network::{PaymentNetwork, SendOutcome};
use crate::params::{FeeWeight, PayParams, StopReason, Strategy};
use crate::report::{AttemptCounts, PaymentReport, PlanReport, RoundReport};
use pp_graph::{DirIdx, Graph, Msat, NodeId, NodeIdx, MAX_SUPPLY_SAT};
use pp_mcf::{McfError, McfSolver, Problem};
use pp_uncertainty::{
    flow_per_direction, mu_from_frugality, ArcOrder, Belief, IncrementalLinearizer,
    LinearizeParams, Linearized, Round, UncertaintyError,
};
use std::cmp::Reverse;
use std::time::Instant;

/// How often one round of the flow strategy plans again when every part of its plan was
/// dropped for HTLC or path limits (each time without the hops that caused it). Default: 8.
const MAX_REPLANS_PER_ROUND: u32 = 8;

/// How much μ grows per step of the fee-budget search: ×4.
const BUDGET_MU_STEP: f64 = 4.0;
/// Steps of the fee-budget search before it gives up: 8 (μ up to 4^8 = 65,536 times the
/// payment's, where fees dominate every plan).
const MAX_BUDGET_ESCALATIONS: u32 = 8;
/// Bisection solves of the fee-budget search once a plan fits: 2.
const BUDGET_BISECTIONS: u32 = 2;

/// A payment session: a graph, a belief about it, a network to send through, parameters and a
/// solver. Beliefs persist across payments of one session (call [`Belief::forget`] through
/// [`Session::belief_mut`] to reset).
///
/// ```
/// # use pp_graph::{DirectionRecord, GraphBuilder, Msat, NodeId, Policy, Ppm};
/// # use pp_session::{Oracle, Session};
/// # let mut b = GraphBuilder::new();
/// # for (s, t) in [(1, 2), (2, 1)] {
/// #     b.add(&DirectionRecord {
/// #         scid: "1x1x0".parse().unwrap(),
/// #         source: NodeId::synthetic(s),
/// #         destination: NodeId::synthetic(t),
/// #         capacity: Msat(1_000_000),
/// #         policy: Policy { base_fee_msat: Msat(0), fee_ppm: Ppm(10), cltv_delta: 40,
/// #             htlc_minimum_msat: Msat(0), htlc_maximum_msat: Msat(1_000_000),
/// #             active: true, last_update: 0 },
/// #     }).unwrap();
/// # }
/// # let graph = b.build();
/// let oracle = Oracle::random(&graph, 1);
/// let mut session = Session::new(&graph, oracle);
/// let (alice, bob) = (NodeId::synthetic(1), NodeId::synthetic(2));
/// let report = session.pay(&alice, &bob, Msat(1_000)).unwrap();
/// assert_eq!(report.delivered_msat.0 + report.residual_msat.0, 1_000);
/// ```
#[derive(Debug)]
pub struct Session<'g, N> {
    graph: &'g Graph,
    belief: Belief,
    network: N,
    params: PayParams,
    solver: Option<Box<dyn McfSolver>>,
    /// Per direction: what earlier parts of the round being planned put on it.
    planned: Vec<Msat>,
    planned_touched: Vec<DirIdx>,
    /// Per direction: left out of flow problems for the rest of the payment.
    excluded: Vec<bool>,
    excluded_list: Vec<DirIdx>,
    /// The belief's pieces, kept in sync incrementally (built on first use).
    model: Option<IncrementalLinearizer<'g>>,
    /// The buffer the round's problem is assembled into.
    lin: Linearized,
    /// μ per (amount, frugality bits), computed once per graph.
    mu_cache: Vec<(Msat, u64, f64)>,
}

/// A planned round.
#[derive(Debug)]
struct Plan {
    /// The residual the plan was made for.
    residual: Msat,
    attempts: Vec<Attempt>,
    probability: f64,
    fee: Msat,
    mu: f64,
    fallback: bool,
}

enum Candidate {
    Plan(Plan),
    Infeasible(Msat),
}

/// The state of one payment while it runs.
#[derive(Debug, Default)]
struct Run {
    attempts: Vec<Attempt>,
    rounds: Vec<RoundReport>,
    solve_ms: f64,
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1e3
}

fn linearize_err(e: UncertaintyError) -> SessionError {
    SessionError::Linearize { source: e }
}

fn belief_err(e: UncertaintyError, graph: &Graph, d: DirIdx) -> SessionError {
    SessionError::Contradiction {
        scid: graph.scid(d),
        reason: e.to_string(),
    }
}

impl<'g, N: PaymentNetwork> Session<'g, N> {
    /// A session with the prior belief and default parameters.
    pub fn new(graph: &'g Graph, network: N) -> Self {
        Self::with_belief(graph, Belief::new(graph), network)
    }

    /// A session starting from an existing belief (e.g. kept from earlier payments).
    ///
    /// The belief must have been built for `graph` (checked when paying).
    pub fn with_belief(graph: &'g Graph, belief: Belief, network: N) -> Self {
        let d = graph.direction_count();
        Session {
            graph,
            belief,
            network,
            params: PayParams::default(),
            solver: None,
            planned: vec![Msat::ZERO; d],
            planned_touched: Vec::new(),
            excluded: vec![false; d],
            excluded_list: Vec::new(),
            model: None,
            lin: Linearized::default(),
            mu_cache: Vec::new(),
        }
    }

    /// Replaces the parameters (checked when paying).
    pub fn with_params(mut self, params: PayParams) -> Self {
        self.set_params(params);
        self
    }

    /// Replaces the parameters (checked when paying).
    pub fn set_params(&mut self, params: PayParams) {
        if self
            .solver
            .as_ref()
            .is_some_and(|s| s.name() != params.solver)
        {
            self.solver = None;
        }
        self.params = params;
    }

    /// Builds the session's flow model for the current parameters, syncs it with the belief and
    /// computes every direction's pieces, so that the first payment does not pay for it. Optional:
    /// payments do it when needed. The simulation calls it before timing payments. A model that
    /// cannot be built (invalid parameters, a belief of another graph) is left to the next
    /// payment, which reports why.
    pub fn warm_up(&mut self) {
        if let Ok(model) = self.synced_model() {
            model.refresh();
        }
    }

    /// The parameters.
    pub fn params(&self) -> &PayParams {
        &self.params
    }
    /// The graph.
    pub fn graph(&self) -> &'g Graph {
        self.graph
    }
    /// The belief.
    pub fn belief(&self) -> &Belief {
        &self.belief
    }
    /// The belief, mutably (e.g. to `forget` or to state the sender's own balances).
    pub fn belief_mut(&mut self) -> &mut Belief {
        &mut self.belief
    }
    /// The network.
    pub fn network(&self) -> &N {
        &self.network
    }
    /// The network, mutably.
    pub fn network_mut(&mut self) -> &mut N {
        &mut self.network
    }
    /// Takes the session apart.
    pub fn into_parts(self) -> (Belief, N) {
        (self.belief, self.network)
    }

    /// Delivers `amount` from `from` to `to` with the Pickhardt loop ([`Strategy::Mcf`]).
    ///
    /// # Errors
    /// Unknown nodes, sender = receiver, an amount of 0 or above 21 million BTC, invalid
    /// parameters, a network that contradicts itself, a solver failure. A payment that does not
    /// get through is not an error: see [`PaymentReport::success`].
    pub fn pay(
        &mut self,
        from: &NodeId,
        to: &NodeId,
        amount: Msat,
    ) -> Result<PaymentReport, SessionError> {
        self.pay_with(Strategy::Mcf, from, to, amount)
    }

    /// Like [`Session::pay`] with a chosen [`Strategy`].
    ///
    /// # Errors
    /// As [`Session::pay`].
    pub fn pay_with(
        &mut self,
        strategy: Strategy,
        from: &NodeId,
        to: &NodeId,
        amount: Msat,
    ) -> Result<PaymentReport, SessionError> {
        let (f, t) = self.node_pair(from, to)?;
        self.pay_nodes(strategy, f, t, amount)
    }

    /// The graph's indices of `from` and `to`.
    fn node_pair(&self, from: &NodeId, to: &NodeId) -> Result<(NodeIdx, NodeIdx), SessionError> {
        let index = |n: &NodeId| {
            self.graph
                .node_index(n)
                .ok_or(SessionError::UnknownNode { node: *n })
        };
        Ok((index(from)?, index(to)?))
    }

    /// Forgets the hops excluded during a payment or a plan.
    fn clear_exclusions(&mut self) {
        for d in self.excluded_list.drain(..) {
            self.excluded[d.ix()] = false;
        }
    }

    /// Like [`Session::pay_with`] with node indices of the session's graph.
    ///
    /// # Errors
    /// As [`Session::pay`]; an index out of range is [`SessionError::InvalidParameter`].
    pub fn pay_nodes(
        &mut self,
        strategy: Strategy,
        from: NodeIdx,
        to: NodeIdx,
        amount: Msat,
    ) -> Result<PaymentReport, SessionError> {
        self.check_request(from, to, amount)?;
        let t0 = Instant::now();
        if self.params.local_knowledge {
            self.pin_local(from)?;
        }
        let entropy_before = self.synced_model()?.total_entropy_bits();
        let mut run = Run::default();
        let outcome = self.rounds(strategy, from, to, amount, &mut run);
        // Resolve everything in flight, whatever happened.
        let resolved = match outcome {
            Ok(StopReason::Delivered) => self.settle_all(&mut run),
            _ => self.release_all(&mut run),
        };
        self.clear_exclusions();
        let stop = outcome?;
        resolved?;
        let entropy = (entropy_before, self.synced_model()?.total_entropy_bits());
        Ok(self.report(strategy, from, to, amount, stop, run, entropy, t0))
    }

    /// What the first round of paying `amount` from `from` to `to` with the flow strategy would
    /// send, without sending anything: the parts with their paths, amounts, exact fees and
    /// planned probabilities, on the current belief. With [`PayParams::local_knowledge`] the
    /// sender's channels are first pinned to what the network reports, as [`Session::pay`]
    /// does; nothing else in the belief or the network changes.
    ///
    /// # Errors
    /// As [`Session::pay`]. No plan, or one a payment would refuse, is not an error: see
    /// [`PlanReport::stop_reason`].
    pub fn plan(
        &mut self,
        from: &NodeId,
        to: &NodeId,
        amount: Msat,
    ) -> Result<PlanReport, SessionError> {
        self.plan_with(Strategy::Mcf, from, to, amount)
    }

    /// Like [`Session::plan`] with a chosen [`Strategy`].
    ///
    /// # Errors
    /// As [`Session::pay`].
    pub fn plan_with(
        &mut self,
        strategy: Strategy,
        from: &NodeId,
        to: &NodeId,
        amount: Msat,
    ) -> Result<PlanReport, SessionError> {
        let (f, t) = self.node_pair(from, to)?;
        self.check_request(f, t, amount)?;
        if self.params.local_knowledge {
            self.pin_local(f)?;
        }
        let t_solve = Instant::now();
        let planned = match strategy {
            Strategy::Mcf => {
                let mu = self.mu_for(amount)?;
                let budget = self.params.fee_budget.for_amount(amount);
                self.plan_flow(f, t, amount, mu, 1, &mut false, budget)
            }
            Strategy::Cheapest => self.plan_single(RouteKind::Cheapest, f, t, amount, 1),
            Strategy::Probable => self.plan_single(RouteKind::Probable, f, t, amount, 1),
        };
        let solve_ms = ms(t_solve);
        // Hops excluded while planning are forgotten, as at the end of a payment.
        self.clear_exclusions();
        let g = self.graph;
        let mut report = PlanReport {
            strategy: strategy.name().to_string(),
            sender: *from,
            receiver: *to,
            amount_msat: amount,
            stop_reason: None,
            mu: 0.0,
            base_fee_fallback: false,
            probability: 0.0,
            planned_msat: Msat::ZERO,
            fee_msat: Msat::ZERO,
            fee_ppm: 0.0,
            solve_ms,
            attempts: Vec::new(),
        };
        match planned? {
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
        Ok(report)
    }

    /// Why a round's plan is not sent: no part at all, fees beyond the budget (with the fees of
    /// the payment's `earlier` attempts still in flight), or, for the flow strategy, a
    /// probability below the threshold.
    fn refuse_plan(
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

    fn check_request(&self, from: NodeIdx, to: NodeIdx, amount: Msat) -> Result<(), SessionError> {
        self.params.validate()?;
        let n = self.graph.node_count();
        for x in [from, to] {
            if x.ix() >= n {
                return Err(SessionError::InvalidParameter {
                    name: "node",
                    reason: format!("index {} out of range (the graph has {n} nodes)", x.0),
                });
            }
        }
        if from == to {
            return Err(SessionError::SelfPayment {
                node: self.graph.node_id(from),
            });
        }
        if amount == Msat::ZERO {
            return Err(SessionError::InvalidAmount {
                amount,
                reason: "must be at least 1 msat",
            });
        }
        if amount.0 / 1000 > MAX_SUPPLY_SAT {
            return Err(SessionError::InvalidAmount {
                amount,
                reason: "above the 21 million BTC supply",
            });
        }
        if self.belief.direction_count() != self.graph.direction_count() {
            return Err(SessionError::InvalidParameter {
                name: "belief",
                reason: format!(
                    "built for a graph with {} directions, this one has {}",
                    self.belief.direction_count(),
                    self.graph.direction_count()
                ),
            });
        }
        Ok(())
    }

    /// Pins the belief of every listed direction leaving `from` to the liquidity the network
    /// reports for it (see the module docs). The belief's interval counts the session's own
    /// in-flight amount (none between payments), the network reports what is left beside it, so
    /// the pinned liquidity is their sum.
    fn pin_local(&mut self, from: NodeIdx) -> Result<(), SessionError> {
        for d in self.graph.out_dirs(from) {
            let Some(spendable) = self.network.local_liquidity(d) else {
                continue;
            };
            let liquidity = spendable.saturating_add(self.belief.in_flight(d));
            self.belief
                .set_exact(d, liquidity)
                .map_err(|e| SessionError::Network {
                    reason: format!(
                        "reported {} msat spendable on the sender's channel {}: {e}",
                        spendable.0,
                        self.graph.scid(d)
                    ),
                })?;
        }
        Ok(())
    }

    /// The fees of the attempts in flight (what the payment pays if they settle).
    fn in_flight_fees(attempts: &[Attempt]) -> Msat {
        Msat(
            attempts
                .iter()
                .filter(|a| a.status == AttemptStatus::InFlight)
                .map(|a| a.fee.0)
                .sum(),
        )
    }

    fn in_flight_amount(run: &Run) -> Msat {
        Msat(
            run.attempts
                .iter()
                .filter(|a| a.status == AttemptStatus::InFlight)
                .map(|a| a.amount.0)
                .sum(),
        )
    }

    fn rounds(
        &mut self,
        strategy: Strategy,
        from: NodeIdx,
        to: NodeIdx,
        amount: Msat,
        run: &mut Run,
    ) -> Result<StopReason, SessionError> {
        // μ matters to the flow strategy only (the baselines ignore it).
        let mu = match strategy {
            Strategy::Mcf => self.mu_for(amount)?,
            Strategy::Cheapest | Strategy::Probable => 0.0,
        };
        let budget = self.params.fee_budget.for_amount(amount);
        let mut fallback_needed = false;
        let mut stalled = 0;
        for round in 1..=self.params.max_rounds {
            let t_round = Instant::now();
            let in_flight = Self::in_flight_amount(run);
            let residual = Msat(amount.0 - in_flight.0);
            let t_solve = Instant::now();
            let planned = match strategy {
                Strategy::Mcf => {
                    let left = budget
                        .map(|b| Msat(b.0.saturating_sub(Self::in_flight_fees(&run.attempts).0)));
                    self.plan_flow(from, to, residual, mu, round, &mut fallback_needed, left)?
                }
                Strategy::Cheapest => {
                    self.plan_single(RouteKind::Cheapest, from, to, residual, round)?
                }
                Strategy::Probable => {
                    self.plan_single(RouteKind::Probable, from, to, residual, round)?
                }
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
                .max(self.params.quantum.0)
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

    /// The linearization of a round with fee weight `mu` over the directions whose base fee is
    /// at most `base_fee_threshold`: the session's pieces, `htlc_maximum_msat` per part unless
    /// configured otherwise, pieces cut at the demand (same optimum, fewer arcs).
    fn linearize_params(&self, mu: f64, base_fee_threshold: Msat) -> LinearizeParams {
        LinearizeParams {
            pieces: self.params.pieces,
            slopes: self.params.slopes,
            mu,
            base_fee_threshold,
            prune: self.params.prune,
            include_inactive: false,
            quantum: self.params.quantum,
            cost_scale: None,
            cap_at_htlc_max: !self.params.htlc_max_per_part,
            cap_at_demand: true,
            base_fee_in_cost: self.params.base_fee_in_cost,
        }
    }

    /// The flow model taken out of the session, set to `params` and synced with the belief
    /// (built on first use); the caller puts it back into `self.model`.
    fn take_synced_model(
        &mut self,
        params: &LinearizeParams,
    ) -> Result<IncrementalLinearizer<'g>, SessionError> {
        let model = match self.model.take() {
            Some(mut m) => m
                .set_params(params)
                .and_then(|()| m.sync(&self.belief))
                .map(|()| m),
            None => {
                IncrementalLinearizer::new(self.graph, &self.belief, params, ArcOrder::Endpoints)
            }
        };
        model.map_err(linearize_err)
    }

    fn synced_model(&mut self) -> Result<&mut IncrementalLinearizer<'g>, SessionError> {
        let params = self.linearize_params(0.0, self.params.base_fee_threshold);
        let m = self.take_synced_model(&params)?;
        Ok(self.model.insert(m))
    }

    /// μ for a payment of `amount` (fixed, or from the frugality; cached per amount).
    fn mu_for(&mut self, amount: Msat) -> Result<f64, SessionError> {
        match self.params.fee_weight {
            FeeWeight::Mu(m) => Ok(m),
            FeeWeight::Frugality(f) => self.frugality_mu(amount, f),
        }
    }

    fn solver(&mut self) -> Result<&mut Box<dyn McfSolver>, SessionError> {
        if self.solver.is_none() {
            let s = pp_mcf::solver_by_name(&self.params.solver).map_err(|e| {
                SessionError::InvalidParameter {
                    name: "solver",
                    reason: e.to_string(),
                }
            })?;
            self.solver = Some(s);
        }
        Ok(self.solver.as_mut().expect("set above"))
    }

    /// Plans one round of the flow strategy within a fee budget (`budget`: what is left of the
    /// payment's budget after the fees in flight; `None` for no budget). The plan at `mu` is
    /// kept when it fits. Otherwise μ grows by [`BUDGET_MU_STEP`] until a plan fits (at most
    /// [`MAX_BUDGET_ESCALATIONS`] times), and a geometric bisection between the last μ over
    /// budget and the first within it ([`BUDGET_BISECTIONS`] solves) finds a more reliable plan
    /// that still fits: the most reliable plan within budget that this search meets, in a
    /// bounded number of solves. When no μ fits, the cheapest plan found is returned, for the
    /// caller to refuse with what it costs.
    #[allow(clippy::too_many_arguments)]
    fn plan_flow(
        &mut self,
        from: NodeIdx,
        to: NodeIdx,
        residual: Msat,
        mu: f64,
        round: u32,
        fallback_needed: &mut bool,
        budget: Option<Msat>,
    ) -> Result<Result<Plan, StopReason>, SessionError> {
        let first = self.plan_mcf(from, to, residual, mu, round, fallback_needed)?;
        let (Some(budget), Ok(plan)) = (budget, &first) else {
            return Ok(first);
        };
        let fits = |p: &Plan| !p.attempts.is_empty() && p.fee <= budget;
        if fits(plan) || plan.attempts.is_empty() {
            return Ok(first);
        }
        let mut cheapest = first.expect("matched Ok above");
        // Start from the payment's own μ, or from frugality 1 when fees had no weight.
        let mut lo = mu;
        let mut m = if mu > 0.0 {
            mu
        } else {
            self.frugality_mu(residual, 1.0)?
        };
        let mut found: Option<(f64, Plan)> = None;
        for _ in 0..MAX_BUDGET_ESCALATIONS {
            m *= BUDGET_MU_STEP;
            match self.plan_mcf(from, to, residual, m, round, fallback_needed)? {
                Err(stop) => return Ok(Err(stop)),
                Ok(p) if fits(&p) => {
                    found = Some((m, p));
                    break;
                }
                Ok(p) => {
                    lo = m;
                    if !p.attempts.is_empty()
                        && (cheapest.attempts.is_empty() || p.fee < cheapest.fee)
                    {
                        cheapest = p;
                    }
                }
            }
        }
        let Some((mut hi, mut best)) = found else {
            return Ok(Ok(cheapest));
        };
        for _ in 0..BUDGET_BISECTIONS {
            let mid = if lo > 0.0 {
                (lo * hi).sqrt()
            } else {
                hi / BUDGET_MU_STEP.sqrt()
            };
            match self.plan_mcf(from, to, residual, mid, round, fallback_needed)? {
                Ok(p) if fits(&p) => {
                    hi = mid;
                    best = p;
                }
                _ => lo = mid,
            }
        }
        Ok(Ok(best))
    }

    /// μ of frugality `f` for `amount` (cached like [`Session::mu_for`]).
    fn frugality_mu(&mut self, amount: Msat, f: f64) -> Result<f64, SessionError> {
        if let Some(&(_, _, mu)) = self
            .mu_cache
            .iter()
            .find(|(a, bits, _)| *a == amount && *bits == f.to_bits())
        {
            return Ok(mu);
        }
        let mu = mu_from_frugality(self.graph, amount, f)
            .map_err(|e| SessionError::InvalidParameter {
                name: "frugality",
                reason: e.to_string(),
            })?
            .mu;
        if self.mu_cache.len() >= 64 {
            self.mu_cache.clear();
        }
        self.mu_cache.push((amount, f.to_bits(), mu));
        Ok(mu)
    }

    /// Plans one round of the flow strategy: the best plan over the candidates of the module
    /// docs, or the reason to stop. Once a round of this payment needed every channel, later
    /// rounds start there (`fallback_needed`).
    fn plan_mcf(
        &mut self,
        from: NodeIdx,
        to: NodeIdx,
        residual: Msat,
        mu: f64,
        round: u32,
        fallback_needed: &mut bool,
    ) -> Result<Result<Plan, StopReason>, SessionError> {
        let threshold = self.params.base_fee_threshold;
        let can_fall_back = self.params.base_fee_fallback && threshold < Msat::MAX;
        // No plan can beat what the sender's and the receiver's channels allow: when even that
        // is below the threshold, stop without solving anything.
        let widest = if can_fall_back { Msat::MAX } else { threshold };
        let mut model = self.take_synced_model(&self.linearize_params(mu, widest))?;
        let request = Round::new(from, to, residual).excluding(&self.excluded);
        let bounds = model
            .cut_bound(&request)
            .and_then(|cut| Ok((cut, model.probability_bound(&request)?)));
        self.model = Some(model);
        let (cut, bound) = bounds.map_err(linearize_err)?;
        let q = self.params.quantum.0;
        if cut < residual.0.div_ceil(q) {
            return Ok(Err(StopReason::Infeasible {
                max_flow: Msat(cut.saturating_mul(q).min(residual.0)),
                residual,
            }));
        }
        let floor = self
            .params
            .min_plan_probability
            .max(self.params.min_cut_probability);
        if bound < floor {
            return Ok(Err(StopReason::LowProbability {
                probability: bound,
                threshold: floor,
            }));
        }
        let mut candidates = Vec::with_capacity(3);
        if !(*fallback_needed && can_fall_back) {
            candidates.push((threshold, mu, false));
        }
        if can_fall_back {
            candidates.push((Msat::MAX, mu, true));
        }
        let mut best: Option<Plan> = None;
        let mut max_flow = Msat::ZERO;
        let mut next = 0;
        let mut replans = 0;
        while next < candidates.len() {
            let (threshold, mu, fallback) = candidates[next];
            next += 1;
            let excluded_before = self.excluded_list.len();
            match self.solve_candidate(from, to, residual, threshold, mu, fallback, round)? {
                Candidate::Infeasible(m) => max_flow = max_flow.max(m),
                Candidate::Plan(plan) => {
                    let ok = !plan.attempts.is_empty()
                        && plan.probability >= self.params.min_plan_probability;
                    if ok {
                        *fallback_needed |= fallback;
                        return Ok(Ok(plan));
                    }
                    // Every part was dropped for HTLC or path limits, and their culprit hops
                    // are now excluded for the rest of the payment: solve the same candidate
                    // again without them before trying anything else.
                    if plan.attempts.is_empty()
                        && self.excluded_list.len() > excluded_before
                        && replans < MAX_REPLANS_PER_ROUND
                    {
                        replans += 1;
                        next -= 1;
                        continue;
                    }
                    // A feasible but improbable plan: also try reliability only (μ = 0) on the
                    // same channels, after the candidates already queued.
                    if mu > 0.0 && next == candidates.len() {
                        candidates.push((threshold, 0.0, fallback));
                    }
                    let better = match &best {
                        None => true,
                        Some(b) => {
                            (plan.attempts.is_empty(), -plan.probability)
                                < (b.attempts.is_empty(), -b.probability)
                        }
                    };
                    if better {
                        best = Some(plan);
                    }
                }
            }
        }
        if let Some(b) = &best {
            *fallback_needed |= b.fallback;
        }
        Ok(best.ok_or(StopReason::Infeasible { max_flow, residual }))
    }

    #[allow(clippy::too_many_arguments)]
    fn solve_candidate(
        &mut self,
        from: NodeIdx,
        to: NodeIdx,
        residual: Msat,
        threshold: Msat,
        mu: f64,
        fallback: bool,
        round: u32,
    ) -> Result<Candidate, SessionError> {
        let mut model = self.take_synced_model(&self.linearize_params(mu, threshold))?;
        let request = Round::new(from, to, residual).excluding(&self.excluded);
        let q = self.params.quantum.0;
        let mut lin = std::mem::take(&mut self.lin);
        // Cheap infeasibility test first: what leaves the sender or enters the receiver.
        let assembled = model.cut_bound(&request).and_then(|bound| {
            if bound < residual.0.div_ceil(q) {
                return Ok(Some(bound));
            }
            model.assemble(&request, &mut lin).map(|()| None)
        });
        self.model = Some(model);
        let result = match assembled.map_err(linearize_err) {
            Ok(Some(bound)) => Ok(Candidate::Infeasible(Msat(
                bound.saturating_mul(q).min(residual.0),
            ))),
            Ok(None) => self.solve_assembled(&lin, residual, mu, fallback, round),
            Err(e) => Err(e),
        };
        self.lin = lin;
        result
    }

    fn solve_assembled(
        &mut self,
        lin: &Linearized,
        residual: Msat,
        mu: f64,
        fallback: bool,
        round: u32,
    ) -> Result<Candidate, SessionError> {
        let (from, to) = (lin.source, lin.target);
        let q = lin.quantum;
        let solution = match self.solver()?.solve(&lin.problem) {
            Ok(s) => s,
            Err(McfError::Infeasible { max_flow, .. }) => {
                let m = Msat((max_flow.max(0) as u64).saturating_mul(q.0).min(residual.0));
                return Ok(Candidate::Infeasible(m));
            }
            Err(e) => return Err(SessionError::Solver { source: e }),
        };
        let flows = flow_per_direction(lin, &solution).map_err(linearize_err)?;
        let paths = decompose(self.graph, from, to, &flows)?;
        let crate::attempt::Shaped { parts, dropped } =
            shape_parts(self.graph, paths, &self.params.limits)?;
        for (_, why) in dropped {
            let d = match why {
                Dropped::TooLong(d) | Dropped::BelowHtlcMin(d) | Dropped::AboveHtlcMax(d) => d,
                Dropped::TooManyParts => continue,
            };
            if !self.excluded[d.ix()] {
                self.excluded[d.ix()] = true;
                self.excluded_list.push(d);
            }
        }
        let plan = self.make_plan(parts, residual, round, mu, fallback)?;
        Ok(Candidate::Plan(plan))
    }

    /// Turns parts into attempts: trims each to what the belief allows on every hop (counting
    /// earlier parts of the round), drops it if nothing or less than a hop's htlc minimum is
    /// left; puts what trimming took off onto the round's attempts that have room (see
    /// [`Session::grow`]); makes what the round leaves of `residual` routable (see
    /// [`Session::leave_routable`]); then computes each attempt's probability, counting the
    /// round's earlier attempts on shared hops.
    fn make_plan(
        &mut self,
        parts: Vec<(Vec<DirIdx>, Msat)>,
        residual: Msat,
        round: u32,
        mu: f64,
        fallback: bool,
    ) -> Result<Plan, SessionError> {
        let mut attempts = Vec::with_capacity(parts.len());
        let mut trimmed = 0u64;
        for (path, amount) in parts {
            let Some(attempt) = self.fit(round, path, amount)? else {
                continue;
            };
            trimmed += amount.0 - attempt.amount.0;
            self.plan_hops(&attempt, true);
            attempts.push(attempt);
        }
        // The fee amplification the flow problem ignores made some parts smaller than planned
        // (typically over a channel whose liquidity is known exactly and that the flow fills,
        // such as the sender's own). Rather than leave those few msat to a later round, where
        // they may be below every htlc_minimum_msat, they go onto the attempts that have room,
        // in order, as Core Lightning's askrene refines its flows.
        for a in attempts.iter_mut() {
            if trimmed == 0 {
                break;
            }
            self.plan_hops(a, false);
            if let Some(bigger) = self.grow(round, a, Msat(trimmed))? {
                trimmed -= bigger.amount.0 - a.amount.0;
                *a = bigger;
            }
            self.plan_hops(a, true);
        }
        for d in self.planned_touched.drain(..) {
            self.planned[d.ix()] = Msat::ZERO;
        }
        self.leave_routable(&mut attempts, residual, round)?;
        let (mut probability, mut fee) = (1.0_f64, Msat::ZERO);
        let gate = self.params.min_part_probability;
        let mut kept = Vec::with_capacity(attempts.len());
        for mut a in attempts {
            a.probability = self.planned_probability(&a);
            // A part below the gate goes back into the residual.
            if a.probability < gate {
                continue;
            }
            probability *= a.probability;
            fee = fee.saturating_add(a.fee);
            self.plan_hops(&a, true);
            kept.push(a);
        }
        let attempts = kept;
        for d in self.planned_touched.drain(..) {
            self.planned[d.ix()] = Msat::ZERO;
        }
        Ok(Plan {
            residual,
            attempts,
            probability,
            fee,
            mu,
            fallback,
        })
    }

    /// What a round leaves of `residual` for later must be routable on its own: a remainder
    /// below one flow unit (`quantum`) or below the `htlc_minimum_msat` of the hops in use
    /// (fees trimmed off a part that found no room elsewhere are often a few hundred msat)
    /// could only be sent as a part of its own, which such hops refuse. So when `0 < left <
    /// floor`, with `floor` the larger of the quantum and the largest `htlc_minimum_msat` on
    /// the largest attempt's path, that attempt gives up `floor − left` (if it stays above its
    /// own hops' minimums) and the round leaves exactly `floor`. Smaller, it still fits the
    /// belief.
    fn leave_routable(
        &self,
        attempts: &mut [Attempt],
        residual: Msat,
        round: u32,
    ) -> Result<(), SessionError> {
        let planned: u64 = attempts.iter().map(|a| a.amount.0).sum();
        let left = residual.0.saturating_sub(planned);
        let Some(k) = (0..attempts.len()).max_by_key(|&k| (attempts[k].amount, Reverse(k))) else {
            return Ok(());
        };
        let g = self.graph;
        let a = &attempts[k];
        let floor = a
            .path
            .iter()
            .map(|&d| g.policy(d).htlc_minimum_msat.0)
            .max()
            .unwrap_or(0)
            .max(self.params.quantum.0);
        if left == 0 || left >= floor || a.amount.0 <= floor - left {
            return Ok(());
        }
        let smaller = Attempt::new(g, round, a.path.clone(), Msat(a.amount.0 - (floor - left)))?;
        let above_minimums = smaller
            .path
            .iter()
            .zip(&smaller.hop_amounts)
            .all(|(&d, &h)| h >= g.policy(d).htlc_minimum_msat);
        if above_minimums {
            attempts[k] = smaller;
        }
        Ok(())
    }

    /// Adds (`add`) or removes the hop amounts of `a` to or from what the round being planned
    /// puts on each direction.
    fn plan_hops(&mut self, a: &Attempt, add: bool) {
        for (&d, &h) in a.path.iter().zip(&a.hop_amounts) {
            let p = &mut self.planned[d.ix()];
            if add {
                if *p == Msat::ZERO {
                    self.planned_touched.push(d);
                }
                *p = p.saturating_add(h);
            } else {
                *p = Msat(p.0.saturating_sub(h.0));
            }
        }
    }

    /// The success probability of `a` under the belief, counting what the round's earlier
    /// attempts put on its hops.
    fn planned_probability(&self, a: &Attempt) -> f64 {
        a.path
            .iter()
            .zip(&a.hop_amounts)
            .map(|(&d, &h)| {
                self.belief
                    .probability(d, h.saturating_add(self.planned[d.ix()]))
            })
            .product()
    }

    /// `a` carrying up to `extra` more along the same path: the largest amount whose every hop
    /// still fits `amount + in_flight + planned <= max` under the belief and the hop's
    /// `htlc_maximum_msat` (what the round's other attempts plan must not include `a`), or
    /// `None` when it cannot carry 1 msat more.
    ///
    /// # Complexity
    /// O(log(extra) · hops).
    fn grow(&self, round: u32, a: &Attempt, extra: Msat) -> Result<Option<Attempt>, SessionError> {
        let fits = |x: &Attempt| {
            x.path.iter().zip(&x.hop_amounts).all(|(&d, &h)| {
                let used = self
                    .belief
                    .in_flight(d)
                    .saturating_add(self.planned[d.ix()]);
                h.saturating_add(used) <= self.belief.max(d)
                    && h <= self.graph.policy(d).htlc_maximum_msat
            })
        };
        let (mut lo, mut hi) = (0u64, extra.0);
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            let bigger = Attempt::new(self.graph, round, a.path.clone(), Msat(a.amount.0 + mid))?;
            if fits(&bigger) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        if lo == 0 {
            return Ok(None);
        }
        Attempt::new(self.graph, round, a.path.clone(), Msat(a.amount.0 + lo)).map(Some)
    }

    /// The attempt for `amount` along `path`, trimmed to the largest amount whose every hop
    /// fits `amount + in_flight + planned <= max` under the belief, or `None`.
    fn fit(
        &self,
        round: u32,
        path: Vec<DirIdx>,
        amount: Msat,
    ) -> Result<Option<Attempt>, SessionError> {
        let fits = |a: &Attempt| {
            a.path.iter().zip(&a.hop_amounts).all(|(&d, &h)| {
                let used = self
                    .belief
                    .in_flight(d)
                    .saturating_add(self.planned[d.ix()]);
                h.saturating_add(used) <= self.belief.max(d)
                    && h >= self.graph.policy(d).htlc_minimum_msat
            })
        };
        let mut attempt = Attempt::new(self.graph, round, path, amount)?;
        if !fits(&attempt) {
            // Largest fitting amount by bisection: hop amounts grow with the amount.
            let (mut lo, mut hi) = (0u64, amount.0);
            while lo < hi {
                let mid = lo + (hi - lo).div_ceil(2);
                let a = Attempt::new(self.graph, round, attempt.path.clone(), Msat(mid))?;
                if fits(&a) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            if lo == 0 {
                return Ok(None);
            }
            attempt = Attempt::new(self.graph, round, attempt.path, Msat(lo))?;
            if !fits(&attempt) {
                // Below an htlc minimum at every fitting amount.
                return Ok(None);
            }
        }
        attempt.probability = self.planned_probability(&attempt);
        Ok(Some(attempt))
    }

    /// One round of a single-path baseline: the whole residual on one route.
    fn plan_single(
        &mut self,
        kind: RouteKind,
        from: NodeIdx,
        to: NodeIdx,
        residual: Msat,
        round: u32,
    ) -> Result<Result<Plan, StopReason>, SessionError> {
        let excluded = |d: DirIdx| self.excluded[d.ix()];
        let Some(path) = single_path(
            self.graph,
            &self.belief,
            from,
            to,
            residual,
            kind,
            &excluded,
        ) else {
            return Ok(Err(StopReason::NoUsableRoute));
        };
        let parts = shape_parts(
            self.graph,
            vec![(path, residual)],
            &crate::Limits {
                max_parts: Some(1),
                ..self.params.limits
            },
        )?
        .parts;
        let mut attempts = Vec::new();
        let (mut probability, mut fee) = (1.0, Msat::ZERO);
        // A single part that needs no split; anything else is unusable for a single-path router.
        if let [(path, amount)] = &parts[..] {
            if *amount == residual {
                if let Some(a) = self.fit(round, path.clone(), *amount)? {
                    if a.amount == residual {
                        probability = a.probability;
                        fee = a.fee;
                        attempts.push(a);
                    }
                }
            }
        }
        Ok(Ok(Plan {
            residual,
            attempts,
            probability,
            fee,
            mu: 0.0,
            fallback: false,
        }))
    }

    /// Sends one attempt and learns from the outcome (SPEC §2, §6 step 4).
    fn send(&mut self, a: &mut Attempt) -> Result<(), SessionError> {
        let outcome = self.network.send(&a.path, &a.hop_amounts)?;
        let g = self.graph;
        match outcome {
            SendOutcome::Forwarded => {
                // x = this hop's amount + our other in-flight amounts there, taken before
                // reserving this attempt.
                let xs: Vec<Msat> = a
                    .path
                    .iter()
                    .zip(&a.hop_amounts)
                    .map(|(&d, &h)| h.saturating_add(self.belief.in_flight(d)))
                    .collect();
                for (i, (&d, &h)) in a.path.iter().zip(&a.hop_amounts).enumerate() {
                    if let Err(e) = self.belief.reserve(d, h) {
                        for (&e_d, &e_h) in a.path[..i].iter().zip(&a.hop_amounts) {
                            // Undo what was reserved; cannot fail (just reserved).
                            let _ = self.belief.release(e_d, e_h);
                        }
                        self.network.release(&a.path, &a.hop_amounts)?;
                        return Err(belief_err(e, g, d));
                    }
                }
                a.status = AttemptStatus::InFlight;
                for (&d, &x) in a.path.iter().zip(&xs) {
                    self.belief
                        .learn_forwarded(d, x)
                        .map_err(|e| belief_err(e, g, d))?;
                }
            }
            SendOutcome::FailedAt { hop } => {
                if hop >= a.path.len() {
                    return Err(SessionError::Network {
                        reason: format!(
                            "reported a failure at hop {hop} of a {}-hop path",
                            a.path.len()
                        ),
                    });
                }
                a.status = AttemptStatus::FailedAt { hop };
                for (i, (&d, &h)) in a.path.iter().zip(&a.hop_amounts).enumerate().take(hop + 1) {
                    let x = h.saturating_add(self.belief.in_flight(d));
                    let r = if i < hop {
                        self.belief.learn_forwarded(d, x)
                    } else {
                        self.belief.learn_failed(d, x)
                    };
                    r.map_err(|e| belief_err(e, g, d))?;
                }
            }
        }
        Ok(())
    }

    fn settle_all(&mut self, run: &mut Run) -> Result<(), SessionError> {
        let mut first_err = None;
        for a in run.attempts.iter_mut() {
            if a.status != AttemptStatus::InFlight {
                continue;
            }
            if let Err(e) = self.network.settle(&a.path, &a.hop_amounts) {
                first_err.get_or_insert(e);
                continue;
            }
            a.status = AttemptStatus::Settled;
            for (&d, &h) in a.path.iter().zip(&a.hop_amounts) {
                if let Err(e) = self.belief.settle(d, h) {
                    first_err.get_or_insert(belief_err(e, self.graph, d));
                    // Keep the belief free of in-flight leftovers even then.
                    let _ = self.belief.release(d, h);
                }
            }
        }
        match first_err {
            None => Ok(()),
            Some(e) => {
                // Whatever could not be settled is released.
                self.release_all(run)?;
                Err(e)
            }
        }
    }

    fn release_all(&mut self, run: &mut Run) -> Result<(), SessionError> {
        let mut first_err = None;
        for a in run.attempts.iter_mut() {
            if a.status != AttemptStatus::InFlight {
                continue;
            }
            if let Err(e) = self.network.release(&a.path, &a.hop_amounts) {
                first_err.get_or_insert(e);
            }
            a.status = AttemptStatus::Released;
            for (&d, &h) in a.path.iter().zip(&a.hop_amounts) {
                if let Err(e) = self.belief.release(d, h) {
                    first_err.get_or_insert(belief_err(e, self.graph, d));
                }
            }
        }
        first_err.map_or(Ok(()), Err)
    }

    #[allow(clippy::too_many_arguments)]
    fn report(
        &self,
        strategy: Strategy,
        from: NodeIdx,
        to: NodeIdx,
        amount: Msat,
        stop: StopReason,
        run: Run,
        (entropy_before, entropy_after): (f64, f64),
        t0: Instant,
    ) -> PaymentReport {
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
}

/// Decomposes per-direction flows (msat, conserving flow from `from` to `to`) into paths with
/// amounts, using `pp_mcf::decompose` on the compact problem of the directions that carry flow.
/// Cycles carry nothing and are dropped; paths are loop-erased.
fn decompose(
    graph: &Graph,
    from: NodeIdx,
    to: NodeIdx,
    flows: &[(DirIdx, Msat)],
) -> Result<Vec<(Vec<DirIdx>, Msat)>, SessionError> {
    // Compact node ids: only nodes touched by the flow.
    let mut ids: Vec<NodeIdx> = Vec::with_capacity(2 * flows.len() + 2);
    ids.push(from);
    ids.push(to);
    for &(d, _) in flows {
        ids.push(graph.source(d));
        ids.push(graph.target(d));
    }
    ids.sort_unstable();
    ids.dedup();
    let id = |n: NodeIdx| ids.binary_search(&n).expect("collected above") as u32;
    let mut p = Problem::new(ids.len());
    let mut flow = Vec::with_capacity(flows.len());
    for &(d, f) in flows {
        let f = i64::try_from(f.0).map_err(|_| SessionError::Overflow {
            what: "flow on a direction",
        })?;
        p.add_arc(id(graph.source(d)), id(graph.target(d)), f, 0);
        flow.push(f);
    }
    let total: i64 = flows
        .iter()
        .filter(|(d, _)| graph.source(*d) == from)
        .map(|(_, f)| f.0 as i64)
        .sum::<i64>()
        - flows
            .iter()
            .filter(|(d, _)| graph.target(*d) == from)
            .map(|(_, f)| f.0 as i64)
            .sum::<i64>();
    p.set_single_pair(id(from), id(to), total);
    let paths = pp_mcf::decompose(&p, &flow).map_err(|e| SessionError::Solver { source: e })?;
    let mut out = Vec::with_capacity(paths.len());
    for pf in paths {
        if pf.amount <= 0 {
            continue;
        }
        let mut path: Vec<DirIdx> = pf.arcs.iter().map(|a| flows[a.index()].0).collect();
        loop_erase(graph, &mut path);
        if path.is_empty() {
            continue;
        }
        out.push((path, Msat(pf.amount as u64)));
    }
    Ok(out)
}
