//! Snapshot loaders: core-lightning `listchannels` (old and new JSON forms) and LND
//! `describegraph`, plain or gzip-compressed, from a path, stdin (`-`), any reader or bytes.
//!
//! Readers of the upstream originals the shared snapshots were converted from, each returning a
//! [`Converted`] (graph, directions in file order, ground-truth balances): the CLoTH simulator's
//! network CSVs ([`read_cloth_dir`], [`read_cloth`]) and core-lightning's `GOSSMAP_COMPRESSv1`
//! with its node map ([`read_gossmap_files`], [`read_gossmap`]). Their formats, conversion rules
//! and errors are documented in the modules [`cloth`] and [`gossmap`] (and in docs/FORMATS.md).
//!
//! # How it reads
//! 1. Gzip is recognised by its magic bytes (`1f 8b`), never by file name, and decompressed with
//!    flate2 (multi-member streams are accepted).
//! 2. The format is recognised from the top-level key: `channels` → listchannels, `edges`
//!    (with or without `nodes`) → describegraph. Old and new listchannels forms are told apart
//!    record by record (an old-form record has `satoshis` or `"…msat"` strings); the report says
//!    [`SnapshotFormat::ListChannelsOld`] if any record was in the old form.
//! 3. The top-level object is deserialized by a serde visitor that walks the `channels`/`edges`
//!    array element by element (`SeqAccess`) into small typed records (node ids, short channel
//!    ids and amounts parsed straight from the JSON text, unknown fields skipped without
//!    allocating); each record goes to [`GraphBuilder`] at once. No `serde_json::Value` tree is
//!    ever built.
//!
//! The whole input is read into memory first (gzip decompressed on the way) and parsed in place
//! with serde_json's slice reader, which borrows strings: 20–35 % faster than streaming through
//! serde_json's `io::Read` adapter, which scanned strings byte by byte, for the decompressed
//! text in memory while loading (36 MB for a 2026 snapshot, 464 MB for a graph 16× its size).
//! A listchannels text of at least 8 MiB in the plain shape `{"channels": [...]}` is cut into
//! chunks of records parsed on rayon's thread pool (feature `parallel`, on by default; module
//! `parallel` says how a cut is checked) and added to the builder in file order, so the graph,
//! warnings and report are those of the sequential parse. docs/FORMATS.md has the figures.
//!
//! # Errors and warnings
//! A snapshot that is corrupt fails the whole load with a [`GraphError`] naming the record
//! (0-based index in the array, short channel id when already read), the field, and the line and
//! column:
//! - malformed or truncated JSON, binary garbage, an undecompressable gzip stream, an empty input;
//! - a top level that is not an object with `channels` or `edges`;
//! - a missing required field, a field of the wrong type, a negative, fractional or overflowing
//!   number, a `"…msat"` string that is not digits followed by `msat`;
//! - a node id that is not 66 hex characters starting with 02/03, a bad short channel id;
//! - `satoshis` and `amount_msat` in one record disagreeing; a capacity above 21 million BTC;
//!   `delay`/`time_lock_delta` above 65,535; `fee_per_millionth` or `last_update` above 2³²−1;
//! - a field given twice in one record.
//!
//! A record that is well-formed but does not fit the graph model is skipped with a
//! [`LoadWarning`] (counted in [`LoadReport::skipped`]; the first [`MAX_STORED_WARNINGS`] are
//! kept), because real dumps contain such records and refusing the whole dump for them would
//! help no one:
//! - capacity 0, `htlc_minimum_msat > htlc_maximum_msat`, source = destination;
//! - a (short channel id, direction) listed twice; a direction whose capacity or endpoints
//!   disagree with the direction of the same channel listed earlier (the first one wins);
//! - an LND edge whose two policies are both `null` ([`SkipReason::NoPolicy`]).
//!
//! Not checked, kept as given: `htlc_maximum_msat` above the capacity, fee rates above
//! 1,000,000 ppm (ln-2020 has some), `active: false` (inactive directions are kept with
//! `Policy::active == false`, docs/MODEL.md §1). The `direction`/`channel_flags` fields are not
//! read: the side bit is derived from the node ids (BOLT 7 order), because the stand-in ids of
//! ln-2020 do not match its `channel_flags`.
//!
//! Defaults for optional fields: listchannels `htlc_maximum_msat` absent → the capacity,
//! `last_update` absent → 0. LND: a `null` or absent policy → that direction is not listed (no
//! warning; one-sided edges are normal), `max_htlc_msat` absent or `"0"` → the capacity (LND
//! prints 0 when the channel_update carried no maximum), `disabled` absent → false,
//! `last_update` absent → 0.

mod cloth;
mod describegraph;
mod gossmap;
mod listchannels;
#[cfg(feature = "parallel")]
mod parallel;
mod pyrandom;
mod record;
mod upstream;
mod values;

pub use cloth::{cloth_node_id, read_cloth, read_cloth_dir};
pub use gossmap::{read_gossmap, read_gossmap_files, GossmapOptions};
pub use upstream::{Balance, ConvertReport, Converted, ListedDirection, UpstreamFormat};

use crate::error::{GraphError, LoadWarning, SkipReason};
use crate::graph::{DirectionRecord, Graph, GraphBuilder, RecordProblem};
use crate::ids::{NodeId, ShortChannelId};
use record::{strip_position, RecordCtx, State};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;
use std::io::{BufReader, Read};
use std::path::Path;

/// How many warnings a [`LoadReport`] keeps (all are counted in [`LoadReport::skipped`]).
pub const MAX_STORED_WARNINGS: usize = 100;

/// Which snapshot format an input was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum SnapshotFormat {
    /// core-lightning `listchannels`, old form (`satoshis`, `"1000msat"` strings), in at least
    /// one record.
    #[cfg_attr(feature = "serde", serde(rename = "listchannels_old"))]
    ListChannelsOld,
    /// core-lightning `listchannels`, new form (integer `*_msat` fields), in every record (also
    /// reported for an empty `channels` array).
    #[cfg_attr(feature = "serde", serde(rename = "listchannels_new"))]
    ListChannelsNew,
    /// LND `describegraph`.
    #[cfg_attr(feature = "serde", serde(rename = "describegraph"))]
    DescribeGraph,
}

impl fmt::Display for SnapshotFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SnapshotFormat::ListChannelsOld => "core-lightning listchannels (old form)",
            SnapshotFormat::ListChannelsNew => "core-lightning listchannels (new form)",
            SnapshotFormat::DescribeGraph => "LND describegraph",
        })
    }
}

/// What a load found besides the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct LoadReport {
    /// The format recognised.
    pub format: SnapshotFormat,
    /// Whether the input was gzip-compressed.
    pub gzip: bool,
    /// Number of elements of the `channels` (listchannels) or `edges` (describegraph) array.
    pub records: usize,
    /// Number of records (or, for LND, directions and policy-less edges) skipped with a warning.
    pub skipped: usize,
    /// The first [`MAX_STORED_WARNINGS`] warnings, in input order.
    pub warnings: Vec<LoadWarning>,
}

/// A loaded graph and its load report.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The graph.
    pub graph: Graph,
    /// What the loader saw.
    pub report: LoadReport,
}

/// Loads a snapshot from a file, or from stdin when `path` is `-`. The whole (decompressed)
/// text is read into memory first and parsed in place (see the module docs, "How it reads").
///
/// # Complexity
/// O(input size) time; O(graph + decompressed text) memory while loading.
pub fn load_path(path: &Path) -> Result<Loaded, GraphError> {
    if path.as_os_str() == "-" {
        return load_reader(std::io::stdin().lock());
    }
    let f = std::fs::File::open(path).map_err(|source| GraphError::Io {
        path: Some(path.to_path_buf()),
        source,
    })?;
    // The file's size sizes the buffer (a hint: a file that grows or shrinks still loads).
    let size = f.metadata().map_or(0, |m| m.len());
    let (text, gzip) = read_all(f, usize::try_from(size).unwrap_or(0), Some(path))?;
    parse_owned(text, gzip)
}

/// Loads a snapshot from any reader (plain JSON or gzip, recognised by its first bytes): reads
/// it to the end, then parses the text in place.
///
/// # Complexity
/// O(input size) time; O(graph + decompressed text) memory while loading.
pub fn load_reader(r: impl Read) -> Result<Loaded, GraphError> {
    let (text, gzip) = read_all(r, 0, None)?;
    parse_owned(text, gzip)
}

/// Loads a snapshot from bytes in memory (plain JSON or gzip). Plain JSON is parsed in place
/// (strings borrowed, nothing copied); gzip is decompressed into memory first.
///
/// # Complexity
/// O(input size) time; O(graph) extra memory (plus the decompressed text for gzip).
pub fn load_bytes(b: &[u8]) -> Result<Loaded, GraphError> {
    if b.starts_with(&GZIP_MAGIC) {
        let (text, gzip) = read_all(b, b.len(), None)?;
        return parse_owned(text, gzip);
    }
    parse_text(b, false)
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
/// The largest buffer reserved ahead of reading: 1 GiB.
const MAX_RESERVE: usize = 1 << 30;
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads a whole input into memory, decompressing gzip (sniffed from the first two bytes);
/// returns the text and whether it was gzip. `size_hint` is the input's size in bytes, if
/// known (0 otherwise), to size the buffer.
fn read_all<R: Read>(
    mut r: R,
    size_hint: usize,
    path: Option<&Path>,
) -> Result<(Vec<u8>, bool), GraphError> {
    let mut head = [0u8; 2];
    let n = read_head(&mut r, &mut head).map_err(|e| read_error(e, false, path))?;
    let gzip = head[..n] == GZIP_MAGIC;
    let mut whole = (&head[..n]).chain(r);
    let mut text = Vec::new();
    // A hint only: a reservation the allocator refuses is skipped (the buffer then grows as
    // it is read), and none is larger than MAX_RESERVE.
    let mut reserve = |bytes: usize| {
        let _ = text.try_reserve(bytes.min(MAX_RESERVE));
    };
    if gzip {
        // Snapshots compress about 14:1; the buffer grows if that is too little.
        reserve(size_hint.saturating_mul(16));
        flate2::read::MultiGzDecoder::new(BufReader::with_capacity(1 << 16, whole))
            .read_to_end(&mut text)
            .map_err(|e| read_error(e, true, path))?;
    } else {
        reserve(size_hint);
        whole
            .read_to_end(&mut text)
            .map_err(|e| read_error(e, false, path))?;
    }
    Ok((text, gzip))
}

/// Reads up to `head.len()` bytes (fewer only at the end of the input).
fn read_head(r: &mut impl Read, head: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < head.len() {
        match r.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// A read error: a corrupt gzip stream, or the file/reader failing.
fn read_error(source: std::io::Error, gzip: bool, path: Option<&Path>) -> GraphError {
    let corrupt = matches!(
        source.kind(),
        std::io::ErrorKind::InvalidInput
            | std::io::ErrorKind::InvalidData
            | std::io::ErrorKind::UnexpectedEof
    );
    if gzip && corrupt {
        GraphError::Decompress { source }
    } else {
        GraphError::Io {
            path: path.map(Path::to_path_buf),
            source,
        }
    }
}

/// Parses a text this load owns: a large listchannels text on the thread pool (feature
/// `parallel`, module `parallel`), anything else, and whatever that path gives back, with
/// [`parse_text`].
fn parse_owned(
    #[cfg_attr(not(feature = "parallel"), allow(unused_mut))] mut text: Vec<u8>,
    gzip: bool,
) -> Result<Loaded, GraphError> {
    #[cfg(feature = "parallel")]
    if let Some(loaded) = parallel::parse_listchannels(&mut text, gzip) {
        return Ok(loaded);
    }
    parse_text(&text, gzip)
}

/// Parses a snapshot's whole text (`gzip`: whether it was decompressed, for the report) with
/// serde_json's slice reader. A byte-order mark is not JSON and is skipped (only the column
/// numbers of line 1 shift).
fn parse_text(b: &[u8], gzip: bool) -> Result<Loaded, GraphError> {
    let text = b.strip_prefix(UTF8_BOM).unwrap_or(b);
    let first = text.iter().copied().find(|&c| !is_json_whitespace(c));
    if let Some(e) = refuse_start(first) {
        return Err(e);
    }
    let mut state = State::default();
    let mut de = serde_json::Deserializer::from_slice(text);
    let result = de
        .deserialize_map(TopVisitor { st: &mut state })
        .and_then(|()| de.end());
    match result {
        Ok(()) => state.finish(gzip),
        Err(e) => Err(state.into_error(e, first, gzip, None)),
    }
}

/// The four whitespace bytes of JSON (RFC 8259); form feed and vertical tab are not among them.
fn is_json_whitespace(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

/// The error for an input whose first non-whitespace byte cannot start a snapshot.
fn refuse_start(first: Option<u8>) -> Option<GraphError> {
    let reason = match first? {
        b'{' => return None,
        b'[' => "top level is a JSON array; expected an object with a `channels` \
                 (listchannels) or `edges` (describegraph) array"
            .to_string(),
        c if c.is_ascii_graphic() => format!(
            "input starts with {:?}, not with a JSON object",
            char::from(c)
        ),
        c => format!("input starts with byte 0x{c:02x}, not with a JSON object"),
    };
    Some(GraphError::UnknownFormat { reason })
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum TopKey {
    Channels,
    Edges,
    Nodes,
    #[serde(other)]
    Other,
}

struct TopVisitor<'a> {
    st: &'a mut State,
}

impl<'de> Visitor<'de> for TopVisitor<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object with a `channels` or `edges` array")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.st.entered = true;
        while let Some(key) = map.next_key::<TopKey>()? {
            match key {
                TopKey::Channels => {
                    self.st.saw_channels = true;
                    map.next_value_seed(ArraySeed {
                        st: &mut *self.st,
                        kind: RecordKind::ListChannels,
                    })?;
                }
                TopKey::Edges => {
                    self.st.saw_edges = true;
                    map.next_value_seed(ArraySeed {
                        st: &mut *self.st,
                        kind: RecordKind::DescribeGraphEdge,
                    })?;
                }
                TopKey::Nodes => {
                    // LND's node list carries aliases and addresses; the graph takes its nodes
                    // from the edges, so only the shape is checked.
                    self.st.saw_nodes = true;
                    map.next_value::<Vec<IgnoredAny>>()?;
                }
                TopKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

#[derive(Clone, Copy)]
enum RecordKind {
    ListChannels,
    DescribeGraphEdge,
}

struct ArraySeed<'a> {
    st: &'a mut State,
    kind: RecordKind,
}

impl<'de> DeserializeSeed<'de> for ArraySeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ArraySeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            RecordKind::ListChannels => f.write_str("an array of listchannels records"),
            RecordKind::DescribeGraphEdge => f.write_str("an array of describegraph edges"),
        }
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            let index = self.st.records;
            let got = match self.kind {
                RecordKind::ListChannels => seq.next_element_seed(listchannels::RecordSeed {
                    st: &mut *self.st,
                    index,
                }),
                RecordKind::DescribeGraphEdge => seq.next_element_seed(describegraph::EdgeSeed {
                    st: &mut *self.st,
                    index,
                }),
            };
            match got {
                Ok(Some(())) => self.st.records += 1,
                Ok(None) => return Ok(()),
                Err(e) => {
                    if self.st.pending.is_none() {
                        self.st.pending = Some(GraphError::BadRecord {
                            index,
                            line: 0,
                            column: 0,
                            reason: strip_position(&e.to_string()),
                        });
                    }
                    return Err(e);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The streaming and the in-memory paths classify inputs alike.
    #[test]
    fn reader_and_bytes_agree() {
        let cases: &[&[u8]] = &[
            b"",
            b" \n ",
            b"\x0c\n\x0cX",
            b"\x0c",
            b"\xEF\xBB\xBF{\"channels\": []}",
            b"\xEF\xBB\xBF",
            b"[1]",
            b"x",
            b"\x00\x01",
            b"{",
            b"{\"channels\": [",
            b"{\"channels\": []} }",
            b"\x1f",
            b"\x1f\x8b",
        ];
        for &c in cases {
            let a = load_bytes(c).map(|l| l.report).map_err(|e| e.to_string());
            let b = load_reader(c).map(|l| l.report).map_err(|e| e.to_string());
            let short = |r: &Result<LoadReport, String>| match r {
                Ok(_) => "ok".to_string(),
                Err(e) => e.split(':').next().unwrap_or_default().to_string(),
            };
            assert_eq!(short(&a), short(&b), "{c:?}: {a:?} vs {b:?}");
        }
        assert!(load_reader(&b"\xEF\xBB\xBF{\"channels\": []}"[..]).is_ok());
        assert!(matches!(load_reader(&b" \n"[..]), Err(GraphError::Empty)));
        assert!(matches!(
            load_reader(&b"\x1f\x8bgarbage"[..]),
            Err(GraphError::Decompress { .. })
        ));
    }

    #[test]
    fn strips_serde_positions() {
        assert_eq!(
            strip_position("EOF while parsing at line 3 column 1"),
            "EOF while parsing"
        );
        assert_eq!(strip_position("no position"), "no position");
    }

    #[test]
    fn recognises_formats_and_rejects_non_objects() {
        let l = load_bytes(br#"{"channels": []}"#).expect("empty listchannels");
        assert_eq!(l.report.format, SnapshotFormat::ListChannelsNew);
        assert_eq!(l.graph.node_count(), 0);
        let l = load_bytes(br#"{"nodes": [], "edges": []}"#).expect("empty describegraph");
        assert_eq!(l.report.format, SnapshotFormat::DescribeGraph);
        assert!(matches!(load_bytes(b"  \n"), Err(GraphError::Empty)));
        assert!(matches!(
            load_bytes(b"[]"),
            Err(GraphError::UnknownFormat { .. })
        ));
        assert!(matches!(
            load_bytes(b"{}"),
            Err(GraphError::UnknownFormat { .. })
        ));
        assert!(matches!(
            load_bytes(br#"{"channels": [], "edges": []}"#),
            Err(GraphError::UnknownFormat { .. })
        ));
        assert!(matches!(
            load_bytes(br#"{"channels": 5}"#),
            Err(GraphError::Json { .. })
        ));
        assert!(matches!(
            load_bytes(br#"{"channels": [] } x"#),
            Err(GraphError::Json { .. })
        ));
    }
}
