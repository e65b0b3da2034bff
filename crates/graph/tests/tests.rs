//! Integration tests of pp-graph, one binary for the crate. Modules:
//!
//! - `snapshots`: the facts of the real snapshots in `$PP_DATA_DIR` (skipped when unset).
//! - `fixtures`: the committed graphs under `data/` (toy twins, embedded default).
//! - `malformed`: the corpus of broken inputs in `tests/malformed/`, each with its expected
//!   error or warning.
//! - `fuzz`: proptests feeding arbitrary bytes and mutated records to the loaders.
//! - `upstream`: the CLoTH and gossmap originals in `$PP_DATA_DIR/upstream/` convert to exactly
//!   the shared snapshots.

// The modules live in `it/` so that Cargo does not also build each as its own test binary.
#[path = "it/fixtures.rs"]
mod fixtures;
#[path = "it/fuzz.rs"]
mod fuzz;
#[path = "it/malformed.rs"]
mod malformed;
#[path = "it/snapshots.rs"]
mod snapshots;
#[path = "it/upstream.rs"]
mod upstream;
