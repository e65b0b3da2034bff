//! Integration tests of pp-mcf, one binary for the crate. Modules:
//!
//! - `common`: proptest strategies for random problems and independent reference algorithms
//!   written here from scratch (Edmonds–Karp max flow, cycle-cancelling min-cost flow, brute-force
//!   enumeration for tiny graphs).
//! - `props`: properties on random graphs: every backend's flow satisfies conservation and
//!   capacities and has the reference's optimal cost; tiny graphs equal brute force; the checker
//!   accepts native solutions and rejects corrupted ones; infeasible problems report the true
//!   max flow; decomposition and DIMACS round trips.
//! - `instances`: the toy DIMACS file and generated convex networks shaped like the payment
//!   loop's problems, across backends and native options.

// The modules live in `it/` so that Cargo does not also build each as its own test binary.
#[path = "it/common.rs"]
mod common;
#[path = "it/instances.rs"]
mod instances;
#[path = "it/props.rs"]
mod props;
