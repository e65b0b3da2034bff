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
    /// [`graph_fingerprint`] of the graph it was built for.
    fingerprint: u64,
    inner: Fields,
}

/// The fields of an [`IncrementalLinearizer`] but the graph.
#[derive(Clone)]
struct Fields {
    params: LinearizeParams,
    arc_order: ArcOrder,
    stride: usize,
    seen: Vec<(u64, u64, u64)>,
    seen_revision: u64,
    entropy: Vec<f64>,
    entropy_ok: Vec<bool>,
    pos_of: Vec<u32>,
    order: Vec<u32>,
    run_end: Vec<u32>,
    pos_src: Vec<u32>,
    pos_dst: Vec<u32>,
    pos_base_fee: Vec<u64>,
    pos_ppm: Vec<u32>,
    count: Vec<u16>,
    slot_piece: Vec<u8>,
    slot_units: Vec<u64>,
    slot_slope: Vec<f64>,
    room: Vec<u64>,
    merge: Vec<(f64, u32, u8, u64)>,
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
fn graph_fingerprint(graph: &Graph) -> u64 {
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
    /// O(D) (a digest of the graph, checked when attaching).
    pub fn detach(self) -> DetachedLinearizer {
        let IncrementalLinearizer {
            graph,
            params,
            arc_order,
            stride,
            seen,
            seen_revision,
            entropy,
            entropy_ok,
            pos_of,
            order,
            run_end,
            pos_src,
            pos_dst,
            pos_base_fee,
            pos_ppm,
            count,
            slot_piece,
            slot_units,
            slot_slope,
            room,
            merge,
        } = self;
        DetachedLinearizer {
            fingerprint: graph_fingerprint(graph),
            inner: Fields {
                params,
                arc_order,
                stride,
                seen,
                seen_revision,
                entropy,
                entropy_ok,
                pos_of,
                order,
                run_end,
                pos_src,
                pos_dst,
                pos_base_fee,
                pos_ppm,
                count,
                slot_piece,
                slot_units,
                slot_slope,
                room,
                merge,
            },
        }
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
        if detached.fingerprint != graph_fingerprint(graph) {
            return Err(UncertaintyError::OtherGraph);
        }
        let Fields {
            params,
            arc_order,
            stride,
            seen,
            seen_revision,
            entropy,
            entropy_ok,
            pos_of,
            order,
            run_end,
            pos_src,
            pos_dst,
            pos_base_fee,
            pos_ppm,
            count,
            slot_piece,
            slot_units,
            slot_slope,
            room,
            merge,
        } = detached.inner;
        let mut model = IncrementalLinearizer {
            graph,
            params,
            arc_order,
            stride,
            seen,
            seen_revision,
            entropy,
            entropy_ok,
            pos_of,
            order,
            run_end,
            pos_src,
            pos_dst,
            pos_base_fee,
            pos_ppm,
            count,
            slot_piece,
            slot_units,
            slot_slope,
            room,
            merge,
        };
        model.sync(belief)?;
        Ok(model)
    }
}
