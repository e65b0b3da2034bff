//! Paired comparison of strategies in a simulation ([`PairedSummary`], [`compare_pairs`]): fees
//! and attempts on the payments that **both** strategies of a pair delivered, so that the two
//! samples are the same payments (medians over each strategy's own successes compare different
//! payments: a strategy that delivers the hard ones looks dearer for it).

use crate::params::Strategy;
use crate::simulate::{median, AmountSpec, PaymentRecord};

/// Two strategies compared on the same payments of one amount row.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PairedSummary {
    /// The amount in sat (rounded down), or for a distribution its lower bound.
    pub amount_sat: u64,
    /// The first strategy of the pair (the earlier in the simulation's order).
    pub a: Strategy,
    /// The second strategy.
    pub b: Strategy,
    /// Payments both delivered.
    pub both: usize,
    /// Payments only `a` delivered.
    pub only_a: usize,
    /// Payments only `b` delivered.
    pub only_b: usize,
    /// Median fee of `a` in ppm over the payments both delivered (`None` if there are none).
    pub median_fee_ppm_a: Option<f64>,
    /// Median fee of `b` in ppm over the same payments.
    pub median_fee_ppm_b: Option<f64>,
    /// Total fees of `a` over the payments both delivered (msat).
    pub total_fee_msat_a: u64,
    /// Total fees of `b` over the same payments (msat).
    pub total_fee_msat_b: u64,
    /// Median of the per-payment fee ratio `a / b` over the payments both delivered where `b`
    /// paid a fee (`None` if there are none).
    pub median_fee_ratio: Option<f64>,
    /// Attempts `a` sent over the payments both delivered.
    pub attempts_a: usize,
    /// Attempts `b` sent over the same payments.
    pub attempts_b: usize,
    /// Failed attempts of `a` over the same payments.
    pub failed_a: usize,
    /// Failed attempts of `b` over the same payments.
    pub failed_b: usize,
}

/// Every pair of `strategies` (in their order) at every amount row, compared on the payments
/// both delivered. A record is matched to its counterpart by amount row and pair index.
///
/// # Complexity
/// O(S² · R) for S strategies and R records.
pub fn compare_pairs(
    records: &[PaymentRecord],
    amounts: &[AmountSpec],
    strategies: &[Strategy],
) -> Vec<PairedSummary> {
    let mut out = Vec::new();
    for (row, spec) in amounts.iter().enumerate() {
        let of = |k: Strategy| {
            let mut v: Vec<&PaymentRecord> = records
                .iter()
                .filter(|r| r.amount_row == row && r.strategy == k)
                .collect();
            v.sort_by_key(|r| r.index);
            v
        };
        for (i, &a) in strategies.iter().enumerate() {
            for &b in &strategies[i + 1..] {
                let (ra, rb) = (of(a), of(b));
                let mut s = PairedSummary {
                    amount_sat: spec.min().0 / 1000,
                    a,
                    b,
                    both: 0,
                    only_a: 0,
                    only_b: 0,
                    median_fee_ppm_a: None,
                    median_fee_ppm_b: None,
                    total_fee_msat_a: 0,
                    total_fee_msat_b: 0,
                    median_fee_ratio: None,
                    attempts_a: 0,
                    attempts_b: 0,
                    failed_a: 0,
                    failed_b: 0,
                };
                let (mut fa, mut fb, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
                for x in &ra {
                    let Some(y) = rb.iter().find(|y| y.index == x.index) else {
                        continue;
                    };
                    match (x.success, y.success) {
                        (true, true) => {}
                        (true, false) => {
                            s.only_a += 1;
                            continue;
                        }
                        (false, true) => {
                            s.only_b += 1;
                            continue;
                        }
                        (false, false) => continue,
                    }
                    s.both += 1;
                    fa.push(x.fee_ppm.unwrap_or(0.0));
                    fb.push(y.fee_ppm.unwrap_or(0.0));
                    if y.fee_msat.0 > 0 {
                        ratio.push(x.fee_msat.0 as f64 / y.fee_msat.0 as f64);
                    }
                    s.total_fee_msat_a += x.fee_msat.0;
                    s.total_fee_msat_b += y.fee_msat.0;
                    s.attempts_a += x.attempts;
                    s.attempts_b += y.attempts;
                    s.failed_a += x.failed_attempts;
                    s.failed_b += y.failed_attempts;
                }
                s.median_fee_ppm_a = median(fa);
                s.median_fee_ppm_b = median(fb);
                s.median_fee_ratio = median(ratio);
                out.push(s);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::StopReason;
    use pp_graph::{Msat, NodeId};

    fn rec(strategy: Strategy, index: usize, success: bool, fee: u64) -> PaymentRecord {
        PaymentRecord {
            strategy,
            amount_row: 0,
            amount_msat: Msat(1_000_000),
            index,
            sender: NodeId::synthetic(1),
            receiver: NodeId::synthetic(2),
            feasible: true,
            success,
            stop_reason: StopReason::Delivered,
            rounds: 1,
            attempts: 2,
            failed_attempts: 1,
            fee_msat: Msat(fee),
            fee_ppm: success.then_some(fee as f64),
            entropy_learned_bits: 0.0,
            ms: 0.0,
        }
    }

    #[test]
    fn pairs_count_only_payments_both_delivered() {
        let (m, c) = (Strategy::Mcf, Strategy::Cheapest);
        let records = vec![
            rec(m, 0, true, 10),
            rec(m, 1, true, 40),
            rec(m, 2, true, 99),
            rec(m, 3, false, 0),
            rec(c, 0, true, 20),
            rec(c, 1, true, 20),
            rec(c, 2, false, 0),
            rec(c, 3, true, 5),
        ];
        let p = compare_pairs(&records, &[AmountSpec::Fixed(Msat(1_000_000))], &[m, c]);
        assert_eq!(p.len(), 1);
        let p = &p[0];
        assert_eq!((p.both, p.only_a, p.only_b), (2, 1, 1));
        assert_eq!((p.total_fee_msat_a, p.total_fee_msat_b), (50, 40));
        assert_eq!(p.median_fee_ppm_a, Some(25.0));
        assert_eq!(p.median_fee_ppm_b, Some(20.0));
        assert_eq!(p.median_fee_ratio, Some((0.5 + 2.0) / 2.0));
        assert_eq!((p.attempts_a, p.failed_b), (4, 2));
    }
}
