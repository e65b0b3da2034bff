//! The crate's error enums: [`SessionError`] for the payment loop and the simulation,
//! [`OracleError`] for the simulated network (the [`crate::PaymentNetwork::Error`] of
//! [`crate::Oracle`]), and [`NetworkFault`], what the loop reports when a network fails or
//! breaks its contract.
//!
//! A payment that does not get through is *not* an error: it is a [`crate::PaymentReport`] with
//! `success == false` and a typed [`crate::StopReason`]. Errors are for bad input (unknown node,
//! zero amount, a balances file that disagrees with the graph), for a network that breaks the
//! protocol (e.g. settling something that is not in flight, or a liar that contradicts what it
//! said before), and for solver failures other than infeasibility.

use pp_graph::{Msat, NodeId, ShortChannelId};
use std::fmt;

/// Everything that can go wrong in pp-session.
#[derive(Debug, thiserror::Error)]
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
    /// The parameters name a solver that is not a backend of this build: pp-mcf's error
    /// ([`pp_mcf::McfError::UnknownBackend`]), its message and source forwarded.
    #[error(transparent)]
    UnknownSolver(pp_mcf::McfError),
    /// pp-uncertainty's μ rule refused the frugality: its error, message and source forwarded.
    #[error(transparent)]
    Frugality(pp_uncertainty::UncertaintyError),
    /// The balances file could not be read.
    #[error("cannot read balances {origin}")]
    BalancesIo {
        /// Where the balances came from (path or a description).
        origin: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
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
    /// The belief refused an update: the network's answers contradict each other (a liar).
    /// The belief is then as it was before the answer.
    #[error("the network contradicts the belief on channel {scid}")]
    Contradiction {
        /// The channel.
        scid: ShortChannelId,
        /// The belief's refusal.
        #[source]
        source: pp_uncertainty::UncertaintyError,
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
    /// The network failed, or broke the contract of [`crate::PaymentNetwork`].
    #[error(transparent)]
    Network(#[from] NetworkFault),
    /// The simulated network refused an operation (its liquidities, or a path given to it).
    #[error(transparent)]
    Oracle(#[from] OracleError),
}

/// An operation of [`crate::PaymentNetwork`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NetworkOp {
    /// [`crate::PaymentNetwork::send`].
    Send,
    /// [`crate::PaymentNetwork::settle`].
    Settle,
    /// [`crate::PaymentNetwork::release`].
    Release,
}

impl fmt::Display for NetworkOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NetworkOp::Send => "send an HTLC",
            NetworkOp::Settle => "settle an HTLC",
            NetworkOp::Release => "release an HTLC",
        })
    }
}

/// What went wrong with the network during a payment: its own error, or an answer that breaks
/// the contract of [`crate::PaymentNetwork`]. Everything in flight is released before it is
/// returned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NetworkFault {
    /// The network's own error (its [`crate::PaymentNetwork::Error`]), kept as the source.
    #[error("the network failed to {operation}")]
    Failed {
        /// What the loop asked for.
        operation: NetworkOp,
        /// The network's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
    /// A failure reported at a hop the path does not have.
    #[error("the network reported a failure at hop {hop} of a {hops}-hop path")]
    FailureBeyondPath {
        /// The reported 0-based hop.
        hop: usize,
        /// Hops on the path.
        hops: usize,
    },
    /// More spendable on one of the sender's channels than the channel holds.
    #[error(
        "the network reported {} msat spendable on the sender's channel {scid}, which with {} \
         msat in flight exceeds its capacity of {} msat",
        spendable.0,
        in_flight.0,
        capacity.0
    )]
    LocalAboveCapacity {
        /// The sender's channel.
        scid: ShortChannelId,
        /// What the network reported.
        spendable: Msat,
        /// What the session has in flight there.
        in_flight: Msat,
        /// The channel's capacity.
        capacity: Msat,
    },
}

/// Why the simulated network ([`crate::Oracle`]) refused an operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OracleError {
    /// A path handed to the network is malformed (empty, not contiguous, length mismatch).
    #[error("invalid path: {reason}")]
    InvalidPath {
        /// What is wrong with it.
        reason: String,
    },
    /// Asked to settle or release more than is in flight on a hop.
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
    /// The liquidity of a channel was to be set while HTLCs are in flight on it.
    #[error("cannot set the liquidity of channel {scid} while HTLCs are in flight on it")]
    Busy {
        /// The channel.
        scid: ShortChannelId,
    },
    /// Two oracles that cannot be copied into each other (other graphs, or HTLCs in flight).
    #[error("restore needs two oracles of one graph with nothing in flight")]
    RestoreMismatch,
    /// The parameters of a balance draw are out of range.
    #[error("invalid balance draw: {reason}")]
    InvalidDraw {
        /// What is wrong.
        reason: String,
    },
}
