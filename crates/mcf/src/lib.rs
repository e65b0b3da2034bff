//! # pp-mcf
//!
//! Integer min-cost flow: problem types, the [`McfSolver`] trait and its backends. This crate
//! knows nothing of Lightning.
#![deny(missing_docs)]

pub mod problem;

pub use problem::{ArcId, McfError, McfSolver, Problem, Solution};
