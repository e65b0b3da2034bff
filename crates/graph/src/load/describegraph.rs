//! One edge of LND `lncli describegraph`.
//!
//! | field | shape | required |
//! |---|---|---|
//! | `channel_id` | u64 as decimal string (or number) | yes |
//! | `node1_pub`, `node2_pub` | hex node id | yes |
//! | `capacity` | sat, decimal string (or number) | yes |
//! | `node1_policy`, `node2_policy` | object or `null` | no (`null`) |
//!
//! A policy object: `time_lock_delta` (≤ 65535), `min_htlc` (msat), `fee_base_msat`,
//! `fee_rate_milli_msat` (which is ppm) are required; `max_htlc_msat` (absent or 0 → the
//! capacity), `disabled` (absent → false) and `last_update` (absent → 0) are optional. Numbers
//! may be strings or JSON numbers. `node1_policy` governs the direction node1 → node2.
//! Every other field (`chan_point`, `custom_records`, inbound fees, …) is skipped.

use super::values::LndUint;
use super::{RecordCtx, State};
use crate::error::SkipReason;
use crate::graph::{DirectionRecord, Policy};
use crate::ids::NodeId;
use crate::units::{Msat, Ppm, MAX_SUPPLY_SAT};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum EdgeKey {
    ChannelId,
    Node1Pub,
    Node2Pub,
    Capacity,
    Node1Policy,
    Node2Policy,
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum PolicyKey {
    TimeLockDelta,
    MinHtlc,
    FeeBaseMsat,
    FeeRateMilliMsat,
    Disabled,
    MaxHtlcMsat,
    LastUpdate,
    #[serde(other)]
    Other,
}

/// Dotted field names for error messages, per side: `[side][field]`.
const POLICY_FIELDS: [[&str; 8]; 2] = [
    [
        "node1_policy",
        "node1_policy.time_lock_delta",
        "node1_policy.min_htlc",
        "node1_policy.fee_base_msat",
        "node1_policy.fee_rate_milli_msat",
        "node1_policy.disabled",
        "node1_policy.max_htlc_msat",
        "node1_policy.last_update",
    ],
    [
        "node2_policy",
        "node2_policy.time_lock_delta",
        "node2_policy.min_htlc",
        "node2_policy.fee_base_msat",
        "node2_policy.fee_rate_milli_msat",
        "node2_policy.disabled",
        "node2_policy.max_htlc_msat",
        "node2_policy.last_update",
    ],
];

/// A policy as read, before the capacity is known.
#[derive(Debug, Clone, Copy)]
struct RawPolicy {
    cltv_delta: u16,
    htlc_minimum_msat: u64,
    base_fee_msat: u64,
    fee_ppm: u32,
    /// `None` when absent or 0.
    htlc_maximum_msat: Option<u64>,
    disabled: bool,
    last_update: u32,
}

/// Reads one element of the `edges` array and adds its directions to the builder.
pub(crate) struct EdgeSeed<'a> {
    pub st: &'a mut State,
    pub index: usize,
}

impl<'de> DeserializeSeed<'de> for EdgeSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for EdgeSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a describegraph edge (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut cx = RecordCtx {
            st: self.st,
            index: self.index,
            scid: None,
        };
        let (mut scid, mut node1, mut node2, mut capacity) = (None, None, None, None);
        let mut policies: [Option<Option<RawPolicy>>; 2] = [None, None];
        while let Some(key) = map.next_key::<EdgeKey>()? {
            match key {
                EdgeKey::ChannelId => {
                    let dup = scid.is_some();
                    let v = cx.scid(&mut map, "channel_id")?;
                    if dup {
                        return Err(cx.bad("channel_id", "given twice in one record".into()));
                    }
                    scid = Some(v);
                }
                EdgeKey::Node1Pub => {
                    let v = cx.node_id(&mut map, "node1_pub")?;
                    cx.set(&mut node1, "node1_pub", v)?;
                }
                EdgeKey::Node2Pub => {
                    let v = cx.node_id(&mut map, "node2_pub")?;
                    cx.set(&mut node2, "node2_pub", v)?;
                }
                EdgeKey::Capacity => {
                    let LndUint(v) = cx.value(&mut map, "capacity")?;
                    cx.set(&mut capacity, "capacity", v)?;
                }
                EdgeKey::Node1Policy | EdgeKey::Node2Policy => {
                    let side = usize::from(matches!(key, EdgeKey::Node2Policy));
                    let p = map.next_value_seed(PolicySeed { cx: &mut cx, side })?;
                    let mut slot = policies[side];
                    cx.set(&mut slot, POLICY_FIELDS[side][0], p)?;
                    policies[side] = slot;
                }
                EdgeKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let scid = cx.require(scid, "channel_id")?;
        let node1: NodeId = cx.require(node1, "node1_pub")?;
        let node2: NodeId = cx.require(node2, "node2_pub")?;
        let capacity_sat = cx.require(capacity, "capacity")?;
        if capacity_sat > MAX_SUPPLY_SAT {
            return Err(cx.bad(
                "capacity",
                format!("{capacity_sat} sat exceeds the 21 million BTC supply"),
            ));
        }
        // Cannot overflow below the supply cap.
        let capacity = Msat(capacity_sat * 1000);
        let [p1, p2] = policies.map(Option::flatten);
        if p1.is_none() && p2.is_none() {
            cx.st.warn(cx.index, Some(scid), SkipReason::NoPolicy);
            return Ok(());
        }
        for (p, source, destination) in [(p1, node1, node2), (p2, node2, node1)] {
            let Some(p) = p else { continue };
            cx.add(&DirectionRecord {
                scid,
                source,
                destination,
                capacity,
                policy: Policy {
                    base_fee_msat: Msat(p.base_fee_msat),
                    fee_ppm: Ppm(p.fee_ppm),
                    cltv_delta: p.cltv_delta,
                    htlc_minimum_msat: Msat(p.htlc_minimum_msat),
                    htlc_maximum_msat: p.htlc_maximum_msat.map_or(capacity, Msat),
                    active: !p.disabled,
                    last_update: p.last_update,
                },
            })?;
        }
        Ok(())
    }
}

/// Reads `node1_policy`/`node2_policy`: `null` or an object.
struct PolicySeed<'a, 'b> {
    cx: &'a mut RecordCtx<'b>,
    side: usize,
}

impl<'de> DeserializeSeed<'de> for PolicySeed<'_, '_> {
    type Value = Option<RawPolicy>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let field = POLICY_FIELDS[self.side][0];
        let cx = self.cx;
        let r = d.deserialize_option(OptionalPolicy {
            cx: &mut *cx,
            side: self.side,
        });
        // A type error of the policy itself (e.g. a number) has no field-level error yet.
        r.inspect_err(|e| {
            if cx.st.pending.is_none() {
                cx.st.pending = Some(crate::GraphError::BadField {
                    index: cx.index,
                    scid: cx.scid,
                    field: field.to_string(),
                    reason: super::strip_position(&e.to_string()),
                    line: 0,
                    column: 0,
                });
            }
        })
    }
}

struct OptionalPolicy<'a, 'b> {
    cx: &'a mut RecordCtx<'b>,
    side: usize,
}

impl<'de> Visitor<'de> for OptionalPolicy<'_, '_> {
    type Value = Option<RawPolicy>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a routing policy object or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let cx = self.cx;
        let names = &POLICY_FIELDS[self.side];
        let (mut cltv, mut hmin, mut base, mut ppm) = (None, None, None, None);
        let (mut disabled, mut hmax, mut last_update) = (None, None, None);
        while let Some(key) = map.next_key::<PolicyKey>()? {
            match key {
                PolicyKey::TimeLockDelta => {
                    let LndUint(v) = cx.value(&mut map, names[1])?;
                    cx.set(&mut cltv, names[1], v)?;
                }
                PolicyKey::MinHtlc => {
                    let LndUint(v) = cx.value(&mut map, names[2])?;
                    cx.set(&mut hmin, names[2], v)?;
                }
                PolicyKey::FeeBaseMsat => {
                    let LndUint(v) = cx.value(&mut map, names[3])?;
                    cx.set(&mut base, names[3], v)?;
                }
                PolicyKey::FeeRateMilliMsat => {
                    let LndUint(v) = cx.value(&mut map, names[4])?;
                    cx.set(&mut ppm, names[4], v)?;
                }
                PolicyKey::Disabled => {
                    let v: bool = cx.value(&mut map, names[5])?;
                    cx.set(&mut disabled, names[5], v)?;
                }
                PolicyKey::MaxHtlcMsat => {
                    let LndUint(v) = cx.value(&mut map, names[6])?;
                    cx.set(&mut hmax, names[6], v)?;
                }
                PolicyKey::LastUpdate => {
                    let LndUint(v) = cx.value(&mut map, names[7])?;
                    cx.set(&mut last_update, names[7], v)?;
                }
                PolicyKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let cltv = cx.require(cltv, names[1])?;
        let hmin = cx.require(hmin, names[2])?;
        let base = cx.require(base, names[3])?;
        let ppm = cx.require(ppm, names[4])?;
        Ok(Some(RawPolicy {
            cltv_delta: cx.narrow(cltv, names[1], u16::MAX as u64)?,
            htlc_minimum_msat: hmin,
            base_fee_msat: base,
            fee_ppm: cx.narrow(ppm, names[4], u32::MAX as u64)?,
            htlc_maximum_msat: hmax.filter(|&m| m != 0),
            disabled: disabled.unwrap_or(false),
            last_update: cx.narrow(last_update.unwrap_or(0), names[7], u32::MAX as u64)?,
        }))
    }
}

#[cfg(test)]
mod tests {
    use crate::load::{load_bytes, SnapshotFormat};
    use crate::{GraphError, Msat, SkipReason};

    const A: &str = "02aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const B: &str = "03bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    fn edge(p1: &str, p2: &str) -> String {
        format!(
            r#"{{"nodes":[{{"pub_key":"{A}","alias":"a"}}],"edges":[{{"channel_id":"109951162843136",
            "chan_point":"ab:0","node1_pub":"{A}","node2_pub":"{B}","capacity":"1000",
            "node1_policy":{p1},"node2_policy":{p2}}}]}}"#
        )
    }

    const POLICY: &str = r#"{"time_lock_delta":40,"min_htlc":"1000","fee_base_msat":"1000",
        "fee_rate_milli_msat":"100","disabled":true,"max_htlc_msat":"0","last_update":7}"#;

    #[test]
    fn one_sided_edge_and_defaults() {
        let l = load_bytes(edge(POLICY, "null").as_bytes()).expect("loads");
        assert_eq!(l.report.format, SnapshotFormat::DescribeGraph);
        assert_eq!(l.report.skipped, 0);
        assert_eq!(l.graph.direction_count(), 1);
        let d = l.graph.directions().next().expect("one");
        let p = l.graph.policy(d);
        assert!(!p.active);
        assert_eq!(p.htlc_maximum_msat, Msat(1_000_000));
        assert_eq!(l.graph.scid(d).to_string(), "100x1x0");
    }

    #[test]
    fn policyless_edge_is_a_warning_and_bad_policy_names_the_field() {
        let l = load_bytes(edge("null", "null").as_bytes()).expect("loads");
        assert_eq!(l.report.skipped, 1);
        assert_eq!(l.report.warnings[0].reason, SkipReason::NoPolicy);
        let bad = POLICY.replace("\"100\"", "\"-100\"");
        match load_bytes(edge("null", &bad).as_bytes()).expect_err("negative") {
            GraphError::BadField { field, .. } => {
                assert_eq!(field, "node2_policy.fee_rate_milli_msat")
            }
            other => panic!("unexpected {other:?}"),
        }
        match load_bytes(edge("5", "null").as_bytes()).expect_err("number policy") {
            GraphError::BadField { field, .. } => assert_eq!(field, "node1_policy"),
            other => panic!("unexpected {other:?}"),
        }
    }
}
