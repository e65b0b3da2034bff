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
//!   first hop that could not forward and how ([`HopFailure`]: short of liquidity, or
//!   unavailable for another reason); hops before it forwarded and were unlocked again;
//! - `settle` and `release` take exactly a path and amounts that `send` forwarded earlier and not
//!   yet resolved; `settle` moves the amounts to the other side of each channel, `release` just
//!   unlocks them;
//! - `local_liquidity` (optional, default `None`) is what the sender can spend on its own
//!   direction right now, as a real node knows its channels' balances (Core Lightning's
//!   `listpeerchannels`, which renepay reads). When the network answers, it must be the truth:
//!   the loop pins its belief to it (see `PayParams::local_knowledge`).

use pp_graph::{DirIdx, Msat};

/// What happened to an HTLC sent through the network: forwarded, or failed at a hop and how
/// (the same type the belief learns from, `pp_uncertainty::AttemptOutcome`).
pub use pp_uncertainty::AttemptOutcome as SendOutcome;
pub use pp_uncertainty::HopFailure;

/// A network that forwards HTLCs along paths of directed channels.
///
/// Its [`PaymentNetwork::Error`] is the implementer's own (a real node's RPC error, say); the
/// loop keeps it as the source of a [`crate::NetworkFault::Failed`]. A refused HTLC is not an
/// error but an answer: [`SendOutcome::FailedAt`] with the hop and a [`HopFailure`].
pub trait PaymentNetwork {
    /// What the network reports when an operation itself fails.
    type Error: std::error::Error + Send + Sync + 'static;
    /// Sends an HTLC along `path`, forwarding `hop_amounts[i]` over `path[i]`.
    fn send(&mut self, path: &[DirIdx], hop_amounts: &[Msat]) -> Result<SendOutcome, Self::Error>;
    /// Settles an HTLC that `send` forwarded: the amounts move to the other side of each channel.
    fn settle(&mut self, path: &[DirIdx], hop_amounts: &[Msat]) -> Result<(), Self::Error>;
    /// Releases an HTLC that `send` forwarded: the locked amounts are unlocked, nothing moves.
    fn release(&mut self, path: &[DirIdx], hop_amounts: &[Msat]) -> Result<(), Self::Error>;
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
    type Error = N::Error;
    fn send(&mut self, path: &[DirIdx], hop_amounts: &[Msat]) -> Result<SendOutcome, N::Error> {
        (**self).send(path, hop_amounts)
    }
    fn settle(&mut self, path: &[DirIdx], hop_amounts: &[Msat]) -> Result<(), N::Error> {
        (**self).settle(path, hop_amounts)
    }
    fn release(&mut self, path: &[DirIdx], hop_amounts: &[Msat]) -> Result<(), N::Error> {
        (**self).release(path, hop_amounts)
    }
    fn local_liquidity(&self, d: DirIdx) -> Option<Msat> {
        (**self).local_liquidity(d)
    }
}
