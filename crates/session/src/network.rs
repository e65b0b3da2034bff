//! The seam between the payment loop and the world: the [`PaymentNetwork`] trait.
//!
//! The loop sees the network only through this trait: it sends an HTLC along a path (each hop
//! with its exact forwarded amount), learns whether it reached the receiver or which hop failed
//! it, and later settles or releases what is in flight. The simulated [`crate::Oracle`]
//! implements it; so could an adapter to a real node.
//!
//! **Contract** for implementors (the loop relies on it and the oracle's tests check it):
//! - `send` either locks `hop_amounts[i]` on every hop `i` and returns
//!   [`SendOutcome::Forwarded`], or locks nothing and returns [`SendOutcome::FailedAt`] with the
//!   first hop that could not forward (hops before it forwarded and were unlocked again);
//! - `settle` and `release` take exactly a path and amounts that `send` forwarded earlier and not
//!   yet resolved; `settle` moves the amounts to the other side of each channel, `release` just
//!   unlocks them;
//! - `local_liquidity` (optional, default `None`) is what the sender can spend on its own
//!   direction right now, as a real node knows its channels' balances (Core Lightning's
//!   `listpeerchannels`, which renepay reads). When the network answers, it must be the truth:
//!   the loop pins its belief to it (see `PayParams::local_knowledge`).

use crate::error::SessionError;
use pp_graph::{DirIdx, Msat};
use serde::{Deserialize, Serialize};

/// What happened to an HTLC sent through the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum SendOutcome {
    /// Every hop forwarded; the amounts stay locked until settled or released.
    Forwarded,
    /// Hop `hop` (0-based index into the path) could not forward; nothing stays locked.
    FailedAt {
        /// The failing hop.
        hop: usize,
    },
}

/// A network that forwards HTLCs along paths of directed channels.
pub trait PaymentNetwork {
    /// Sends an HTLC along `path`, forwarding `hop_amounts[i]` over `path[i]`.
    fn send(&mut self, path: &[DirIdx], hop_amounts: &[Msat]) -> Result<SendOutcome, SessionError>;
    /// Settles an HTLC that `send` forwarded: the amounts move to the other side of each channel.
    fn settle(&mut self, path: &[DirIdx], hop_amounts: &[Msat]) -> Result<(), SessionError>;
    /// Releases an HTLC that `send` forwarded: the locked amounts are unlocked, nothing moves.
    fn release(&mut self, path: &[DirIdx], hop_amounts: &[Msat]) -> Result<(), SessionError>;
    /// What the sender can spend on its own direction `d` now: the direction's liquidity minus
    /// what is in flight on it, or `None` when the network does not say (the default). A node
    /// knows this for the directions leaving itself; the session asks only for those leaving
    /// the sender of a payment. An answer above the direction's capacity is an error of the
    /// network.
    fn local_liquidity(&self, d: DirIdx) -> Option<Msat> {
        let _ = d;
        None
    }
}

impl<N: PaymentNetwork + ?Sized> PaymentNetwork for &mut N {
    fn send(&mut self, path: &[DirIdx], hop_amounts: &[Msat]) -> Result<SendOutcome, SessionError> {
        (**self).send(path, hop_amounts)
    }
    fn settle(&mut self, path: &[DirIdx], hop_amounts: &[Msat]) -> Result<(), SessionError> {
        (**self).settle(path, hop_amounts)
    }
    fn release(&mut self, path: &[DirIdx], hop_amounts: &[Msat]) -> Result<(), SessionError> {
        (**self).release(path, hop_amounts)
    }
    fn local_liquidity(&self, d: DirIdx) -> Option<Msat> {
        (**self).local_liquidity(d)
    }
}
