//! Money units as newtypes: [`Msat`], [`Sat`] and [`Ppm`].
//!
//! Every amount in the workspace travels as one of these, never as a bare integer, so that a
//! satoshi can never be mistaken for a millisatoshi. Arithmetic that can overflow is offered in
//! checked form (`checked_add`, `checked_mul`, …) and the conversions that can overflow
//! ([`Sat::to_msat`]) are checked too.

use std::fmt;

/// The total bitcoin supply cap in satoshis (21 million BTC). Amounts above it are absurd.
pub const MAX_SUPPLY_SAT: u64 = 21_000_000 * 100_000_000;

/// An amount in millisatoshis (1/1000 sat). The unit of every amount inside the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct Msat(pub u64);

/// An amount in satoshis. Used at the edges (CLI, capacities in snapshots, balances CSV).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct Sat(pub u64);

/// A proportional fee rate in parts per million of the forwarded amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct Ppm(pub u32);

impl Msat {
    /// Zero millisatoshis.
    pub const ZERO: Msat = Msat(0);
    /// The largest representable amount.
    pub const MAX: Msat = Msat(u64::MAX);

    /// The amount in sat as a decimal number for messages and tables: whole (`1234`), or with
    /// three decimals when it has msat (`1234.567`).
    pub fn sat_decimal(self) -> String {
        if self.0.is_multiple_of(1000) {
            (self.0 / 1000).to_string()
        } else {
            format!("{}.{:03}", self.0 / 1000, self.0 % 1000)
        }
    }

    /// The raw number of millisatoshis.
    pub const fn get(self) -> u64 {
        self.0
    }
    /// `self + rhs`, or `None` on overflow.
    pub fn checked_add(self, rhs: Msat) -> Option<Msat> {
        self.0.checked_add(rhs.0).map(Msat)
    }
    /// `self - rhs`, or `None` if it would go below zero.
    pub fn checked_sub(self, rhs: Msat) -> Option<Msat> {
        self.0.checked_sub(rhs.0).map(Msat)
    }
    /// `self - rhs`, clamped at zero.
    pub fn saturating_sub(self, rhs: Msat) -> Msat {
        Msat(self.0.saturating_sub(rhs.0))
    }
    /// `self + rhs`, clamped at [`Msat::MAX`].
    pub fn saturating_add(self, rhs: Msat) -> Msat {
        Msat(self.0.saturating_add(rhs.0))
    }
    /// `self * k`, or `None` on overflow.
    pub fn checked_mul(self, k: u64) -> Option<Msat> {
        self.0.checked_mul(k).map(Msat)
    }
    /// Whole satoshis, rounding down.
    pub const fn to_sat_floor(self) -> Sat {
        Sat(self.0 / 1000)
    }
    /// Whole satoshis, rounding up.
    pub const fn to_sat_ceil(self) -> Sat {
        Sat(self.0.div_ceil(1000))
    }
    /// The proportional fee on this amount at `rate`: `floor(self * ppm / 1_000_000)`.
    ///
    /// Computed in 128-bit arithmetic, so it never overflows.
    pub fn proportional_fee(self, rate: Ppm) -> Msat {
        Msat(((self.0 as u128 * rate.0 as u128) / 1_000_000) as u64)
    }
}

impl Sat {
    /// Zero satoshis.
    pub const ZERO: Sat = Sat(0);

    /// The raw number of satoshis.
    pub const fn get(self) -> u64 {
        self.0
    }
    /// The same amount in millisatoshis, or `None` on overflow.
    pub fn to_msat(self) -> Option<Msat> {
        self.0.checked_mul(1000).map(Msat)
    }
    /// `self + rhs`, or `None` on overflow.
    pub fn checked_add(self, rhs: Sat) -> Option<Sat> {
        self.0.checked_add(rhs.0).map(Sat)
    }
    /// `self - rhs`, or `None` if it would go below zero.
    pub fn checked_sub(self, rhs: Sat) -> Option<Sat> {
        self.0.checked_sub(rhs.0).map(Sat)
    }
    /// Whether this amount exceeds the 21 million BTC supply cap.
    pub const fn exceeds_supply(self) -> bool {
        self.0 > MAX_SUPPLY_SAT
    }
}

impl Ppm {
    /// The raw rate in parts per million.
    pub const fn get(self) -> u32 {
        self.0
    }
}

impl fmt::Display for Msat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}msat", self.0)
    }
}
impl fmt::Display for Sat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}sat", self.0)
    }
}
impl fmt::Display for Ppm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}ppm", self.0)
    }
}

impl From<Sat> for Msat {
    /// Converts satoshis to millisatoshis, saturating at [`Msat::MAX`] (unreachable for any
    /// amount below the supply cap); use [`Sat::to_msat`] to detect overflow.
    fn from(s: Sat) -> Msat {
        Msat(s.0.saturating_mul(1000))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sat_decimal_shows_msat_only_when_present() {
        assert_eq!(Msat(1_234_000).sat_decimal(), "1234");
        assert_eq!(Msat(1_234_567).sat_decimal(), "1234.567");
        assert_eq!(Msat(5).sat_decimal(), "0.005");
    }

    #[test]
    fn conversions_and_checked_arithmetic() {
        assert_eq!(Sat(5).to_msat(), Some(Msat(5000)));
        assert_eq!(Sat(u64::MAX).to_msat(), None);
        assert_eq!(Msat(1999).to_sat_floor(), Sat(1));
        assert_eq!(Msat(1001).to_sat_ceil(), Sat(2));
        assert_eq!(Msat(u64::MAX).checked_add(Msat(1)), None);
        assert_eq!(Msat(1).checked_sub(Msat(2)), None);
        assert_eq!(Msat(3).saturating_sub(Msat(5)), Msat(0));
        assert!(Sat(MAX_SUPPLY_SAT + 1).exceeds_supply());
        assert!(!Sat(MAX_SUPPLY_SAT).exceeds_supply());
    }

    #[test]
    fn proportional_fee_rounds_down_and_never_overflows() {
        assert_eq!(Msat(1_000_000).proportional_fee(Ppm(1)), Msat(1));
        assert_eq!(Msat(999_999).proportional_fee(Ppm(1)), Msat(0));
        assert_eq!(
            Msat(u64::MAX).proportional_fee(Ppm(1_000_000)),
            Msat(u64::MAX)
        );
        assert_eq!(Msat(2_500_000).proportional_fee(Ppm(100)), Msat(250));
    }

    #[test]
    fn display_names_the_unit() {
        assert_eq!(Msat(7).to_string(), "7msat");
        assert_eq!(Sat(7).to_string(), "7sat");
        assert_eq!(Ppm(7).to_string(), "7ppm");
    }
}
