//! The crate's one error enum, [`SessionError`].
//!
//! A payment that does not get through is *not* an error: it is a [`crate::PaymentReport`] with
//! `success == false` and a typed [`crate::StopReason`]. Errors are for bad input (unknown node,
//! zero amount, a balances file that disagrees with the graph), for a network that breaks the
//! protocol (e.g. settling something that is not in flight, or a liar that contradicts what it
//! said before), and for solver failures other than infeasibility.

use pp_graph::{Msat, NodeId, ShortChannelId};

/// Everything that can go wrong in pp-session.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// A public key is not a node of the graph.
    #[error("unknown node {node}: it is not in the channel graph")]
    UnknownNode {
        /// The key.
        node: NodeId,
    },
    /// Sender and receiver are the same node.
    #[error("sender and receiver are the same node {node}")]
    SelfPayment {
        /// The node.
        node: NodeId,
    },
    /// The amount is zero or above the 21 million BTC supply.
    #[error("invalid amount {amount}: {reason}")]
    InvalidAmount {
        /// The amount.
        amount: Msat,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A parameter is out of range (e.g. zero pieces, a negative μ, an unknown solver).
    #[error("invalid parameter {name}: {reason}")]
    InvalidParameter {
        /// The parameter.
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The balances file could not be read.
    #[error("cannot read balances {origin}: {reason}")]
    BalancesIo {
        /// Where the balances came from (path or a description).
        origin: String,
        /// The I/O error, as text.
        reason: String,
    },
    /// A line of the balances file is malformed or disagrees with the graph.
    #[error("balances {origin} line {line}: {reason}")]
    BalancesLine {
        /// Where the balances came from.
        origin: String,
        /// The 1-based line number.
        line: u64,
        /// What is wrong with it.
        reason: String,
    },
    /// A listed direction of the graph has no row in the balances file.
    #[error(
        "balances {origin}: no row for channel {scid} from {source_node} \
         ({missing} listed directions have no row)"
    )]
    BalancesMissing {
        /// Where the balances came from.
        origin: String,
        /// The first channel without a row.
        scid: ShortChannelId,
        /// The source of that direction.
        source_node: NodeId,
        /// How many listed directions have no row in total.
        missing: usize,
    },
    /// A path handed to the network is malformed (empty, not contiguous, length mismatch).
    #[error("invalid path: {reason}")]
    InvalidPath {
        /// What is wrong with it.
        reason: String,
    },
    /// The network was asked to settle or release more than is in flight on a hop.
    #[error("channel {scid}: cannot resolve {amount}, only {in_flight} in flight")]
    NotInFlight {
        /// The channel.
        scid: ShortChannelId,
        /// The amount asked for.
        amount: Msat,
        /// What is actually in flight on that direction.
        in_flight: Msat,
    },
    /// A liquidity value is above the channel's capacity.
    #[error("channel {scid}: liquidity {liquidity} exceeds capacity {capacity}")]
    LiquidityAboveCapacity {
        /// The channel.
        scid: ShortChannelId,
        /// The liquidity asked for.
        liquidity: Msat,
        /// The capacity.
        capacity: Msat,
    },
    /// The belief refused an update: the network's answers contradict each other (a liar).
    #[error("the network contradicts the belief on channel {scid}: {reason}")]
    Contradiction {
        /// The channel.
        scid: ShortChannelId,
        /// The belief's explanation.
        reason: String,
    },
    /// An amount overflowed `u64` msat while accumulating fees along a path.
    #[error("amount overflow: {what}")]
    Overflow {
        /// What overflowed.
        what: &'static str,
    },
    /// The min-cost-flow solver (or the decomposition of its flow) failed for a reason other
    /// than infeasibility.
    #[error("min-cost-flow solver failed")]
    Solver {
        /// The solver's error.
        #[source]
        source: pp_mcf::McfError,
    },
    /// Building the flow problem from the belief, or mapping its flow back, failed.
    #[error("building the flow problem failed")]
    Linearize {
        /// The linearization's error.
        #[source]
        source: pp_uncertainty::UncertaintyError,
    },
    /// A network implementation reported a failure of its own.
    #[error("network failure: {reason}")]
    Network {
        /// What the network reported.
        reason: String,
    },
}
