//! [`GraphStats`]: the numbers people quote about a channel graph.
//!
//! Percentiles use the nearest-rank rule: the p-th percentile of n sorted values is the value at
//! 1-based rank ⌈p·n/100⌉, so the median of an even count is the lower of the two middle values
//! and every reported percentile is a value that occurs in the data.

use crate::graph::Graph;
use crate::scc::Components;

/// Minimum, p10, p25, p50 (median), p75, p90 and maximum of a set of integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Percentiles {
    /// Smallest value.
    pub min: u64,
    /// 10th percentile.
    pub p10: u64,
    /// 25th percentile.
    pub p25: u64,
    /// Median.
    pub p50: u64,
    /// 75th percentile.
    pub p75: u64,
    /// 90th percentile.
    pub p90: u64,
    /// Largest value.
    pub max: u64,
}

impl Percentiles {
    /// The percentiles of `values` (sorted in place), or `None` if there are none.
    ///
    /// # Complexity
    /// O(n log n) (one sort).
    pub fn of(values: &mut [u64]) -> Option<Percentiles> {
        if values.is_empty() {
            return None;
        }
        values.sort_unstable();
        let n = values.len();
        let at = |p: usize| values[(p * n).div_ceil(100).max(1) - 1];
        Some(Percentiles {
            min: values[0],
            p10: at(10),
            p25: at(25),
            p50: at(50),
            p75: at(75),
            p90: at(90),
            max: values[n - 1],
        })
    }
}

/// Summary statistics of a [`Graph`]. Serializes to a flat JSON object with the keys named as
/// the fields.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GraphStats {
    /// Nodes with at least one listed direction.
    pub nodes: usize,
    /// Channels (listed in one or both directions).
    pub channels: usize,
    /// Listed directed channels.
    pub directed_channels: usize,
    /// Directed channels whose policy is active.
    pub active_directions: usize,
    /// Channels listed in both directions.
    pub channels_both_directions: usize,
    /// Sum of channel capacities in whole satoshis (rounded down; saturates at `u64::MAX`).
    pub total_capacity_sat: u64,
    /// The same in bitcoin.
    pub total_capacity_btc: f64,
    /// Channel capacity in satoshis, one value per channel.
    pub capacity_sat: Option<Percentiles>,
    /// Proportional fee in ppm, one value per listed direction.
    pub fee_ppm: Option<Percentiles>,
    /// Base fee in msat, one value per listed direction.
    pub base_fee_msat: Option<Percentiles>,
    /// CLTV expiry delta in blocks, one value per listed direction.
    pub cltv_delta: Option<Percentiles>,
    /// Number of nodes in the largest strongly connected component of the active directions.
    pub largest_scc: usize,
    /// Number of strongly connected components of the active directions (isolated nodes count
    /// as components of size 1).
    pub scc_count: usize,
}

impl GraphStats {
    /// Computes the statistics.
    ///
    /// # Complexity
    /// O(N + D log D) for N nodes and D directions (sorting for percentiles; the strongly
    /// connected components are found by an iterative Tarjan search in O(N + D)).
    pub fn of(g: &Graph) -> GraphStats {
        let policies = g.policies();
        let mut caps: Vec<u64> = g
            .channels()
            .map(|c| g.channel_capacity(c).to_sat_floor().get())
            .collect();
        let total_msat: u128 = g
            .channels()
            .map(|c| g.channel_capacity(c).get() as u128)
            .sum();
        let both = g
            .channels()
            .filter(|&c| g.channel_directions(c).iter().all(Option::is_some))
            .count();
        let mut ppm: Vec<u64> = policies.iter().map(|p| p.fee_ppm.get() as u64).collect();
        let mut base: Vec<u64> = policies.iter().map(|p| p.base_fee_msat.get()).collect();
        let mut cltv: Vec<u64> = policies.iter().map(|p| p.cltv_delta as u64).collect();
        let scc = Components::of(g);
        let (largest_scc, scc_count) = (scc.largest_size(), scc.count());
        GraphStats {
            nodes: g.node_count(),
            channels: g.channel_count(),
            directed_channels: g.direction_count(),
            active_directions: policies.iter().filter(|p| p.active).count(),
            channels_both_directions: both,
            total_capacity_sat: u64::try_from(total_msat / 1000).unwrap_or(u64::MAX),
            total_capacity_btc: total_msat as f64 / 1e11,
            capacity_sat: Percentiles::of(&mut caps),
            fee_ppm: Percentiles::of(&mut ppm),
            base_fee_msat: Percentiles::of(&mut base),
            cltv_delta: Percentiles::of(&mut cltv),
            largest_scc,
            scc_count,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{DirectionRecord, GraphBuilder, Policy};
    use crate::ids::NodeId;
    use crate::units::{Msat, Ppm};

    fn add(b: &mut GraphBuilder, scid: &str, s: u32, d: u32, cap: u64, active: bool) {
        b.add(&DirectionRecord {
            scid: scid.parse().expect("scid"),
            source: NodeId::synthetic(s),
            destination: NodeId::synthetic(d),
            capacity: Msat(cap * 1000),
            policy: Policy {
                base_fee_msat: Msat(s as u64),
                fee_ppm: Ppm(d * 10),
                cltv_delta: 40,
                htlc_minimum_msat: Msat(0),
                htlc_maximum_msat: Msat(cap * 1000),
                active,
                last_update: 0,
            },
        })
        .expect("valid");
    }

    #[test]
    fn nearest_rank_percentiles() {
        let mut v: Vec<u64> = (1..=10).collect();
        let p = Percentiles::of(&mut v).expect("non-empty");
        assert_eq!(
            (p.min, p.p10, p.p25, p.p50, p.p75, p.p90, p.max),
            (1, 1, 3, 5, 8, 9, 10)
        );
        assert_eq!(Percentiles::of(&mut [7]).map(|p| p.p10), Some(7));
        assert_eq!(Percentiles::of(&mut []), None);
    }

    #[test]
    fn counts_and_scc_over_active_directions() {
        // 1 <-> 2 -> 3 -> 1 is one SCC of 3 when all active; 4 hangs off one-way.
        let mut b = GraphBuilder::new();
        add(&mut b, "1x1x0", 1, 2, 100, true);
        add(&mut b, "1x1x0", 2, 1, 100, true);
        add(&mut b, "1x2x0", 2, 3, 200, true);
        add(&mut b, "1x3x0", 3, 1, 300, true);
        add(&mut b, "1x4x0", 3, 4, 400, true);
        let s = GraphStats::of(&b.build());
        assert_eq!(
            (
                s.nodes,
                s.channels,
                s.directed_channels,
                s.active_directions
            ),
            (4, 4, 5, 5)
        );
        assert_eq!(s.channels_both_directions, 1);
        assert_eq!(s.total_capacity_sat, 1000);
        assert_eq!((s.largest_scc, s.scc_count), (3, 2));
        assert_eq!(s.capacity_sat.map(|p| p.p50), Some(200));

        // Deactivating 3 -> 1 breaks the cycle: {1,2}, {3}, {4}.
        let mut b = GraphBuilder::new();
        add(&mut b, "1x1x0", 1, 2, 100, true);
        add(&mut b, "1x1x0", 2, 1, 100, true);
        add(&mut b, "1x2x0", 2, 3, 200, true);
        add(&mut b, "1x3x0", 3, 1, 300, false);
        add(&mut b, "1x4x0", 3, 4, 400, true);
        let s = GraphStats::of(&b.build());
        assert_eq!(s.active_directions, 4);
        assert_eq!((s.largest_scc, s.scc_count), (2, 3));
    }

    #[test]
    fn long_path_needs_no_recursion() {
        let mut b = GraphBuilder::new();
        let n = 200_000u32;
        for i in 0..n {
            let scid = format!("{}x{}x0", 1 + i / 1000, i % 1000);
            add(&mut b, &scid, i, (i + 1) % n, 1, true);
        }
        let s = GraphStats::of(&b.build());
        assert_eq!((s.largest_scc, s.scc_count), (n as usize, 1));
    }
}
