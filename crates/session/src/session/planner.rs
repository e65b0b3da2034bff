//! Planning one round of the flow strategy (docs/MODEL.md §3, §6, §9): the flow model kept in
//! sync with the belief, μ, the solver, the candidates and fallbacks of a round, the fee-budget
//! search over μ, the decomposition of the solved flow into paths; and the single-path
//! baselines' rounds.

use super::{linearize_err, Candidate, Leg, Plan, Session};
use crate::attempt::{shape_parts, Dropped};
use crate::baseline::{route, RouteKind};
use crate::error::SessionError;
use crate::network::PaymentNetwork;
use crate::params::{FeeWeight, StopReason};
use crate::report::ProblemSummary;
use pp_graph::{DirIdx, Graph, Msat, NodeIdx};
use pp_mcf::{McfError, McfSolver, Problem};
use pp_uncertainty::{
    flow_per_direction, mu_from_frugality, ArcOrder, HtlcMaxRule, IncrementalLinearizer,
    LinearizeParams, Linearized, Round,
};

/// dropped for HTLC or path limits (each time without the hops that caused it). Default: 8.
const MAX_REPLANS_PER_ROUND: u32 = 8;

/// Parts per round once a payment caps `htlc_maximum_msat` per part
/// ([`crate::PayParams::htlc_max_fallback`]): 10, LDK's default `max_path_count`. Without it a
/// payment behind channels with a 1,000 sat maximum sent hundreds of parts in one round, and on
/// ln-2026 (seed 1, 200 payments at 100k sat) the fallback cost 101 failed attempts instead of
/// 10 for the same 3 deliveries; the largest parts go first, the rest waits for later rounds.
const HTLC_FALLBACK_MAX_PARTS: usize = 10;

/// How much μ grows per step of the fee-budget search: ×4.
const BUDGET_MU_STEP: f64 = 4.0;
/// Steps of the fee-budget search before it gives up: 8 (μ up to 4^8 = 65,536 times the
/// payment's, where fees dominate every plan).
const MAX_BUDGET_ESCALATIONS: u32 = 8;
/// Bisection solves of the fee-budget search once a plan fits: 2.
const BUDGET_BISECTIONS: u32 = 2;

impl<'g, N: PaymentNetwork> Session<'g, N> {
    /// The flow model taken out of the session, set to `params` and synced with the belief
    /// (built on first use); the caller puts it back into `self.model`.
    pub(super) fn take_synced_model(
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

    /// The flow model's parameters for a round at `mu` and `base_fee_threshold`: the payment's
    /// ([`crate::PayParams::linearize_params`]), with `htlc_maximum_msat` capped per part once
    /// the payment fell back to that ([`crate::PayParams::htlc_max_fallback`]).
    pub(super) fn lin_params(&self, mu: f64, base_fee_threshold: Msat) -> LinearizeParams {
        let mut p = self.params.linearize_params(mu, base_fee_threshold);
        if self.split_htlc_max {
            p.shape.htlc_max = HtlcMaxRule::PerPart;
        }
        p
    }

    pub(super) fn synced_model(&mut self) -> Result<&mut IncrementalLinearizer<'g>, SessionError> {
        let params = self.lin_params(0.0, self.params.base_fee_threshold);
        let m = self.take_synced_model(&params)?;
        Ok(self.model.insert(m))
    }

    /// The μ round `round` of a payment with μ `mu` plans with: `mu` times
    /// [`crate::PayParams::first_round_fee_weight`] in round 1, `mu` after.
    pub(super) fn round_mu(&self, mu: f64, round: u32) -> f64 {
        if round == 1 {
            mu * self.params.first_round_fee_weight
        } else {
            mu
        }
    }

    /// μ for a payment of `amount` (fixed, or from the frugality; cached per amount).
    pub(super) fn mu_for(&mut self, amount: Msat) -> Result<f64, SessionError> {
        match self.params.fee_weight {
            FeeWeight::Mu(m) => Ok(m),
            FeeWeight::Frugality(f) => self.frugality_mu(amount, f),
        }
    }

    /// μ of frugality `f` for `amount` (cached like [`Session::mu_for`]).
    pub(super) fn frugality_mu(&mut self, amount: Msat, f: f64) -> Result<f64, SessionError> {
        if let Some(&(_, _, mu)) = self
            .mu_cache
            .iter()
            .find(|(a, bits, _)| *a == amount && *bits == f.to_bits())
        {
            return Ok(mu);
        }
        let mu = mu_from_frugality(self.graph, amount, f)
            .map_err(SessionError::Frugality)?
            .mu;
        if self.mu_cache.len() >= 64 {
            self.mu_cache.clear();
        }
        self.mu_cache.push((amount, f.to_bits(), mu));
        Ok(mu)
    }

    pub(super) fn solver(&mut self) -> Result<&mut Box<dyn McfSolver>, SessionError> {
        if self.solver.is_none() {
            let s =
                pp_mcf::solver_by_name(&self.params.solver).map_err(SessionError::UnknownSolver)?;
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
    ///
    /// When the belief cannot carry the residual with every direction's whole flow capped at its
    /// `htlc_maximum_msat`, the payment caps each part instead from this round on
    /// ([`crate::PayParams::htlc_max_fallback`]) and the round is planned again.
    pub(super) fn plan_flow(
        &mut self,
        leg: Leg,
        mu: f64,
        fallback_needed: &mut bool,
        budget: Option<Msat>,
    ) -> Result<Result<Plan, StopReason>, SessionError> {
        let planned = self.plan_within(leg, mu, fallback_needed, budget)?;
        let can_split = self.params.htlc_max_fallback
            && self.params.shape.htlc_max == HtlcMaxRule::PerDirection
            && !self.split_htlc_max;
        if can_split && matches!(planned, Err(StopReason::Infeasible { .. })) {
            self.split_htlc_max = true;
            return self.plan_within(leg, mu, fallback_needed, budget);
        }
        Ok(planned)
    }

    /// [`Session::plan_flow`] with the payment's current `htlc_maximum_msat` rule.
    fn plan_within(
        &mut self,
        leg: Leg,
        mu: f64,
        fallback_needed: &mut bool,
        budget: Option<Msat>,
    ) -> Result<Result<Plan, StopReason>, SessionError> {
        let residual = leg.residual;
        let first = self.plan_mcf(leg, mu, fallback_needed)?;
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
            match self.plan_mcf(leg, m, fallback_needed)? {
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
            match self.plan_mcf(leg, mid, fallback_needed)? {
                Ok(p) if fits(&p) => {
                    hi = mid;
                    best = p;
                }
                _ => lo = mid,
            }
        }
        Ok(Ok(best))
    }

    /// Plans one round of the flow strategy: the best plan over the candidates of the module
    /// docs, or the reason to stop. Once a round of this payment needed every channel, later
    /// rounds start there (`fallback_needed`).
    pub(super) fn plan_mcf(
        &mut self,
        leg: Leg,
        mu: f64,
        fallback_needed: &mut bool,
    ) -> Result<Result<Plan, StopReason>, SessionError> {
        let Leg {
            from, to, residual, ..
        } = leg;
        let threshold = self.params.base_fee_threshold;
        let can_fall_back = self.params.base_fee_fallback && threshold < Msat::MAX;
        // No plan can beat what the sender's and the receiver's channels allow: when even that
        // is below the threshold, stop without solving anything.
        let widest = if can_fall_back { Msat::MAX } else { threshold };
        let mut model = self.take_synced_model(&self.lin_params(mu, widest))?;
        let request = Round::new(from, to, residual).excluding(&self.excluded);
        let bounds = model
            .cut_bound(&request)
            .and_then(|cut| Ok((cut, model.probability_bound(&request)?)));
        self.model = Some(model);
        let (cut, bound) = bounds.map_err(linearize_err)?;
        let q = self.params.shape.quantum.0;
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
            match self.solve_candidate(leg, threshold, mu, fallback)? {
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

    pub(super) fn solve_candidate(
        &mut self,
        leg: Leg,
        threshold: Msat,
        mu: f64,
        fallback: bool,
    ) -> Result<Candidate, SessionError> {
        let Leg {
            from, to, residual, ..
        } = leg;
        let mut model = self.take_synced_model(&self.lin_params(mu, threshold))?;
        let request = Round::new(from, to, residual).excluding(&self.excluded);
        let q = self.params.shape.quantum.0;
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
            Ok(None) => self.solve_assembled(&lin, leg, mu, fallback),
            Err(e) => Err(e),
        };
        self.lin = lin;
        result
    }

    /// The flow problem that round 1 of a payment of `amount` from `from` to `to` solves first,
    /// on the current belief (see [`Session::first_round_problem`]).
    pub(super) fn first_problem(
        &mut self,
        from: NodeIdx,
        to: NodeIdx,
        amount: Msat,
    ) -> Result<Linearized, SessionError> {
        let mu = self.mu_for(amount)?;
        let mu = self.round_mu(mu, 1);
        let params = self
            .params
            .linearize_params(mu, self.params.base_fee_threshold);
        let mut model = self.take_synced_model(&params)?;
        let mut lin = Linearized::default();
        let assembled = model.assemble(&Round::new(from, to, amount), &mut lin);
        self.model = Some(model);
        assembled.map_err(linearize_err)?;
        Ok(lin)
    }

    pub(super) fn solve_assembled(
        &mut self,
        lin: &Linearized,
        leg: Leg,
        mu: f64,
        fallback: bool,
    ) -> Result<Candidate, SessionError> {
        let residual = leg.residual;
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
        if self.first_solved.is_none() {
            self.first_solved = Some(ProblemSummary {
                nodes: lin.problem.num_nodes,
                arcs: lin.problem.num_arcs(),
                cost: solution.cost,
            });
            if self.keep_first_problem {
                let every = fallback || self.params.base_fee_threshold == Msat::MAX;
                self.first_problem = Some((Box::new(lin.clone()), every, self.split_htlc_max));
            }
        }
        let flows = flow_per_direction(lin, &solution).map_err(linearize_err)?;
        let paths = decompose(self.graph, from, to, &flows)?;
        let mut limits = self.params.limits;
        if self.split_htlc_max {
            let cap = limits.max_parts.unwrap_or(usize::MAX);
            limits.max_parts = Some(cap.min(HTLC_FALLBACK_MAX_PARTS));
        }
        let crate::attempt::Shaped { parts, dropped } =
            shape_parts(self.graph, paths, &limits, self.params.local_knowledge)?;
        for (_, why) in dropped {
            let d = match why {
                Dropped::TooLong(d) | Dropped::BelowHtlcMin(d) | Dropped::AboveHtlcMax(d) => d,
                Dropped::TooManyParts => continue,
            };
            self.exclude(d);
        }
        let plan = self.make_plan(parts, leg, mu, fallback)?;
        Ok(Candidate::Plan(plan))
    }

    /// One round of a single-path baseline: the whole residual on one route.
    pub(super) fn plan_single(
        &mut self,
        kind: RouteKind,
        leg: Leg,
    ) -> Result<Result<Plan, StopReason>, SessionError> {
        let Leg {
            from,
            to,
            residual,
            round,
        } = leg;
        let excluded = |d: DirIdx| self.excluded[d.ix()];
        let own = self.params.local_knowledge;
        let Some(path) = route(
            self.graph,
            &self.belief,
            (from, to, residual),
            kind,
            &excluded,
            own,
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
            own,
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
}

/// amounts, using `pp_mcf::decompose` on the compact problem of the directions that carry flow.
/// Cycles carry nothing and are dropped; paths are simple.
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
        // Paths of `pp_mcf::decompose` are simple: no node twice, so no loop to erase.
        let path: Vec<DirIdx> = pf.arcs.iter().map(|a| flows[a.index()].0).collect();
        out.push((path, Msat(pf.amount as u64)));
    }
    Ok(out)
}
