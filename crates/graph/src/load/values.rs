//! Field value types shared by the loaders: numbers in the shapes the two implementations print
//! them, and identifiers whose parse error is kept as a value so the caller can name the record.

use crate::ids::IdError;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

fn negative<E: de::Error>(v: i64) -> E {
    E::custom(format_args!(
        "negative number {v}, expected a non-negative integer"
    ))
}

fn not_integer<E: de::Error>(v: f64) -> E {
    E::custom(format_args!(
        "floating-point number {v}, expected an integer in 0..=18446744073709551615"
    ))
}

/// A JSON integer `>= 0` that fits a `u64` (core-lightning prints its numbers this way).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Uint(pub u64);

impl<'de> Deserialize<'de> for Uint {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Uint;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a non-negative integer")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Uint, E> {
                Ok(Uint(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Uint, E> {
                u64::try_from(v).map(Uint).map_err(|_| negative(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Uint, E> {
                Err(not_integer(v))
            }
        }
        d.deserialize_u64(V)
    }
}

/// A core-lightning millisatoshi amount: an integer (new form) or a string `"<digits>msat"`
/// (old form). `old_form` says which one it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MsatValue {
    pub msat: u64,
    pub old_form: bool,
}

impl<'de> Deserialize<'de> for MsatValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = MsatValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount: a non-negative integer or a string \"<digits>msat\"")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<MsatValue, E> {
                Ok(MsatValue {
                    msat: v,
                    old_form: false,
                })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<MsatValue, E> {
                Err(negative(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<MsatValue, E> {
                Err(not_integer(v))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<MsatValue, E> {
                let digits = s.strip_suffix("msat").ok_or_else(|| {
                    E::custom(format_args!("{s:?} is not of the form \"<digits>msat\""))
                })?;
                let msat = parse_decimal(digits).map_err(|why| {
                    E::custom(format_args!(
                        "{s:?} is not of the form \"<digits>msat\": {why}"
                    ))
                })?;
                Ok(MsatValue {
                    msat,
                    old_form: true,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// An LND number: protobuf JSON prints 64-bit integers as decimal strings and 32-bit ones as
/// numbers, so both are accepted everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LndUint(pub u64);

impl<'de> Deserialize<'de> for LndUint {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = LndUint;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a non-negative integer or a decimal string")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<LndUint, E> {
                Ok(LndUint(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<LndUint, E> {
                Err(negative(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<LndUint, E> {
                Err(not_integer(v))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<LndUint, E> {
                parse_decimal(s)
                    .map(LndUint)
                    .map_err(|why| E::custom(format_args!("{s:?}: {why}")))
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses a non-empty string of ASCII digits into a `u64`.
fn parse_decimal(s: &str) -> Result<u64, &'static str> {
    if s.is_empty() {
        return Err("no digits");
    }
    if s.starts_with('-') {
        return Err("negative number");
    }
    if !s.bytes().all(|c| c.is_ascii_digit()) {
        return Err("not a decimal integer");
    }
    s.parse::<u64>()
        .map_err(|_| "number above 18446744073709551615")
}

/// An identifier parsed from a JSON string (or, for short channel ids, a number); a parse
/// failure is returned as a value, not as a serde error, so that the loader can report it as
/// [`crate::GraphError::BadNodeId`] or [`crate::GraphError::BadScid`].
#[derive(Debug)]
pub(crate) struct Parsed<T>(pub Result<T, IdError>);

impl<'de, T> Deserialize<'de> for Parsed<T>
where
    T: FromStr<Err = IdError> + FromU64,
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<T: FromStr<Err = IdError> + FromU64> Visitor<'_> for V<T> {
            type Value = Parsed<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(T::EXPECTING)
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Parsed<T>, E> {
                Ok(Parsed(s.parse()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Parsed<T>, E> {
                match T::from_u64(v) {
                    Some(t) => Ok(Parsed(Ok(t))),
                    None => Err(E::invalid_type(de::Unexpected::Unsigned(v), &self)),
                }
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// Identifiers that may also be written as a JSON number.
pub(crate) trait FromU64: Sized {
    /// What the JSON value should look like, for error messages.
    const EXPECTING: &'static str;
    /// The identifier for a JSON number, if numbers are allowed.
    fn from_u64(v: u64) -> Option<Self>;
}

impl FromU64 for crate::ids::NodeId {
    const EXPECTING: &'static str = "a node id (66 hex characters)";
    fn from_u64(_: u64) -> Option<Self> {
        None
    }
}

impl FromU64 for crate::ids::ShortChannelId {
    const EXPECTING: &'static str = "a short channel id (\"BLOCKxTXxOUT\" or a u64)";
    fn from_u64(v: u64) -> Option<Self> {
        Some(crate::ids::ShortChannelId(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msat_accepts_both_forms_and_nothing_else() {
        let v: MsatValue = serde_json::from_str("\"1000msat\"").expect("old form");
        assert_eq!(
            v,
            MsatValue {
                msat: 1000,
                old_form: true
            }
        );
        let v: MsatValue = serde_json::from_str("1000").expect("new form");
        assert!(!v.old_form);
        for bad in [
            "\"1000\"",
            "\"msat\"",
            "\"-5msat\"",
            "\"1e3msat\"",
            "\"99999999999999999999msat\"",
            "-5",
            "1.5",
            "true",
            "null",
        ] {
            assert!(
                serde_json::from_str::<MsatValue>(bad).is_err(),
                "{bad} accepted"
            );
        }
    }

    #[test]
    fn numbers_reject_negative_fractional_and_overflowing() {
        assert_eq!(serde_json::from_str::<Uint>("7").expect("ok"), Uint(7));
        for bad in ["-1", "1.5", "18446744073709551616", "\"7\"", "null"] {
            assert!(serde_json::from_str::<Uint>(bad).is_err(), "{bad} accepted");
        }
        assert_eq!(
            serde_json::from_str::<LndUint>("\"7\"").expect("ok"),
            LndUint(7)
        );
        assert_eq!(
            serde_json::from_str::<LndUint>("7").expect("ok"),
            LndUint(7)
        );
        for bad in ["\"-1\"", "\"\"", "\" 7\"", "\"18446744073709551616\"", "-1"] {
            assert!(
                serde_json::from_str::<LndUint>(bad).is_err(),
                "{bad} accepted"
            );
        }
    }
}
