//! [`PickhardtRouter`]: LDK's `Router` trait answered by a min-cost flow on the belief.
//!
//! One `find_route` is one round of the Pickhardt loop without sending (pp-session's
//! `Session::plan`), on the belief of the shared [`BeliefScorer`], for what LDK asks:
//!
//! | `RouteParameters` / argument | becomes |
//! |---|---|
//! | `final_value_msat` | the amount; the paths deliver exactly it |
//! | `max_total_routing_fee_msat` | the fee budget (`None`: unlimited) |
//! | `max_total_cltv_expiry_delta` | the CLTV limit per path, minus the final CLTV |
//! | `max_path_count`, payee features | the part limit; one path unless the payee (invoice features or node announcement) allows `basic_mpp` |
//! | `max_path_length` | the hop limit |
//! | `previously_failed_channels` | those channels carry nothing in this query |
//! | `first_hops` | the payer's channels: exactly `next_outbound_htlc_limit_msat` spendable (the belief is pinned to it), parts below `next_outbound_htlc_minimum_msat` are not sent there, the first hop's scid is the channel's outbound scid; directions leaving the payer that are not among them carry nothing |
//! | `InFlightHtlcs` | amounts in flight in the belief for this query only (beyond the first hops, whose limit already excludes them) |
//!
//! If a round's parts deliver less than the amount (a part left out for a first hop's HTLC
//! minimum, say), the router plans the rest with those parts in flight, up to
//! [`MAX_PLANS_PER_QUERY`] times. Every hop follows LDK's conventions: a hop's `fee_msat` and
//! `cltv_expiry_delta` are those its node charges for the *next* channel, the last hop carries
//! the delivered value and the final CLTV delta; `route_params` is the request.
//!
//! **What is handed to the inner router** (LDK's `DefaultRouter` in practice): payments to a
//! blinded payee, to a payee not in the graph (reached through route hints), from a payer not
//! in the graph, or whose only first hops are unannounced channels; and
//! `create_blinded_payment_paths`, which is the receiving side. A payee in the graph with route
//! hints is routed on the graph alone; only when that finds no route does the inner router
//! try, with the hints.
//!
//! Differences from LDK's router: no random CLTV offset ("shadow route") is added to the last
//! hop, and the answer does not depend on an entropy source (the same belief and request give
//! the same route).

use crate::scorer::{BeliefPenalty, BeliefScorer};
use bitcoin::secp256k1::{self, PublicKey, Secp256k1};
use lightning::blinded_path::payment::{BlindedPaymentPath, ReceiveTlvs};
use lightning::ln::channel_state::ChannelDetails;
use lightning::routing::gossip::{NetworkGraph, NodeId as LdkNodeId};
use lightning::routing::router::{
    InFlightHtlcs, Path, Payee, Route, RouteHop, RouteParameters, Router,
};
use lightning::types::features::{ChannelFeatures, NodeFeatures};
use lightning::util::logger::Logger;
use lightning::util::ser::Writeable;
use pp_graph::{DirIdx, Graph, Msat, NodeId, NodeIdx, ShortChannelId};
use pp_session::{FeeBudget, PayParams, PaymentNetwork, SendOutcome, Session, StopReason};
use std::collections::HashMap;
use std::ops::Deref;
use std::sync::Mutex;

/// At most this many plans per `find_route` (the first, and the rest planned for what its
/// parts could not deliver).
pub const MAX_PLANS_PER_QUERY: usize = 4;

/// LDK's `DefaultRouter` scoring with a shared [`BeliefScorer`] (penalties from the belief):
/// the inner router a [`PickhardtRouter`] normally wraps. `G` is the network graph, `L` the
/// logger, `ES` the entropy source.
pub type BeliefDefaultRouter<G, L, ES> = lightning::routing::router::DefaultRouter<
    G,
    L,
    ES,
    std::sync::Arc<Mutex<BeliefScorer>>,
    BeliefPenalty,
    BeliefScorer,
>;

/// A `lightning` [`Router`] that plans multi-path routes with a min-cost flow on the belief of a
/// [`BeliefScorer`], handing to `inner` (normally LDK's `DefaultRouter`) what it does not route
/// itself (see the module docs).
///
/// `G` is the node's `NetworkGraph` (read for node and channel features), `S` the shared
/// scorer (`Arc<Mutex<BeliefScorer>>`, the same one LDK's background processor feeds).
pub struct PickhardtRouter<G, L, R, S>
where
    G: Deref<Target = NetworkGraph<L>>,
    L: Deref,
    L::Target: Logger,
    R: Router,
    S: Deref<Target = Mutex<BeliefScorer>>,
{
    network: G,
    inner: R,
    scorer: S,
    params: PayParams,
}

impl<G, L, R, S> std::fmt::Debug for PickhardtRouter<G, L, R, S>
where
    G: Deref<Target = NetworkGraph<L>>,
    L: Deref,
    L::Target: Logger,
    R: Router,
    S: Deref<Target = Mutex<BeliefScorer>>,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PickhardtRouter")
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

/// Why a query is not ours to answer, or why it failed.
enum Refusal {
    /// Hand it to the inner router.
    Inner,
    /// Fail with LDK's kind of message.
    Fail(&'static str),
}

impl<G, L, R, S> PickhardtRouter<G, L, R, S>
where
    G: Deref<Target = NetworkGraph<L>>,
    L: Deref,
    L::Target: Logger,
    R: Router,
    S: Deref<Target = Mutex<BeliefScorer>>,
{
    /// A router on `network` planning with `scorer`'s belief and pp-session's default
    /// parameters (frugality 5, 5 pieces, …), with `inner` for what it does not route.
    pub fn new(network: G, scorer: S, inner: R) -> Self {
        PickhardtRouter {
            network,
            inner,
            scorer,
            params: PayParams::default(),
        }
    }

    /// Plans with these parameters (the fee budget, limits and local knowledge of each query
    /// come from LDK's request and replace theirs).
    pub fn with_params(mut self, params: PayParams) -> Self {
        self.params = params;
        self
    }

    /// The inner router.
    pub fn inner(&self) -> &R {
        &self.inner
    }

    fn plan(
        &self,
        payer: &PublicKey,
        rp: &RouteParameters,
        first_hops: Option<&[&ChannelDetails]>,
        inflight: &InFlightHtlcs,
    ) -> Result<Route, Refusal> {
        let pp = &rp.payment_params;
        let Payee::Clear {
            node_id: payee,
            route_hints,
            features,
            final_cltv_expiry_delta,
        } = &pp.payee
        else {
            return Err(Refusal::Inner);
        };
        if payee == payer {
            return Err(Refusal::Fail("Cannot generate a route to ourselves"));
        }
        if rp.final_value_msat == 0 {
            return Err(Refusal::Fail("Cannot send a payment of 0 msat"));
        }
        if rp.final_value_msat > 21_000_000 * 100_000_000 * 1000 {
            return Err(Refusal::Fail(
                "Cannot generate a route of more value than all existing satoshis",
            ));
        }
        if pp.max_path_count == 0 {
            return Err(Refusal::Fail("Can't find a route with no paths allowed."));
        }
        let Some(cltv_budget) = pp
            .max_total_cltv_expiry_delta
            .checked_sub(*final_cltv_expiry_delta)
        else {
            return Err(Refusal::Fail(
                "Can't find a route where the maximum total CLTV expiry delta is below the final CLTV expiry.",
            ));
        };
        let mut scorer = self
            .scorer
            .lock()
            .map_err(|_| Refusal::Fail("the belief's lock is poisoned"))?;
        let graph = scorer.graph().clone();
        let Some(from) = graph.node_index(&NodeId(payer.serialize())) else {
            return Err(Refusal::Inner);
        };
        let Some(to) = graph.node_index(&NodeId(payee.serialize())) else {
            if route_hints.is_empty() {
                return Err(Refusal::Fail(
                    "Cannot find a route to a payee not in the network graph",
                ));
            }
            return Err(Refusal::Inner);
        };
        let ro = self.network.read_only();
        let payee_ldk = LdkNodeId::from_pubkey(payee);
        let allow_mpp = pp.max_path_count > 1
            && (features.as_ref().is_some_and(|f| f.supports_basic_mpp())
                || ro
                    .node(&payee_ldk)
                    .and_then(|n| n.announcement_info.as_ref())
                    .is_some_and(|a| a.features().supports_basic_mpp()));
        let max_paths = if allow_mpp {
            usize::from(pp.max_path_count)
        } else {
            1
        };

        // The payer's channels.
        let mut local = LocalView::default();
        if let Some(hops) = first_hops {
            local.known = true;
            let mut unannounced = 0;
            for ch in hops {
                let Some(scid) = ch.get_outbound_payment_scid() else {
                    continue;
                };
                let peer = NodeId(ch.counterparty.node_id.serialize());
                let found = graph.out_dirs(from).find(|&d| {
                    graph.node_id(graph.target(d)) == peer
                        && (Some(graph.scid(d).0) == ch.short_channel_id || graph.scid(d).0 == scid)
                });
                match found {
                    Some(d) => {
                        let spendable =
                            Msat(ch.next_outbound_htlc_limit_msat).min(graph.capacity(d));
                        local.spendable.insert(d, spendable);
                        local
                            .minimum
                            .insert(d, Msat(ch.next_outbound_htlc_minimum_msat));
                        local.scid.insert(d, scid);
                    }
                    None => unannounced += 1,
                }
            }
            if local.spendable.is_empty() && unannounced > 0 {
                return Err(Refusal::Inner);
            }
        }

        let mut params = self.params.clone();
        params.local_knowledge = local.known;
        params.limits.max_hops = Some(usize::from(pp.max_path_length));
        params.limits.max_total_cltv = Some(cltv_budget);
        let budget = rp.max_total_routing_fee_msat.map(Msat);

        let belief = scorer.take_belief();
        // The last query's flow model and solver: only the directions whose belief changed
        // since are linearized again.
        let warm = scorer.take_cache();
        let mut session = Session::with_belief(&graph, belief, local).with_cache(warm);
        let mut query = Query {
            graph: &graph,
            session: &mut session,
            reserved: Vec::new(),
        };
        let planned = query.run(Request {
            from,
            to,
            amount: Msat(rp.final_value_msat),
            budget,
            max_paths,
            params,
            failed: &pp.previously_failed_channels,
            inflight,
        });
        query.release();
        scorer.put_cache(session.take_cache());
        let (belief, local) = session.into_parts();
        scorer.put_belief(belief);
        drop(scorer);
        let parts = planned.map_err(Refusal::Fail)?;

        // LDK's route.
        let payee_features: Option<NodeFeatures> = features.as_ref().map(|f| f.to_context());
        let mut paths = Vec::with_capacity(parts.len());
        for (dirs, amounts) in parts {
            let k = dirs.len();
            let mut hops = Vec::with_capacity(k);
            for (i, &d) in dirs.iter().enumerate() {
                let target = graph.node_id(graph.target(d));
                let pubkey = PublicKey::from_slice(target.as_bytes())
                    .map_err(|_| Refusal::Fail("a node id of the graph is not a public key"))?;
                let target_ldk = LdkNodeId::from_pubkey(&pubkey);
                let node_features = match (&payee_features, i + 1 == k) {
                    (Some(f), true) => f.clone(),
                    _ => ro
                        .node(&target_ldk)
                        .and_then(|n| n.announcement_info.as_ref())
                        .map_or_else(NodeFeatures::empty, |a| a.features().clone()),
                };
                let scid = graph.scid(d).0;
                let channel_features = ro
                    .channel(scid)
                    .map_or_else(ChannelFeatures::empty, |c| c.features.clone());
                let (fee_msat, cltv_expiry_delta) = if i + 1 < k {
                    (
                        amounts[i].0 - amounts[i + 1].0,
                        u32::from(graph.policy(dirs[i + 1]).cltv_delta),
                    )
                } else {
                    (amounts[i].0, *final_cltv_expiry_delta)
                };
                let short_channel_id = if i == 0 {
                    local.scid.get(&d).copied().unwrap_or(scid)
                } else {
                    scid
                };
                hops.push(RouteHop {
                    pubkey,
                    node_features,
                    short_channel_id,
                    channel_features,
                    fee_msat,
                    cltv_expiry_delta,
                    maybe_announced_channel: true,
                });
            }
            paths.push(Path {
                hops,
                blinded_tail: None,
            });
        }
        Ok(Route {
            paths,
            route_params: Some(rp.clone()),
        })
    }
}

impl<G, L, R, S> Router for PickhardtRouter<G, L, R, S>
where
    G: Deref<Target = NetworkGraph<L>>,
    L: Deref,
    L::Target: Logger,
    R: Router,
    S: Deref<Target = Mutex<BeliefScorer>>,
{
    fn find_route(
        &self,
        payer: &PublicKey,
        route_params: &RouteParameters,
        first_hops: Option<&[&ChannelDetails]>,
        inflight_htlcs: InFlightHtlcs,
    ) -> Result<Route, &'static str> {
        match self.plan(payer, route_params, first_hops, &inflight_htlcs) {
            Ok(route) => Ok(route),
            // The graph alone had no route, but the invoice names private channels into the
            // payee: LDK's router can use them.
            Err(Refusal::Fail(_)) if has_route_hints(route_params) => {
                self.inner
                    .find_route(payer, route_params, first_hops, inflight_htlcs)
            }
            Err(Refusal::Fail(reason)) => Err(reason),
            Err(Refusal::Inner) => {
                self.inner
                    .find_route(payer, route_params, first_hops, inflight_htlcs)
            }
        }
    }

    fn create_blinded_payment_paths<T: secp256k1::Signing + secp256k1::Verification>(
        &self,
        recipient: PublicKey,
        first_hops: Vec<ChannelDetails>,
        tlvs: ReceiveTlvs,
        amount_msats: Option<u64>,
        secp_ctx: &Secp256k1<T>,
    ) -> Result<Vec<BlindedPaymentPath>, ()> {
        self.inner
            .create_blinded_payment_paths(recipient, first_hops, tlvs, amount_msats, secp_ctx)
    }
}

fn has_route_hints(rp: &RouteParameters) -> bool {
    matches!(&rp.payment_params.payee, Payee::Clear { route_hints, .. } if !route_hints.is_empty())
}

/// What the planner's session sees of the network: the payer's own channels, nothing else.
#[derive(Debug, Default)]
struct LocalView {
    /// `first_hops` was given: directions leaving the payer not in `spendable` carry nothing.
    known: bool,
    spendable: HashMap<DirIdx, Msat>,
    minimum: HashMap<DirIdx, Msat>,
    scid: HashMap<DirIdx, u64>,
}

/// The planner never sends.
#[derive(Debug, thiserror::Error)]
#[error("the route planner does not send")]
struct DoesNotSend;

impl PaymentNetwork for LocalView {
    type Error = DoesNotSend;
    fn send(&mut self, _: &[DirIdx], _: &[Msat]) -> Result<SendOutcome, DoesNotSend> {
        Err(DoesNotSend)
    }
    fn settle(&mut self, _: &[DirIdx], _: &[Msat]) -> Result<(), DoesNotSend> {
        Err(DoesNotSend)
    }
    fn release(&mut self, _: &[DirIdx], _: &[Msat]) -> Result<(), DoesNotSend> {
        Err(DoesNotSend)
    }
    fn local_liquidity(&self, d: DirIdx) -> Option<Msat> {
        if !self.known {
            return None;
        }
        Some(self.spendable.get(&d).copied().unwrap_or(Msat::ZERO))
    }
}

struct Request<'a> {
    from: NodeIdx,
    to: NodeIdx,
    amount: Msat,
    budget: Option<Msat>,
    max_paths: usize,
    params: PayParams,
    failed: &'a [u64],
    inflight: &'a InFlightHtlcs,
}

/// A path as its directions and the amount each forwards.
type Planned = (Vec<DirIdx>, Vec<Msat>);

struct Query<'q, 'g> {
    graph: &'g Graph,
    session: &'q mut Session<'g, LocalView>,
    /// What this query put in flight in the belief, to take out again.
    reserved: Vec<(DirIdx, Msat)>,
}

impl Query<'_, '_> {
    fn reserve(&mut self, d: DirIdx, amount: Msat) {
        if amount > Msat::ZERO && self.session.belief_mut().reserve(d, amount).is_ok() {
            self.reserved.push((d, amount));
        }
    }

    /// Makes `d` carry nothing in this query.
    fn block(&mut self, d: DirIdx, from: NodeIdx) {
        if self.session.network().known && self.graph.source(d) == from {
            self.session.network_mut().spendable.insert(d, Msat::ZERO);
            return;
        }
        let b = self.session.belief();
        let room = b.max(d).saturating_sub(b.in_flight(d));
        self.reserve(d, room);
    }

    fn release(&mut self) {
        for (d, a) in self.reserved.drain(..) {
            let _ = self.session.belief_mut().release(d, a);
        }
    }

    fn run(&mut self, req: Request<'_>) -> Result<Vec<Planned>, &'static str> {
        let g = self.graph;
        let known = self.session.network().known;
        // In-flight HTLCs, except on the payer's channels when their limits are given. LDK's
        // `InFlightHtlcs` cannot be iterated, only asked per direction, so a query with HTLCs
        // in flight looks up every direction; an empty one (it encodes as an empty map) none.
        let any_in_flight = req.inflight.encode() != InFlightHtlcs::new().encode();
        for d in g.directions().filter(|_| any_in_flight) {
            if known && g.source(d) == req.from {
                continue;
            }
            let src = LdkNodeId::from_slice(g.node_id(g.source(d)).as_bytes());
            let dst = LdkNodeId::from_slice(g.node_id(g.target(d)).as_bytes());
            let (Ok(src), Ok(dst)) = (src, dst) else {
                continue;
            };
            if let Some(used) = req.inflight.used_liquidity_msat(&src, &dst, g.scid(d).0) {
                let b = self.session.belief();
                let room = b.capacity(d).saturating_sub(b.in_flight(d));
                self.reserve(d, Msat(used).min(room));
            }
        }
        for &scid in req.failed {
            if let Some(c) = g.channel_index(ShortChannelId(scid)) {
                for d in g.channel_directions(c).into_iter().flatten() {
                    self.block(d, req.from);
                }
            }
        }
        let (payer, payee) = (g.node_id(req.from), g.node_id(req.to));
        let mut parts: Vec<Planned> = Vec::new();
        let mut residual = req.amount;
        let mut fees = Msat::ZERO;
        let mut why = "Failed to find a sufficient route to the given destination";
        for _ in 0..MAX_PLANS_PER_QUERY {
            if residual == Msat::ZERO || parts.len() >= req.max_paths {
                break;
            }
            let mut params = req.params.clone();
            params.limits.max_parts = Some(req.max_paths - parts.len());
            // A query after failed attempts is a retry: fees weigh as in a payment's later
            // rounds (`PayParams::first_round_fee_weight` is for the first plan only).
            if !req.failed.is_empty() {
                params.first_round_fee_weight = 1.0;
            }
            params.fee_budget = match req.budget {
                None => FeeBudget::Unlimited,
                Some(b) => FeeBudget::Fixed(b.saturating_sub(fees)),
            };
            self.session.set_params(params);
            let plan = self
                .session
                .plan(&payer, &payee, residual)
                .map_err(|_| "The Pickhardt planner failed on this request")?;
            if let Some(stop) = plan.stop_reason {
                why = reason(stop);
                break;
            }
            let mut progressed = false;
            for a in &plan.attempts {
                let dirs: Option<Vec<DirIdx>> = a
                    .hops
                    .iter()
                    .map(|h| g.direction_from(h.scid, &h.source))
                    .collect();
                let Some(dirs) = dirs else {
                    return Err("The Pickhardt planner returned a hop not in its graph");
                };
                let amounts: Vec<Msat> = a.hops.iter().map(|h| h.amount_msat).collect();
                let d0 = dirs[0];
                if let Some(&min) = self.session.network().minimum.get(&d0) {
                    if amounts[0] < min {
                        // Below the first hop's HTLC minimum: not there, plan again.
                        self.block(d0, req.from);
                        progressed = true;
                        continue;
                    }
                }
                for (&d, &x) in dirs.iter().zip(&amounts) {
                    self.reserve(d, x);
                }
                if let Some(s) = self.session.network_mut().spendable.get_mut(&d0) {
                    *s = s.saturating_sub(amounts[0]);
                }
                residual = residual.saturating_sub(a.amount_msat);
                fees = fees.saturating_add(a.fee_msat);
                parts.push((dirs, amounts));
                progressed = true;
                if parts.len() >= req.max_paths {
                    break;
                }
            }
            if !progressed {
                break;
            }
        }
        if residual > Msat::ZERO {
            return Err(why);
        }
        Ok(parts)
    }
}

/// LDK-style text for why no route was planned.
fn reason(stop: StopReason) -> &'static str {
    match stop {
        StopReason::FeeBudget { .. } => {
            "Failed to find a sufficient route to the given destination within the fee budget"
        }
        StopReason::Infeasible { .. } => {
            "Failed to find a sufficient route to the given destination: not enough liquidity is believed to be there"
        }
        StopReason::LowProbability { .. } | StopReason::Unlikely { .. } => {
            "Failed to find a sufficient route to the given destination: every plan is too unlikely"
        }
        _ => "Failed to find a sufficient route to the given destination",
    }
}
