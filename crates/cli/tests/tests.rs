//! End-to-end tests of the `pickhardt` binary, one binary for the crate. Every test runs the
//! built binary (`CARGO_BIN_EXE_pickhardt`) and looks at its exit code, stdout and stderr, as a
//! user would. Modules:
//!
//! - `bench`: `pickhardt bench` on the embedded graph;
//! - `convert`: `graph convert` from CLoTH and gossmap originals;
//! - `exit_codes`: exit 0 / 1 / 2 of every command that can fail, and every bad-input message
//!   in the user's words (exact lines);
//! - `formats`: docs/FORMATS.md's JSON examples have the keys the commands print;
//! - `graph`: `graph stats` and `graph generate`;
//! - `mcf`: `mcf solve` and `mcf generate`;
//! - `mu`: `mu` and `mcf export`;
//! - `pay`, `simulate`: the payment commands, their reports, plots and bad input;
//! - `plots`: docs/plots/ holds what the commands draw today;
//! - `tune`: the frugality sweep table and refusals;
//! - `readme`: every `pickhardt …` command of README.md still runs.

// The modules live in `it/` so that Cargo does not also build each as its own test binary.
#[path = "it/bench.rs"]
mod bench;
#[path = "it/common.rs"]
mod common;
#[path = "it/convert.rs"]
mod convert;
#[path = "it/exit_codes.rs"]
mod exit_codes;
#[path = "it/formats.rs"]
mod formats;
#[path = "it/graph.rs"]
mod graph;
#[path = "it/mcf.rs"]
mod mcf;
#[path = "it/mu.rs"]
mod mu;
#[path = "it/pay.rs"]
mod pay;
#[path = "it/plots.rs"]
mod plots;
#[path = "it/readme.rs"]
mod readme;
#[path = "it/simulate.rs"]
mod simulate;
#[path = "it/tune.rs"]
mod tune;
