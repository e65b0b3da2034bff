//! Sending an attempt, learning from the network's answer, and resolving what is in flight
//! (docs/MODEL.md §2, §6 steps 4–5). The belief learns from a whole attempt at once
//! (`pp_uncertainty::Belief::learn_attempt`): when the answer contradicts it, nothing changes.

use super::{Run, Session};
use crate::attempt::{Attempt, AttemptStatus};
use crate::error::{NetworkFault, NetworkOp, SessionError};
use crate::network::{HopFailure, PaymentNetwork, SendOutcome};
use pp_graph::{DirIdx, Graph};
use pp_uncertainty::UncertaintyError;

/// The network's own error during `operation`, kept as the source.
fn network_err<E: std::error::Error + Send + Sync + 'static>(
    operation: NetworkOp,
    e: E,
) -> SessionError {
    SessionError::Network(NetworkFault::Failed {
        operation,
        source: Box::new(e),
    })
}

/// A refusal of the belief on an attempt along `path` as the error of a lying network, naming
/// the channel the belief refused.
fn contradiction(graph: &Graph, path: &[DirIdx], e: UncertaintyError) -> SessionError {
    let scid = match &e {
        UncertaintyError::ForwardedAboveMax { scid, .. }
        | UncertaintyError::FailedAtOrBelowMin { scid, .. }
        | UncertaintyError::ReleaseAboveInFlight { scid, .. }
        | UncertaintyError::InFlightAboveCapacity { scid, .. }
        | UncertaintyError::SettleAboveMax { scid, .. } => *scid,
        _ => graph.scid(path[0]),
    };
    SessionError::Contradiction { scid, source: e }
}

impl<N: PaymentNetwork> Session<'_, N> {
    /// Sends one attempt and learns from the outcome (docs/MODEL.md §2, §6 step 4), all or
    /// nothing: a forwarded attempt goes in flight in the belief on every hop, a failed one
    /// teaches the hops up to the failing one. A hop that failed for a reason other than
    /// liquidity ([`HopFailure::Unavailable`]) is avoided for the rest of the payment.
    pub(super) fn send(&mut self, a: &mut Attempt) -> Result<(), SessionError> {
        let outcome = self
            .network
            .send(&a.path, &a.hop_amounts)
            .map_err(|e| network_err(NetworkOp::Send, e))?;
        if let SendOutcome::FailedAt { hop, .. } = outcome {
            if hop >= a.path.len() {
                return Err(SessionError::Network(NetworkFault::FailureBeyondPath {
                    hop,
                    hops: a.path.len(),
                }));
            }
        }
        if let Err(e) = self.belief.learn_attempt(&a.path, &a.hop_amounts, outcome) {
            if outcome == SendOutcome::Forwarded {
                // The HTLC is locked in the network but not in the belief: unlock it.
                self.network
                    .release(&a.path, &a.hop_amounts)
                    .map_err(|e| network_err(NetworkOp::Release, e))?;
            }
            return Err(contradiction(self.graph, &a.path, e));
        }
        match outcome {
            SendOutcome::Forwarded => a.status = AttemptStatus::InFlight,
            SendOutcome::FailedAt { hop, failure } => {
                a.status = AttemptStatus::FailedAt { hop };
                if failure == HopFailure::Unavailable {
                    self.exclude(a.path[hop]);
                }
            }
        }
        Ok(())
    }

    /// Settles every attempt in flight, in network and belief; whatever cannot be settled is
    /// released.
    pub(super) fn settle_all(&mut self, run: &mut Run) -> Result<(), SessionError> {
        let mut first_err = None;
        for a in run.attempts.iter_mut() {
            if a.status != AttemptStatus::InFlight {
                continue;
            }
            if let Err(e) = self.network.settle(&a.path, &a.hop_amounts) {
                first_err.get_or_insert(network_err(NetworkOp::Settle, e));
                continue;
            }
            a.status = AttemptStatus::Settled;
            if let Err(e) = self.belief.settle_attempt(&a.path, &a.hop_amounts) {
                // Keep the belief free of in-flight leftovers even then.
                let _ = self.belief.release_attempt(&a.path, &a.hop_amounts);
                first_err.get_or_insert(contradiction(self.graph, &a.path, e));
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

    /// Releases every attempt in flight, in network and belief.
    pub(super) fn release_all(&mut self, run: &mut Run) -> Result<(), SessionError> {
        let mut first_err = None;
        for a in run.attempts.iter_mut() {
            if a.status != AttemptStatus::InFlight {
                continue;
            }
            if let Err(e) = self.network.release(&a.path, &a.hop_amounts) {
                first_err.get_or_insert(network_err(NetworkOp::Release, e));
            }
            a.status = AttemptStatus::Released;
            if let Err(e) = self.belief.release_attempt(&a.path, &a.hop_amounts) {
                first_err.get_or_insert(contradiction(self.graph, &a.path, e));
            }
        }
        first_err.map_or(Ok(()), Err)
    }
}
