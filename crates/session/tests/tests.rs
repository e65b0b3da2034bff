//! Integration tests of pp-session, one binary. Modules:
//! - `budget`: the fee budget steers the plan (μ search), refusals say what the cheapest costs;
//! - `common`: shared helpers (toy graph, invariant checks);
//! - `toy`: a whole payment on the hand-made A–B–C–D graph pinned exactly, bad input, liars;
//! - `soak`: 1,200 seeded payments on 60-node generated graphs and 6,000 on 400-node ones, with
//!   every docs/MODEL.md §6 invariant checked after each;
//! - `htlc_max`: the per-direction `htlc_maximum_msat` cap falls back to a per-part one when it
//!   leaves a payment infeasible;
//! - `own_channels`: the sender's own channels: no fee in the cost (docs/MODEL.md §1);
//! - `oracle`: the oracle's max-flow against pp-mcf's, balances files;
//! - `params`: a proptest over the whole parameter space, invariants after every payment;
//! - `plan`: `Session::plan` is exactly a payment's first round and sends nothing;
//! - `replan`: a round whose parts all break HTLC minimums is planned again, same μ;
//! - `simulation`: determinism across thread counts, baselines, summary rows;
//! - `snapshots`: ln-2020 with its ground-truth balances (needs `PP_DATA_DIR`);
//! - `warm`: sessions chained by `Session::take_cache` / `with_cache` pay like one session.

// The modules live in `it/` so that Cargo does not also build each as its own test binary.
#[path = "it/budget.rs"]
mod budget;
#[path = "it/common.rs"]
mod common;
#[path = "it/htlc_max.rs"]
mod htlc_max;
#[path = "it/oracle.rs"]
mod oracle;
#[path = "it/own_channels.rs"]
mod own_channels;
#[path = "it/params.rs"]
mod params;
#[path = "it/plan.rs"]
mod plan;
#[path = "it/replan.rs"]
mod replan;
#[path = "it/simulation.rs"]
mod simulation;
#[path = "it/snapshots.rs"]
mod snapshots;
#[path = "it/soak.rs"]
mod soak;
#[path = "it/toy.rs"]
mod toy;
#[path = "it/warm.rs"]
mod warm;
