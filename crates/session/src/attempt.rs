//! Attempts: a path with the amount it delivers, its exact per-hop amounts and fees (docs/MODEL.md
//! §1), its planned success probability and its fate; and the shaping of flow paths into parts that
//! respect every hop's HTLC limits and the optional [`Limits`] (docs/MODEL.md §5).
//!
//! **Fees.** Forwarding `a` over direction `d` costs `base_fee_msat + floor(a · fee_ppm / 10⁶)`,
//! charged by `d`'s source. The sender forwards over its own first hop for free, so for a path
//! `d₀ … d_k` delivering `A`: `hop_amounts[k] = A` and
//! `hop_amounts[i] = hop_amounts[i+1] + fee(d_{i+1}, hop_amounts[i+1])`; the attempt's fee is
//! `hop_amounts[0] − A`, the sum of the fees of hops `1..=k`.
//!
//! **CLTV.** The total CLTV of a path is the sum of the `cltv_delta` of the hops the sender does
//! not own (`d₁ … d_k`), the delay the forwarding nodes add.

use crate::error::SessionError;
use pp_graph::{DirIdx, Graph, Msat, NodeId, ShortChannelId};

/// Where an attempt is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case", tag = "status"))]
pub enum AttemptStatus {
    /// Planned, not yet sent.
    Planned,
    /// Forwarded to the receiver and locked there, waiting to be settled or released.
    InFlight,
    /// Hop `hop` (0-based) could not forward it; nothing of it is locked any more.
    FailedAt {
        /// The failing hop.
        hop: usize,
    },
    /// Settled: the payment succeeded and this part was claimed.
    Settled,
    /// Reached the receiver but was released because the payment as a whole failed.
    Released,
}

/// One part of a payment sent along one path.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    /// The round (1-based) that planned it.
    pub round: u32,
    /// The directed channels from sender to receiver.
    pub path: Vec<DirIdx>,
    /// The amount delivered to the receiver.
    pub amount: Msat,
    /// The exact amount forwarded over each hop (amount plus downstream fees).
    pub hop_amounts: Vec<Msat>,
    /// The total fee: `hop_amounts[0] − amount`.
    pub fee: Msat,
    /// Planned success probability under the belief when it was planned, counting earlier
    /// attempts of the same round on shared hops.
    pub probability: f64,
    /// Its fate.
    pub status: AttemptStatus,
}

/// The exact per-hop forwarded amounts for delivering `amount` along `path` (docs/MODEL.md §1).
///
/// # Errors
/// [`SessionError::InvalidPath`] for an empty path, [`SessionError::Overflow`] if the amounts
/// leave `u64`.
pub fn hop_amounts(
    graph: &Graph,
    path: &[DirIdx],
    amount: Msat,
) -> Result<Vec<Msat>, SessionError> {
    let mut out = vec![Msat::ZERO; path.len()];
    hop_amounts_into(graph, path, amount, &mut out)?;
    Ok(out)
}

/// [`hop_amounts`] into a caller's buffer of the path's length.
fn hop_amounts_into(
    graph: &Graph,
    path: &[DirIdx],
    amount: Msat,
    out: &mut [Msat],
) -> Result<(), SessionError> {
    let Some(k) = path.len().checked_sub(1) else {
        return Err(SessionError::InvalidPath {
            reason: "empty path".into(),
        });
    };
    out[k] = amount;
    for i in (0..k).rev() {
        let next = out[i + 1];
        let fee = graph
            .fee(path[i + 1], next)
            .ok_or(SessionError::Overflow { what: "hop fee" })?;
        out[i] = next
            .checked_add(fee)
            .ok_or(SessionError::Overflow { what: "hop amount" })?;
    }
    Ok(())
}

/// The total CLTV delta of a path: the sum over the hops after the sender's own first hop.
pub fn total_cltv(graph: &Graph, path: &[DirIdx]) -> u32 {
    path.iter()
        .skip(1)
        .map(|&d| u32::from(graph.policy(d).cltv_delta))
        .sum()
}

impl Attempt {
    /// A planned attempt delivering `amount` along `path`, with exact hop amounts and fee.
    ///
    /// # Errors
    /// [`SessionError::InvalidPath`] for an empty path, [`SessionError::Overflow`] if the
    /// amounts leave `u64`.
    pub fn new(
        graph: &Graph,
        round: u32,
        path: Vec<DirIdx>,
        amount: Msat,
    ) -> Result<Attempt, SessionError> {
        let hops = hop_amounts(graph, &path, amount)?;
        let fee = Msat(hops[0].0 - amount.0);
        Ok(Attempt {
            round,
            path,
            amount,
            hop_amounts: hops,
            fee,
            probability: 1.0,
            status: AttemptStatus::Planned,
        })
    }

    /// What the sender puts on its first hop: `amount + fee`.
    pub fn sent(&self) -> Msat {
        self.hop_amounts[0]
    }

    /// The fee each hop charges: entry `i` is what `path[i]`'s source keeps for forwarding over
    /// `path[i]`, i.e. `hop_amounts[i-1] − hop_amounts[i]`; entry 0 (the sender's own hop) is 0.
    /// The entries sum to [`Attempt::fee`].
    pub fn hop_fees(&self) -> Vec<Msat> {
        std::iter::once(Msat::ZERO)
            .chain(self.hop_amounts.windows(2).map(|w| Msat(w[0].0 - w[1].0)))
            .collect()
    }

    /// The attempt as reported ([`crate::PaymentReport::attempts`], [`crate::PlanReport::attempts`]).
    pub fn report(&self, graph: &Graph) -> crate::AttemptReport {
        crate::AttemptReport {
            round: self.round,
            amount_msat: self.amount,
            fee_msat: self.fee,
            probability: self.probability,
            outcome: self.status,
            hops: self.hops(graph),
        }
    }

    /// The hops as (short channel id, source pubkey, destination pubkey, amount, fee) records.
    pub fn hops(&self, graph: &Graph) -> Vec<Hop> {
        let fees = self.hop_fees();
        self.path
            .iter()
            .zip(&self.hop_amounts)
            .zip(fees)
            .map(|((&d, &amount), fee)| Hop {
                scid: graph.scid(d),
                source: graph.node_id(graph.source(d)),
                destination: graph.node_id(graph.target(d)),
                amount_msat: amount,
                fee_msat: fee,
            })
            .collect()
    }
}

/// One hop of an attempt as shown in reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Hop {
    /// The channel.
    pub scid: ShortChannelId,
    /// The forwarding node.
    pub source: NodeId,
    /// The next node.
    pub destination: NodeId,
    /// The amount forwarded over this hop.
    pub amount_msat: Msat,
    /// The fee `source` keeps (`0` for the sender's own hop).
    pub fee_msat: Msat,
}

/// Optional limits on the parts of a payment (docs/MODEL.md §5). `None` means unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Limits {
    /// At most this many parts per round; the largest parts are kept, the rest of the amount
    /// waits for the next round.
    pub max_parts: Option<usize>,
    /// At most this many hops per path.
    pub max_hops: Option<usize>,
    /// At most this total CLTV delta per path (see the module docs); default 2016 blocks.
    pub max_total_cltv: Option<u32>,
}

/// Default of [`Limits::max_total_cltv`]: 2016 blocks (about two weeks, the usual node limit).
pub const DEFAULT_MAX_TOTAL_CLTV: u32 = 2016;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_parts: None,
            max_hops: None,
            max_total_cltv: Some(DEFAULT_MAX_TOTAL_CLTV),
        }
    }
}

/// A path and the amount it delivers.
pub(crate) type Part = (Vec<DirIdx>, Msat);

/// What [`shape_parts`] returns.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Shaped {
    /// The parts to send.
    pub parts: Vec<Part>,
    /// What was left out, and why.
    pub dropped: Vec<(Msat, Dropped)>,
}

/// A flow path is split into at most this many parts to fit `htlc_maximum_msat` (the BOLT 2
/// limit on HTLCs a channel accepts at once, `max_accepted_htlcs`).
pub const MAX_PARTS_PER_PATH: u64 = 483;

/// Why a part was left out of a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dropped {
    /// Too many hops or too much CLTV; the direction with the largest CLTV delta is named.
    TooLong(DirIdx),
    /// Below a hop's `htlc_minimum_msat`; that hop is named.
    BelowHtlcMin(DirIdx),
    /// Would need more than [`MAX_PARTS_PER_PATH`] parts to fit that hop's
    /// `htlc_maximum_msat`; that hop is named.
    AboveHtlcMax(DirIdx),
    /// Beyond `max_parts`.
    TooManyParts,
}

/// The most hop `j` of a path may carry in one HTLC: its `htlc_maximum_msat`, except on the
/// first hop with `own_uncapped` (the sender knows its own channels,
/// [`crate::PayParams::local_knowledge`]): the sender's advertised maximum limits what it
/// forwards, not what it sends (LDK and Core Lightning also take their own channels' limits
/// from the channels, not from gossip; docs/MODEL.md §3).
pub(crate) fn hop_htlc_max(graph: &Graph, j: usize, d: DirIdx, own_uncapped: bool) -> Msat {
    if j == 0 && own_uncapped {
        Msat::MAX
    } else {
        graph.policy(d).htlc_maximum_msat
    }
}

/// Splits and filters flow paths into parts that respect every hop's HTLC limits and the
/// [`Limits`]. Returns the parts as `(path, amount)` and what was dropped (amount and reason),
/// which the caller returns to the residual.
///
/// - a path longer than `max_hops` or with a total CLTV above `max_total_cltv` is dropped;
/// - a part whose amount on some hop exceeds that hop's `htlc_maximum_msat` (the first hop, the
///   sender's own, excepted with `own_uncapped`: [`hop_htlc_max`]) is split into the
///   fewest equal parts (differing by at most 1 msat) that fit every hop, at most
///   [`MAX_PARTS_PER_PATH`] (beyond that the path is dropped);
/// - a part below some hop's `htlc_minimum_msat` is dropped;
/// - beyond `max_parts`, the smallest parts are dropped (ties: later parts first).
pub(crate) fn shape_parts(
    graph: &Graph,
    flows: Vec<Part>,
    limits: &Limits,
    own_uncapped: bool,
) -> Result<Shaped, SessionError> {
    let mut parts = Vec::new();
    let mut dropped = Vec::new();
    let mut buf = Vec::new();
    for (path, amount) in flows {
        if amount == Msat::ZERO || path.is_empty() {
            continue;
        }
        let too_many_hops = limits.max_hops.is_some_and(|h| path.len() > h);
        let too_slow = limits
            .max_total_cltv
            .is_some_and(|c| total_cltv(graph, &path) > c);
        if too_many_hops || too_slow {
            let worst = path
                .iter()
                .skip(1)
                .copied()
                .max_by_key(|&d| (graph.policy(d).cltv_delta, std::cmp::Reverse(d)))
                .unwrap_or(path[0]);
            dropped.push((amount, Dropped::TooLong(worst)));
            continue;
        }
        // Fewest equal parts fitting every hop's htlc_maximum_msat. Since a hop's fee on a
        // k-th of the amount is at least a k-th of its fee on the whole, the whole amount's
        // ratio is a lower bound on k; fees then may need a few more parts.
        buf.resize(path.len(), Msat::ZERO);
        hop_amounts_into(graph, &path, amount, &mut buf)?;
        let mut k = path
            .iter()
            .zip(&buf)
            .enumerate()
            .map(|(j, (&d, a))| {
                a.0.div_ceil(hop_htlc_max(graph, j, d, own_uncapped).0.max(1))
            })
            .max()
            .unwrap_or(1)
            .max(1);
        let fits = loop {
            if k > MAX_PARTS_PER_PATH || k > amount.0 {
                break false;
            }
            hop_amounts_into(graph, &path, Msat(amount.0.div_ceil(k)), &mut buf)?;
            if path
                .iter()
                .zip(&buf)
                .enumerate()
                .all(|(j, (&d, a))| *a <= hop_htlc_max(graph, j, d, own_uncapped))
            {
                break true;
            }
            k += 1;
        };
        if !fits {
            // The hop with the smallest htlc_maximum_msat is the culprit.
            let d = path
                .iter()
                .enumerate()
                .min_by_key(|&(j, &d)| (hop_htlc_max(graph, j, d, own_uncapped), d))
                .map_or(path[0], |(_, &d)| d);
            dropped.push((amount, Dropped::AboveHtlcMax(d)));
            continue;
        }
        let base = amount.0 / k;
        let extra = amount.0 % k;
        for j in 0..k {
            let part = Msat(base + u64::from(j < extra));
            hop_amounts_into(graph, &path, part, &mut buf)?;
            let below = path
                .iter()
                .zip(&buf)
                .find(|(&d, a)| **a < graph.policy(d).htlc_minimum_msat)
                .map(|(&d, _)| d);
            match below {
                Some(d) => dropped.push((part, Dropped::BelowHtlcMin(d))),
                None => parts.push((path.clone(), part)),
            }
        }
    }
    if let Some(max) = limits.max_parts {
        if parts.len() > max {
            let mut order: Vec<usize> = (0..parts.len()).collect();
            order.sort_by(|&a, &b| parts[b].1.cmp(&parts[a].1).then(a.cmp(&b)));
            let mut keep = vec![false; parts.len()];
            for &i in &order[..max] {
                keep[i] = true;
            }
            let mut kept = Vec::with_capacity(max);
            for (i, p) in parts.into_iter().enumerate() {
                if keep[i] {
                    kept.push(p);
                } else {
                    dropped.push((p.1, Dropped::TooManyParts));
                }
            }
            parts = kept;
        }
    }
    Ok(Shaped { parts, dropped })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pp_graph::{DirectionRecord, GraphBuilder, Policy, Ppm, Sat};

    /// A line 1 → 2 → 3 → 4 with the given (base, ppm, htlc_min, htlc_max, cltv) per hop.
    fn line(p: &[(u64, u32, u64, u64, u16)]) -> (Graph, Vec<DirIdx>) {
        let mut b = GraphBuilder::new();
        for (i, &(base, ppm, lo, hi, cltv)) in p.iter().enumerate() {
            b.add(&DirectionRecord {
                scid: format!("1x{}x0", i + 1).parse().expect("scid"),
                source: NodeId::synthetic(i as u32 + 1),
                destination: NodeId::synthetic(i as u32 + 2),
                capacity: Sat(10_000_000).to_msat().expect("small"),
                policy: Policy {
                    base_fee_msat: Msat(base),
                    fee_ppm: Ppm(ppm),
                    cltv_delta: cltv,
                    htlc_minimum_msat: Msat(lo),
                    htlc_maximum_msat: Msat(hi),
                    active: true,
                    last_update: 0,
                },
            })
            .expect("valid");
        }
        let g = b.build();
        let path = (0..p.len())
            .map(|i| {
                let s = g
                    .node_index(&NodeId::synthetic(i as u32 + 1))
                    .expect("node");
                g.out_dirs(s).next().expect("one hop")
            })
            .collect();
        (g, path)
    }

    #[test]
    fn fees_accumulate_backwards_and_first_hop_is_free() {
        let big = 1 << 40;
        let (g, path) = line(&[
            (1000, 1000, 0, big, 40),
            (1000, 100, 0, big, 40),
            (10, 1, 0, big, 40),
        ]);
        let a = Attempt::new(&g, 1, path, Msat(1_000_000)).expect("fits");
        // Hop 3 carries the amount; hop 2 adds hop 3's fee: 10 + floor(1_000_000·1/1e6) = 11;
        // hop 1 adds hop 2's fee on 1_000_011: 1000 + floor(1_000_011·100/1e6) = 1100.
        assert_eq!(
            a.hop_amounts,
            vec![Msat(1_001_111), Msat(1_000_011), Msat(1_000_000)]
        );
        assert_eq!(a.fee, Msat(1_111));
        assert_eq!(a.hop_fees(), vec![Msat(0), Msat(1100), Msat(11)]);
        assert_eq!(a.sent(), Msat(1_001_111));
        assert_eq!(total_cltv(&g, &a.path), 80);
    }

    #[test]
    fn a_sender_that_knows_its_channels_does_not_split_at_its_own_htlc_max() {
        // The first hop advertises a 300,000 msat maximum, the second 400,000 msat.
        let (g, path) = line(&[(0, 0, 0, 300_000, 40), (0, 0, 0, 400_000, 40)]);
        let Shaped { parts, dropped } = shape_parts(
            &g,
            vec![(path.clone(), Msat(1_000_000))],
            &Limits::default(),
            true,
        )
        .expect("ok");
        assert!(dropped.is_empty());
        // Three parts for the second hop's maximum, not four for the first's.
        let amounts: Vec<u64> = parts.iter().map(|p| p.1 .0).collect();
        assert_eq!(amounts, [333_334, 333_333, 333_333]);
        assert_eq!(hop_htlc_max(&g, 0, path[0], true), Msat::MAX);
        assert_eq!(hop_htlc_max(&g, 0, path[0], false), Msat(300_000));
        assert_eq!(hop_htlc_max(&g, 1, path[1], true), Msat(400_000));
        // Without local knowledge the first hop's maximum holds: four parts.
        let plain = shape_parts(
            &g,
            vec![(path.clone(), Msat(1_000_000))],
            &Limits::default(),
            false,
        )
        .expect("ok");
        assert_eq!(plain.parts.len(), 4);
    }

    #[test]
    fn parts_split_at_htlc_max_and_drop_below_htlc_min() {
        let big = 1 << 40;
        let (g, path) = line(&[
            (0, 0, 0, big, 40),
            (0, 0, 0, 300_000, 40),
            (0, 0, 0, big, 40),
        ]);
        let Shaped { parts, dropped } = shape_parts(
            &g,
            vec![(path.clone(), Msat(1_000_000))],
            &Limits::default(),
            false,
        )
        .expect("ok");
        assert!(dropped.is_empty());
        assert_eq!(
            parts.iter().map(|p| p.1 .0).collect::<Vec<_>>(),
            vec![250_000; 4]
        );
        // Fees make parts grow upstream: 10% fee on hop 3 forces 5 parts of 200k (220k ≤ 300k)?
        // 1M/4 = 250k delivered → 275k on hop 2 ≤ 300k: still 4 parts.
        let (g2, path2) = line(&[
            (0, 0, 0, big, 40),
            (0, 0, 0, 300_000, 40),
            (0, 200_000, 0, big, 40),
        ]);
        let Shaped { parts, .. } = shape_parts(
            &g2,
            vec![(path2, Msat(1_000_000))],
            &Limits::default(),
            false,
        )
        .expect("ok");
        // 250k delivers 300k on hop 2 (fee 50k): fits exactly; 4 parts.
        assert_eq!(parts.len(), 4);
        for (p, a) in &parts {
            let h = hop_amounts(&g2, p, *a).expect("fits");
            assert!(h[1] <= Msat(300_000), "{h:?}");
        }
        let (g3, path3) = line(&[(0, 0, 0, big, 40), (0, 0, 5_000, big, 40)]);
        let Shaped { parts, dropped } =
            shape_parts(&g3, vec![(path3, Msat(4_999))], &Limits::default(), false).expect("ok");
        assert!(parts.is_empty());
        assert_eq!(dropped.len(), 1);
        assert!(matches!(
            dropped[0],
            (Msat(4_999), Dropped::BelowHtlcMin(_))
        ));
    }

    #[test]
    fn limits_drop_long_paths_and_extra_parts() {
        let big = 1 << 40;
        let (g, path) = line(&[
            (0, 0, 0, big, 40),
            (0, 0, 0, big, 1000),
            (0, 0, 0, big, 1017),
        ]);
        let Shaped { parts, dropped } =
            shape_parts(&g, vec![(path.clone(), Msat(5))], &Limits::default(), false).expect("ok");
        assert!(parts.is_empty());
        assert_eq!(dropped, vec![(Msat(5), Dropped::TooLong(path[2]))]);
        let limits = Limits {
            max_parts: Some(1),
            max_hops: Some(3),
            max_total_cltv: None,
        };
        let Shaped { parts, dropped } = shape_parts(
            &g,
            vec![(path.clone(), Msat(5)), (path.clone(), Msat(7))],
            &limits,
            false,
        )
        .expect("ok");
        assert_eq!(parts, vec![(path.clone(), Msat(7))]);
        assert_eq!(dropped, vec![(Msat(5), Dropped::TooManyParts)]);
    }
}
