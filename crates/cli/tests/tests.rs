//! End-to-end tests of the `pickhardt` binary, one module per command, plus the README check.
//!
//! Every test runs the built binary (`CARGO_BIN_EXE_pickhardt`) and looks at its exit code,
//! stdout and stderr, as a user would.

mod graph;
mod mcf;
mod mu;
mod pay;
mod readme;
mod simulate;
