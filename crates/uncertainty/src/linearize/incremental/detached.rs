//! Keeping a linearizer between borrows of one graph: [`DetachedLinearizer`] holds everything
//! but the graph reference, [`IncrementalLinearizer::detach`] and
//! [`IncrementalLinearizer::attach`] go back and forth, and a digest of the graph makes sure a
//! detached linearizer only goes back to the graph it describes.

use super::*;

/// An [`IncrementalLinearizer`] without its borrow of the graph
/// ([`IncrementalLinearizer::detach`]): its pieces and snapshot, to keep between borrows of the
/// same graph (e.g. by an LDK router that builds a session per route query) and to make a
/// linearizer again with [`IncrementalLinearizer::attach`], which recomputes nothing that did
/// not change.
#[derive(Clone)]
pub struct DetachedLinearizer {
    inner: Fields,
}

impl std::fmt::Debug for DetachedLinearizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DetachedLinearizer")
            .field("directions", &self.inner.count.len())
            .finish_non_exhaustive()
    }
}

/// A 64-bit digest of what a linearizer reads from a graph (sizes, endpoints, capacities,
/// policies), so that a detached linearizer is only attached to the graph it describes.
///
/// # Complexity
/// O(D).
pub(super) fn graph_fingerprint(graph: &Graph) -> u64 {
    let mix = |h: u64, x: u64| (h ^ x).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29);
    let mut h = mix(graph.node_count() as u64, graph.direction_count() as u64);
    for (i, pol) in graph.policies().iter().enumerate() {
        h = mix(
            h,
            u64::from(graph.sources()[i].0) << 32 | u64::from(graph.targets()[i].0),
        );
        h = mix(h, graph.capacities()[i].0);
        h = mix(h, pol.base_fee_msat.0 ^ u64::from(pol.fee_ppm.0) << 40);
        h = mix(
            h,
            pol.htlc_minimum_msat.0 ^ pol.htlc_maximum_msat.0.rotate_left(17),
        );
        h = mix(h, u64::from(pol.active) | u64::from(pol.cltv_delta) << 1);
    }
    h
}

impl<'g> IncrementalLinearizer<'g> {
    /// This linearizer without its borrow of the graph, to keep for a later
    /// [`IncrementalLinearizer::attach`] to the same graph.
    ///
    /// # Complexity
    /// O(1) (the digest of the graph was taken when the linearizer was built).
    pub fn detach(self) -> DetachedLinearizer {
        DetachedLinearizer { inner: self.f }
    }

    /// The linearizer `detached` was, on `graph`, synced with `belief` (only the directions
    /// whose belief entry changed since become stale).
    ///
    /// # Errors
    /// [`UncertaintyError::OtherGraph`] when `graph` is not the graph it was built for (its
    /// sizes, endpoints, capacities or policies differ); [`UncertaintyError::GraphMismatch`]
    /// when the belief belongs to another graph.
    ///
    /// # Complexity
    /// O(D) (the digest and the sync).
    pub fn attach(
        graph: &'g Graph,
        detached: DetachedLinearizer,
        belief: &Belief,
    ) -> Result<Self, UncertaintyError> {
        if detached.inner.fingerprint != graph_fingerprint(graph) {
            return Err(UncertaintyError::OtherGraph);
        }
        let mut model = IncrementalLinearizer {
            graph,
            f: detached.inner,
        };
        model.sync(belief)?;
        Ok(model)
    }
}
