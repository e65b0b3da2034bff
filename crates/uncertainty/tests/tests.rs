//! Integration tests of pp-uncertainty, one binary for the crate. Modules:
//!
//! - `common`: random Lightning-like graphs and a truthful ground-truth oracle for proptests.
//! - `belief_props`: random sequences of probe / attempt / settle / release / forget / decay /
//!   probing / exact-knowledge operations keep `0 <= min <= max <= capacity`, the mirror between
//!   a channel's directions, and the oracle's true liquidity inside `[min, max]`; lies are errors
//!   that leave the belief unchanged.
//! - `incremental_props`: a linearizer synced through random belief and parameter changes
//!   assembles exactly what a fresh build does, in both arc orders.
//! - `linearize_props`: convexity, capacity limits and the integer rounding bound of the
//!   linearization on random beliefs; solved flows map back to exactly the amount.
//! - `snapshots`: μ and linearization on the real snapshots in `$PP_DATA_DIR` (skipped when
//!   unset).

// The modules live in `it/` so that Cargo does not also build each as its own test binary.
#[path = "it/belief_props.rs"]
mod belief_props;
#[path = "it/common.rs"]
mod common;
#[path = "it/incremental_props.rs"]
mod incremental_props;
#[path = "it/linearize_props.rs"]
mod linearize_props;
#[path = "it/snapshots.rs"]
mod snapshots;
