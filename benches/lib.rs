//! Shared helpers for the criterion benchmarks in this folder (`cargo bench -p pp-benches`).
//!
//! Benches read the real snapshots from `$PP_DATA_DIR` (a relative value is taken from the
//! repository root, as in the tests: `pp_testdata::data_dir`) and fall back to a generated graph of
//! about the same size when it is unset, saying so on stderr and in the bench names.

use pp_graph::{GeneratorParams, Graph};
use std::path::PathBuf;

/// A bench graph: the snapshot `file` from `$PP_DATA_DIR` (named `name`), or, without
/// `PP_DATA_DIR`, a generated graph of `fallback_nodes` nodes (seed 1) named
/// `generated-<fallback_nodes>`. Also returns `$PP_DATA_DIR` for companion files (balances).
///
/// Panics with a message naming the file when the snapshot cannot be loaded: a bench has no
/// one to report an error to.
pub fn snapshot_or_generated(
    file: &str,
    name: &'static str,
    fallback_nodes: usize,
) -> (Graph, Option<PathBuf>, String) {
    match pp_testdata::data_dir() {
        Some(dir) => {
            let path = dir.join(file);
            let loaded = pp_graph::load_path(&path)
                .unwrap_or_else(|e| panic!("cannot load {}: {e}", path.display()));
            (loaded.graph, Some(dir), name.to_string())
        }
        None => {
            eprintln!(
                "PP_DATA_DIR not set: benching a generated {fallback_nodes}-node graph instead"
            );
            let g = pp_graph::generate(&GeneratorParams::new(fallback_nodes, 1))
                .unwrap_or_else(|e| panic!("generator failed: {e}"));
            (g, None, format!("generated-{fallback_nodes}"))
        }
    }
}
