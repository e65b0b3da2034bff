//! Saving and restoring what a [`Belief`] has learned, across runs and graph reloads.
//!
//! Dense direction indices change when a snapshot is reloaded, so [`Knowledge`] keys each entry
//! by short channel id and source node, and stores only directions that differ from the prior.
//! In-flight amounts are not part of it: they are live HTLCs of a session, not knowledge.
//! Serde makes it a plain JSON (or any serde format) document.
//!
//! Restoring *intersects* the saved intervals with the current belief through the same learning
//! operations as a payment ([`Belief::learn_forwarded`], [`Belief::learn_failed`]), so the
//! reverse-direction coupling and the invariant `0 <= min <= max <= capacity` hold as always.
//! It is all or nothing: a contradiction leaves the belief unchanged.

use crate::belief::Belief;
use crate::error::UncertaintyError;
use pp_graph::{Graph, Msat, NodeId, ShortChannelId};

/// What is known about one direction beyond the prior.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct KnowledgeEntry {
    /// The channel.
    pub scid: ShortChannelId,
    /// The node that forwards in this direction.
    pub source: NodeId,
    /// The channel's capacity when the knowledge was saved; entries whose channel changed
    /// capacity since are skipped on restore.
    pub capacity_msat: Msat,
    /// Known lower bound of the liquidity.
    pub min_msat: Msat,
    /// Known upper bound of the liquidity.
    pub max_msat: Msat,
    /// Unix seconds of the last learning, if known.
    pub learned_at: Option<u64>,
}

/// Everything a belief knows beyond the prior, keyed by (scid, source).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Knowledge {
    /// The directions that differ from the prior, in graph order.
    pub entries: Vec<KnowledgeEntry>,
}

/// What [`Belief::restore`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RestoreReport {
    /// Entries applied to the belief.
    pub applied: usize,
    /// Entries whose channel or direction is not in the graph.
    pub unknown: usize,
    /// Entries whose channel's capacity changed since they were saved.
    pub capacity_changed: usize,
}

impl Belief {
    /// What this belief knows beyond the prior, for saving.
    ///
    /// # Errors
    /// [`UncertaintyError::GraphMismatch`] when `graph` is not the graph of this belief.
    ///
    /// # Complexity
    /// O(D) for D directions.
    pub fn knowledge(&self, graph: &Graph) -> Result<Knowledge, UncertaintyError> {
        self.check_graph(graph)?;
        let entries = graph
            .directions()
            .filter(|&d| self.min(d) > Msat::ZERO || self.max(d) < self.capacity(d))
            .map(|d| KnowledgeEntry {
                scid: graph.scid(d),
                source: graph.node_id(graph.source(d)),
                capacity_msat: self.capacity(d),
                min_msat: self.min(d),
                max_msat: self.max(d),
                learned_at: self.learned_at(d),
            })
            .collect();
        Ok(Knowledge { entries })
    }

    /// Intersects this belief with saved knowledge: `min = max(min, saved min)`,
    /// `max = min(max, saved max)` per direction, coupled with the reverse direction.
    /// Entries for channels not in `graph` or whose capacity changed are skipped and counted.
    ///
    /// # Errors
    /// [`UncertaintyError::GraphMismatch`] when `graph` is not this belief's graph;
    /// [`UncertaintyError::InvalidParameter`] for an entry that is not an interval within its
    /// capacity (a corrupt file); the contradiction errors of [`Belief::learn_forwarded`] / [`Belief::learn_failed`] when the
    /// saved knowledge contradicts the belief (or itself). The belief is then unchanged.
    ///
    /// # Complexity
    /// O(D + E) for D directions and E entries.
    pub fn restore(
        &mut self,
        graph: &Graph,
        knowledge: &Knowledge,
    ) -> Result<RestoreReport, UncertaintyError> {
        self.check_graph(graph)?;
        let mut next = self.clone();
        let mut report = RestoreReport::default();
        for e in &knowledge.entries {
            let Some(d) = graph.direction_from(e.scid, &e.source) else {
                report.unknown += 1;
                continue;
            };
            if e.min_msat > e.max_msat || e.max_msat > e.capacity_msat {
                return Err(UncertaintyError::InvalidParameter {
                    name: "knowledge",
                    reason: format!(
                        "entry for channel {} from {}: min {} and max {} are not an interval \
                         within the capacity {}",
                        e.scid, e.source, e.min_msat, e.max_msat, e.capacity_msat
                    ),
                });
            }
            if graph.capacity(d) != e.capacity_msat {
                report.capacity_changed += 1;
                continue;
            }
            if e.min_msat > next.min(d) {
                next.learn_forwarded(d, e.min_msat)?;
            }
            if e.max_msat < next.max(d) {
                next.learn_failed(d, Msat(e.max_msat.0 + 1))?;
            }
            if let Some(t) = e.learned_at {
                next.mark_learned(d, t);
            }
            report.applied += 1;
        }
        *self = next;
        Ok(report)
    }

    fn check_graph(&self, graph: &Graph) -> Result<(), UncertaintyError> {
        if graph.direction_count() != self.mins().len() {
            return Err(UncertaintyError::GraphMismatch {
                belief: self.mins().len(),
                graph: graph.direction_count(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph() -> Graph {
        crate::test_graph::three_nodes(1000, 500, 1_000_000)
    }

    #[test]
    fn knowledge_round_trips_through_json_into_a_fresh_belief() {
        let g = graph();
        let d = g
            .direction(ShortChannelId::new(1, 1, 1).expect("scid"), 0)
            .expect("dir");
        let mut b = Belief::new(&g);
        b.set_time(1_700_000_000);
        b.learn_forwarded(d, Msat(300)).expect("truthful");
        b.learn_failed(d, Msat(801)).expect("truthful");
        let k = b.knowledge(&g).expect("same graph");
        // Both sides of the channel differ from the prior; the one-way channel does not.
        assert_eq!(k.entries.len(), 2);
        // Through JSON when serde is on; the knowledge itself otherwise.
        #[cfg(feature = "serde")]
        let back: Knowledge = {
            let json = serde_json::to_string(&k).expect("serializable");
            serde_json::from_str(&json).expect("deserializable")
        };
        #[cfg(not(feature = "serde"))]
        let back = k.clone();
        let mut fresh = Belief::new(&g);
        let r = fresh.restore(&g, &back).expect("consistent");
        assert_eq!(
            r,
            RestoreReport {
                applied: 2,
                unknown: 0,
                capacity_changed: 0
            }
        );
        for x in g.directions() {
            assert_eq!((fresh.min(x), fresh.max(x)), (b.min(x), b.max(x)), "{x}");
        }
        fresh.check_invariants().expect("invariants hold");
    }

    #[test]
    fn restore_skips_unknown_and_changed_channels_and_is_all_or_nothing() {
        let g = graph();
        let d = g
            .direction(ShortChannelId::new(1, 1, 1).expect("scid"), 0)
            .expect("dir");
        let mut b = Belief::new(&g);
        b.learn_failed(d, Msat(101)).expect("truthful"); // max 100 on d
        let before = b.clone();
        let entry = |scid: &str, cap, min, max| KnowledgeEntry {
            scid: scid.parse().expect("scid"),
            source: g.node_id(g.source(d)),
            capacity_msat: Msat(cap),
            min_msat: Msat(min),
            max_msat: Msat(max),
            learned_at: None,
        };
        let skipped = Knowledge {
            entries: vec![entry("9x9x9", 1000, 1, 2), entry("1x1x1", 999, 1, 2)],
        };
        let r = b.restore(&g, &skipped).expect("nothing to contradict");
        assert_eq!(
            r,
            RestoreReport {
                applied: 0,
                unknown: 1,
                capacity_changed: 1
            }
        );
        // A saved min of 500 contradicts max 100: error, belief untouched even though a
        // consistent entry came first.
        let liar = Knowledge {
            entries: vec![entry("1x1x1", 1000, 10, 90), entry("1x1x1", 1000, 500, 600)],
        };
        assert!(b.restore(&g, &liar).is_err());
        assert_eq!(b, before);
        let corrupt = Knowledge {
            entries: vec![entry("1x1x1", 1000, 50, 40)],
        };
        let e = b.restore(&g, &corrupt).expect_err("min above max");
        assert!(e.to_string().contains("not an interval"), "{e}");
        assert_eq!(b, before);
    }
}
