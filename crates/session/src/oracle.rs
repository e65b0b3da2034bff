//! The simulated network: ground-truth liquidity per channel side, HTLCs in flight, settlement
//! and the true max-flow between two nodes (docs/MODEL.md §7).
//!
//! **Invariants** (by construction, checked by the tests):
//! - the oracle stores one liquidity per *channel* (its side-0 liquidity); side 1 is always
//!   `capacity − side 0`, so `L(u→v) + L(v→u) = c` holds after every operation, including for
//!   channels listed in one direction only (the unlisted side is `c − L` of the listed one);
//! - `in_flight(d) <= liquidity(d)` for every side: an HTLC locks liquidity on the side that
//!   forwards it, hop by hop, and is only ever locked if it fits;
//! - a failed `send` leaves nothing locked; `settle` moves exactly the locked amounts to the
//!   reverse sides; `release` unlocks them.

use crate::error::OracleError;
use crate::network::{PaymentNetwork, SendOutcome};
use pp_graph::{ChannelIdx, DirIdx, Graph, Msat, NodeIdx};
use pp_mcf::Problem;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Ground truth of a simulated Lightning network over a [`Graph`].
#[derive(Debug, Clone)]
pub struct Oracle<'g> {
    graph: &'g Graph,
    /// Per channel: liquidity of side 0 (msat). Side 1 holds `capacity − side0`.
    side0: Vec<u64>,
    /// Per channel and side: the amount locked by HTLCs in flight (msat).
    in_flight: Vec<[u64; 2]>,
    /// Number of sides with a non-zero in-flight amount (to check "nothing in flight" in O(1)).
    busy_sides: usize,
}

impl<'g> Oracle<'g> {
    /// An oracle whose side-0 liquidity of every channel is given by `side0(channel)`
    /// (clamped to nothing: values above the capacity are an error).
    pub fn from_side0_liquidity(
        graph: &'g Graph,
        mut side0: impl FnMut(ChannelIdx) -> Msat,
    ) -> Result<Self, OracleError> {
        let mut v = Vec::with_capacity(graph.channel_count());
        for c in graph.channels() {
            let l = side0(c);
            let cap = graph.channel_capacity(c);
            if l > cap {
                return Err(OracleError::LiquidityAboveCapacity {
                    scid: graph.channel_scid(c),
                    liquidity: l,
                    capacity: cap,
                });
            }
            v.push(l.0);
        }
        Ok(Oracle {
            graph,
            side0: v,
            in_flight: vec![[0, 0]; graph.channel_count()],
            busy_sides: 0,
        })
    }

    /// An oracle with every channel's side-0 liquidity drawn uniformly from `0..=capacity`
    /// (msat) by one ChaCha8 generator seeded with `seed`, channel after channel in
    /// [`ChannelIdx`] order; side 1 gets the rest, so the two sides are coherent.
    pub fn random(graph: &'g Graph, seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let side0 = graph
            .channels()
            .map(|c| rng.gen_range(0..=graph.channel_capacity(c).0))
            .collect();
        Oracle {
            graph,
            side0,
            in_flight: vec![[0, 0]; graph.channel_count()],
            busy_sides: 0,
        }
    }

    /// An oracle with depleted channels: every channel's liquidity sits near one end. With
    /// probability 1/2 side 0 holds a uniform draw from the lowest `edge_share` of the capacity
    /// (`0..=⌊capacity · edge_share⌋` msat), otherwise from the highest (the rest goes to side 1),
    /// by one ChaCha8 generator seeded with `seed`, channel after channel in [`ChannelIdx`]
    /// order. This is the bimodal shape measured on mainnet channels, where most liquidity has
    /// drained to one side; our belief's uniform prior does not know it (docs/MODEL.md §9.4).
    ///
    /// # Errors
    /// [`OracleError::InvalidDraw`] unless `0 < edge_share <= 0.5`.
    pub fn bimodal(graph: &'g Graph, seed: u64, edge_share: f64) -> Result<Self, OracleError> {
        if !(edge_share > 0.0 && edge_share <= 0.5) {
            return Err(OracleError::InvalidDraw {
                reason: format!("the edge share must be in (0, 0.5], not {edge_share}"),
            });
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let side0 = graph
            .channels()
            .map(|c| {
                let cap = graph.channel_capacity(c).0;
                let edge = (cap as f64 * edge_share) as u64;
                let x = rng.gen_range(0..=edge);
                if rng.gen_bool(0.5) {
                    x
                } else {
                    cap - x
                }
            })
            .collect();
        Ok(Oracle {
            graph,
            side0,
            in_flight: vec![[0, 0]; graph.channel_count()],
            busy_sides: 0,
        })
    }

    /// The graph this oracle simulates.
    pub fn graph(&self) -> &'g Graph {
        self.graph
    }

    fn chan_side(&self, d: DirIdx) -> (usize, usize) {
        (self.graph.channel_of(d).ix(), self.graph.side(d) as usize)
    }

    fn side_liquidity(&self, c: usize, side: usize) -> u64 {
        if side == 0 {
            self.side0[c]
        } else {
            self.graph.channel_capacity(ChannelIdx(c as u32)).0 - self.side0[c]
        }
    }

    /// The true liquidity of direction `d` (what its source could send, in-flight included).
    pub fn liquidity(&self, d: DirIdx) -> Msat {
        let (c, s) = self.chan_side(d);
        Msat(self.side_liquidity(c, s))
    }

    /// The true liquidity of side `side` (0 or 1) of channel `c`, listed or not.
    pub fn channel_side_liquidity(&self, c: ChannelIdx, side: u8) -> Msat {
        Msat(self.side_liquidity(c.ix(), usize::from(side & 1)))
    }

    /// The amount locked on direction `d` by HTLCs in flight.
    pub fn in_flight(&self, d: DirIdx) -> Msat {
        let (c, s) = self.chan_side(d);
        Msat(self.in_flight[c][s])
    }

    /// What direction `d` can still forward: liquidity minus in flight.
    pub fn available(&self, d: DirIdx) -> Msat {
        let (c, s) = self.chan_side(d);
        Msat(self.side_liquidity(c, s) - self.in_flight[c][s])
    }

    /// Whether any HTLC is in flight anywhere. O(1).
    pub fn has_in_flight(&self) -> bool {
        self.busy_sides > 0
    }

    /// Sets the true liquidity of direction `d` (the reverse side gets `capacity − liquidity`).
    ///
    /// Refused while anything is in flight on the channel, or above the capacity.
    pub fn set_liquidity(&mut self, d: DirIdx, liquidity: Msat) -> Result<(), OracleError> {
        let (c, s) = self.chan_side(d);
        let cap = self.graph.capacity(d);
        if liquidity > cap {
            return Err(OracleError::LiquidityAboveCapacity {
                scid: self.graph.scid(d),
                liquidity,
                capacity: cap,
            });
        }
        if self.in_flight[c] != [0, 0] {
            return Err(OracleError::Busy {
                scid: self.graph.scid(d),
            });
        }
        self.side0[c] = if s == 0 {
            liquidity.0
        } else {
            cap.0 - liquidity.0
        };
        Ok(())
    }

    /// Copies the liquidities of `other` (an oracle over the same graph) into this one, e.g. to
    /// restore a saved state between payments. Refused while anything is in flight in either.
    pub fn restore_from(&mut self, other: &Oracle<'_>) -> Result<(), OracleError> {
        if self.has_in_flight() || other.has_in_flight() || self.side0.len() != other.side0.len() {
            return Err(OracleError::RestoreMismatch);
        }
        self.side0.copy_from_slice(&other.side0);
        Ok(())
    }

    fn check_path(&self, path: &[DirIdx], amounts: &[Msat]) -> Result<(), OracleError> {
        if path.is_empty() || path.len() != amounts.len() {
            return Err(OracleError::InvalidPath {
                reason: format!(
                    "{} hops with {} amounts (need at least one hop and one amount per hop)",
                    path.len(),
                    amounts.len()
                ),
            });
        }
        for &d in path {
            if d.ix() >= self.graph.direction_count() {
                return Err(OracleError::InvalidPath {
                    reason: format!("direction index {} out of range", d.0),
                });
            }
        }
        for w in path.windows(2) {
            if self.graph.target(w[0]) != self.graph.source(w[1]) {
                return Err(OracleError::InvalidPath {
                    reason: format!(
                        "hop {} ends at another node than hop {} starts",
                        self.graph.scid(w[0]),
                        self.graph.scid(w[1])
                    ),
                });
            }
        }
        Ok(())
    }

    fn lock(&mut self, c: usize, s: usize, a: u64) {
        if self.in_flight[c][s] == 0 && a > 0 {
            self.busy_sides += 1;
        }
        self.in_flight[c][s] += a;
    }

    /// Unlocks `a` on a side; the caller checked that it is locked.
    fn unlock(&mut self, c: usize, s: usize, a: u64) {
        self.in_flight[c][s] -= a;
        if self.in_flight[c][s] == 0 && a > 0 {
            self.busy_sides -= 1;
        }
    }

    /// Checks that every hop of `path` holds at least its amount in flight, counting repeated
    /// hops together.
    fn check_locked(&self, path: &[DirIdx], amounts: &[Msat]) -> Result<(), OracleError> {
        for (i, &d) in path.iter().enumerate() {
            let need: u64 = path
                .iter()
                .zip(amounts)
                .filter(|(&e, _)| e == d)
                .map(|(_, a)| a.0)
                .sum();
            let (c, s) = self.chan_side(d);
            if self.in_flight[c][s] < need {
                return Err(OracleError::NotInFlight {
                    scid: self.graph.scid(d),
                    amount: amounts[i],
                    in_flight: Msat(self.in_flight[c][s]),
                });
            }
        }
        Ok(())
    }

    /// The true maximum flow from `source` to `target` over the active listed directions, on
    /// what they can still forward ([`Oracle::available`]).
    ///
    /// # Complexity
    /// As [`Oracle::max_flow_up_to`].
    pub fn max_flow(&self, source: NodeIdx, target: NodeIdx) -> Msat {
        self.max_flow_up_to(source, target, Msat(i64::MAX as u64))
    }

    /// Whether the network can carry `amount` from `source` to `target` at all, i.e. whether
    /// [`Oracle::max_flow_up_to`]`(source, target, amount) >= amount`, answered without a max
    /// flow when the cut around either end already falls short (how most random pairs of a real
    /// snapshot fail).
    ///
    /// # Complexity
    /// O(degree of both ends) for the cut bounds, then as [`Oracle::max_flow_up_to`] when they
    /// pass.
    pub fn can_carry(&self, source: NodeIdx, target: NodeIdx, amount: Msat) -> bool {
        if source == target {
            return true;
        }
        let g = self.graph;
        let usable = |d: DirIdx| {
            if g.policy(d).active {
                self.available(d).0
            } else {
                0
            }
        };
        let out: u64 = g.out_dirs(source).map(usable).fold(0, u64::saturating_add);
        let into: u64 = g
            .in_dirs(target)
            .iter()
            .map(|&d| usable(d))
            .fold(0, u64::saturating_add);
        if out < amount.0 || into < amount.0 {
            return false;
        }
        self.max_flow_up_to(source, target, amount) >= amount
    }

    /// Like [`Oracle::max_flow`] but stops as soon as `limit` is reached (returns at most
    /// `limit`), which is all a feasibility check needs.
    ///
    /// # Complexity
    /// `pp_mcf::max_flow` (Dinic's algorithm) on a problem with one arc per active direction:
    /// O(V² E) in the worst case, a few blocking-flow phases in practice; O(V + E) memory.
    pub fn max_flow_up_to(&self, source: NodeIdx, target: NodeIdx, limit: Msat) -> Msat {
        let limit = limit.0.min(i64::MAX as u64);
        if source == target {
            return Msat(limit);
        }
        let g = self.graph;
        let mut p = Problem::new(g.node_count());
        for d in g.directions() {
            let a = self.available(d).0;
            if g.policy(d).active && a > 0 {
                // Capacities are at most 21 million BTC in msat, far below i64::MAX.
                p.add_arc(
                    g.source(d).0,
                    g.target(d).0,
                    a.min(i64::MAX as u64) as i64,
                    0,
                );
            }
        }
        p.set_single_pair(source.0, target.0, limit as i64);
        // The problem is valid by construction (non-negative capacities, nodes in range, one
        // balanced pair of supplies); an error would be a bug, reported as no flow.
        Msat(pp_mcf::max_flow(&p).map_or(0, |f| f.max(0) as u64))
    }
}

impl PaymentNetwork for Oracle<'_> {
    type Error = OracleError;

    /// Locks hop by hop; the first hop whose `liquidity − in_flight` is below its amount fails
    /// the HTLC and everything locked so far is unlocked.
    fn send(&mut self, path: &[DirIdx], hop_amounts: &[Msat]) -> Result<SendOutcome, OracleError> {
        self.check_path(path, hop_amounts)?;
        for (i, (&d, &a)) in path.iter().zip(hop_amounts).enumerate() {
            let (c, s) = self.chan_side(d);
            if self.side_liquidity(c, s) - self.in_flight[c][s] < a.0 {
                for (&e, &b) in path[..i].iter().zip(hop_amounts).rev() {
                    let (c, s) = self.chan_side(e);
                    self.unlock(c, s, b.0);
                }
                return Ok(SendOutcome::liquidity_failure(i));
            }
            self.lock(c, s, a.0);
        }
        Ok(SendOutcome::Forwarded)
    }

    fn settle(&mut self, path: &[DirIdx], hop_amounts: &[Msat]) -> Result<(), OracleError> {
        self.check_path(path, hop_amounts)?;
        self.check_locked(path, hop_amounts)?;
        for (&d, &a) in path.iter().zip(hop_amounts) {
            let (c, s) = self.chan_side(d);
            self.unlock(c, s, a.0);
            // Locked amounts never exceed the side's liquidity, so neither line can wrap.
            if s == 0 {
                self.side0[c] -= a.0;
            } else {
                self.side0[c] += a.0;
            }
        }
        Ok(())
    }

    fn release(&mut self, path: &[DirIdx], hop_amounts: &[Msat]) -> Result<(), OracleError> {
        self.check_path(path, hop_amounts)?;
        self.check_locked(path, hop_amounts)?;
        for (&d, &a) in path.iter().zip(hop_amounts) {
            let (c, s) = self.chan_side(d);
            self.unlock(c, s, a.0);
        }
        Ok(())
    }

    /// [`Oracle::available`] (liquidity minus in flight) for any listed direction: the simulation
    /// knows every balance, and the session asks only for the sender's own directions. `None`
    /// for an index out of range.
    fn local_liquidity(&self, d: DirIdx) -> Option<Msat> {
        (d.ix() < self.graph.direction_count()).then(|| self.available(d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pp_graph::{DirectionRecord, GraphBuilder, NodeId, Policy, Ppm, Sat};

    fn policy() -> Policy {
        Policy {
            base_fee_msat: Msat(0),
            fee_ppm: Ppm(0),
            cltv_delta: 40,
            htlc_minimum_msat: Msat(0),
            htlc_maximum_msat: Msat(u64::MAX / 2),
            active: true,
            last_update: 0,
        }
    }

    /// Nodes 1..=4; channels given as (a, b, capacity sat), both directions listed.
    fn graph(chans: &[(u32, u32, u64)]) -> Graph {
        let mut b = GraphBuilder::new();
        for (i, &(x, y, c)) in chans.iter().enumerate() {
            for (s, t) in [(x, y), (y, x)] {
                b.add(&DirectionRecord {
                    scid: format!("1x{}x0", i + 1).parse().expect("scid"),
                    source: NodeId::synthetic(s),
                    destination: NodeId::synthetic(t),
                    capacity: Sat(c).to_msat().expect("small"),
                    policy: policy(),
                })
                .expect("valid record");
            }
        }
        b.build()
    }

    fn dir(g: &Graph, s: u32, t: u32) -> DirIdx {
        let (s, t) = (
            g.node_index(&NodeId::synthetic(s)).expect("node"),
            g.node_index(&NodeId::synthetic(t)).expect("node"),
        );
        g.out_dirs(s)
            .find(|&d| g.target(d) == t)
            .expect("direction")
    }

    fn node(g: &Graph, s: u32) -> NodeIdx {
        g.node_index(&NodeId::synthetic(s)).expect("node")
    }

    #[test]
    fn send_locks_hop_by_hop_and_releases_on_failure() {
        let g = graph(&[(1, 2, 100), (2, 3, 100)]);
        let mut o = Oracle::from_side0_liquidity(&g, |_| Msat(50_000)).expect("valid");
        let (d12, d23) = (dir(&g, 1, 2), dir(&g, 2, 3));
        o.set_liquidity(d12, Msat(80_000)).expect("ok");
        o.set_liquidity(d23, Msat(30_000)).expect("ok");
        assert_eq!(o.liquidity(g.reverse(d12).expect("rev")), Msat(20_000));
        let path = [d12, d23];
        assert_eq!(
            o.send(&path, &[Msat(40_000), Msat(40_000)]).expect("valid"),
            SendOutcome::liquidity_failure(1)
        );
        assert!(!o.has_in_flight());
        assert_eq!(o.in_flight(d12), Msat(0));
        // Exactly the whole liquidity forwards.
        assert_eq!(
            o.send(&path, &[Msat(30_000), Msat(30_000)]).expect("valid"),
            SendOutcome::Forwarded
        );
        assert_eq!(o.available(d23), Msat(0));
        assert_eq!(
            o.send(&[d23], &[Msat(1)]).expect("valid"),
            SendOutcome::liquidity_failure(0)
        );
        o.settle(&path, &[Msat(30_000), Msat(30_000)])
            .expect("locked");
        assert!(!o.has_in_flight());
        assert_eq!(o.liquidity(d12), Msat(50_000));
        assert_eq!(o.liquidity(g.reverse(d12).expect("rev")), Msat(50_000));
        assert_eq!(o.liquidity(d23), Msat(0));
        assert_eq!(o.liquidity(g.reverse(d23).expect("rev")), Msat(100_000));
        // What the sender of d12 could spend: liquidity minus in flight.
        assert_eq!(o.local_liquidity(d12), Some(Msat(50_000)));
        o.send(&[d12], &[Msat(20_000)]).expect("valid");
        assert_eq!(o.local_liquidity(d12), Some(Msat(30_000)));
        o.release(&[d12], &[Msat(20_000)]).expect("locked");
        assert_eq!(o.local_liquidity(d12), Some(Msat(50_000)));
        assert_eq!(o.local_liquidity(DirIdx(99)), None);
        // Settling or releasing what is not in flight is an error, not a panic.
        assert!(matches!(
            o.release(&[d12], &[Msat(1)]),
            Err(OracleError::NotInFlight { .. })
        ));
        assert!(matches!(
            o.send(&[d23, d12], &[Msat(1), Msat(1)]),
            Err(OracleError::InvalidPath { .. })
        ));
    }

    #[test]
    fn random_draws_differ_per_channel_and_are_reproducible() {
        let chans: Vec<(u32, u32, u64)> = (1..40).map(|i| (i, i + 1, 1_000)).collect();
        let g = graph(&chans);
        let a = Oracle::random(&g, 7);
        let b = Oracle::random(&g, 7);
        assert_eq!(a.side0, b.side0);
        let mut distinct = a.side0.clone();
        distinct.sort_unstable();
        distinct.dedup();
        // One generator for all channels: equal capacities still get many different values.
        assert!(distinct.len() > 30, "{distinct:?}");
        for d in g.directions() {
            let r = g.reverse(d).expect("both listed");
            assert_eq!(
                a.liquidity(d).0 + a.liquidity(r).0,
                g.capacity(d).0,
                "coherent sides"
            );
        }
    }

    #[test]
    fn can_carry_agrees_with_the_max_flow() {
        let g = pp_graph::generate(&pp_graph::GeneratorParams::new(60, 3)).expect("generated");
        let o = Oracle::random(&g, 11);
        let (mut yes, mut no) = (0, 0);
        for s in g.nodes().step_by(7) {
            for t in g.nodes().step_by(5).filter(|&t| t != s) {
                let m = o.max_flow(s, t);
                for amount in [1, m.0 / 2, m.0, m.0 + 1, 3 * m.0 + 1] {
                    let a = Msat(amount);
                    assert_eq!(o.can_carry(s, t, a), m >= a, "{s} -> {t}, {a}");
                    if m >= a {
                        yes += 1;
                    } else {
                        no += 1;
                    }
                }
            }
        }
        assert!(yes > 50 && no > 50, "{yes} {no}");
    }

    #[test]
    fn max_flow_matches_hand_computed_cut() {
        // 1→2 (30), 1→3 (50), 2→4 (40), 3→4 (20), 2→3 (100): cut {1→2 via 2→4, 3→4} = 30 + 20.
        let g = graph(&[
            (1, 2, 100),
            (1, 3, 100),
            (2, 4, 100),
            (3, 4, 100),
            (2, 3, 100),
        ]);
        let mut o = Oracle::from_side0_liquidity(&g, |_| Msat(0)).expect("valid");
        for (s, t, l) in [(1, 2, 30), (1, 3, 50), (2, 4, 40), (3, 4, 20), (2, 3, 100)] {
            o.set_liquidity(dir(&g, s, t), Msat(l * 1000)).expect("ok");
        }
        let (s, t) = (node(&g, 1), node(&g, 4));
        assert_eq!(o.max_flow(s, t), Msat(50_000));
        assert_eq!(o.max_flow_up_to(s, t, Msat(10_000)), Msat(10_000));
        assert!(o.can_carry(s, t, Msat(50_000)));
        assert!(!o.can_carry(s, t, Msat(50_001)));
        assert!(o.can_carry(s, s, Msat(1)));
        // In-flight amounts reduce what is available.
        o.send(&[dir(&g, 1, 3), dir(&g, 3, 4)], &[Msat(5_000), Msat(5_000)])
            .expect("valid");
        assert_eq!(o.max_flow(s, t), Msat(45_000));
        // The reverse direction 4→1 has the rest: 2→1 70, 3→1 50, 4→2 60, 4→3 80, 3→2 0.
        assert_eq!(o.max_flow(t, s), Msat(110_000));
    }

    #[test]
    fn bimodal_draws_sit_near_one_end_and_repeat() {
        let g = pp_graph::generate(&pp_graph::GeneratorParams::new(80, 3)).unwrap();
        let a = Oracle::bimodal(&g, 7, 0.1).unwrap();
        let b = Oracle::bimodal(&g, 7, 0.1).unwrap();
        assert_eq!(a.side0, b.side0);
        let (mut low, mut high) = (0, 0);
        for c in g.channels() {
            let cap = g.channel_capacity(c).0;
            let edge = (cap as f64 * 0.1) as u64;
            let x = a.side0[c.ix()];
            assert!(x <= edge || x >= cap - edge, "{x} of {cap}");
            if x <= edge {
                low += 1;
            } else {
                high += 1;
            }
        }
        assert!(
            low > 0 && high > 0,
            "both ends occur: {low} low, {high} high"
        );
        assert_ne!(a.side0, Oracle::bimodal(&g, 8, 0.1).unwrap().side0);
        for bad in [0.0, -0.1, 0.6, f64::NAN] {
            assert!(matches!(
                Oracle::bimodal(&g, 7, bad),
                Err(OracleError::InvalidDraw { .. })
            ));
        }
    }
}
