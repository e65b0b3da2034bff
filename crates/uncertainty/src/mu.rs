//! μ from a frugality factor (Core Lightning's "Finding μ", SPEC §3).
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
//! **Edge cases:** if no direction qualifies, `median_capacity_msat = amount_msat` (SPEC), which
//! gives `−ln(1 / (amount_msat + 1)) = ln(amount_msat + 1)`, finite; the fee median is then taken
//! over all active directions (0 if there are none). A median fee of 0 is harmless thanks to the
//! `+ 1` in the denominator.

use crate::error::UncertaintyError;
use pp_graph::{Graph, Msat, Ppm, MAX_SUPPLY_SAT};
use serde::{Deserialize, Serialize};

/// The μ chosen by [`mu_from_frugality`] and the medians it used.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
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
    // −ln((m + 1 − a) / (m + 1)) = −ln_1p(−a / (m + 1)), with a capped at m.
    let a = amount.0.min(median_capacity.0) as f64;
    let neg_log = -(-a / (median_capacity.0 as f64 + 1.0)).ln_1p();
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
