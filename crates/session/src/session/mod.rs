//! The payment loop (docs/MODEL.md §6): [`Session`] owns a belief and a network and delivers payments in
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
//!    piecewise linearization of docs/MODEL.md §3, by a `pp_uncertainty::IncrementalLinearizer` kept
//!    across rounds and payments (it recomputes only the directions whose belief changed;
//!    `htlc_maximum_msat` capping each direction's flow as [`crate::PieceShape::htlc_max`] says, pieces
//!    cut at the demand, arcs grouped by endpoints), solved by the chosen backend; the
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
//! (at most `MAX_REPLANS_PER_ROUND` = 8 times per round) before the next one is tried. When
//! the per-direction `htlc_maximum_msat` cap leaves the round infeasible, the payment caps
//! each part instead from then on ([`PayParams::htlc_max_fallback`]).
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
//!
//! **Code map.** This file holds the API and the checks of a request; `rounds.rs` the loop and
//! the rules that stop it (`Session::rounds`, `Session::refuse_plan`); `planner.rs` the flow
//! model, μ, the solver and its candidates and fallbacks, the fee-budget search and the
//! single-path baselines; `parts.rs` how paths become attempts that fit the belief (one
//! bisection for trimming and growing); `learn.rs` sending, learning from the answer
//! (`pp_uncertainty::Belief::learn_attempt`, all or nothing) and settling or releasing;
//! `summary.rs` the reports.

mod learn;
mod parts;
mod planner;
mod rounds;
mod summary;

use crate::attempt::Attempt;
use crate::baseline::RouteKind;
use crate::error::{NetworkFault, SessionError};
use crate::network::PaymentNetwork;
use crate::params::{PayParams, StopReason, Strategy};
use crate::report::{PaymentReport, PlanReport, ProblemSummary, RoundReport};
use pp_graph::{DirIdx, Graph, Msat, NodeId, NodeIdx, MAX_SUPPLY_SAT};
use pp_mcf::McfSolver;
use pp_uncertainty::{
    Belief, DetachedLinearizer, HtlcMaxRule, IncrementalLinearizer, Linearized, UncertaintyError,
};
use std::time::Instant;

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
    /// The first flow problem solved since [`Session::plan_with`] began (for its report).
    first_solved: Option<ProblemSummary>,
    /// A copy of that problem with the rules it was built under, kept only while
    /// [`Session::planned_problem`] asks for it: (problem, every channel, `htlc_maximum_msat`
    /// per part).
    first_problem: Option<(Box<Linearized>, bool, bool)>,
    /// Whether [`Session::solve_assembled`] keeps `first_problem`.
    keep_first_problem: bool,
    /// The payment (or plan) under way caps `htlc_maximum_msat` per part, because the
    /// per-direction cap left it infeasible ([`PayParams::htlc_max_fallback`]).
    split_htlc_max: bool,
}

/// The flow problem behind a plan ([`Session::planned_problem`]).
#[derive(Debug, Clone)]
pub struct PlannedProblem {
    /// The problem, as round 1 assembles it.
    pub problem: Linearized,
    /// Built over every channel, the base-fee threshold ignored (the round fell back to that).
    pub every_channel: bool,
    /// Built with `htlc_maximum_msat` capping each part rather than each direction's flow
    /// ([`PayParams::htlc_max_fallback`], or [`HtlcMaxRule::PerPart`] asked for).
    pub htlc_max_per_part: bool,
    /// The plan.
    pub plan: PlanReport,
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

/// What [`Session::take_cache`] keeps warm for a later session on the same graph: the flow
/// model and the solver. Empty by default.
#[derive(Debug, Default)]
pub struct SessionCache {
    model: Option<DetachedLinearizer>,
    solver: Option<Box<dyn McfSolver>>,
}

/// The state of one payment while it runs.
#[derive(Debug, Default)]
struct Run {
    attempts: Vec<Attempt>,
    rounds: Vec<RoundReport>,
    solve_ms: f64,
}

/// One round's request to the planner: the residual from `from` to `to`, and the round's number
/// (the label of the attempts it plans).
#[derive(Debug, Clone, Copy)]
struct Leg {
    from: NodeIdx,
    to: NodeIdx,
    residual: Msat,
    round: u32,
}

/// What a payment is: strategy, sender, receiver, amount.
#[derive(Debug, Clone, Copy)]
struct Payment {
    strategy: Strategy,
    from: NodeIdx,
    to: NodeIdx,
    amount: Msat,
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1e3
}

fn linearize_err(e: UncertaintyError) -> SessionError {
    SessionError::Linearize { source: e }
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
            first_solved: None,
            first_problem: None,
            keep_first_problem: false,
            split_htlc_max: false,
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

    /// What stays warm between sessions on the same graph: the flow model (every direction's
    /// pieces, detached from the graph) and the solver with its buffers. A node that builds a
    /// session per payment or per route query ([`SessionCache`]) hands it to the next session
    /// with [`Session::with_cache`], which then recomputes only the directions whose belief
    /// changed instead of all of them.
    ///
    /// # Complexity
    /// O(1).
    pub fn take_cache(&mut self) -> SessionCache {
        SessionCache {
            model: self.model.take().map(IncrementalLinearizer::detach),
            solver: self.solver.take(),
        }
    }

    /// This session with what an earlier session on the same graph kept warm
    /// ([`Session::take_cache`]). A cache of another graph, or one that does not fit the
    /// session's belief, is dropped: the session builds its flow model on first use, as
    /// without a cache.
    ///
    /// # Complexity
    /// O(D) (the digest and a sync with the belief).
    pub fn with_cache(mut self, cache: SessionCache) -> Self {
        if let Some(model) = cache.model {
            self.model = IncrementalLinearizer::attach(self.graph, model, &self.belief).ok();
        }
        if let Some(solver) = cache.solver {
            if solver.name() == self.params.solver {
                self.solver = Some(solver);
            }
        }
        self
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

    /// Leaves `d` out of flow problems and routes for the rest of the payment or plan.
    fn exclude(&mut self, d: DirIdx) {
        if !self.excluded[d.ix()] {
            self.excluded[d.ix()] = true;
            self.excluded_list.push(d);
        }
    }

    /// Forgets what a payment or a plan decided for itself alone: the hops it excluded, and the
    /// per-part `htlc_maximum_msat` cap of [`PayParams::htlc_max_fallback`].
    fn end_payment(&mut self) {
        self.split_htlc_max = false;
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
        if strategy.is_external() {
            return Err(external(strategy));
        }
        self.check_request(from, to, amount)?;
        let t0 = Instant::now();
        if self.params.local_knowledge {
            self.pin_local(from)?;
        }
        let entropy_before = self.synced_model()?.total_entropy_bits();
        let mut run = Run::default();
        let payment = Payment {
            strategy,
            from,
            to,
            amount,
        };
        let outcome = self.rounds(payment, &mut run);
        // Resolve everything in flight, whatever happened.
        let resolved = match outcome {
            Ok(StopReason::Delivered) => self.settle_all(&mut run),
            _ => self.release_all(&mut run),
        };
        self.end_payment();
        let stop = outcome?;
        resolved?;
        let entropy = (entropy_before, self.synced_model()?.total_entropy_bits());
        Ok(self.report(payment, stop, run, entropy, t0))
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

    /// The min-cost-flow problem that round 1 of paying `amount` from `from` to `to` solves
    /// first, on the current belief: the same arcs in the same order with the same costs (with
    /// [`PayParams::local_knowledge`] the sender's channels are pinned first, as paying does).
    /// `pickhardt mcf export` writes it; [`PlanReport::problem`] reports its optimal cost.
    ///
    /// # Errors
    /// As [`Session::pay`].
    pub fn first_round_problem(
        &mut self,
        from: &NodeId,
        to: &NodeId,
        amount: Msat,
    ) -> Result<Linearized, SessionError> {
        let (f, t) = self.node_pair(from, to)?;
        self.check_request(f, t, amount)?;
        if self.params.local_knowledge {
            self.pin_local(f)?;
        }
        self.first_problem(f, t, amount)
    }

    /// The flow problem whose optimal flow [`Session::plan`] turns into round 1's parts first,
    /// after whatever the round fell back to (every channel when the base-fee threshold left it
    /// infeasible, `htlc_maximum_msat` per part when the per-direction cap did): the problem
    /// [`PlanReport::problem`] reports, which `pickhardt mcf export` writes. When round 1 solves
    /// no feasible problem (the plan stops first), the problem it tries first
    /// ([`Session::first_round_problem`]). The plan comes with it.
    ///
    /// # Errors
    /// As [`Session::pay`].
    pub fn planned_problem(
        &mut self,
        from: &NodeId,
        to: &NodeId,
        amount: Msat,
    ) -> Result<PlannedProblem, SessionError> {
        self.keep_first_problem = true;
        let plan = self.plan(from, to, amount);
        self.keep_first_problem = false;
        let kept = self.first_problem.take();
        let plan = plan?;
        let (problem, every_channel, htlc_max_per_part) = match kept {
            Some((lin, every, per_part)) => (*lin, every, per_part),
            None => (
                self.first_round_problem(from, to, amount)?,
                self.params.base_fee_threshold == Msat::MAX,
                false,
            ),
        };
        Ok(PlannedProblem {
            problem,
            every_channel,
            htlc_max_per_part: htlc_max_per_part
                || self.params.shape.htlc_max == HtlcMaxRule::PerPart,
            plan,
        })
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
        let leg = Leg {
            from: f,
            to: t,
            residual: amount,
            round: 1,
        };
        let t_solve = Instant::now();
        self.first_solved = None;
        self.first_problem = None;
        let planned = match strategy {
            Strategy::Mcf => {
                let mu = self.mu_for(amount)?;
                let mu = self.round_mu(mu, 1);
                let budget = self.params.fee_budget.for_amount(amount);
                self.plan_flow(leg, mu, &mut false, budget)
            }
            Strategy::Cheapest => self.plan_single(RouteKind::Cheapest, leg),
            Strategy::Probable => self.plan_single(RouteKind::Probable, leg),
            Strategy::Ldk | Strategy::McfLdk => return Err(external(strategy)),
        };
        let solve_ms = ms(t_solve);
        let payment = Payment {
            strategy,
            from: f,
            to: t,
            amount,
        };
        let report = planned.map(|p| self.plan_report(payment, p, solve_ms));
        // What the plan decided for itself is forgotten, as at the end of a payment.
        self.end_payment();
        report
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
            let in_flight = self.belief.in_flight(d);
            let liquidity = spendable.saturating_add(in_flight);
            if self.belief.set_exact(d, liquidity).is_err() {
                return Err(SessionError::Network(NetworkFault::LocalAboveCapacity {
                    scid: self.graph.scid(d),
                    spendable,
                    in_flight,
                    capacity: self.graph.capacity(d),
                }));
            }
        }
        Ok(())
    }
}

/// The error for a strategy another crate drives ([`Strategy::EXTERNAL`]).
fn external(strategy: Strategy) -> SessionError {
    SessionError::InvalidParameter {
        name: "strategy",
        reason: format!(
            "{strategy} is driven by the crate pp-ldk (pp_ldk::simulate_ldk), not by a Session"
        ),
    }
}
