//! Writers: a [`Graph`] as core-lightning `listchannels` JSON (new form, one record per line);
//! converted upstream directions as `listchannels` JSON in either form, laid out exactly as the
//! shared snapshots are; and balances CSV.
//!
//! The JSON loads back through [`crate::load_bytes`] into the same graph: same directions,
//! ids, capacities and policies (node and direction indices may differ, since the loader numbers
//! nodes in order of appearance).

use crate::graph::Graph;
use crate::load::{Balance, ListedDirection};
use serde::Serialize;
use std::io::{self, BufWriter, Write};

/// Which `listchannels` JSON form to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum ListChannelsForm {
    /// Old form: `satoshis` and `"…msat"` strings, no `direction` field (core-lightning before
    /// v23, and the shared `ln-2020-cloth` snapshot).
    #[cfg_attr(feature = "serde", serde(rename = "old"))]
    Old,
    /// New form: integer `*_msat` fields and a `direction` field (the shared `ln-2026`).
    #[cfg_attr(feature = "serde", serde(rename = "new"))]
    New,
}

/// Writes `directions` in the given order as `{"channels": [...]}`, laid out as Python's
/// `json.dumps(obj, indent=1)` lays it out (the layout of the shared snapshots, so a conversion
/// of the upstream originals reproduces them byte for byte). Every record is `public`, active
/// (as given by its policy), `message_flags` 1 and `features` empty.
///
/// # Complexity
/// O(D) for D directions; the output is buffered internally.
pub fn write_listchannels_records(
    directions: &[ListedDirection],
    form: ListChannelsForm,
    w: impl Write,
) -> io::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 16, w);
    if directions.is_empty() {
        w.write_all(b"{\n \"channels\": []\n}")?;
        return w.flush();
    }
    w.write_all(b"{\n \"channels\": [\n")?;
    for (i, d) in directions.iter().enumerate() {
        let r = &d.record;
        let p = &r.policy;
        let cap = r.capacity.get();
        let sep = if i == 0 { "" } else { ",\n" };
        write!(
            w,
            "{sep}  {{\n   \"source\": \"{}\",\n   \"destination\": \"{}\",\n   \
             \"short_channel_id\": \"{}\",\n",
            r.source, r.destination, r.scid
        )?;
        match form {
            ListChannelsForm::Old => write!(
                w,
                "   \"public\": true,\n   \"satoshis\": {},\n   \"amount_msat\": \"{cap}msat\",\n",
                cap / 1000
            )?,
            ListChannelsForm::New => write!(
                w,
                "   \"direction\": {},\n   \"public\": true,\n   \"amount_msat\": {cap},\n",
                d.channel_flags & 1
            )?,
        }
        write!(
            w,
            "   \"message_flags\": 1,\n   \"channel_flags\": {},\n   \"active\": {},\n   \
             \"last_update\": {},\n   \"base_fee_millisatoshi\": {},\n   \
             \"fee_per_millionth\": {},\n   \"delay\": {},\n",
            d.channel_flags,
            p.active,
            p.last_update,
            p.base_fee_msat.get(),
            p.fee_ppm.get(),
            p.cltv_delta
        )?;
        let (lo, hi) = (p.htlc_minimum_msat.get(), p.htlc_maximum_msat.get());
        match form {
            ListChannelsForm::Old => write!(
                w,
                "   \"htlc_minimum_msat\": \"{lo}msat\",\n   \"htlc_maximum_msat\": \"{hi}msat\",\n"
            )?,
            ListChannelsForm::New => write!(
                w,
                "   \"htlc_minimum_msat\": {lo},\n   \"htlc_maximum_msat\": {hi},\n"
            )?,
        }
        w.write_all(b"   \"features\": \"\"\n  }")?;
    }
    w.write_all(b"\n ]\n}")?;
    w.flush()
}

/// Writes a balances CSV (`short_channel_id,source,liquidity_sat`, one row per direction, in
/// the given order), the format `pp_session::Oracle::from_balances_path` reads.
///
/// # Complexity
/// O(rows); the output is buffered internally.
pub fn write_balances(rows: &[Balance], w: impl Write) -> io::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 16, w);
    w.write_all(b"short_channel_id,source,liquidity_sat\n")?;
    for b in rows {
        writeln!(w, "{},{},{}", b.scid, b.source, b.liquidity.0)?;
    }
    w.flush()
}

#[derive(Serialize)]
struct Record {
    source: String,
    destination: String,
    short_channel_id: String,
    direction: u8,
    public: bool,
    amount_msat: u64,
    message_flags: u8,
    channel_flags: u8,
    active: bool,
    last_update: u32,
    base_fee_millisatoshi: u64,
    fee_per_millionth: u32,
    delay: u16,
    htlc_minimum_msat: u64,
    htlc_maximum_msat: u64,
    features: &'static str,
}

/// Writes `g` as `{"channels": [...]}` in the new listchannels form, channels in index order,
/// side 0 before side 1. `channel_flags` carries the side bit and bit 1 set for inactive
/// directions, as in BOLT 7.
///
/// # Complexity
/// O(D) for D directions; the output is buffered internally.
pub fn write_listchannels(g: &Graph, w: impl Write) -> io::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 16, w);
    w.write_all(b"{\"channels\": [")?;
    let mut first = true;
    for c in g.channels() {
        for d in g.channel_directions(c).into_iter().flatten() {
            let r = g.direction_record(d);
            let side = g.side(d);
            let rec = Record {
                source: r.source.to_string(),
                destination: r.destination.to_string(),
                short_channel_id: r.scid.to_string(),
                direction: side,
                public: true,
                amount_msat: r.capacity.get(),
                message_flags: 1,
                channel_flags: side | if r.policy.active { 0 } else { 2 },
                active: r.policy.active,
                last_update: r.policy.last_update,
                base_fee_millisatoshi: r.policy.base_fee_msat.get(),
                fee_per_millionth: r.policy.fee_ppm.get(),
                delay: r.policy.cltv_delta,
                htlc_minimum_msat: r.policy.htlc_minimum_msat.get(),
                htlc_maximum_msat: r.policy.htlc_maximum_msat.get(),
                features: "",
            };
            w.write_all(if first { b"\n" } else { b",\n" })?;
            first = false;
            serde_json::to_writer(&mut w, &rec)?;
        }
    }
    w.write_all(b"\n]}\n")?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{DirectionRecord, GraphBuilder, Policy};
    use crate::ids::NodeId;
    use crate::units::{Msat, Ppm};

    #[test]
    fn round_trips_through_the_loader() {
        let mut b = GraphBuilder::new();
        let policy = Policy {
            base_fee_msat: Msat(1000),
            fee_ppm: Ppm(7),
            cltv_delta: 40,
            htlc_minimum_msat: Msat(1),
            htlc_maximum_msat: Msat(5_000),
            active: false,
            last_update: 9,
        };
        for (scid, s, d) in [("1x1x0", 1, 2), ("1x1x0", 2, 1), ("1x2x0", 2, 3)] {
            b.add(&DirectionRecord {
                scid: scid.parse().expect("scid"),
                source: NodeId::synthetic(s),
                destination: NodeId::synthetic(d),
                capacity: Msat(10_000),
                policy,
            })
            .expect("valid");
        }
        let g = b.build();
        let mut out = Vec::new();
        write_listchannels(&g, &mut out).expect("write to memory");
        let back = crate::load_bytes(&out).expect("loads").graph;
        let recs = |g: &Graph| {
            let mut v: Vec<_> = g.directions().map(|d| g.direction_record(d)).collect();
            v.sort_by_key(|r| (r.scid, r.source));
            v
        };
        assert_eq!(recs(&g), recs(&back));
    }
}
