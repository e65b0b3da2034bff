//! [`BeliefScorer`]: the Pickhardt belief on LDK's scoring traits.
//!
//! **Learning** (`ScoreUpdate`). LDK's background processor calls the scorer on every payment
//! event; the belief learns from each exactly as a payment of ours does (docs/MODEL.md §2), with
//! the amount each hop really forwarded (the path's own fees, not the final value for every hop
//! as LDK's `ProbabilisticScorer` does):
//! - a failed path (or probe) at channel `k`: the hops before `k` forwarded their amount
//!   (`min` rises), hop `k` could not (`max` falls); a failing channel not on the path teaches
//!   nothing;
//! - a successful path: every hop forwarded, and the amounts then moved to the other side of
//!   each channel (`settle`); a successful probe: every hop forwarded, nothing moved;
//! - time passed: the belief decays toward the prior with a half-life
//!   ([`DEFAULT_HALF_LIFE_SECS`], 30 minutes), both bounds losing half their strength per
//!   half-life.
//!
//! An event that contradicts the belief (a hop "forwards" more than we thought possible, say,
//! after a splice) leaves that hop's belief as it was; the next decay loosens it. In-flight
//! amounts of our other HTLCs are not part of an event, so each is learned as if alone.
//!
//! **Penalties** (`ScoreLookUp`). Our flow cost of sending `a` over a channel is
//! `−ln P(a) + μ·fee(a)`. LDK's router minimises `fee + penalty` per path, so a penalty of
//! `−ln P(a) / μ` msat would make its per-hop cost ours up to the factor `μ`. μ depends on the
//! amount (docs/MODEL.md §4) and a scorer does not see the payment, so the penalty uses a fixed
//! exchange rate, [`BeliefPenalty::multiplier_msat`] per unit of `−ln P` (default 10,000 msat:
//! a hop that succeeds with probability 1/e costs as much as a 10 sat fee). What is lost: the
//! flow (LDK searches path by path and splits by its own heuristics), the convexity that spreads
//! a payment over channels, and μ's scaling with the amount.
//!
//! **Persistence.** [`BeliefScorer`] implements LDK's `Writeable` (and `ReadableArgs` with the
//! node's `NetworkGraph`), so the persister that saves LDK's scorer saves ours, and the learned
//! belief survives a restart: what is stored is the knowledge beyond the prior, keyed by channel
//! and direction, and intersected with the graph it is read against.

use crate::convert::graph_from_ldk;
use bitcoin::io;
use lightning::ln::msgs::DecodeError;
use lightning::routing::gossip::{NetworkGraph, ReadOnlyNetworkGraph};
use lightning::routing::router::{CandidateRouteHop, Path};
use lightning::routing::scoring::{ChannelUsage, ScoreLookUp, ScoreUpdate};
use lightning::util::logger::Logger;
use lightning::util::ser::{ReadableArgs, Writeable, Writer};
use pp_graph::{DirIdx, Graph, GraphBuilder, Msat, NodeId, ShortChannelId};
use pp_session::SessionCache;
use pp_uncertainty::{Belief, Knowledge, KnowledgeEntry};
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

/// Default decay half-life of [`BeliefScorer`]: 1,800 s (30 minutes). LDK's
/// `ProbabilisticScorer` forgets more slowly (`liquidity_offset_half_life` 6 hours); balances
/// move with every payment, so a belief about them ages fast.
pub const DEFAULT_HALF_LIFE_SECS: u64 = 1800;

/// Default of [`BeliefPenalty::multiplier_msat`]: 10,000 msat per unit of `−ln P`.
pub const DEFAULT_PENALTY_MULTIPLIER_MSAT: u64 = 10_000;

/// The per-lookup parameters of [`BeliefScorer`]'s `ScoreLookUp` (LDK's `ScoreParams`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BeliefPenalty {
    /// Msat of penalty per unit of `−ln P` (see the module docs).
    pub multiplier_msat: u64,
}

impl Default for BeliefPenalty {
    fn default() -> Self {
        BeliefPenalty {
            multiplier_msat: DEFAULT_PENALTY_MULTIPLIER_MSAT,
        }
    }
}

/// The belief about every channel's liquidity, fed by LDK's payment events and read by
/// [`crate::PickhardtRouter`] (and, as penalties, by LDK's own router).
///
/// Invariant: the belief is the belief of [`BeliefScorer::graph`] (same directions), and no
/// amount is in flight in it between calls (in-flight HTLCs travel with each route query).
#[derive(Debug, Clone)]
pub struct BeliefScorer {
    graph: Arc<Graph>,
    belief: Belief,
    half_life_secs: u64,
    /// What the router's sessions keep warm between route queries.
    warm: Warm,
}

/// The flow model and solver of the last route query ([`pp_session::SessionCache`]), for the
/// next one on the same graph; a clone of the scorer starts without.
#[derive(Debug, Default)]
struct Warm(SessionCache);

impl Clone for Warm {
    fn clone(&self) -> Self {
        Warm::default()
    }
}

const MAGIC: &[u8; 8] = b"ppbelief";
const VERSION: u8 = 1;
const NEVER: u64 = u64::MAX;

impl BeliefScorer {
    /// The prior belief over LDK's current graph ([`crate::graph_from_ldk`]).
    pub fn new(network: &ReadOnlyNetworkGraph<'_>) -> BeliefScorer {
        let (graph, _) = graph_from_ldk(network);
        BeliefScorer::from_graph(Arc::new(graph))
    }

    /// The prior belief over `graph`, which must have LDK's node ids (made by
    /// [`crate::graph_from_ldk`] from the `NetworkGraph` the router reads).
    pub fn from_graph(graph: Arc<Graph>) -> BeliefScorer {
        BeliefScorer {
            belief: Belief::new(&graph),
            graph,
            half_life_secs: DEFAULT_HALF_LIFE_SECS,
            warm: Warm::default(),
        }
    }

    /// Sets the decay half-life (0: forget everything at the next `time_passed`).
    pub fn with_half_life(mut self, secs: u64) -> Self {
        self.half_life_secs = secs;
        self
    }

    /// The graph the belief is about.
    pub fn graph(&self) -> &Arc<Graph> {
        &self.graph
    }

    /// The belief.
    pub fn belief(&self) -> &Belief {
        &self.belief
    }

    /// Swaps the belief out (the router plans with it in a session and puts it back).
    pub(crate) fn take_belief(&mut self) -> Belief {
        std::mem::replace(&mut self.belief, Belief::new(&GraphBuilder::new().build()))
    }

    /// Puts back what [`BeliefScorer::take_belief`] took.
    pub(crate) fn put_belief(&mut self, belief: Belief) {
        debug_assert_eq!(belief.direction_count(), self.graph.direction_count());
        self.belief = belief;
    }

    /// Takes what the last query's session kept warm (empty after a refresh or a clone).
    pub(crate) fn take_cache(&mut self) -> SessionCache {
        std::mem::take(&mut self.warm.0)
    }

    /// Keeps a session's warm flow model and solver for the next query.
    pub(crate) fn put_cache(&mut self, cache: SessionCache) {
        self.warm.0 = cache;
    }

    /// Forgets everything learned: back to the prior.
    pub fn forget(&mut self) {
        self.belief.forget();
    }

    /// The decay half-life in seconds.
    pub fn half_life_secs(&self) -> u64 {
        self.half_life_secs
    }

    /// Takes in LDK's current graph (new channels, closed ones gone, new policies), keeping
    /// what was learned about the channels that remain with the same capacity. Call it after a
    /// gossip sync; the router plans on the graph of the last refresh.
    ///
    /// # Complexity
    /// O(C log C + D).
    pub fn refresh(&mut self, network: &ReadOnlyNetworkGraph<'_>) {
        let knowledge = self.knowledge();
        let (graph, _) = graph_from_ldk(network);
        let mut belief = Belief::new(&graph);
        belief.set_time(self.belief.time());
        // Knowledge taken from a valid belief is consistent; a failure keeps the prior.
        let _ = belief.restore(&graph, &knowledge);
        self.graph = Arc::new(graph);
        self.belief = belief;
        // The flow model described the old graph.
        self.warm = Warm::default();
    }

    /// What the belief knows beyond the prior.
    pub fn knowledge(&self) -> Knowledge {
        self.belief
            .knowledge(&self.graph)
            .expect("the belief is the graph's")
    }

    /// The direction of channel `scid` that ends at `target`.
    fn direction_to(&self, scid: u64, target: &[u8; 33]) -> Option<DirIdx> {
        let c = self.graph.channel_index(ShortChannelId(scid))?;
        let t = self.graph.node_index(&NodeId(*target))?;
        self.graph
            .channel_directions(c)
            .into_iter()
            .flatten()
            .find(|&d| self.graph.target(d) == t)
    }

    /// Each hop of `path` as (direction, amount it forwards); `None` for hops not in the graph.
    fn hops(&self, path: &Path) -> Vec<Option<(DirIdx, Msat)>> {
        let tail = path.blinded_tail.as_ref().map_or(0, |t| t.final_value_msat);
        let mut downstream = tail;
        let mut out: Vec<Option<(DirIdx, Msat)>> = path
            .hops
            .iter()
            .rev()
            .map(|h| {
                downstream = downstream.saturating_add(h.fee_msat);
                self.direction_to(h.short_channel_id, &h.pubkey.serialize())
                    .map(|d| (d, Msat(downstream)))
            })
            .collect();
        out.reverse();
        out
    }

    fn learn(&mut self, path: &Path, failed_scid: Option<u64>, settle: bool, now: Duration) {
        self.belief.set_time(now.as_secs());
        let fail_at = failed_scid.map(|s| path.hops.iter().position(|h| h.short_channel_id == s));
        if let Some(None) = fail_at {
            return; // the failing channel is not on the path: nothing to learn
        }
        let fail_at = fail_at.flatten();
        for (i, hop) in self.hops(path).into_iter().enumerate() {
            let Some((d, amount)) = hop else { continue };
            if Some(i) == fail_at {
                let _ = self.belief.learn_failed(d, amount);
                break;
            }
            if self.belief.learn_forwarded(d, amount).is_ok()
                && settle
                && self.belief.reserve(d, amount).is_ok()
                && self.belief.settle(d, amount).is_err()
            {
                let _ = self.belief.release(d, amount);
            }
        }
    }
}

impl ScoreLookUp for BeliefScorer {
    type ScoreParams = BeliefPenalty;

    fn channel_penalty_msat(
        &self,
        candidate: &CandidateRouteHop<'_>,
        usage: ChannelUsage,
        params: &BeliefPenalty,
    ) -> u64 {
        let CandidateRouteHop::PublicHop(hop) = candidate else {
            return 0; // first hops are known exactly; private and blinded hops are not ours
        };
        let Some(d) = self.direction_to(hop.short_channel_id, hop.info.target().as_array()) else {
            return 0;
        };
        let amount = Msat(usage.amount_msat.saturating_add(usage.inflight_htlc_msat));
        let nlp = self.belief.neg_log_probability(d, amount);
        if !nlp.is_finite() {
            return u64::MAX;
        }
        let p = nlp * params.multiplier_msat as f64;
        if p >= u64::MAX as f64 {
            u64::MAX
        } else {
            p as u64
        }
    }
}

impl ScoreUpdate for BeliefScorer {
    fn payment_path_failed(&mut self, path: &Path, short_channel_id: u64, now: Duration) {
        self.learn(path, Some(short_channel_id), false, now);
    }

    fn payment_path_successful(&mut self, path: &Path, now: Duration) {
        self.learn(path, None, true, now);
    }

    fn probe_failed(&mut self, path: &Path, short_channel_id: u64, now: Duration) {
        self.learn(path, Some(short_channel_id), false, now);
    }

    fn probe_successful(&mut self, path: &Path, now: Duration) {
        self.learn(path, None, false, now);
    }

    fn time_passed(&mut self, now: Duration) {
        self.belief.decay(now.as_secs(), self.half_life_secs);
    }
}

impl Writeable for BeliefScorer {
    /// Our own format, big-endian: `ppbelief`, version 1, half-life, belief time, the number of
    /// entries, then per entry scid, source node (33 bytes), capacity, min, max (msat) and the
    /// time of the last learning (`u64::MAX`: unknown).
    fn write<W: Writer>(&self, w: &mut W) -> Result<(), io::Error> {
        let k = self.knowledge();
        w.write_all(MAGIC)?;
        w.write_all(&[VERSION])?;
        w.write_all(&self.half_life_secs.to_be_bytes())?;
        w.write_all(&self.belief.time().to_be_bytes())?;
        w.write_all(&(k.entries.len() as u64).to_be_bytes())?;
        for e in &k.entries {
            w.write_all(&e.scid.0.to_be_bytes())?;
            w.write_all(e.source.as_bytes())?;
            for v in [
                e.capacity_msat.0,
                e.min_msat.0,
                e.max_msat.0,
                e.learned_at.unwrap_or(NEVER),
            ] {
                w.write_all(&v.to_be_bytes())?;
            }
        }
        Ok(())
    }
}

fn read_u64<R: io::Read>(r: &mut R) -> Result<u64, DecodeError> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b).map_err(|_| DecodeError::ShortRead)?;
    Ok(u64::from_be_bytes(b))
}

impl<L: Deref> ReadableArgs<&NetworkGraph<L>> for BeliefScorer
where
    L::Target: Logger,
{
    /// Reads what [`Writeable::write`] wrote and applies it to a prior over `network`'s current
    /// graph; knowledge of channels gone or resized is dropped.
    fn read<R: io::Read>(r: &mut R, network: &NetworkGraph<L>) -> Result<Self, DecodeError> {
        let mut magic = [0u8; 9];
        r.read_exact(&mut magic)
            .map_err(|_| DecodeError::ShortRead)?;
        if &magic[..8] != MAGIC {
            return Err(DecodeError::InvalidValue);
        }
        if magic[8] != VERSION {
            return Err(DecodeError::UnknownVersion);
        }
        let half_life_secs = read_u64(r)?;
        let time = read_u64(r)?;
        let n = read_u64(r)?;
        let mut entries = Vec::new();
        for _ in 0..n {
            let scid = ShortChannelId(read_u64(r)?);
            let mut source = [0u8; 33];
            r.read_exact(&mut source)
                .map_err(|_| DecodeError::ShortRead)?;
            let (capacity, min, max, learned) =
                (read_u64(r)?, read_u64(r)?, read_u64(r)?, read_u64(r)?);
            entries.push(KnowledgeEntry {
                scid,
                source: NodeId(source),
                capacity_msat: Msat(capacity),
                min_msat: Msat(min),
                max_msat: Msat(max),
                learned_at: (learned != NEVER).then_some(learned),
            });
        }
        let mut scorer = BeliefScorer::new(&network.read_only()).with_half_life(half_life_secs);
        scorer.belief.set_time(time);
        scorer
            .belief
            .restore(&scorer.graph, &Knowledge { entries })
            .map_err(|_| DecodeError::InvalidValue)?;
        Ok(scorer)
    }
}
