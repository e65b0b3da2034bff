//! Criterion bench `graph_load`: loading the ln-2026 snapshot (gzip) the ways the library offers,
//! plus `GraphStats` on it and the generator at snapshot size.
//!
//! - `graph_load/ln-2026.gz/load_path`: from the file (what the CLI does: read whole,
//!   decompressed, parsed in chunks on the thread pool);
//! - `graph_load/ln-2026.gz/load_bytes`: the compressed bytes already in memory;
//! - `graph_load/ln-2026.json/load_bytes`: the decompressed text in memory (slice parser, one
//!   thread: a borrowed text is not cut into chunks);
//! - `graph_load/ln-2020.gz/load_path`: the old-form 2020 snapshot;
//! - `graph_stats/ln-2026`: percentiles and the strongly connected components;
//! - `graph_generate/7000`: a generated graph of ln-2026's size (runs without snapshots).
//!
//! Reads `$PP_DATA_DIR/ln-2026.listchannels.json.gz` and `ln-2020-cloth…`; without
//! `PP_DATA_DIR` the snapshot benches print "skipped: PP_DATA_DIR not set".
//! Run: `PP_DATA_DIR=../shared/data cargo bench -p pp-benches --bench graph_load`.

use criterion::{black_box, Criterion};
use pp_graph::{generate, load_bytes, load_path, GeneratorParams, GraphStats};
use std::io::Read;
use std::path::Path;
use std::time::Duration;

fn snapshot_benches(c: &mut Criterion, dir: &Path) {
    let new = dir.join("ln-2026.listchannels.json.gz");
    let old = dir.join("ln-2020-cloth.listchannels.json.gz");
    let gz = std::fs::read(&new).unwrap_or_else(|e| panic!("{}: {e}", new.display()));
    let mut text = Vec::new();
    flate2::read::MultiGzDecoder::new(&gz[..])
        .read_to_end(&mut text)
        .unwrap_or_else(|e| panic!("{}: {e}", new.display()));

    let mut g = c.benchmark_group("graph_load");
    g.sample_size(20).measurement_time(Duration::from_secs(8));
    g.bench_function("ln-2026.gz/load_path", |b| {
        b.iter(|| load_path(black_box(&new)).expect("loads"))
    });
    g.bench_function("ln-2026.gz/load_bytes", |b| {
        b.iter(|| load_bytes(black_box(&gz)).expect("loads"))
    });
    g.bench_function("ln-2026.json/load_bytes", |b| {
        b.iter(|| load_bytes(black_box(&text)).expect("loads"))
    });
    g.bench_function("ln-2020.gz/load_path", |b| {
        b.iter(|| load_path(black_box(&old)).expect("loads"))
    });
    g.finish();

    let graph = load_path(&new).expect("loads").graph;
    c.bench_function("graph_stats/ln-2026", |b| {
        b.iter(|| GraphStats::of(black_box(&graph)))
    });
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    match pp_testdata::data_dir() {
        Some(dir) => snapshot_benches(&mut c, &dir),
        None => println!("skipped: PP_DATA_DIR not set (snapshot load benches)"),
    }
    let mut g = c.benchmark_group("graph_generate");
    g.sample_size(10);
    g.bench_function("7000", |b| {
        b.iter(|| generate(black_box(&GeneratorParams::new(7000, 1))).expect("generates"))
    });
    g.finish();
    c.final_summary();
}
