//! μ from a frugality factor (Core Lightning's "Finding μ", docs/MODEL.md §3).
//!
//! μ weighs fees against `−ln P` in the linearized cost. The rule picks it so that, for the
//! "typical" channel able to carry the amount, the fee term and the uncertainty term are
//! comparable, then scales by the user's frugality:
//!
//! `μ = −ln((median_capacity_msat + 1 − amount_msat) / (median_capacity_msat + 1)) · frugality /
//! (median_fee_ppm + 1)`.
//!
//! **Which directions count:** the *active listed directions* whose channel capacity is strictly
//! greater than the amount (inactive directions cannot be routed over, so they should not set the
//! scale). Both medians are taken over that same set; a channel listed in both directions counts
//! twice, once with each direction's fee. For an even count the upper median (element `n/2` of the
//! sorted values) is used, as Core Lightning does.
//!
//! **Edge cases:** if no direction qualifies, `median_capacity_msat = amount_msat` (docs/MODEL.md
//! §3), which gives `−ln(1 / (amount_msat + 1)) = ln(amount_msat + 1)`, finite; the fee median is
//! then taken over all active directions (0 if there are none). A median fee of 0 is harmless
//! thanks to the `+ 1` in the denominator.

use crate::error::UncertaintyError;
use pp_graph::{Graph, Msat, Ppm, MAX_SUPPLY_SAT};

/// The μ chosen by [`mu_from_frugality`] and the medians it used.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MuReport {
    /// The fee weight μ.
    pub mu: f64,
    /// The median capacity of the qualifying directions (or the amount if none qualifies).
    pub median_capacity_msat: Msat,
    /// The median proportional fee of the qualifying directions.
    pub median_fee_ppm: Ppm,
    /// How many directions qualified (active, channel capacity above the amount).
    pub channels_considered: usize,
}

/// The formula of the module docs for given medians (no graph needed).
pub fn mu_formula(median_capacity: Msat, median_fee: Ppm, amount: Msat, frugality: f64) -> f64 {
    // median_capacity >= amount here, so the ratio is in (0, 1].
    let a = amount.0.min(median_capacity.0);
    let neg_log = crate::belief::neg_log_uniform(a as u128, median_capacity.0 as u128 + 1);
    neg_log * frugality / (median_fee.0 as f64 + 1.0)
}

fn upper_median<T: Ord + Copy>(v: &mut [T]) -> Option<T> {
    if v.is_empty() {
        return None;
    }
    let mid = v.len() / 2;
    Some(*v.select_nth_unstable(mid).1)
}

/// Computes μ for sending `amount` over `graph` with the given frugality (about 0.1 prefers
/// certainty, about 10 prefers low fees); see the module docs for the set of directions and the
/// edge cases.
///
/// # Errors
/// [`UncertaintyError::InvalidAmount`] for 0 or more than 21 million BTC;
/// [`UncertaintyError::InvalidParameter`] when `frugality` is negative, NaN or infinite.
///
/// # Complexity
/// O(D) time (two linear-time selections) and O(D) memory.
pub fn mu_from_frugality(
    graph: &Graph,
    amount: Msat,
    frugality: f64,
) -> Result<MuReport, UncertaintyError> {
    if amount == Msat::ZERO || amount.0 / 1000 > MAX_SUPPLY_SAT {
        return Err(UncertaintyError::InvalidAmount { amount });
    }
    if !(frugality.is_finite() && frugality >= 0.0) {
        return Err(UncertaintyError::InvalidParameter {
            name: "frugality",
            reason: format!("{frugality} is not a finite number >= 0"),
        });
    }
    let mut caps = Vec::new();
    let mut fees = Vec::new();
    let mut all_fees = Vec::new();
    for (cap, pol) in graph.capacities().iter().zip(graph.policies()) {
        if !pol.active {
            continue;
        }
        all_fees.push(pol.fee_ppm);
        if *cap > amount {
            caps.push(*cap);
            fees.push(pol.fee_ppm);
        }
    }
    let considered = caps.len();
    let (median_capacity, median_fee) = match upper_median(&mut caps) {
        Some(c) => (c, upper_median(&mut fees).unwrap_or(Ppm(0))),
        None => (amount, upper_median(&mut all_fees).unwrap_or(Ppm(0))),
    };
    Ok(MuReport {
        mu: mu_formula(median_capacity, median_fee, amount, frugality),
        median_capacity_msat: median_capacity,
        median_fee_ppm: median_fee,
        channels_considered: considered,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pp_graph::{DirectionRecord, GraphBuilder, NodeId, Policy};

    /// One-way channels from node 1 to nodes 2.. with the given (capacity msat, ppm, active).
    fn graph(chans: &[(u64, u32, bool)]) -> Graph {
        let mut b = GraphBuilder::new();
        for (k, &(cap, ppm, active)) in chans.iter().enumerate() {
            b.add(&DirectionRecord {
                scid: pp_graph::ShortChannelId::new(1, k as u32, 0).expect("scid"),
                source: NodeId::synthetic(1),
                destination: NodeId::synthetic(2 + k as u32),
                capacity: Msat(cap),
                policy: Policy {
                    base_fee_msat: Msat(0),
                    fee_ppm: Ppm(ppm),
                    cltv_delta: 40,
                    htlc_minimum_msat: Msat(1),
                    htlc_maximum_msat: Msat(cap),
                    active,
                    last_update: 0,
                },
            })
            .expect("valid");
        }
        b.build()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1.0)
    }

    #[test]
    fn formula_on_a_small_graph() {
        // Qualifying for 4000 msat: capacities 5000, 8000, 20000 (the inactive 90000 is ignored).
        let g = graph(&[
            (1000, 10, true),
            (5000, 50, true),
            (8000, 0, true),
            (20000, 100, true),
            (90000, 7, false),
        ]);
        let r = mu_from_frugality(&g, Msat(4000), 2.0).expect("valid");
        assert_eq!(r.channels_considered, 3);
        assert_eq!(r.median_capacity_msat, Msat(8000));
        assert_eq!(r.median_fee_ppm, Ppm(50));
        let want = -(4001.0f64 / 8001.0).ln() * 2.0 / 51.0;
        assert!(close(r.mu, want), "{} vs {want}", r.mu);
        // Even count (1000, 5000, 8000, 20000 all exceed 999 msat): the upper median.
        let r = mu_from_frugality(&g, Msat(999), 1.0).expect("valid");
        assert_eq!(r.channels_considered, 4);
        assert_eq!(r.median_capacity_msat, Msat(8000));
        assert_eq!(r.median_fee_ppm, Ppm(50));
        // Frugality 0 gives μ = 0 (reliability only).
        assert_eq!(mu_from_frugality(&g, Msat(4000), 0.0).expect("ok").mu, 0.0);
    }

    #[test]
    fn no_channel_larger_than_the_amount() {
        let g = graph(&[
            (1000, 10, true),
            (5000, 50, true),
            (8000, 0, true),
            (20000, 100, true),
        ]);
        let r = mu_from_frugality(&g, Msat(30000), 1.0).expect("valid");
        assert_eq!(r.channels_considered, 0);
        assert_eq!(r.median_capacity_msat, Msat(30000));
        // Fee median over all active directions: 0, 10, 50, 100 → upper median 50.
        assert_eq!(r.median_fee_ppm, Ppm(50));
        assert!(close(r.mu, 30001f64.ln() / 51.0), "finite: {}", r.mu);
        // A capacity equal to the amount does not count.
        let r = mu_from_frugality(&g, Msat(20000), 1.0).expect("valid");
        assert_eq!(
            (r.channels_considered, r.median_capacity_msat),
            (0, Msat(20000))
        );
        // Empty graph: fee median 0.
        let r = mu_from_frugality(&GraphBuilder::new().build(), Msat(5), 1.0).expect("ok");
        assert_eq!(r.median_fee_ppm, Ppm(0));
        assert!(close(r.mu, 6f64.ln()));
    }

    #[test]
    fn median_fee_zero_uses_the_plus_one() {
        let g = graph(&[(10_000, 0, true), (20_000, 0, true), (30_000, 5, true)]);
        let r = mu_from_frugality(&g, Msat(5000), 1.0).expect("valid");
        assert_eq!(
            (r.median_capacity_msat, r.median_fee_ppm),
            (Msat(20000), Ppm(0))
        );
        assert!(close(r.mu, -(15001.0f64 / 20001.0).ln()));
    }

    #[test]
    fn bad_input_is_an_error() {
        let g = graph(&[(10_000, 0, true)]);
        for f in [-1.0, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                mu_from_frugality(&g, Msat(1), f),
                Err(UncertaintyError::InvalidParameter {
                    name: "frugality",
                    ..
                })
            ));
        }
        assert!(matches!(
            mu_from_frugality(&g, Msat(0), 1.0),
            Err(UncertaintyError::InvalidAmount { .. })
        ));
        assert!(matches!(
            mu_from_frugality(&g, Msat(MAX_SUPPLY_SAT * 1000 + 1000), 1.0),
            Err(UncertaintyError::InvalidAmount { .. })
        ));
    }
}
