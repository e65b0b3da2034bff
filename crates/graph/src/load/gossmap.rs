//! Reader for core-lightning's `GOSSMAP_COMPRESSv1` snapshots (its test data
//! `tests/data/gossip-store-2026-02-03.compressed`) and their node maps
//! (`…-node-map.xz`, lines `index:pubkey:alias`).
//!
//! # The format
//! The file is gzip-compressed (plain input is accepted too). Inside, every number is a BOLT
//! "bigsize" (one byte below `0xfd`; `0xfd` + 2 bytes, `0xfe` + 4 bytes, `0xff` + 8 bytes,
//! big-endian), in this order:
//! 1. the 19 bytes `GOSSMAP_COMPRESSv1\0`;
//! 2. the channel count `n`, then `n` start-node and `n` end-node indices into the node map;
//! 3. the disabled halves: values `2 * channel + direction`, ended by the first value `>= 2n`;
//! 4. capacities in sat: a template (a count `k`, then `k` values), then `n` indices into it;
//! 5. five per-direction fields, each a template and `2n` indices (channel 0 direction 0,
//!    channel 0 direction 1, …): `htlc_minimum_msat`, `htlc_maximum_msat` (0 means the
//!    capacity, 1 means 99 % of it), base fee (msat), proportional fee (ppm), CLTV delta;
//! 6. nothing after that.
//!
//! Direction 0 of a channel runs from the end with the lower public key (BOLT 7).
//!
//! # The conversion (the one that made the shared `ln-2026.*` files)
//! Channel `i` between node-map nodes `n1` (start) and `n2` (end) gets the stand-in short
//! channel id `{i + n1}x{n2}x{i mod 65536}`; disabled halves are left out (a channel with both
//! halves disabled is left out entirely); every listed direction is active with
//! `last_update` [`GossmapOptions::last_update`] and `channel_flags` = its direction. Balances:
//! per channel of the file (also those left out), in channel order, one draw
//! `randint(0, capacity_sat)` from Python's `random.Random(seed)`
//! ([`GossmapOptions::balance_seed`], 1 for the shared file) is the liquidity of direction 0;
//! direction 1 holds the rest.
//!
//! # Errors
//! The whole read fails, naming the byte offset (in the decompressed stream) and what was
//! being read, on: a wrong header, a truncated file, bytes after the last field, a template
//! index out of range, a disabled half `>= 2n` that is not the terminator, a node index the
//! map lacks, a stand-in scid out of range, a field too large for its type (CLTV delta above
//! 65,535, ppm above 2³²−1), a capacity above 21 million BTC. Node-map lines that are not
//! `index:pubkey:alias` with a valid pubkey, or an index given twice, fail naming the line.
//! Directions the graph model refuses (self loops, capacity 0, htlc_min above htlc_max) are
//! skipped with a warning.

use super::pyrandom::PyRandom;
use super::read_error;
use super::upstream::{maybe_gunzip, Collector, Converted, ListedDirection};
use super::UpstreamFormat;
use crate::error::GraphError;
use crate::graph::{DirectionRecord, Policy};
use crate::ids::{NodeId, ShortChannelId};
use crate::units::{Msat, Ppm, Sat, MAX_SUPPLY_SAT};
use std::io::{BufRead, Read};
use std::path::Path;

/// The 19-byte header of a `GOSSMAP_COMPRESSv1` file.
pub const GOSSMAP_HEADER: &[u8; 19] = b"GOSSMAP_COMPRESSv1\0";

const XZ_MAGIC: [u8; 6] = [0xfd, b'7', b'z', b'X', b'Z', 0x00];

/// Choices the format does not fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GossmapOptions {
    /// The `last_update` of every direction (the format carries no timestamps); default
    /// 1,770,076,800 = 2026-02-03 00:00 UTC, the date of core-lightning's snapshot.
    pub last_update: u32,
    /// The seed of the Python `random.Random` drawing the balances; default 1.
    pub balance_seed: u64,
}

impl Default for GossmapOptions {
    fn default() -> Self {
        GossmapOptions {
            last_update: 1_770_076_800,
            balance_seed: 1,
        }
    }
}

/// Reads a gossmap file and its node map (xz-compressed, gzip or plain text, recognised by
/// magic bytes) from disk.
///
/// # Errors
/// [`GraphError::Io`] naming the path for a missing or unreadable file; otherwise as
/// [`read_gossmap`].
pub fn read_gossmap_files(
    compressed: &Path,
    node_map: &Path,
    opts: &GossmapOptions,
) -> Result<Converted, GraphError> {
    let open = |p: &Path| {
        std::fs::File::open(p).map_err(|source| GraphError::Io {
            path: Some(p.to_path_buf()),
            source,
        })
    };
    let map = read_node_map(open(node_map)?).map_err(|e| with_path(e, node_map))?;
    convert(open(compressed)?, &map, opts).map_err(|e| with_path(e, compressed))
}

/// Reads a gossmap (gzip or plain) and its node map, and converts them as the module docs say.
///
/// # Errors
/// See the module docs.
///
/// # Complexity
/// One pass over each input; O(channels + nodes) memory.
pub fn read_gossmap(
    compressed: impl Read,
    node_map: impl Read,
    opts: &GossmapOptions,
) -> Result<Converted, GraphError> {
    let map = read_node_map(node_map)?;
    convert(compressed, &map, opts)
}

fn with_path(e: GraphError, p: &Path) -> GraphError {
    match e {
        GraphError::Io { path: None, source } => GraphError::Io {
            path: Some(p.to_path_buf()),
            source,
        },
        e => e,
    }
}

/// Reads a node map: lines `index:pubkey:alias` (the alias may contain `:` and is ignored),
/// xz- or gzip-compressed or plain. Returns the public key of each index (`None` for indices
/// the map skips).
///
/// # Errors
/// [`GraphError::Xz`] for a corrupt xz stream, [`GraphError::NodeMap`] naming the line for a
/// malformed line or an index given twice.
pub fn read_node_map(r: impl Read) -> Result<Vec<Option<NodeId>>, GraphError> {
    let (mut input, gzip) = maybe_gunzip(r).map_err(|e| read_error(e, false, None))?;
    let xz = input
        .fill_buf()
        .map_err(|e| read_error(e, gzip, None))?
        .starts_with(&XZ_MAGIC);
    if xz {
        let mut text = Vec::new();
        lzma_rs::xz_decompress(&mut input, &mut text).map_err(|source| match source {
            // A stream that ends early or is not xz reads as these kinds; others are I/O.
            lzma_rs::error::Error::IoError(e)
                if !matches!(
                    e.kind(),
                    std::io::ErrorKind::UnexpectedEof
                        | std::io::ErrorKind::InvalidData
                        | std::io::ErrorKind::InvalidInput
                ) =>
            {
                read_error(e, gzip, None)
            }
            source => GraphError::Xz { source },
        })?;
        parse_node_map(&text[..], false)
    } else {
        parse_node_map(input, gzip)
    }
}

fn parse_node_map(mut input: impl BufRead, gzip: bool) -> Result<Vec<Option<NodeId>>, GraphError> {
    let mut map: Vec<Option<NodeId>> = Vec::new();
    let mut buf = Vec::new();
    let mut line = 0u64;
    loop {
        buf.clear();
        if input
            .read_until(b'\n', &mut buf)
            .map_err(|e| read_error(e, gzip, None))?
            == 0
        {
            break;
        }
        line += 1;
        let bad = |reason: String| GraphError::NodeMap { line, reason };
        let text = std::str::from_utf8(&buf).map_err(|_| bad("not UTF-8 text".into()))?;
        let text = text.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            continue;
        }
        let mut parts = text.splitn(3, ':');
        let (Some(ix), Some(key)) = (parts.next(), parts.next()) else {
            return Err(bad(format!(
                "expected index:pubkey:alias, found {:?}",
                text.chars().take(80).collect::<String>()
            )));
        };
        let ix: u32 = ix
            .parse()
            .ok()
            .filter(|&i| i < 100_000_000)
            .ok_or_else(|| bad(format!("index {ix:?} is not an integer below 100,000,000")))?;
        let key: NodeId = key.parse().map_err(|e| bad(format!("pubkey: {e}")))?;
        let ix = ix as usize;
        if map.len() <= ix {
            map.resize(ix + 1, None);
        }
        if map[ix].is_some() {
            return Err(bad(format!("index {ix} is given twice")));
        }
        map[ix] = Some(key);
    }
    Ok(map)
}

/// A bigsize reader over the decompressed stream, counting the offset for error messages.
struct Bigsize<'a> {
    input: Box<dyn BufRead + 'a>,
    gzip: bool,
    offset: u64,
}

impl Bigsize<'_> {
    fn bad(&self, what: &dyn Fn() -> String, reason: impl Into<String>) -> GraphError {
        GraphError::Gossmap {
            offset: self.offset,
            what: what(),
            reason: reason.into(),
        }
    }

    fn bytes(&mut self, out: &mut [u8], what: &dyn Fn() -> String) -> Result<(), GraphError> {
        let mut got = 0;
        while got < out.len() {
            let buf = self
                .input
                .fill_buf()
                .map_err(|e| read_error(e, self.gzip, None))?;
            if buf.is_empty() {
                return Err(self.bad(what, "the file ends here"));
            }
            let k = buf.len().min(out.len() - got);
            out[got..got + k].copy_from_slice(&buf[..k]);
            self.input.consume(k);
            got += k;
            self.offset += k as u64;
        }
        Ok(())
    }

    fn get(&mut self, what: &dyn Fn() -> String) -> Result<u64, GraphError> {
        let mut first = [0u8; 1];
        self.bytes(&mut first, what)?;
        let len = match first[0] {
            0xfd => 2,
            0xfe => 4,
            0xff => 8,
            b => return Ok(u64::from(b)),
        };
        let mut b = [0u8; 8];
        self.bytes(&mut b[8 - len..], what)?;
        Ok(u64::from_be_bytes(b))
    }

    /// A template: a count `k`, then `k` values.
    fn template(&mut self, name: &str) -> Result<Vec<u64>, GraphError> {
        let k = self.get(&|| format!("{name} template size"))?;
        if k > 1 << 26 {
            return Err(self.bad(
                &|| format!("{name} template size"),
                format!("{k} is too large"),
            ));
        }
        (0..k)
            .map(|j| self.get(&|| format!("{name} template value {j}")))
            .collect()
    }

    /// `count` indices into `template` (one per channel, or one per direction when
    /// `per_direction`), resolved to values.
    fn indexed(
        &mut self,
        name: &str,
        template: &[u64],
        count: usize,
        per_direction: bool,
    ) -> Result<Vec<u64>, GraphError> {
        (0..count)
            .map(|j| {
                let what = || {
                    if !per_direction {
                        format!("{name} index of channel {j}")
                    } else {
                        format!("{name} index of channel {} direction {}", j / 2, j % 2)
                    }
                };
                let ix = self.get(&what)?;
                usize::try_from(ix)
                    .ok()
                    .and_then(|i| template.get(i).copied())
                    .ok_or_else(|| {
                        self.bad(
                            &what,
                            format!("{ix} is outside the template of {} values", template.len()),
                        )
                    })
            })
            .collect()
    }
}

fn convert(
    compressed: impl Read,
    map: &[Option<NodeId>],
    opts: &GossmapOptions,
) -> Result<Converted, GraphError> {
    let (input, gzip) = maybe_gunzip(compressed).map_err(|e| read_error(e, false, None))?;
    let mut r = Bigsize {
        input,
        gzip,
        offset: 0,
    };
    let mut header = [0u8; 19];
    r.bytes(&mut header, &|| "header".into())?;
    if &header != GOSSMAP_HEADER {
        r.offset = 0;
        return Err(r.bad(&|| "header".into(), "not a GOSSMAP_COMPRESSv1 file"));
    }
    let n = r.get(&|| "channel count".into())?;
    let n = usize::try_from(n)
        .ok()
        .filter(|&n| n < 1 << 26)
        .ok_or_else(|| r.bad(&|| "channel count".into(), format!("{n} is too large")))?;
    let mut ends = [Vec::with_capacity(n), Vec::with_capacity(n)];
    for (e, which) in [(0, "start"), (1, "end")] {
        for i in 0..n {
            let what = || format!("{which} node of channel {i}");
            let ix = r.get(&what)?;
            let id = usize::try_from(ix)
                .ok()
                .and_then(|x| map.get(x).copied().flatten())
                .ok_or_else(|| r.bad(&what, format!("node {ix} is not in the node map")))?;
            ends[e].push((ix, id));
        }
    }
    let mut disabled = vec![false; 2 * n];
    let mut halves_disabled = 0;
    loop {
        let v = r.get(&|| "disabled half".into())?;
        match usize::try_from(v).ok().filter(|&v| v < 2 * n) {
            None => break,
            Some(h) => {
                if !disabled[h] {
                    halves_disabled += 1;
                }
                disabled[h] = true;
            }
        }
    }
    let caps = r.template("capacity")?;
    let capacity = r.indexed("capacity", &caps, n, false)?;
    let mut fields: Vec<Vec<u64>> = Vec::with_capacity(5);
    for name in [
        "htlc_minimum_msat",
        "htlc_maximum_msat",
        "base fee",
        "proportional fee",
        "CLTV delta",
    ] {
        let t = r.template(name)?;
        fields.push(r.indexed(name, &t, 2 * n, true)?);
    }
    if !r
        .input
        .fill_buf()
        .map_err(|e| read_error(e, gzip, None))?
        .is_empty()
    {
        return Err(r.bad(
            &|| "end of file".into(),
            "unexpected bytes after the last field",
        ));
    }

    let mut rng = PyRandom::new(opts.balance_seed);
    let mut out = Collector::new();
    for i in 0..n {
        // One draw per channel of the file, also for the channels left out (so the shared
        // balances were drawn).
        let cap_sat = capacity[i];
        let at = || format!("channel {i}");
        if cap_sat > MAX_SUPPLY_SAT {
            return Err(r.bad(
                &at,
                format!("capacity {cap_sat} sat exceeds the 21 million BTC supply"),
            ));
        }
        let liquidity0 = rng.randint(0, cap_sat);
        if disabled[2 * i] && disabled[2 * i + 1] {
            continue;
        }
        let ((n1, a), (n2, b)) = (ends[0][i], ends[1][i]);
        let scid = u32::try_from(i as u64 + n1)
            .ok()
            .zip(u32::try_from(n2).ok())
            .and_then(|(block, tx)| ShortChannelId::new(block, tx, (i % 65_536) as u32))
            .ok_or_else(|| {
                r.bad(
                    &at,
                    format!(
                        "stand-in scid {}x{n2}x{} is out of range",
                        i as u64 + n1,
                        i % 65_536
                    ),
                )
            })?;
        let cap = Msat(cap_sat * 1000);
        // Direction 0 runs from the lower public key.
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        for dir in 0..2 {
            let h = 2 * i + dir;
            if disabled[h] {
                continue;
            }
            let (source, destination) = if dir == 0 { (low, high) } else { (high, low) };
            let hmax = match fields[1][h] {
                0 => cap,
                1 => Msat(cap_sat * 990),
                m => Msat(m),
            };
            let ppm = u32::try_from(fields[3][h]).map_err(|_| {
                r.bad(
                    &|| format!("proportional fee of channel {i} direction {dir}"),
                    format!("{} exceeds the maximum {}", fields[3][h], u32::MAX),
                )
            })?;
            let cltv = u16::try_from(fields[4][h]).map_err(|_| {
                r.bad(
                    &|| format!("CLTV delta of channel {i} direction {dir}"),
                    format!("{} exceeds the maximum {}", fields[4][h], u16::MAX),
                )
            })?;
            let record = DirectionRecord {
                scid,
                source,
                destination,
                capacity: cap,
                policy: Policy {
                    base_fee_msat: Msat(fields[2][h]),
                    fee_ppm: Ppm(ppm),
                    cltv_delta: cltv,
                    htlc_minimum_msat: Msat(fields[0][h]),
                    htlc_maximum_msat: hmax,
                    active: true,
                    last_update: opts.last_update,
                },
            };
            let liquidity = if dir == 0 {
                liquidity0
            } else {
                cap_sat - liquidity0
            };
            out.add(
                h,
                ListedDirection {
                    record,
                    channel_flags: dir as u8,
                },
                Sat(liquidity),
            );
        }
    }
    Ok(out.finish(UpstreamFormat::Gossmap, n, 2 * n, halves_disabled))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::ListChannelsForm;

    const A: &str = "03aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const B: &str = "02bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    const C: &str = "02cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";

    fn map() -> String {
        format!("0:{A}:alias:with:colons\n1:{B}:\n2:{C}:carol\n")
    }

    fn big(out: &mut Vec<u8>, v: u64) {
        match v {
            0..=0xfc => out.push(v as u8),
            0xfd..=0xffff => {
                out.push(0xfd);
                out.extend_from_slice(&(v as u16).to_be_bytes());
            }
            0x1_0000..=0xffff_ffff => {
                out.push(0xfe);
                out.extend_from_slice(&(v as u32).to_be_bytes());
            }
            _ => {
                out.push(0xff);
                out.extend_from_slice(&v.to_be_bytes());
            }
        }
    }

    /// Three channels: 0 = A–B (A's key is higher, so direction 0 runs B→A), 1 = B–C with its
    /// direction 1 disabled, 2 = A–C with both halves disabled.
    fn file(tail: &[u64]) -> Vec<u8> {
        let mut f = GOSSMAP_HEADER.to_vec();
        let mut put = |vals: &[u64]| vals.iter().for_each(|&v| big(&mut f, v));
        put(&[3, 0, 1, 0, 1, 2, 2]); // n, starts, ends
        put(&[3, 4, 5, 6]); // disabled halves, terminator 6 = 2n
        put(&[2, 1_000_000, 70_000, 0, 1, 0]); // capacity template and indices
        put(&[1, 1000, 0, 0, 0, 0, 0, 0]); // htlc_minimum_msat
        put(&[3, 0, 1, 5_000, 0, 1, 2, 0, 0, 0]); // htlc_maximum_msat: capacity, 99 %, 5000
        put(&[2, 0, 1000, 0, 1, 1, 0, 0, 0]); // base fee
        put(&[2, 10, 300, 0, 1, 0, 1, 0, 0]); // ppm
        put(&[2, 40, 144, 0, 0, 1, 1, 0, 0]); // cltv
        put(tail);
        f
    }

    fn read(f: &[u8]) -> Result<Converted, GraphError> {
        read_gossmap(f, map().as_bytes(), &GossmapOptions::default())
    }

    #[test]
    fn converts_a_small_file_with_disabled_halves() {
        let c = read(&file(&[])).expect("converts");
        assert_eq!(c.report.format, UpstreamFormat::Gossmap);
        assert_eq!((c.report.channels_read, c.report.halves_disabled), (3, 3));
        assert_eq!((c.graph.node_count(), c.graph.channel_count()), (3, 2));
        let got: Vec<(String, String, u8, u64, u64)> = c
            .directions
            .iter()
            .map(|d| {
                let r = &d.record;
                (
                    r.scid.to_string(),
                    r.source.to_string()[..4].to_string(),
                    d.channel_flags,
                    r.policy.htlc_maximum_msat.0,
                    r.policy.base_fee_msat.0,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                // channel 0: scid {0 + 0}x1x0; direction 0 from B (the lower key).
                ("0x1x0".into(), "02bb".into(), 0, 1_000_000_000, 0),
                ("0x1x0".into(), "03aa".into(), 1, 990_000_000, 1000),
                // channel 1: scid {1 + 1}x2x1; only direction 0 (B→C).
                ("2x2x1".into(), "02bb".into(), 0, 5_000, 1000),
            ]
        );
        let p = c.directions[1].record.policy;
        assert_eq!(
            (p.fee_ppm.0, p.cltv_delta, p.htlc_minimum_msat.0),
            (300, 40, 1000)
        );
        assert_eq!(c.directions[2].record.policy.cltv_delta, 144);
        assert_eq!(p.last_update, 1_770_076_800);
        // Balances: Python's random.Random(1).randint(0, 1000000) → 140891 for channel 0,
        // direction 1 the rest; channel 1's draw is randint(0, 70000) after it.
        let sat: Vec<u64> = c.balances.iter().map(|b| b.liquidity.0).collect();
        assert_eq!(&sat[..2], &[140_891, 859_109]);
        assert!(sat[2] <= 70_000);
        let mut json = Vec::new();
        c.write_listchannels(ListChannelsForm::New, &mut json)
            .expect("to memory");
        let back = crate::load_bytes(&json).expect("loads back").graph;
        assert_eq!(back.direction_count(), 3);
    }

    #[test]
    fn node_maps_may_be_xz_gzip_or_plain() {
        let plain = read_node_map(map().as_bytes()).expect("plain");
        assert_eq!(plain.len(), 3);
        assert_eq!(plain[2].map(|k| k.to_string()).as_deref(), Some(C));
        let mut xz = Vec::new();
        lzma_rs::xz_compress(&mut map().as_bytes(), &mut xz).expect("to memory");
        assert_eq!(read_node_map(&xz[..]).expect("xz"), plain);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &file(&[])).expect("to memory");
        let gz = gz.finish().expect("to memory");
        assert_eq!(read(&gz).expect("gzip gossmap").graph.direction_count(), 3);
    }

    #[test]
    fn malformed_inputs_name_offset_and_field() {
        let msg = |f: &[u8]| read(f).expect_err("refused").to_string();
        assert_eq!(
            msg(b"GOSSMAP_COMPRESSv2\0"),
            "gossmap at byte 0: header: not a GOSSMAP_COMPRESSv1 file"
        );
        assert_eq!(
            msg(b"GOSS"),
            "gossmap at byte 4: header: the file ends here"
        );
        let f = file(&[]);
        assert_eq!(
            msg(&f[..f.len() - 1]),
            format!(
                "gossmap at byte {}: CLTV delta index of channel 2 direction 1: the file ends here",
                f.len() - 1
            )
        );
        assert_eq!(
            msg(&file(&[7])),
            format!(
                "gossmap at byte {}: end of file: unexpected bytes after the last field",
                f.len()
            )
        );
        let mut bad_index = f.clone();
        // The last capacity index (channel 2) → 9, outside the template of 2 values.
        // header, n + 3 starts + 3 ends, 4 disabled values, template (1 + 5 + 5 bytes), 2 indices
        let at = GOSSMAP_HEADER.len() + 7 + 4 + 11 + 2;
        assert_eq!(bad_index[at], 0);
        bad_index[at] = 9;
        assert_eq!(
            msg(&bad_index),
            format!(
                "gossmap at byte {}: capacity index of channel 2: 9 is outside the template of 2 values",
                at + 1
            )
        );
        let mut bad_node = f.clone();
        bad_node[GOSSMAP_HEADER.len() + 1] = 5;
        assert_eq!(
            msg(&bad_node),
            "gossmap at byte 21: start node of channel 0: node 5 is not in the node map"
        );
        let mut big_cltv = file(&[]);
        let n = big_cltv.len();
        big_cltv.truncate(n - 9);
        big(&mut big_cltv, 2);
        big(&mut big_cltv, 40);
        big(&mut big_cltv, 70_000);
        [0, 1, 1, 1, 0, 0]
            .iter()
            .for_each(|&v| big(&mut big_cltv, v));
        assert_eq!(
            msg(&big_cltv),
            "gossmap at byte 101: CLTV delta of channel 0 direction 1: 70000 exceeds the maximum 65535"
        );
    }

    #[test]
    fn malformed_node_maps_name_the_line() {
        let msg = |m: &str| {
            read_node_map(m.as_bytes())
                .expect_err("refused")
                .to_string()
        };
        assert_eq!(
            msg(&format!("0:{A}:x\nnonsense\n")),
            "node map line 2: expected index:pubkey:alias, found \"nonsense\""
        );
        assert_eq!(
            msg(&format!("x:{A}:a\n")),
            "node map line 1: index \"x\" is not an integer below 100,000,000"
        );
        assert!(msg("0:02zz:a\n").starts_with("node map line 1: pubkey: "));
        assert_eq!(
            msg(&format!("0:{A}:a\n0:{B}:b\n")),
            "node map line 2: index 0 is given twice"
        );
        let e = read_node_map(&[0xfd, b'7', b'z', b'X', b'Z', 0, 1, 2][..]).expect_err("corrupt");
        assert!(matches!(e, GraphError::Xz { .. }), "{e:?}");
        assert_eq!(
            e.to_string(),
            "node map looks xz-compressed but does not decompress"
        );
    }
}
