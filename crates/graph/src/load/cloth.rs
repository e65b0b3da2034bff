//! Reader for the network files of the CLoTH simulator (github `marcono/cloth`): `nodes_ln.csv`,
//! `channels_ln.csv` and `edges_ln.csv`, each plain or gzip (recognised by its magic bytes),
//! read line by line.
//!
//! | file | header | notes |
//! |---|---|---|
//! | `nodes_ln.csv` | `id` | node ids |
//! | `channels_ln.csv` | `id,edge1_id,edge2_id,node1_id,node2_id,capacity` | capacity in msat |
//! | `edges_ln.csv` | `id,channel_id,counter_edge_id,from_node_id,to_node_id,balance,fee_base,fee_proportional,min_htlc,timelock` | one direction each; amounts in msat; `balance` is the ground truth |
//!
//! The conversion (the one that made the shared `ln-2020-cloth.*` files):
//! - node `i` gets the stand-in public key `"02"` + hex(sha256(`cloth-node-{i}`));
//! - channel `c` gets the stand-in short channel id `{600000 + c div 1000}x{c mod 1000}x0`;
//! - each edge is one direction (source `from_node_id`), in file order, with capacity = the
//!   channel's capacity div 1000 sat, `fee_base`, `fee_proportional`, `min_htlc`, `timelock` as
//!   given, `htlc_maximum_msat` = the capacity, active, `last_update` [`CLOTH_LAST_UPDATE`],
//!   `channel_flags` 0 when `from_node_id < to_node_id` (CLoTH's numbering) and 1 otherwise;
//! - balances: the channel's first-listed edge gets `balance div 1000` sat (at most the
//!   capacity), the other edge the rest of the capacity, so the two sides sum exactly.
//!
//! Errors (the whole read fails, naming file, line and field): a missing or wrong header, a
//! line with the wrong number of fields, a field that is not a non-negative integer or overflows
//! its type (`timelock` above 65,535, `fee_proportional` above 2³²−1), a node or channel id that
//! the other files do not define, an edge whose endpoints are not its channel's, a third edge
//! for one channel, a capacity above 21 million BTC. Directions the graph model refuses (self
//! loops, capacity 0, `min_htlc` above the capacity) are skipped with a warning.

use super::read_error;
use super::upstream::{maybe_gunzip, Collector, Converted, ListedDirection};
use super::UpstreamFormat;
use crate::error::GraphError;
use crate::graph::{DirectionRecord, Policy};
use crate::ids::{NodeId, ShortChannelId};
use crate::units::{Msat, Ppm, Sat, MAX_SUPPLY_SAT};
use sha2::{Digest, Sha256};
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

/// The `last_update` given to every CLoTH direction (2020-09-13), as in the shared snapshot.
pub const CLOTH_LAST_UPDATE: u32 = 1_600_000_000;

const NODES_HEADER: &[&str] = &["id"];
const CHANNELS_HEADER: &[&str] = &[
    "id", "edge1_id", "edge2_id", "node1_id", "node2_id", "capacity",
];
const EDGES_HEADER: &[&str] = &[
    "id",
    "channel_id",
    "counter_edge_id",
    "from_node_id",
    "to_node_id",
    "balance",
    "fee_base",
    "fee_proportional",
    "min_htlc",
    "timelock",
];

/// The stand-in public key of CLoTH node `i`: `02` followed by sha256(`cloth-node-{i}`).
pub fn cloth_node_id(i: u64) -> NodeId {
    let digest = Sha256::digest(format!("cloth-node-{i}").as_bytes());
    let mut b = [0u8; 33];
    b[0] = 0x02;
    b[1..].copy_from_slice(&digest);
    NodeId(b)
}

/// The stand-in short channel id of CLoTH channel `c`: `{600000 + c div 1000}x{c mod 1000}x0`,
/// or `None` when the block would exceed 2²⁴−1.
pub fn cloth_scid(c: u64) -> Option<ShortChannelId> {
    let block = u32::try_from(600_000 + c / 1000).ok()?;
    ShortChannelId::new(block, (c % 1000) as u32, 0)
}

/// Reads the three CLoTH files from `dir`, each as `NAME.csv` or `NAME.csv.gz`.
///
/// # Errors
/// [`GraphError::Io`] naming the path when a file is missing or unreadable; otherwise as
/// [`read_cloth`].
pub fn read_cloth_dir(dir: &Path) -> Result<Converted, GraphError> {
    let open = |name: &str| -> Result<(std::fs::File, PathBuf), GraphError> {
        let plain = dir.join(format!("{name}.csv"));
        let gz = dir.join(format!("{name}.csv.gz"));
        let path = if !plain.exists() && gz.exists() {
            gz
        } else {
            plain
        };
        match std::fs::File::open(&path) {
            Ok(f) => Ok((f, path)),
            Err(source) => Err(GraphError::Io {
                path: Some(path),
                source,
            }),
        }
    };
    let (nodes, np) = open("nodes_ln")?;
    let (channels, cp) = open("channels_ln")?;
    let (edges, ep) = open("edges_ln")?;
    convert((nodes, Some(np)), (channels, Some(cp)), (edges, Some(ep)))
}

/// Reads CLoTH's nodes, channels and edges files (plain or gzip each) and converts them as the
/// module docs say.
///
/// # Errors
/// See the module docs; every error names the file, the 1-based line and the field.
///
/// # Complexity
/// One pass over each file; O(nodes + channels + edges) memory.
pub fn read_cloth(
    nodes: impl Read,
    channels: impl Read,
    edges: impl Read,
) -> Result<Converted, GraphError> {
    convert((nodes, None), (channels, None), (edges, None))
}

/// The conversion; each input comes with its path when read from a file (for I/O errors).
fn convert(
    (nodes, np): (impl Read, Option<PathBuf>),
    (channels, cp): (impl Read, Option<PathBuf>),
    (edges, ep): (impl Read, Option<PathBuf>),
) -> Result<Converted, GraphError> {
    // Nodes: which ids exist.
    let mut known = Vec::<bool>::new();
    let mut rows = Rows::open(nodes, np, "nodes_ln.csv", NODES_HEADER)?;
    while rows.next()? {
        let id = rows.u64(0)?;
        let ix = rows.index(id, 0, 10_000_000)?;
        if known.len() <= ix {
            known.resize(ix + 1, false);
        }
        if known[ix] {
            return Err(rows.bad(Some(0), format!("node {id} is listed twice")));
        }
        known[ix] = true;
    }
    let node_ok = |id: u64| usize::try_from(id).is_ok_and(|i| known.get(i) == Some(&true));

    // Channels: endpoints and capacity, in id order.
    let mut chans: Vec<Option<Chan>> = Vec::new();
    let mut rows = Rows::open(channels, cp, "channels_ln.csv", CHANNELS_HEADER)?;
    let mut channels_read = 0;
    while rows.next()? {
        let id = rows.u64(0)?;
        let ix = rows.index(id, 0, 1 << 33)?;
        let scid = cloth_scid(id)
            .ok_or_else(|| rows.bad(Some(0), format!("channel {id} has no stand-in scid")))?;
        let node1 = rows.u64(3)?;
        let node2 = rows.u64(4)?;
        for (col, n) in [(3, node1), (4, node2)] {
            if !node_ok(n) {
                return Err(rows.bad(Some(col), format!("node {n} is not in nodes_ln.csv")));
            }
        }
        let msat = rows.u64(5)?;
        if msat > MAX_SUPPLY_SAT * 1000 {
            return Err(rows.bad(
                Some(5),
                format!("{msat} msat exceeds the 21 million BTC supply"),
            ));
        }
        if chans.len() <= ix {
            chans.resize(ix + 1, None);
        }
        if chans[ix].is_some() {
            return Err(rows.bad(Some(0), format!("channel {id} is listed twice")));
        }
        chans[ix] = Some(Chan {
            scid,
            node1,
            node2,
            capacity_sat: msat / 1000,
            first_balance: None,
            edges: 0,
        });
        channels_read += 1;
    }

    // Edges: one direction each, in file order.
    let mut out = Collector::new();
    let mut rows = Rows::open(edges, ep, "edges_ln.csv", EDGES_HEADER)?;
    let mut directions_read = 0;
    while rows.next()? {
        let id = rows.u64(0)?;
        let index = rows.index(id, 0, usize::MAX as u64)?;
        let channel = rows.u64(1)?;
        let from = rows.u64(3)?;
        let to = rows.u64(4)?;
        let balance = rows.u64(5)?;
        let base = rows.u64(6)?;
        let ppm = rows.narrow::<u32>(7)?;
        let min_htlc = rows.u64(8)?;
        let timelock = rows.narrow::<u16>(9)?;
        let Some(ch) = usize::try_from(channel)
            .ok()
            .and_then(|c| chans.get_mut(c))
            .and_then(Option::as_mut)
        else {
            return Err(rows.bad(
                Some(1),
                format!("channel {channel} is not in channels_ln.csv"),
            ));
        };
        if !((from, to) == (ch.node1, ch.node2) || (from, to) == (ch.node2, ch.node1)) {
            return Err(rows.bad(
                Some(3),
                format!(
                    "edge {from}->{to} does not join the nodes {} and {} of channel {channel}",
                    ch.node1, ch.node2
                ),
            ));
        }
        ch.edges += 1;
        if ch.edges > 2 {
            return Err(rows.bad(Some(1), format!("a third edge for channel {channel}")));
        }
        let cap = ch.capacity_sat;
        let liquidity = match ch.first_balance {
            None => {
                let l = (balance / 1000).min(cap);
                ch.first_balance = Some(l);
                l
            }
            Some(first) => cap - first,
        };
        directions_read += 1;
        let capacity = Msat(cap * 1000);
        let record = DirectionRecord {
            scid: ch.scid,
            source: cloth_node_id(from),
            destination: cloth_node_id(to),
            capacity,
            policy: Policy {
                base_fee_msat: Msat(base),
                fee_ppm: Ppm(ppm),
                cltv_delta: timelock,
                htlc_minimum_msat: Msat(min_htlc),
                htlc_maximum_msat: capacity,
                active: true,
                last_update: CLOTH_LAST_UPDATE,
            },
        };
        let channel_flags = u8::from(from > to);
        out.add(
            index,
            ListedDirection {
                record,
                channel_flags,
            },
            Sat(liquidity),
        );
    }
    Ok(out.finish(UpstreamFormat::Cloth, channels_read, directions_read, 0))
}

#[derive(Clone)]
struct Chan {
    scid: ShortChannelId,
    node1: u64,
    node2: u64,
    capacity_sat: u64,
    first_balance: Option<u64>,
    edges: u8,
}

/// A CSV file read line by line: a fixed header, then rows of integers.
struct Rows<'a> {
    input: Box<dyn BufRead + 'a>,
    path: Option<PathBuf>,
    gzip: bool,
    file: &'static str,
    header: &'static [&'static str],
    line: u64,
    bytes: Vec<u8>,
    text: String,
    fields: Vec<(usize, usize)>,
}

impl<'a> Rows<'a> {
    fn open(
        r: impl Read + 'a,
        path: Option<PathBuf>,
        file: &'static str,
        header: &'static [&'static str],
    ) -> Result<Self, GraphError> {
        let (input, gzip) = match maybe_gunzip(r) {
            Ok(v) => v,
            Err(source) => return Err(GraphError::Io { path, source }),
        };
        let mut rows = Rows {
            input,
            path,
            gzip,
            file,
            header,
            line: 0,
            bytes: Vec::new(),
            text: String::new(),
            fields: Vec::new(),
        };
        if !rows.read_line()? {
            rows.line = 1;
            return Err(rows.bad(
                None,
                format!("empty file (expected the header {:?})", header.join(",")),
            ));
        }
        let found: Vec<&str> = rows.text.split(',').map(str::trim).collect();
        if found != header {
            return Err(rows.bad(
                None,
                format!(
                    "expected the header {:?}, found {:?}",
                    header.join(","),
                    clip(&rows.text)
                ),
            ));
        }
        Ok(rows)
    }

    /// Reads the next non-blank line into `text`; false at the end.
    fn read_line(&mut self) -> Result<bool, GraphError> {
        loop {
            self.line += 1;
            self.bytes.clear();
            let n = self
                .input
                .read_until(b'\n', &mut self.bytes)
                .map_err(|e| read_error(e, self.gzip, self.path.as_deref()))?;
            if n == 0 {
                self.line -= 1;
                return Ok(false);
            }
            let Ok(t) = std::str::from_utf8(&self.bytes) else {
                return Err(self.bad(None, "not UTF-8 text".into()));
            };
            self.text.clear();
            self.text.push_str(t);
            let t = self.text.trim_end_matches(['\n', '\r']);
            let len = t.len();
            self.text.truncate(len);
            if !self.text.trim().is_empty() {
                return Ok(true);
            }
        }
    }

    /// Advances to the next row and splits it; false at the end of the file.
    fn next(&mut self) -> Result<bool, GraphError> {
        if !self.read_line()? {
            return Ok(false);
        }
        self.fields.clear();
        let mut start = 0;
        for (i, c) in self.text.char_indices() {
            if c == ',' {
                self.fields.push((start, i));
                start = i + 1;
            }
        }
        self.fields.push((start, self.text.len()));
        if self.fields.len() != self.header.len() {
            return Err(self.bad(
                None,
                format!(
                    "expected {} comma-separated fields ({}), found {}",
                    self.header.len(),
                    self.header.join(","),
                    self.fields.len()
                ),
            ));
        }
        Ok(true)
    }

    fn bad(&self, col: Option<usize>, reason: String) -> GraphError {
        GraphError::Csv {
            file: self.file.to_string(),
            line: self.line,
            field: col.map(|c| self.header[c].to_string()),
            reason,
        }
    }

    fn u64(&self, col: usize) -> Result<u64, GraphError> {
        let (a, b) = self.fields[col];
        let s = self.text[a..b].trim();
        if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
            return Err(self.bad(
                Some(col),
                format!("{:?} is not a non-negative integer", clip(s)),
            ));
        }
        s.parse()
            .map_err(|_| self.bad(Some(col), format!("{s} does not fit in 64 bits")))
    }

    fn narrow<T: TryFrom<u64>>(&self, col: usize) -> Result<T, GraphError> {
        let v = self.u64(col)?;
        T::try_from(v).map_err(|_| {
            let max = if std::mem::size_of::<T>() == 2 {
                u16::MAX as u64
            } else {
                u32::MAX as u64
            };
            self.bad(Some(col), format!("{v} exceeds the maximum {max}"))
        })
    }

    /// An id used as an array index, at most `max`.
    fn index(&self, id: u64, col: usize, max: u64) -> Result<usize, GraphError> {
        usize::try_from(id)
            .ok()
            .filter(|_| id <= max)
            .ok_or_else(|| self.bad(Some(col), format!("id {id} is too large (at most {max})")))
    }
}

fn clip(s: &str) -> String {
    s.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::ListChannelsForm;

    const NODES: &str = "id\n0\n1\n2\n";
    const CHANNELS: &str = "id,edge1_id,edge2_id,node1_id,node2_id,capacity\n\
                            0,0,1,0,1,50000000\n1,2,3,2,1,20000500\n";
    const EDGES: &str = "id,channel_id,counter_edge_id,from_node_id,to_node_id,balance,fee_base,fee_proportional,min_htlc,timelock\n\
                         0,0,1,0,1,4300909,1000,1,1000,144\n\
                         1,0,0,1,0,45699091,1000,1,1000,144\n\
                         2,1,3,2,1,30000000,0,7,1,40\n\
                         3,1,2,1,2,0,5,9,1000,18\n";

    fn read(n: &str, c: &str, e: &str) -> Result<Converted, GraphError> {
        read_cloth(n.as_bytes(), c.as_bytes(), e.as_bytes())
    }

    #[test]
    fn stand_in_ids_follow_the_shared_rule() {
        // The first rows of the shared ln-2020-cloth files.
        assert_eq!(
            cloth_node_id(0).to_string(),
            "02dd94d8d73ebccf4c960328c069c4315799419ab736b1902312ad78034f241cb7"
        );
        assert_eq!(
            cloth_node_id(1).to_string(),
            "0277a2170fed24cb77e12c7c2f942a2b2ceafcdfa3c40f489e3e487c0eb2cc2766"
        );
        assert_eq!(
            cloth_scid(0).map(|s| s.to_string()).as_deref(),
            Some("600000x0x0")
        );
        assert_eq!(
            cloth_scid(30_456).map(|s| s.to_string()).as_deref(),
            Some("600030x456x0")
        );
        assert_eq!(cloth_scid(u64::MAX), None);
    }

    #[test]
    fn converts_edges_in_file_order_with_balances_summing_to_capacity() {
        let c = read(NODES, CHANNELS, EDGES).expect("converts");
        assert_eq!(c.report.format, UpstreamFormat::Cloth);
        assert_eq!((c.report.channels_read, c.report.directions_read), (2, 4));
        assert_eq!(c.report.skipped, 0);
        assert_eq!(c.graph.direction_count(), 4);
        assert_eq!(c.directions.len(), 4);
        let r = &c.directions[2].record;
        assert_eq!(r.scid.to_string(), "600000x1x0");
        assert_eq!(r.source, cloth_node_id(2));
        // 20,000,500 msat: capacity 20,000 sat (div 1000), htlc_max the same.
        assert_eq!(r.capacity, Msat(20_000_000));
        assert_eq!(r.policy.htlc_maximum_msat, Msat(20_000_000));
        assert_eq!((r.policy.fee_ppm, r.policy.cltv_delta), (Ppm(7), 40));
        assert_eq!(c.directions[2].channel_flags, 1);
        assert_eq!(c.directions[3].channel_flags, 0);
        let sat: Vec<u64> = c.balances.iter().map(|b| b.liquidity.0).collect();
        // 4300 + 45700 = 50000; the first edge of channel 1 holds more than the capacity and is
        // capped at it, the second gets the rest (0).
        assert_eq!(sat, [4_300, 45_700, 20_000, 0]);
        let mut csv = Vec::new();
        c.write_balances(&mut csv).expect("to memory");
        let csv = String::from_utf8(csv).expect("utf-8");
        assert!(
            csv.starts_with("short_channel_id,source,liquidity_sat\n600000x0x0,02dd94"),
            "{csv}"
        );
        let mut json = Vec::new();
        c.write_listchannels(ListChannelsForm::Old, &mut json)
            .expect("to memory");
        let back = crate::load_bytes(&json).expect("loads back");
        assert_eq!(back.report.format, crate::SnapshotFormat::ListChannelsOld);
        assert_eq!(back.graph.direction_count(), 4);
    }

    #[test]
    fn gzip_inputs_are_recognised_by_their_magic_bytes() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(EDGES.as_bytes()).expect("to memory");
        let edges = gz.finish().expect("to memory");
        let c = read_cloth(NODES.as_bytes(), CHANNELS.as_bytes(), &edges[..]).expect("converts");
        assert_eq!(c.graph.direction_count(), 4);
    }

    #[test]
    fn self_loops_are_skipped_with_a_warning() {
        let ch = "id,edge1_id,edge2_id,node1_id,node2_id,capacity\n0,0,1,1,1,5000000\n";
        let e = &format!("{}\n0,0,1,1,1,0,0,0,0,9\n", EDGES_HEADER.join(","));
        let c = read(NODES, ch, e).expect("converts");
        assert_eq!((c.report.skipped, c.graph.direction_count()), (1, 0));
        assert_eq!(c.report.warnings[0].index, 0);
        assert!(c.balances.is_empty());
    }

    #[test]
    fn malformed_inputs_name_file_line_and_field() {
        let msg = |r: Result<Converted, GraphError>| r.expect_err("refused").to_string();
        assert_eq!(
            msg(read("node\n0\n", CHANNELS, EDGES)),
            "nodes_ln.csv line 1: expected the header \"id\", found \"node\""
        );
        assert_eq!(
            msg(read("", CHANNELS, EDGES)),
            "nodes_ln.csv line 1: empty file (expected the header \"id\")"
        );
        assert_eq!(
            msg(read(NODES, &CHANNELS.replace("50000000", "5e7"), EDGES)),
            "channels_ln.csv line 2, field `capacity`: \"5e7\" is not a non-negative integer"
        );
        assert_eq!(
            msg(read(
                NODES,
                &CHANNELS.replace("0,0,1,0,1,", "0,0,1,0,9,"),
                EDGES
            )),
            "channels_ln.csv line 2, field `node2_id`: node 9 is not in nodes_ln.csv"
        );
        assert_eq!(
            msg(read(
                NODES,
                CHANNELS,
                &EDGES.replace(",144\n1,", ",70000\n1,")
            )),
            "edges_ln.csv line 2, field `timelock`: 70000 exceeds the maximum 65535"
        );
        assert_eq!(
            msg(read(
                NODES,
                CHANNELS,
                &EDGES.replace("\n3,1,2,1,2,", "\n3,7,2,1,2,")
            )),
            "edges_ln.csv line 5, field `channel_id`: channel 7 is not in channels_ln.csv"
        );
        assert_eq!(
            msg(read(
                NODES,
                CHANNELS,
                &EDGES.replace("\n3,1,2,1,2,", "\n3,1,2,0,2,")
            )),
            "edges_ln.csv line 5, field `from_node_id`: edge 0->2 does not join the nodes 2 \
             and 1 of channel 1"
        );
        assert_eq!(
            msg(read(
                NODES,
                CHANNELS,
                &format!("{EDGES}4,1,2,1,2,0,5,9,1000,18\n")
            )),
            "edges_ln.csv line 6, field `channel_id`: a third edge for channel 1"
        );
        assert_eq!(
            msg(read(NODES, CHANNELS, &EDGES.replace(",18\n", ",18,5\n"))),
            "edges_ln.csv line 5: expected 10 comma-separated fields \
             (id,channel_id,counter_edge_id,from_node_id,to_node_id,balance,fee_base,\
             fee_proportional,min_htlc,timelock), found 11"
        );
        assert_eq!(
            msg(read("id\n0\n0\n", CHANNELS, EDGES)),
            "nodes_ln.csv line 3, field `id`: node 0 is listed twice"
        );
        let e = read_cloth(
            NODES.as_bytes(),
            CHANNELS.as_bytes(),
            &b"\x1f\x8bnot gzip"[..],
        )
        .expect_err("corrupt gzip");
        assert!(matches!(e, GraphError::Decompress { .. }), "{e:?}");
        let e = read_cloth(NODES.as_bytes(), CHANNELS.as_bytes(), &b"id\xff\n"[..])
            .expect_err("binary");
        assert_eq!(e.to_string(), "edges_ln.csv line 1: not UTF-8 text");
    }

    #[test]
    fn missing_files_name_their_path() {
        let dir = std::env::temp_dir().join(format!("pp-cloth-missing-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let e = read_cloth_dir(&dir).expect_err("no files");
        assert!(e.to_string().contains("nodes_ln.csv"), "{e}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
