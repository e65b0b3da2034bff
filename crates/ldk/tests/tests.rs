//! pp-ldk's integration tests, one binary:
//! - `graphs`: both conversions, LDK's serialization;
//! - `router`: `PickhardtRouter` on the toy graph, request mapping, fallbacks;
//! - `scorer`: learning from LDK's events, penalties, persistence;
//! - `simulate`: both routers in the LDK-like loop (`simulate_ldk`);
//! - `valid`: every returned route is valid by LDK's rules (property test, real snapshots).

#[path = "it/common.rs"]
mod common;
#[path = "it/graphs.rs"]
mod graphs;
#[path = "it/router.rs"]
mod router;
#[path = "it/scorer.rs"]
mod scorer;
#[path = "it/simulate.rs"]
mod simulate;
#[path = "it/valid.rs"]
mod valid;
