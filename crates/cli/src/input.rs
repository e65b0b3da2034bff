//! What the user typed, checked once for every command: amounts with their unit (`1000`,
//! `1000sat`, `1500msat`; a plain number is sat), `MIN..MAX` amount ranges, node ids looked up
//! in the graph, and the one table that names the library's parameters by the flags that set
//! them, so that every error speaks of `--min-probability`, never of `min_plan_probability`.

use pp_graph::{Graph, Msat, NodeId, NodeIdx, Ppm, Sat};
use pp_session::{AmountSpec, FeeBudget, SessionError};

/// What an amount may look like, for the messages that refuse one.
pub const AMOUNT_FORMS: &str =
    "give a whole number of sat (1000) or add a unit (1000sat, 1500msat)";

/// An amount of msat as the user wrote it: `N` or `Nsat` (sat), `Nmsat` (msat). Zero is allowed
/// (a fee budget of 0); at most 21 million BTC.
pub fn msat_or_zero(text: &str) -> Result<Msat, String> {
    let t = text.trim();
    let (number, per_unit) = if let Some(n) = t.strip_suffix("msat") {
        (n, 1)
    } else if let Some(n) = t.strip_suffix("sat") {
        (n, 1000)
    } else {
        (t, 1000)
    };
    let number = number.trim_end();
    if number.starts_with('-') {
        return Err(format!("an amount cannot be negative; {AMOUNT_FORMS}"));
    }
    let n: u64 = match number.parse() {
        Ok(n) if !number.starts_with('+') => n,
        _ => return Err(format!("not an amount; {AMOUNT_FORMS}")),
    };
    let above = || "above the 21 million BTC supply".to_string();
    let msat = n.checked_mul(per_unit).ok_or_else(above)?;
    if Sat(msat / 1000).exceeds_supply() {
        return Err(above());
    }
    Ok(Msat(msat))
}

/// `--fee-budget`: an amount as [`msat_or_zero`] (a fixed budget), a share of the payment
/// amount (`0.5%`, in 0..=100), or `none`.
pub fn fee_budget(text: &str) -> Result<FeeBudget, String> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("none") {
        return Ok(FeeBudget::Unlimited);
    }
    if let Some(pct) = t.strip_suffix('%') {
        return match pct.trim().parse::<f64>() {
            Ok(v) if v.is_finite() && (0.0..=100.0).contains(&v) => Ok(FeeBudget::Proportional {
                ppm: Ppm((v * 10_000.0).round() as u32),
                floor: Msat::ZERO,
            }),
            _ => Err("a share of the amount must be a number in 0..=100 followed by %".into()),
        };
    }
    msat_or_zero(t)
        .map(FeeBudget::Fixed)
        .map_err(|e| format!("{e}, a share like 0.5%, or none"))
}

/// A payment amount: as [`msat_or_zero`], at least 1 msat.
pub fn amount(text: &str) -> Result<Msat, String> {
    let m = msat_or_zero(text)?;
    if m == Msat::ZERO {
        return Err("the amount must be at least 1 msat".into());
    }
    Ok(m)
}

/// One item of `simulate --amount`: an amount, or `MIN..MAX` (each end an amount with its
/// optional unit) from which every payment's amount is drawn log-uniformly.
pub fn amount_spec(text: &str) -> Result<AmountSpec, String> {
    let end = |t: &str| {
        amount(t).map_err(|e| {
            if e.starts_with("not an amount") {
                format!("not an amount or a range MIN..MAX; {AMOUNT_FORMS}")
            } else {
                e
            }
        })
    };
    match text.split_once("..") {
        None => Ok(AmountSpec::Fixed(end(text)?)),
        Some((lo, hi)) => {
            let (min, max) = (end(lo)?, end(hi)?);
            if min >= max {
                return Err("the lower bound must be below the upper one".into());
            }
            Ok(AmountSpec::LogUniform { min, max })
        }
    }
}

/// An amount for messages: `N sat`, or with three decimals when it has msat.
pub fn sat_text(m: Msat) -> String {
    format!("{} sat", m.sat_decimal())
}

/// The node a `--from`/`--to` flag names, by its public key, in `graph`.
pub fn node(graph: &Graph, text: &str, flag: &str) -> anyhow::Result<NodeIdx> {
    let id: NodeId = text
        .parse()
        .map_err(|_| anyhow::anyhow!("{flag} {text:?} is not a public key (66 hex characters)"))?;
    graph
        .node_index(&id)
        .ok_or_else(|| anyhow::anyhow!("{flag}: unknown node {id}: it is not in the channel graph"))
}

/// The flag that sets each library parameter pp-session names in
/// [`SessionError::InvalidParameter`]: the one table of the CLI's parameter names.
const FLAGS: &[(&str, &str)] = &[
    ("mu", "--mu"),
    ("frugality", "--frugality"),
    ("first_round_fee_weight", "--first-round-fee-weight"),
    ("pieces", "--pieces"),
    ("quantum", "--quantum"),
    ("max_rounds", "--max-rounds"),
    ("min_plan_probability", "--min-probability"),
    ("min_part_probability", "--min-part-probability"),
    ("min_expected_share", "--min-expected-share"),
    ("min_cut_probability", "--min-cut-probability"),
    ("max_stalled_rounds", "--max-stalled-rounds"),
    ("max_parts", "--max-parts"),
    ("max_hops", "--max-hops"),
    ("max_total_cltv", "--max-cltv"),
    ("fee_budget", "--fee-budget"),
    ("base_fee_threshold", "--base-fee-threshold"),
    ("solver", "--solver"),
    ("threads", "--threads"),
    ("amounts", "--amount"),
    ("amounts/strategies", "--amount/--strategy"),
    ("strategy", "--strategy"),
    ("payments", "--payments"),
    ("graph", "--graph"),
];

/// The flag of a library parameter, if the CLI has one.
pub fn flag_of(name: &str) -> Option<&'static str> {
    FLAGS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

/// A library error in the user's words: a parameter error names the flag
/// (`--min-probability: 2 is not in 0..=1`), an amount error `--amount`; others as they are.
pub fn session_error(e: SessionError) -> anyhow::Error {
    match &e {
        SessionError::InvalidParameter { name, reason } => match flag_of(name) {
            Some(flag) => anyhow::anyhow!("{flag}: {reason}"),
            None => e.into(),
        },
        SessionError::InvalidAmount { amount, reason } => {
            anyhow::anyhow!("--amount {}: {reason}", sat_text(*amount))
        }
        _ => e.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_with_and_without_units() {
        assert_eq!(amount("1000"), Ok(Msat(1_000_000)));
        assert_eq!(amount("1000sat"), Ok(Msat(1_000_000)));
        assert_eq!(amount("1500msat"), Ok(Msat(1500)));
        assert_eq!(amount(" 7 sat"), Ok(Msat(7000)));
        assert_eq!(msat_or_zero("0"), Ok(Msat::ZERO));
        assert!(amount("0").unwrap_err().contains("at least 1 msat"));
        assert!(amount("-5").unwrap_err().contains("cannot be negative"));
        assert!(amount("1.5").unwrap_err().contains("not an amount"));
        assert!(amount("+5").unwrap_err().contains("not an amount"));
        assert!(amount("5btc").unwrap_err().contains("1500msat"));
        assert!(amount("2100000000000001")
            .unwrap_err()
            .contains("21 million"));
        assert!(amount("18446744073709551615")
            .unwrap_err()
            .contains("21 million"));
        assert_eq!(
            amount("2100000000000000999msat"),
            Ok(Msat(2_100_000_000_000_000_999))
        );
    }

    #[test]
    fn every_table_entry_is_a_flag() {
        for (name, flag) in FLAGS {
            assert!(flag.starts_with("--"), "{name} -> {flag}");
        }
        assert_eq!(flag_of("min_plan_probability"), Some("--min-probability"));
    }
}
