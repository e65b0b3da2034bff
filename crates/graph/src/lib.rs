//! # pp-graph
//!
//! The Lightning channel graph for pickhardt-payments-rs: identifiers and money units as
//! newtypes, a read-only directed multigraph in flat arrays, and loaders for the snapshot formats
//! people actually have (core-lightning `listchannels` in its old and new JSON forms, LND
//! `describegraph`, plain or gzip).
//!
//! ```
//! use pp_graph::{GraphStats, Msat, NodeId};
//!
//! // The 4-node toy graph of data/README.md, in core-lightning `listchannels` JSON.
//! let loaded = pp_graph::load_bytes(include_bytes!("../../../data/toy.listchannels.json"))?;
//! let graph = &loaded.graph;
//! let stats = GraphStats::of(graph);
//! assert_eq!((stats.nodes, stats.channels, stats.directed_channels), (4, 5, 10));
//!
//! // Channel 103x1x0 from A to B: 1,000,000 sat; A charges 1,000 msat + 100 ppm to forward.
//! let a: NodeId = format!("02{}", "aa".repeat(32)).parse()?;
//! let ab = graph.direction_from("103x1x0".parse()?, &a).expect("A–B is listed");
//! assert_eq!(graph.capacity(ab), Msat(1_000_000_000));
//! assert_eq!(graph.fee(ab, Msat(100_000_000)), Some(Msat(11_000)));
//! // The reverse direction B→A has B's own policy.
//! let ba = graph.reverse(ab).expect("both directions are listed");
//! assert_eq!(graph.policy(ba).fee_ppm.get(), 200);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! - [`load_path`], [`load_reader`], [`load_bytes`] read a snapshot into a [`Graph`] with a
//!   [`LoadReport`]; corrupt input is a [`GraphError`] naming the record and field, records that
//!   do not fit the model are skipped with a [`LoadWarning`] (docs/FORMATS.md says which is which).
//! - [`GraphStats`] summarises a graph (sizes, capacity and fee percentiles, largest strongly
//!   connected component).
//! - [`read_cloth_dir`] and [`read_gossmap_files`] convert the upstream originals of the real
//!   snapshots (CLoTH's network CSVs, core-lightning's `GOSSMAP_COMPRESSv1`) into a graph with
//!   ground-truth balances ([`Converted`]), written back with [`write_listchannels_records`]
//!   and [`write_balances`].
//! - [`generate()`] builds seeded synthetic Lightning-like graphs; [`write_listchannels`] writes
//!   any graph back as listchannels JSON.
//!
//! This crate knows nothing of beliefs, flows or payments; everything above it indexes its own
//! per-direction arrays by [`DirIdx`].
#![deny(missing_docs)]

mod error;
mod generate;
mod graph;
mod ids;
mod load;
mod scc;
mod stats;
mod units;
mod write;

pub use error::{GraphError, LoadWarning, SkipReason};
pub use generate::{generate, Distributions, GeneratorParams};
pub use graph::{
    ChannelIdx, DirIdx, DirectionRecord, Graph, GraphBuilder, NodeIdx, Policy, RecordProblem,
};
pub use ids::{IdError, NodeId, ShortChannelId};
pub use load::{
    cloth_node_id, load_bytes, load_path, load_reader, read_cloth, read_cloth_dir, read_gossmap,
    read_gossmap_files, Balance, ConvertReport, Converted, GossmapOptions, ListedDirection,
    LoadReport, Loaded, SnapshotFormat, UpstreamFormat, MAX_STORED_WARNINGS,
};
pub use scc::{largest_scc, Components};
pub use stats::{GraphStats, Percentiles};
pub use units::{Msat, Ppm, Sat, MAX_SUPPLY_SAT};
pub use write::{write_balances, write_listchannels, write_listchannels_records, ListChannelsForm};
