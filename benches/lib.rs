//! Shared helpers for the criterion benchmarks in this folder (`cargo bench -p pp-benches`).
