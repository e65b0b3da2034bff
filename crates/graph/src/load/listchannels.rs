//! One record of core-lightning `listchannels`, in either JSON form.
//!
//! | field | old form | new form | required |
//! |---|---|---|---|
//! | `source`, `destination` | hex node id | same | yes |
//! | `short_channel_id` | `"BLOCKxTXxOUT"` | same | yes |
//! | `satoshis` | integer | absent | one of the two |
//! | `amount_msat` | `"<n>msat"` | integer | one of the two |
//! | `active` | bool | bool | yes |
//! | `last_update` | integer (unix s) | same | no (0) |
//! | `base_fee_millisatoshi` | integer | integer | yes |
//! | `fee_per_millionth` | integer | integer | yes |
//! | `delay` | integer ≤ 65535 | same | yes |
//! | `htlc_minimum_msat` | `"<n>msat"` | integer | yes |
//! | `htlc_maximum_msat` | `"<n>msat"` | integer | no (capacity) |
//!
//! Every other field (`public`, `message_flags`, `channel_flags`, `direction`, `features`, …) is
//! skipped. Either amount shape is accepted in either form; a record using any old-form shape
//! marks the snapshot as old form.

use super::values::{MsatValue, Uint};
use super::{RecordCtx, State};
use crate::graph::{DirectionRecord, Policy};
use crate::units::{Msat, Ppm, MAX_SUPPLY_SAT};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum Key {
    Source,
    Destination,
    ShortChannelId,
    Satoshis,
    AmountMsat,
    Active,
    LastUpdate,
    BaseFeeMillisatoshi,
    FeePerMillionth,
    Delay,
    HtlcMinimumMsat,
    HtlcMaximumMsat,
    #[serde(other)]
    Other,
}

/// Reads one element of the `channels` array and adds it to the builder.
pub(crate) struct RecordSeed<'a> {
    pub st: &'a mut State,
    pub index: usize,
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a listchannels record (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut cx = RecordCtx {
            st: self.st,
            index: self.index,
            scid: None,
        };
        let (mut source, mut destination, mut scid) = (None, None, None);
        let (mut satoshis, mut amount, mut active, mut last_update) = (None, None, None, None);
        let (mut base, mut ppm, mut delay, mut hmin, mut hmax) = (None, None, None, None, None);
        let mut old_form = false;
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Source => {
                    let v = cx.node_id(&mut map, "source")?;
                    cx.set(&mut source, "source", v)?;
                }
                Key::Destination => {
                    let v = cx.node_id(&mut map, "destination")?;
                    cx.set(&mut destination, "destination", v)?;
                }
                Key::ShortChannelId => {
                    let dup = scid.is_some();
                    let v = cx.scid(&mut map, "short_channel_id")?;
                    if dup {
                        return Err(cx.bad("short_channel_id", "given twice in one record".into()));
                    }
                    scid = Some(v);
                }
                Key::Satoshis => {
                    let Uint(v) = cx.value(&mut map, "satoshis")?;
                    old_form = true;
                    cx.set(&mut satoshis, "satoshis", v)?;
                }
                Key::AmountMsat => {
                    let v: MsatValue = cx.value(&mut map, "amount_msat")?;
                    old_form |= v.old_form;
                    cx.set(&mut amount, "amount_msat", v.msat)?;
                }
                Key::Active => {
                    let v: bool = cx.value(&mut map, "active")?;
                    cx.set(&mut active, "active", v)?;
                }
                Key::LastUpdate => {
                    let Uint(v) = cx.value(&mut map, "last_update")?;
                    cx.set(&mut last_update, "last_update", v)?;
                }
                Key::BaseFeeMillisatoshi => {
                    let Uint(v) = cx.value(&mut map, "base_fee_millisatoshi")?;
                    cx.set(&mut base, "base_fee_millisatoshi", v)?;
                }
                Key::FeePerMillionth => {
                    let Uint(v) = cx.value(&mut map, "fee_per_millionth")?;
                    cx.set(&mut ppm, "fee_per_millionth", v)?;
                }
                Key::Delay => {
                    let Uint(v) = cx.value(&mut map, "delay")?;
                    cx.set(&mut delay, "delay", v)?;
                }
                Key::HtlcMinimumMsat => {
                    let v: MsatValue = cx.value(&mut map, "htlc_minimum_msat")?;
                    old_form |= v.old_form;
                    cx.set(&mut hmin, "htlc_minimum_msat", v.msat)?;
                }
                Key::HtlcMaximumMsat => {
                    let v: MsatValue = cx.value(&mut map, "htlc_maximum_msat")?;
                    old_form |= v.old_form;
                    cx.set(&mut hmax, "htlc_maximum_msat", v.msat)?;
                }
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let scid = cx.require(scid, "short_channel_id")?;
        let source = cx.require(source, "source")?;
        let destination = cx.require(destination, "destination")?;
        let capacity = capacity::<A::Error>(&mut cx, satoshis, amount)?;
        let active = cx.require(active, "active")?;
        let base = cx.require(base, "base_fee_millisatoshi")?;
        let ppm = cx.require(ppm, "fee_per_millionth")?;
        let delay = cx.require(delay, "delay")?;
        let hmin = cx.require(hmin, "htlc_minimum_msat")?;
        let policy = Policy {
            base_fee_msat: Msat(base),
            fee_ppm: Ppm(cx.narrow(ppm, "fee_per_millionth", u32::MAX as u64)?),
            cltv_delta: cx.narrow(delay, "delay", u16::MAX as u64)?,
            htlc_minimum_msat: Msat(hmin),
            htlc_maximum_msat: hmax.map_or(capacity, Msat),
            active,
            last_update: cx.narrow(last_update.unwrap_or(0), "last_update", u32::MAX as u64)?,
        };
        cx.st.old_form |= old_form;
        cx.add(&DirectionRecord {
            scid,
            source,
            destination,
            capacity,
            policy,
        })
    }
}

/// The capacity from `satoshis` and/or `amount_msat`, which must agree when both are given.
fn capacity<E: de::Error>(
    cx: &mut RecordCtx<'_>,
    satoshis: Option<u64>,
    amount: Option<u64>,
) -> Result<Msat, E> {
    let from_sat = match satoshis {
        Some(s) if s > MAX_SUPPLY_SAT => {
            return Err(cx.bad("satoshis", format!("{s} exceeds the 21 million BTC supply")))
        }
        // Cannot overflow below the supply cap.
        Some(s) => Some(s * 1000),
        None => None,
    };
    let msat = match (from_sat, amount) {
        (Some(a), Some(b)) if a != b => {
            return Err(cx.bad(
                "amount_msat",
                format!("{b} msat disagrees with satoshis ({a} msat)"),
            ))
        }
        (_, Some(m)) | (Some(m), None) => m,
        (None, None) => return Err(cx.missing("amount_msat")),
    };
    if msat > MAX_SUPPLY_SAT * 1000 {
        return Err(cx.bad(
            "amount_msat",
            format!("{msat} msat exceeds the 21 million BTC supply"),
        ));
    }
    Ok(Msat(msat))
}

#[cfg(test)]
mod tests {
    use crate::load::{load_bytes, SnapshotFormat};
    use crate::{GraphError, Msat, Ppm};

    const A: &str = "02aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const B: &str = "03bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    fn old(extra: &str) -> String {
        format!(
            r#"{{"channels":[{{"source":"{A}","destination":"{B}","short_channel_id":"1x2x3",
            "satoshis":1000,"amount_msat":"1000000msat","active":true,"last_update":5,
            "base_fee_millisatoshi":1000,"fee_per_millionth":10,"delay":40,
            "htlc_minimum_msat":"1msat"{extra}}}]}}"#
        )
    }

    #[test]
    fn old_form_without_htlc_maximum_defaults_to_capacity() {
        let l = load_bytes(old("").as_bytes()).expect("loads");
        assert_eq!(l.report.format, SnapshotFormat::ListChannelsOld);
        let d = l.graph.directions().next().expect("one direction");
        let p = l.graph.policy(d);
        assert_eq!(p.htlc_maximum_msat, Msat(1_000_000));
        assert_eq!((p.fee_ppm, p.cltv_delta, p.last_update), (Ppm(10), 40, 5));
    }

    #[test]
    fn errors_name_record_scid_and_field() {
        let e = load_bytes(old(r#","delay":7"#).as_bytes()).expect_err("duplicate");
        match e {
            GraphError::BadField {
                index: 0,
                scid: Some(s),
                ref field,
                ..
            } => {
                assert_eq!(s.to_string(), "1x2x3");
                assert_eq!(field, "delay");
            }
            other => panic!("unexpected {other:?}"),
        }
        let e = load_bytes(old("").replace("1000000msat", "999msat").as_bytes())
            .expect_err("disagreement");
        assert!(e.to_string().contains("disagrees with satoshis"), "{e}");
    }
}
