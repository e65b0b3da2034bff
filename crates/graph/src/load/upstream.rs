//! What the readers of upstream formats ([`read_cloth`](super::read_cloth),
//! [`read_gossmap`](super::read_gossmap)) produce: the graph, its directions in the order a
//! converted `listchannels` file lists them, and the per-direction balances.
//!
//! These formats are not snapshots a node prints; they are the public originals the shared
//! `ln-2020-cloth.*` and `ln-2026.*` files were converted from. A [`Converted`] is written back
//! as those files with [`Converted::write_listchannels`] and [`Converted::write_balances`]; the
//! output equals the shared files byte for byte (after decompression).

use crate::error::{LoadWarning, SkipReason};
use crate::graph::{DirectionRecord, Graph, GraphBuilder};
use crate::ids::{NodeId, ShortChannelId};
use crate::load::MAX_STORED_WARNINGS;
use crate::units::Sat;
use crate::write::{write_balances, write_listchannels_records, ListChannelsForm};
use std::io::{self, BufRead, BufReader, Read, Write};

/// One listed direction of a converted graph, with the `channel_flags` the converted file
/// carries (for CLoTH it follows CLoTH's node numbering, not the BOLT 7 side bit; the loader
/// ignores it either way).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedDirection {
    /// The direction.
    pub record: DirectionRecord,
    /// The `channel_flags` value written for it.
    pub channel_flags: u8,
}

/// The ground-truth liquidity of one direction: a row of a balances CSV
/// (`short_channel_id,source,liquidity_sat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Balance {
    /// The channel.
    pub scid: ShortChannelId,
    /// The node whose side this is.
    pub source: NodeId,
    /// That side's liquidity.
    pub liquidity: Sat,
}

/// Which upstream format was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum UpstreamFormat {
    /// The CLoTH simulator's `nodes_ln.csv`, `channels_ln.csv`, `edges_ln.csv`.
    #[cfg_attr(feature = "serde", serde(rename = "cloth"))]
    Cloth,
    /// core-lightning's `GOSSMAP_COMPRESSv1` with its node map.
    #[cfg_attr(feature = "serde", serde(rename = "gossmap"))]
    Gossmap,
}

/// What a conversion saw besides the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ConvertReport {
    /// The format read.
    pub format: UpstreamFormat,
    /// Channels in the input.
    pub channels_read: usize,
    /// Directions in the input (CLoTH edges; gossmap: two per channel).
    pub directions_read: usize,
    /// Gossmap halves marked disabled (no channel_update), left out; 0 for CLoTH.
    pub halves_disabled: usize,
    /// Directions the graph builder refused (self loop, htlc_min above htlc_max, …), skipped
    /// with a warning.
    pub skipped: usize,
    /// The first [`MAX_STORED_WARNINGS`] warnings; `index` is the CLoTH edge id or, for a
    /// gossmap, `2 * channel + direction`.
    pub warnings: Vec<LoadWarning>,
}

/// A converted upstream network: graph, listed directions in file order, balances.
#[derive(Debug, Clone)]
pub struct Converted {
    /// The graph (as [`crate::load_path`] reads the converted listchannels file back).
    pub graph: Graph,
    /// The listed directions, in the order the converted listchannels file lists them.
    pub directions: Vec<ListedDirection>,
    /// One balance per listed direction, in the same order; the two sides of a channel sum to
    /// its capacity in whole satoshis.
    pub balances: Vec<Balance>,
    /// What the reader saw.
    pub report: ConvertReport,
}

impl Converted {
    /// Writes the directions as `listchannels` JSON in `form`, laid out as the shared snapshots
    /// are (see [`write_listchannels_records`]).
    pub fn write_listchannels(&self, form: ListChannelsForm, w: impl Write) -> io::Result<()> {
        write_listchannels_records(&self.directions, form, w)
    }

    /// Writes the balances CSV (see [`write_balances`]).
    pub fn write_balances(&self, w: impl Write) -> io::Result<()> {
        write_balances(&self.balances, w)
    }
}

/// Collects directions and balances while a reader runs.
pub(crate) struct Collector {
    builder: GraphBuilder,
    directions: Vec<ListedDirection>,
    balances: Vec<Balance>,
    skipped: usize,
    warnings: Vec<LoadWarning>,
}

impl Collector {
    pub fn new() -> Self {
        Collector {
            builder: GraphBuilder::new(),
            directions: Vec::new(),
            balances: Vec::new(),
            skipped: 0,
            warnings: Vec::new(),
        }
    }

    /// Adds a direction with its balance, or counts a warning if the builder refuses it.
    pub fn add(&mut self, index: usize, d: ListedDirection, liquidity: Sat) {
        match self.builder.add(&d.record) {
            Ok(()) => {
                self.balances.push(Balance {
                    scid: d.record.scid,
                    source: d.record.source,
                    liquidity,
                });
                self.directions.push(d);
            }
            Err(problem) => {
                self.skipped += 1;
                if self.warnings.len() < MAX_STORED_WARNINGS {
                    self.warnings.push(LoadWarning {
                        index,
                        scid: Some(d.record.scid),
                        reason: SkipReason::Record(problem),
                    });
                }
            }
        }
    }

    pub fn finish(
        self,
        format: UpstreamFormat,
        channels_read: usize,
        directions_read: usize,
        halves_disabled: usize,
    ) -> Converted {
        Converted {
            graph: self.builder.build(),
            directions: self.directions,
            balances: self.balances,
            report: ConvertReport {
                format,
                channels_read,
                directions_read,
                halves_disabled,
                skipped: self.skipped,
                warnings: self.warnings,
            },
        }
    }
}

/// Wraps a reader, decompressing it if it starts with the gzip magic bytes `1f 8b`. Returns
/// whether it was gzip.
pub(crate) fn maybe_gunzip<'a>(r: impl Read + 'a) -> io::Result<(Box<dyn BufRead + 'a>, bool)> {
    let mut buf = BufReader::with_capacity(1 << 16, r);
    let gz = buf.fill_buf()?.starts_with(&super::GZIP_MAGIC);
    Ok(if gz {
        let dec = flate2::bufread::MultiGzDecoder::new(buf);
        (Box::new(BufReader::with_capacity(1 << 16, dec)), true)
    } else {
        (Box::new(buf), false)
    })
}
