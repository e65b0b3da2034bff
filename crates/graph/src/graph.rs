//! The channel graph: a directed multigraph in flat arrays, built once and then read-only.
//!
//! Nodes are interned to dense [`NodeIdx`] values; each listed direction of a channel is a
//! [`DirIdx`] into struct-of-arrays storage sorted by source node (CSR out-adjacency), with a
//! separate in-adjacency index. The two directions of a channel know each other in O(1)
//! ([`Graph::reverse`]). Parallel channels between the same two nodes are distinct entries.
//!
//! **Invariants** (checked by [`GraphBuilder`], relied upon by every other crate):
//! - every direction's endpoints differ and exist; `capacity > 0`;
//! - `htlc_minimum_msat <= htlc_maximum_msat` for every direction;
//! - the two directions of a channel (when both are listed) have swapped endpoints and one
//!   capacity; each (scid, side) appears at most once;
//! - the side bit of a direction is 0 when its source is the lexicographically smaller node id
//!   (BOLT 7 `channel_flags` bit 0).

use crate::ids::{NodeId, ShortChannelId};
use crate::units::{Msat, Ppm};
use std::collections::HashMap;
use std::ops::Range;

/// Dense index of a node, `0..graph.node_count()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct NodeIdx(pub u32);

/// Dense index of a channel (both directions together), `0..graph.channel_count()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct ChannelIdx(pub u32);

/// Dense index of a directed channel, `0..graph.direction_count()`. Per-direction data in other
/// crates (the belief, the oracle) is stored in arrays indexed by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct DirIdx(pub u32);

impl std::fmt::Display for NodeIdx {
    /// `node #3`: the dense index, for messages (the pubkey is [`Graph::node_id`]).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "node #{}", self.0)
    }
}
impl std::fmt::Display for ChannelIdx {
    /// `channel #3`: the dense index, for messages (the scid is [`Graph::channel_scid`]).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "channel #{}", self.0)
    }
}
impl std::fmt::Display for DirIdx {
    /// `direction #3`: the dense index, for messages (the scid is [`Graph::scid`]).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "direction #{}", self.0)
    }
}

impl NodeIdx {
    /// As a `usize` array index.
    pub const fn ix(self) -> usize {
        self.0 as usize
    }
}
impl ChannelIdx {
    /// As a `usize` array index.
    pub const fn ix(self) -> usize {
        self.0 as usize
    }
}
impl DirIdx {
    /// As a `usize` array index.
    pub const fn ix(self) -> usize {
        self.0 as usize
    }
}

/// The routing policy one node announces for its direction of a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Policy {
    /// Fixed fee charged per forwarded HTLC.
    pub base_fee_msat: Msat,
    /// Proportional fee rate.
    pub fee_ppm: Ppm,
    /// CLTV expiry delta in blocks.
    pub cltv_delta: u16,
    /// Smallest HTLC this direction forwards.
    pub htlc_minimum_msat: Msat,
    /// Largest HTLC this direction forwards (capacity when the snapshot gives none).
    pub htlc_maximum_msat: Msat,
    /// Whether the direction is enabled. Inactive directions are kept but not routed over by
    /// default.
    pub active: bool,
    /// Unix time (seconds) of the channel_update this policy came from; 0 if unknown.
    pub last_update: u32,
}

impl Policy {
    /// The fee to forward `amount` over this direction:
    /// `base_fee_msat + floor(amount * fee_ppm / 1_000_000)` (docs/MODEL.md §1), or `None` on
    /// overflow.
    pub fn fee(&self, amount: Msat) -> Option<Msat> {
        self.base_fee_msat
            .checked_add(amount.proportional_fee(self.fee_ppm))
    }
}

/// One listed direction of a channel, as a loader or generator hands it to [`GraphBuilder`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DirectionRecord {
    /// The channel's short id.
    pub scid: ShortChannelId,
    /// The node that forwards in this direction.
    pub source: NodeId,
    /// The node receiving in this direction.
    pub destination: NodeId,
    /// The channel's capacity (shared by both directions).
    pub capacity: Msat,
    /// This direction's policy.
    pub policy: Policy,
}

/// Why [`GraphBuilder::add`] refused a record. Loaders turn these into errors or warnings that
/// name the record (see the loader module for which is which).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case", tag = "kind"))]
#[non_exhaustive]
pub enum RecordProblem {
    /// The source and destination are the same node.
    #[error("source and destination are the same node {node}")]
    SelfLoop {
        /// The node.
        node: NodeId,
    },
    /// The capacity is zero.
    #[error("capacity is 0")]
    ZeroCapacity,
    /// `htlc_minimum_msat > htlc_maximum_msat`.
    #[error("htlc_minimum_msat {min} exceeds htlc_maximum_msat {max}")]
    HtlcMinAboveMax {
        /// The minimum.
        min: Msat,
        /// The maximum.
        max: Msat,
    },
    /// This (scid, side) was already added.
    #[error("duplicate direction {side} of channel {scid}")]
    DuplicateDirection {
        /// The channel.
        scid: ShortChannelId,
        /// The side bit (0 or 1).
        side: u8,
    },
    /// The other direction of this channel was listed with a different capacity.
    #[error("channel {scid}: capacity {this} disagrees with {other} of the other direction")]
    CapacityMismatch {
        /// The channel.
        scid: ShortChannelId,
        /// This record's capacity.
        this: Msat,
        /// The capacity of the direction listed first.
        other: Msat,
    },
    /// The other direction of this channel was listed between different nodes.
    #[error("channel {scid}: endpoints disagree with the other direction")]
    EndpointMismatch {
        /// The channel.
        scid: ShortChannelId,
    },
    /// The graph already holds `u32::MAX - 1` nodes or directions.
    #[error("graph too large (more than 4 billion nodes or directions)")]
    TooLarge,
}

const NONE: u32 = u32::MAX;

/// Collects [`DirectionRecord`]s and builds a [`Graph`]. Refused records leave the builder
/// unchanged.
#[derive(Debug, Default)]
pub struct GraphBuilder {
    nodes: Vec<NodeId>,
    node_lookup: HashMap<NodeId, NodeIdx>,
    chan_scid: Vec<ShortChannelId>,
    chan_capacity: Vec<Msat>,
    chan_lookup: HashMap<ShortChannelId, ChannelIdx>,
    // Per channel: the record index of each side, NONE if not listed.
    chan_sides: Vec<[u32; 2]>,
    // Per direction record, in insertion order.
    rec_src: Vec<NodeIdx>,
    rec_dst: Vec<NodeIdx>,
    rec_chan: Vec<ChannelIdx>,
    rec_policy: Vec<Policy>,
}

impl GraphBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of directions accepted so far.
    pub fn direction_count(&self) -> usize {
        self.rec_src.len()
    }

    fn intern(&mut self, id: NodeId) -> NodeIdx {
        if let Some(&ix) = self.node_lookup.get(&id) {
            return ix;
        }
        let ix = NodeIdx(self.nodes.len() as u32);
        self.nodes.push(id);
        self.node_lookup.insert(id, ix);
        ix
    }

    /// Adds one direction, or explains why it cannot be added (the builder is then unchanged).
    pub fn add(&mut self, rec: &DirectionRecord) -> Result<(), RecordProblem> {
        if rec.source == rec.destination {
            return Err(RecordProblem::SelfLoop { node: rec.source });
        }
        if rec.capacity == Msat::ZERO {
            return Err(RecordProblem::ZeroCapacity);
        }
        if rec.policy.htlc_minimum_msat > rec.policy.htlc_maximum_msat {
            return Err(RecordProblem::HtlcMinAboveMax {
                min: rec.policy.htlc_minimum_msat,
                max: rec.policy.htlc_maximum_msat,
            });
        }
        if self.rec_src.len() >= (NONE - 1) as usize || self.nodes.len() >= (NONE - 2) as usize {
            return Err(RecordProblem::TooLarge);
        }
        let side = u8::from(rec.source > rec.destination);
        if let Some(&c) = self.chan_lookup.get(&rec.scid) {
            let sides = self.chan_sides[c.ix()];
            if sides[side as usize] != NONE {
                return Err(RecordProblem::DuplicateDirection {
                    scid: rec.scid,
                    side,
                });
            }
            let other = sides[1 - side as usize] as usize;
            let (os, od) = (
                self.nodes[self.rec_src[other].ix()],
                self.nodes[self.rec_dst[other].ix()],
            );
            if os != rec.destination || od != rec.source {
                return Err(RecordProblem::EndpointMismatch { scid: rec.scid });
            }
            if self.chan_capacity[c.ix()] != rec.capacity {
                return Err(RecordProblem::CapacityMismatch {
                    scid: rec.scid,
                    this: rec.capacity,
                    other: self.chan_capacity[c.ix()],
                });
            }
        }
        let c = match self.chan_lookup.get(&rec.scid) {
            Some(&c) => c,
            None => {
                let c = ChannelIdx(self.chan_scid.len() as u32);
                self.chan_scid.push(rec.scid);
                self.chan_capacity.push(rec.capacity);
                self.chan_sides.push([NONE, NONE]);
                self.chan_lookup.insert(rec.scid, c);
                c
            }
        };
        let s = self.intern(rec.source);
        let d = self.intern(rec.destination);
        self.chan_sides[c.ix()][side as usize] = self.rec_src.len() as u32;
        self.rec_src.push(s);
        self.rec_dst.push(d);
        self.rec_chan.push(c);
        self.rec_policy.push(rec.policy);
        Ok(())
    }

    /// Builds the graph.
    ///
    /// # Complexity
    /// O(N + D) time and memory for N nodes and D directions (two counting sorts).
    pub fn build(self) -> Graph {
        let n = self.nodes.len();
        let m = self.rec_src.len();
        // Counting sort of records by source: record r goes to position pos[r].
        let mut out_start = vec![0u32; n + 1];
        for s in &self.rec_src {
            out_start[s.ix() + 1] += 1;
        }
        for i in 0..n {
            out_start[i + 1] += out_start[i];
        }
        let mut fill = out_start.clone();
        let mut pos = vec![0u32; m];
        for (r, s) in self.rec_src.iter().enumerate() {
            pos[r] = fill[s.ix()];
            fill[s.ix()] += 1;
        }
        let mut dir_src = vec![NodeIdx(0); m];
        let mut dir_dst = vec![NodeIdx(0); m];
        let mut dir_chan = vec![ChannelIdx(0); m];
        let mut dir_policy = vec![
            Policy {
                base_fee_msat: Msat::ZERO,
                fee_ppm: Ppm(0),
                cltv_delta: 0,
                htlc_minimum_msat: Msat::ZERO,
                htlc_maximum_msat: Msat::ZERO,
                active: false,
                last_update: 0,
            };
            m
        ];
        let mut dir_capacity = vec![Msat::ZERO; m];
        for (r, &p) in pos.iter().enumerate() {
            let p = p as usize;
            dir_src[p] = self.rec_src[r];
            dir_dst[p] = self.rec_dst[r];
            dir_chan[p] = self.rec_chan[r];
            dir_policy[p] = self.rec_policy[r];
            dir_capacity[p] = self.chan_capacity[self.rec_chan[r].ix()];
        }
        let chan_dirs: Vec<[u32; 2]> = self
            .chan_sides
            .iter()
            .map(|sides| sides.map(|r| if r == NONE { NONE } else { pos[r as usize] }))
            .collect();
        let mut dir_reverse = vec![NONE; m];
        let mut dir_side = vec![0u8; m];
        for sides in &chan_dirs {
            for side in 0..2 {
                if sides[side] != NONE {
                    dir_side[sides[side] as usize] = side as u8;
                    dir_reverse[sides[side] as usize] = sides[1 - side];
                }
            }
        }
        // In-adjacency by counting sort on destination, keeping DirIdx order within a node.
        let mut in_start = vec![0u32; n + 1];
        for d in &dir_dst {
            in_start[d.ix() + 1] += 1;
        }
        for i in 0..n {
            in_start[i + 1] += in_start[i];
        }
        let mut fill = in_start.clone();
        let mut in_dirs = vec![DirIdx(0); m];
        for (e, d) in dir_dst.iter().enumerate() {
            in_dirs[fill[d.ix()] as usize] = DirIdx(e as u32);
            fill[d.ix()] += 1;
        }
        Graph {
            nodes: self.nodes,
            node_lookup: self.node_lookup,
            out_start,
            in_start,
            in_dirs,
            dir_src,
            dir_dst,
            dir_chan,
            dir_side,
            dir_reverse,
            dir_capacity,
            dir_policy,
            chan_scid: self.chan_scid,
            chan_capacity: self.chan_capacity,
            chan_dirs,
            chan_lookup: self.chan_lookup,
        }
    }
}

/// A read-only Lightning channel graph. See the module docs for layout and invariants.
#[derive(Debug, Clone)]
pub struct Graph {
    nodes: Vec<NodeId>,
    node_lookup: HashMap<NodeId, NodeIdx>,
    out_start: Vec<u32>,
    in_start: Vec<u32>,
    in_dirs: Vec<DirIdx>,
    dir_src: Vec<NodeIdx>,
    dir_dst: Vec<NodeIdx>,
    dir_chan: Vec<ChannelIdx>,
    dir_side: Vec<u8>,
    dir_reverse: Vec<u32>,
    dir_capacity: Vec<Msat>,
    dir_policy: Vec<Policy>,
    chan_scid: Vec<ShortChannelId>,
    chan_capacity: Vec<Msat>,
    chan_dirs: Vec<[u32; 2]>,
    chan_lookup: HashMap<ShortChannelId, ChannelIdx>,
}

impl Graph {
    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }
    /// Number of channels (a channel listed in one or both directions counts once).
    pub fn channel_count(&self) -> usize {
        self.chan_scid.len()
    }
    /// Number of listed directed channels.
    pub fn direction_count(&self) -> usize {
        self.dir_src.len()
    }
    /// All node indices.
    pub fn nodes(&self) -> impl ExactSizeIterator<Item = NodeIdx> + '_ {
        (0..self.nodes.len() as u32).map(NodeIdx)
    }
    /// All directed channels, in storage order (grouped by source node).
    pub fn directions(&self) -> impl ExactSizeIterator<Item = DirIdx> + '_ {
        (0..self.dir_src.len() as u32).map(DirIdx)
    }
    /// All channels.
    pub fn channels(&self) -> impl ExactSizeIterator<Item = ChannelIdx> + '_ {
        (0..self.chan_scid.len() as u32).map(ChannelIdx)
    }
    /// The public key of a node. Panics if `n` is out of range (indices come from this graph).
    pub fn node_id(&self, n: NodeIdx) -> NodeId {
        self.nodes[n.ix()]
    }
    /// The index of a node, if the graph knows it.
    pub fn node_index(&self, id: &NodeId) -> Option<NodeIdx> {
        self.node_lookup.get(id).copied()
    }
    /// The directions leaving `n`, as a contiguous index range.
    pub fn out_range(&self, n: NodeIdx) -> Range<u32> {
        self.out_start[n.ix()]..self.out_start[n.ix() + 1]
    }
    /// The directions leaving `n`.
    pub fn out_dirs(&self, n: NodeIdx) -> impl ExactSizeIterator<Item = DirIdx> {
        self.out_range(n).map(DirIdx)
    }
    /// The directions entering `n`.
    pub fn in_dirs(&self, n: NodeIdx) -> &[DirIdx] {
        &self.in_dirs[self.in_start[n.ix()] as usize..self.in_start[n.ix() + 1] as usize]
    }
    /// Out-degree of `n` (listed directions leaving it).
    pub fn out_degree(&self, n: NodeIdx) -> usize {
        self.out_range(n).len()
    }
    /// Source node of a direction.
    pub fn source(&self, d: DirIdx) -> NodeIdx {
        self.dir_src[d.ix()]
    }
    /// Destination node of a direction.
    pub fn target(&self, d: DirIdx) -> NodeIdx {
        self.dir_dst[d.ix()]
    }
    /// The channel a direction belongs to.
    pub fn channel_of(&self, d: DirIdx) -> ChannelIdx {
        self.dir_chan[d.ix()]
    }
    /// The side bit of a direction: 0 when its source is the smaller node id.
    pub fn side(&self, d: DirIdx) -> u8 {
        self.dir_side[d.ix()]
    }
    /// The short channel id of a direction's channel.
    pub fn scid(&self, d: DirIdx) -> ShortChannelId {
        self.chan_scid[self.dir_chan[d.ix()].ix()]
    }
    /// The capacity of a direction's channel.
    pub fn capacity(&self, d: DirIdx) -> Msat {
        self.dir_capacity[d.ix()]
    }
    /// The policy of a direction.
    pub fn policy(&self, d: DirIdx) -> &Policy {
        &self.dir_policy[d.ix()]
    }
    /// The other direction of the same channel, if it is listed. O(1).
    pub fn reverse(&self, d: DirIdx) -> Option<DirIdx> {
        let r = self.dir_reverse[d.ix()];
        (r != NONE).then_some(DirIdx(r))
    }
    /// The short channel id of a channel.
    pub fn channel_scid(&self, c: ChannelIdx) -> ShortChannelId {
        self.chan_scid[c.ix()]
    }
    /// The capacity of a channel.
    pub fn channel_capacity(&self, c: ChannelIdx) -> Msat {
        self.chan_capacity[c.ix()]
    }
    /// The listed directions of a channel, by side bit.
    pub fn channel_directions(&self, c: ChannelIdx) -> [Option<DirIdx>; 2] {
        self.chan_dirs[c.ix()].map(|r| (r != NONE).then_some(DirIdx(r)))
    }
    /// The channel with this short id, if any.
    pub fn channel_index(&self, scid: ShortChannelId) -> Option<ChannelIdx> {
        self.chan_lookup.get(&scid).copied()
    }
    /// The direction of channel `scid` with side bit `side` (0 or 1), if listed.
    pub fn direction(&self, scid: ShortChannelId, side: u8) -> Option<DirIdx> {
        let c = self.channel_index(scid)?;
        self.channel_directions(c)
            .get(side as usize)
            .copied()
            .flatten()
    }
    /// The direction of channel `scid` whose source is `source`, if listed.
    pub fn direction_from(&self, scid: ShortChannelId, source: &NodeId) -> Option<DirIdx> {
        let c = self.channel_index(scid)?;
        self.channel_directions(c)
            .into_iter()
            .flatten()
            .find(|&d| self.nodes[self.dir_src[d.ix()].ix()] == *source)
    }
    /// The fee to forward `amount` over `d` (docs/MODEL.md §1), or `None` on overflow.
    pub fn fee(&self, d: DirIdx, amount: Msat) -> Option<Msat> {
        self.dir_policy[d.ix()].fee(amount)
    }
    /// Per-direction capacities as a slice indexed by [`DirIdx`].
    pub fn capacities(&self) -> &[Msat] {
        &self.dir_capacity
    }
    /// Per-direction policies as a slice indexed by [`DirIdx`].
    pub fn policies(&self) -> &[Policy] {
        &self.dir_policy
    }
    /// Per-direction source nodes as a slice indexed by [`DirIdx`].
    pub fn sources(&self) -> &[NodeIdx] {
        &self.dir_src
    }
    /// Per-direction destination nodes as a slice indexed by [`DirIdx`].
    pub fn targets(&self) -> &[NodeIdx] {
        &self.dir_dst
    }
    /// The CSR offsets: directions leaving node `n` are `out_offsets()[n]..out_offsets()[n+1]`.
    pub fn out_offsets(&self) -> &[u32] {
        &self.out_start
    }
    /// Whether the graph has no directions at all.
    pub fn is_empty(&self) -> bool {
        self.dir_src.is_empty()
    }
    /// The record a direction was built from (ids, capacity, policy), e.g. to write it out again
    /// or to compare two graphs independently of their index order.
    pub fn direction_record(&self, d: DirIdx) -> DirectionRecord {
        DirectionRecord {
            scid: self.scid(d),
            source: self.nodes[self.dir_src[d.ix()].ix()],
            destination: self.nodes[self.dir_dst[d.ix()].ix()],
            capacity: self.dir_capacity[d.ix()],
            policy: self.dir_policy[d.ix()],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::Sat;

    fn policy() -> Policy {
        Policy {
            base_fee_msat: Msat(1000),
            fee_ppm: Ppm(100),
            cltv_delta: 40,
            htlc_minimum_msat: Msat(1),
            htlc_maximum_msat: Msat(1_000_000_000),
            active: true,
            last_update: 0,
        }
    }

    fn rec(scid: &str, s: u32, d: u32, cap_sat: u64) -> DirectionRecord {
        DirectionRecord {
            scid: scid.parse().expect("scid"),
            source: NodeId::synthetic(s),
            destination: NodeId::synthetic(d),
            capacity: Sat(cap_sat).to_msat().expect("small"),
            policy: policy(),
        }
    }

    #[test]
    fn builds_csr_with_reverse_lookup_and_parallel_channels() {
        let mut b = GraphBuilder::new();
        b.add(&rec("1x1x0", 1, 2, 100)).expect("ok");
        b.add(&rec("1x1x0", 2, 1, 100)).expect("ok");
        b.add(&rec("1x2x0", 1, 2, 50)).expect("parallel channel");
        b.add(&rec("1x3x0", 2, 3, 70)).expect("ok");
        let g = b.build();
        assert_eq!(
            (g.node_count(), g.channel_count(), g.direction_count()),
            (3, 3, 4)
        );
        let n1 = g.node_index(&NodeId::synthetic(1)).expect("known");
        assert_eq!(g.out_degree(n1), 2);
        for d in g.directions() {
            assert!(g.out_dirs(g.source(d)).any(|x| x == d));
            assert!(g.in_dirs(g.target(d)).contains(&d));
            if let Some(r) = g.reverse(d) {
                assert_eq!(g.reverse(r), Some(d));
                assert_eq!((g.source(r), g.target(r)), (g.target(d), g.source(d)));
                assert_ne!(g.side(d), g.side(r));
            }
            assert_eq!(g.direction(g.scid(d), g.side(d)), Some(d));
        }
        let lonely = g.direction_from("1x3x0".parse().expect("scid"), &NodeId::synthetic(2));
        assert_eq!(lonely.and_then(|d| g.reverse(d)), None);
        assert!(g
            .direction_from("1x3x0".parse().expect("scid"), &NodeId::synthetic(3))
            .is_none());
    }

    #[test]
    fn refuses_inconsistent_records_and_stays_unchanged() {
        let mut b = GraphBuilder::new();
        b.add(&rec("1x1x0", 1, 2, 100)).expect("ok");
        assert!(matches!(
            b.add(&rec("1x1x0", 1, 2, 100)),
            Err(RecordProblem::DuplicateDirection { .. })
        ));
        assert!(matches!(
            b.add(&rec("1x1x0", 2, 1, 99)),
            Err(RecordProblem::CapacityMismatch { .. })
        ));
        assert!(matches!(
            b.add(&rec("1x1x0", 3, 1, 100)),
            Err(RecordProblem::EndpointMismatch { .. })
        ));
        assert!(matches!(
            b.add(&rec("1x9x0", 1, 1, 100)),
            Err(RecordProblem::SelfLoop { .. })
        ));
        assert!(matches!(
            b.add(&rec("1x9x0", 1, 2, 0)),
            Err(RecordProblem::ZeroCapacity)
        ));
        let mut bad = rec("1x9x0", 1, 2, 10);
        bad.policy.htlc_minimum_msat = Msat(2_000_000_000);
        assert!(matches!(
            b.add(&bad),
            Err(RecordProblem::HtlcMinAboveMax { .. })
        ));
        assert_eq!(b.direction_count(), 1);
        let g = b.build();
        assert_eq!((g.node_count(), g.channel_count()), (2, 1));
    }

    #[test]
    fn indices_print_for_messages() {
        assert_eq!(DirIdx(3).to_string(), "direction #3");
        assert_eq!(NodeIdx(0).to_string(), "node #0");
        assert_eq!(ChannelIdx(7).to_string(), "channel #7");
    }

    #[test]
    fn fee_follows_spec_formula() {
        let p = policy();
        assert_eq!(p.fee(Msat(2_000_000)), Some(Msat(1000 + 200)));
        assert_eq!(p.fee(Msat(9_999)), Some(Msat(1000)));
    }
}
