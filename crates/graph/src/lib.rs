//! # pp-graph
//!
//! The Lightning channel graph for pickhardt-payments-rs: identifiers and money units as
//! newtypes, a read-only directed multigraph in flat arrays, and loaders for the snapshot formats
//! people actually have (core-lightning `listchannels` in its old and new JSON forms, LND
//! `describegraph`, plain or gzip).
//!
//! This crate knows nothing of beliefs, flows or payments; everything above it indexes its own
//! per-direction arrays by [`DirIdx`].
#![deny(missing_docs)]

pub mod graph;
pub mod ids;
pub mod units;

pub use graph::{
    ChannelIdx, DirIdx, DirectionRecord, Graph, GraphBuilder, NodeIdx, Policy, RecordProblem,
};
pub use ids::{IdError, NodeId, ShortChannelId};
pub use units::{Msat, Ppm, Sat, MAX_SUPPLY_SAT};
