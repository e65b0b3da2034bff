//! # pp-graph
//!
//! The Lightning channel graph for pickhardt-payments-rs: identifiers and money units as
//! newtypes, a read-only directed multigraph in flat arrays, and loaders for the snapshot formats
//! people actually have (core-lightning `listchannels` in its old and new JSON forms, LND
//! `describegraph`, plain or gzip).
//!
//! - [`load_path`], [`load_reader`], [`load_bytes`] read a snapshot into a [`Graph`] with a
//!   [`LoadReport`]; corrupt input is a [`GraphError`] naming the record and field, records that
//!   do not fit the model are skipped with a [`LoadWarning`] (see [`load`] for which is which).
//! - [`GraphStats`] summarises a graph (sizes, capacity and fee percentiles, largest strongly
//!   connected component).
//! - [`generate()`] builds seeded synthetic Lightning-like graphs; [`write_listchannels`] writes
//!   any graph back as listchannels JSON.
//!
//! This crate knows nothing of beliefs, flows or payments; everything above it indexes its own
//! per-direction arrays by [`DirIdx`].
#![deny(missing_docs)]

pub mod error;
pub mod generate;
pub mod graph;
pub mod ids;
pub mod load;
pub mod stats;
pub mod units;
pub mod write;

pub use error::{GraphError, LoadWarning, SkipReason};
pub use generate::{generate, GeneratorParams};
pub use graph::{
    ChannelIdx, DirIdx, DirectionRecord, Graph, GraphBuilder, NodeIdx, Policy, RecordProblem,
};
pub use ids::{IdError, NodeId, ShortChannelId};
pub use load::{load_bytes, load_path, load_reader, LoadReport, Loaded, SnapshotFormat};
pub use stats::{GraphStats, Percentiles};
pub use units::{Msat, Ppm, Sat, MAX_SUPPLY_SAT};
pub use write::write_listchannels;
