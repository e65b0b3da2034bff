//! The crate's error enum, [`UncertaintyError`].
//!
//! Every variant names the direction (index and short channel id) and the amounts involved, so a
//! caller can log it without looking anything up. An operation that returns an error leaves the
//! belief exactly as it was.

use pp_graph::{DirIdx, Msat, NodeIdx, ShortChannelId};

/// Why a belief operation, a linearization or a μ computation was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum UncertaintyError {
    /// A direction index does not belong to the belief's graph.
    #[error("{dir} out of range (the belief has {directions} directions)")]
    DirectionOutOfRange {
        /// The offending index.
        dir: DirIdx,
        /// How many directions the belief has.
        directions: usize,
    },
    /// An attempt's path and its hop amounts have different lengths.
    #[error("a path of {hops} hops came with {amounts} hop amounts")]
    PathMismatch {
        /// Hops on the path.
        hops: usize,
        /// Amounts given.
        amounts: usize,
    },
    /// A network reported a failure at a hop the path does not have.
    #[error("a failure at hop {hop} of a {hops}-hop path")]
    FailureBeyondPath {
        /// The reported 0-based hop.
        hop: usize,
        /// Hops on the path.
        hops: usize,
    },
    /// A node index does not belong to the graph.
    #[error("{node} out of range (the graph has {nodes} nodes)")]
    NodeOutOfRange {
        /// The offending index.
        node: NodeIdx,
        /// How many nodes the graph has.
        nodes: usize,
    },
    /// The report "the hop forwarded `x`" contradicts the belief: we are sure the hop holds at
    /// most `max < x`.
    #[error("{dir} of channel {scid}: reported to forward {x}, but the belief says at most {max} is available")]
    ForwardedAboveMax {
        /// The direction.
        dir: DirIdx,
        /// Its channel.
        scid: ShortChannelId,
        /// The amount reported as forwarded (amount plus in-flight of other attempts).
        x: Msat,
        /// The belief's upper bound.
        max: Msat,
    },
    /// The report "the hop failed to forward `x`" contradicts the belief: we are sure the hop
    /// holds at least `min >= x`.
    #[error("{dir} of channel {scid}: reported to fail {x}, but the belief says at least {min} is available")]
    FailedAtOrBelowMin {
        /// The direction.
        dir: DirIdx,
        /// Its channel.
        scid: ShortChannelId,
        /// The amount reported as failed (amount plus in-flight of other attempts).
        x: Msat,
        /// The belief's lower bound.
        min: Msat,
    },
    /// Releasing or settling more than is in flight on a direction.
    #[error("{dir} of channel {scid}: cannot release {amount}, only {in_flight} is in flight")]
    ReleaseAboveInFlight {
        /// The direction.
        dir: DirIdx,
        /// Its channel.
        scid: ShortChannelId,
        /// The amount to release.
        amount: Msat,
        /// What is in flight.
        in_flight: Msat,
    },
    /// Reserving would put more in flight than the channel's capacity.
    #[error("{dir} of channel {scid}: reserving {amount} on top of {in_flight} in flight exceeds the capacity {capacity}")]
    InFlightAboveCapacity {
        /// The direction.
        dir: DirIdx,
        /// Its channel.
        scid: ShortChannelId,
        /// The amount to reserve.
        amount: Msat,
        /// What is already in flight.
        in_flight: Msat,
        /// The channel capacity.
        capacity: Msat,
    },
    /// Settling `amount` over a direction the belief says holds at most `max < amount`.
    #[error("{dir} of channel {scid}: cannot settle {amount}, the belief says at most {max} is available")]
    SettleAboveMax {
        /// The direction.
        dir: DirIdx,
        /// Its channel.
        scid: ShortChannelId,
        /// The amount to settle.
        amount: Msat,
        /// The belief's upper bound.
        max: Msat,
    },
    /// An exact liquidity above the channel's capacity.
    #[error(
        "{dir} of channel {scid}: exact liquidity {liquidity} exceeds the capacity {capacity}"
    )]
    ExactAboveCapacity {
        /// The direction.
        dir: DirIdx,
        /// Its channel.
        scid: ShortChannelId,
        /// The stated liquidity.
        liquidity: Msat,
        /// The channel capacity.
        capacity: Msat,
    },
    /// A detached linearizer was attached to a graph it was not built for
    /// ([`crate::IncrementalLinearizer::attach`]).
    #[error("the linearizer was built for another graph")]
    OtherGraph,
    /// The belief was built for a different graph (direction counts differ).
    #[error(
        "the belief has {belief} directions but the graph has {graph}: built for another graph"
    )]
    GraphMismatch {
        /// Directions in the belief.
        belief: usize,
        /// Directions in the graph.
        graph: usize,
    },
    /// A parameter is out of its domain (zero pieces, zero quantum, negative μ, …).
    #[error("invalid parameter {name}: {reason}")]
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// Sender and receiver are the same node.
    #[error("sender and receiver are the same {node}")]
    SameNode {
        /// The node.
        node: NodeIdx,
    },
    /// The amount is zero or above the 21 million BTC supply.
    #[error("amount {amount} is not in 1 msat ..= 21 million BTC")]
    InvalidAmount {
        /// The amount.
        amount: Msat,
    },
    /// A solution does not fit the linearized problem it claims to solve.
    #[error("solution does not fit the problem: {reason}")]
    InvalidSolution {
        /// What does not fit.
        reason: String,
    },
    /// The internal consistency check failed (a bug, never caused by input).
    #[error("belief invariant violated at {dir}: {reason}")]
    InvariantViolated {
        /// The direction.
        dir: DirIdx,
        /// Which invariant.
        reason: String,
    },
}
