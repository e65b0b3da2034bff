//! End-to-end tests of `pickhardt graph stats` and `pickhardt graph generate` (run the built
//! binary): exit codes 0/2, one-line errors, JSON keys, stdin, the embedded default graph.

use crate::common::{assert_bad, pickhardt, pickhardt_stdin, stderr, stdout};
use std::path::PathBuf;
use std::process::Output;

fn data(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(name)
        .display()
        .to_string()
}

fn corpus(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../graph/tests/malformed")
        .join(name)
        .display()
        .to_string()
}

fn stats_json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_str(&stdout(o)).expect("stats --json prints one JSON object")
}

#[test]
fn stats_on_the_embedded_default_graph() {
    let o = pickhardt(&["graph", "stats"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("embedded default graph"), "{text}");
    assert!(text.contains("nodes              200"), "{text}");
    let v = stats_json(&pickhardt(&["graph", "stats", "--json"]));
    for key in [
        "nodes",
        "channels",
        "directed_channels",
        "active_directions",
        "channels_both_directions",
        "total_capacity_sat",
        "largest_scc",
        "records",
        "skipped",
    ] {
        assert!(v[key].is_u64(), "{key} missing or not an integer in {v}");
    }
    assert_eq!(v["nodes"], 200);
    assert!(v["total_capacity_btc"].is_f64());
    assert!(v["capacity_sat"]["p50"].is_u64());
    assert_eq!(v["format"], "listchannels_new");
}

#[test]
fn stats_on_the_toy_graph_and_its_lnd_twin() {
    let cln = stats_json(&pickhardt(&[
        "graph",
        "stats",
        "--graph",
        &data("toy.listchannels.json"),
        "--json",
    ]));
    let lnd = stats_json(&pickhardt(&[
        "graph",
        "stats",
        "--graph",
        &data("toy.describegraph.json"),
        "--json",
    ]));
    assert_eq!(
        (&cln["nodes"], &cln["channels"], &cln["directed_channels"]),
        (&4.into(), &5.into(), &10.into())
    );
    assert_eq!(cln["format"], "listchannels_old");
    assert_eq!(lnd["format"], "describegraph");
    for key in [
        "nodes",
        "channels",
        "directed_channels",
        "total_capacity_sat",
        "fee_ppm",
    ] {
        assert_eq!(cln[key], lnd[key], "{key}");
    }
}

#[test]
fn stats_reads_stdin_with_dash() {
    let toy = std::fs::read(data("toy.listchannels.json")).expect("toy readable");
    let o = pickhardt_stdin(&["graph", "stats", "--graph", "-", "--json"], &toy);
    let v = stats_json(&o);
    assert_eq!(v["directed_channels"], 10);
    assert_eq!(v["source"], "stdin");
    let o = pickhardt_stdin(&["graph", "stats", "--graph", "-"], b"");
    assert_bad(&o, "stdin");
}

#[test]
fn bad_inputs_exit_2_with_one_line() {
    assert_bad(
        &pickhardt(&["graph", "stats", "--graph", "/nonexistent/g.json"]),
        "/nonexistent/g.json",
    );
    assert_bad(
        &pickhardt(&["graph", "stats", "--graph", &corpus("truncated.json")]),
        "malformed JSON",
    );
    assert_bad(
        &pickhardt(&["graph", "stats", "--graph", &corpus("bad_hex_source.json")]),
        "field `source`",
    );
    assert_bad(
        &pickhardt(&["graph", "stats", "--graph", &corpus("gzip_garbage.json.gz")]),
        "gzip",
    );
    assert_bad(
        &pickhardt(&["graph", "stats", "--graph", &corpus("binary_garbage.bin")]),
        "unknown snapshot format",
    );
    assert_bad(&pickhardt(&["graph", "generate", "--nodes", "1"]), "nodes");
    // Usage errors are bad input too: one line, exit 2.
    assert_bad(
        &pickhardt(&["graph", "generate", "--nodes", "ten"]),
        "--nodes ten: not a whole number",
    );
    assert_bad(&pickhardt(&["graph", "stats", "--bogus"]), "'--bogus'");
    assert_bad(&pickhardt(&["graph", "stats", "--graph"]), "--graph");
    // No subcommand: the help on stderr, exit 2.
    let o = pickhardt(&["graph"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Usage:"), "{}", stderr(&o));
}

#[test]
fn skipped_records_are_reported_on_stderr() {
    let o = pickhardt(&[
        "graph",
        "stats",
        "--graph",
        &corpus("duplicate_direction.json"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("skipped 1 of 3 records"), "{err}");
    assert!(err.contains("duplicate direction"), "{err}");
}

#[test]
fn generate_writes_listchannels_that_stats_reads_back() {
    let dir = std::env::temp_dir().join(format!("pickhardt-cli-graph-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let out = dir.join("g.json");
    let out_s = out.display().to_string();
    let o = pickhardt(&[
        "graph", "generate", "--nodes", "300", "--seed", "9", "-o", &out_s,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = stats_json(&pickhardt(&["graph", "stats", "--graph", &out_s, "--json"]));
    assert_eq!(v["nodes"], 300);
    assert_eq!(v["skipped"], 0);
    // Same seed, same bytes; to stdout with `-`.
    let o = pickhardt(&[
        "graph", "generate", "--nodes", "300", "--seed", "9", "-o", "-",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(o.stdout, std::fs::read(&out).expect("written file"));
    let o = pickhardt(&["graph", "generate", "--nodes", "300", "--seed", "10"]);
    assert_ne!(o.stdout, std::fs::read(&out).expect("written file"));
    std::fs::remove_dir_all(&dir).expect("clean up");
    // The embedded default graph is `generate --nodes 200 --seed 1`.
    let o = pickhardt(&["graph", "generate", "--nodes", "200", "--seed", "1"]);
    assert_eq!(
        o.stdout,
        std::fs::read(data("default.listchannels.json")).expect("default graph")
    );
}

#[test]
#[ignore = "needs PP_DATA_DIR (real snapshots)"]
fn stats_on_real_snapshots() {
    let path = pp_testdata::snapshot("ln-2026.listchannels.json.gz");
    let v = stats_json(&pickhardt(&[
        "graph",
        "stats",
        "--graph",
        &path.display().to_string(),
        "--json",
    ]));
    assert_eq!(
        (&v["nodes"], &v["channels"], &v["directed_channels"]),
        (&6978.into(), &33893.into(), &65810.into())
    );
    assert_eq!(v["gzip"], true);
}
