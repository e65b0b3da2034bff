//! Shared helpers for the examples in this folder (run them with `cargo run --example NAME`).
