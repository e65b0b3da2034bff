//! `pickhardt graph convert`: CLoTH and gossmap originals to listchannels JSON and balances CSV.

use crate::common::{assert_bad, pickhardt, stderr, temp_path};
use pp_testdata::gunzip;
use std::path::Path;

const NODES: &str = "id\n0\n1\n2\n";
const CHANNELS: &str = "id,edge1_id,edge2_id,node1_id,node2_id,capacity\n\
                        0,0,1,0,1,50000000\n1,2,3,2,1,20000000\n";
const EDGES: &str = "id,channel_id,counter_edge_id,from_node_id,to_node_id,balance,fee_base,\
                     fee_proportional,min_htlc,timelock\n\
                     0,0,1,0,1,4300909,1000,1,1000,144\n\
                     1,0,0,1,0,45699091,1000,1,1000,144\n\
                     2,1,3,2,1,842974,0,1,1000,144\n\
                     3,1,2,1,2,19157026,1000,1,1000,144\n";

fn cloth_dir(name: &str, edges: &str) -> std::path::PathBuf {
    let dir = temp_path("convert", name);
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (file, text) in [
        ("nodes_ln.csv", NODES),
        ("channels_ln.csv", CHANNELS),
        ("edges_ln.csv", edges),
    ] {
        std::fs::write(dir.join(file), text).expect("write fixture");
    }
    dir
}

#[test]
fn cloth_converts_to_gzip_listchannels_and_balances_the_oracle_reads() {
    let dir = cloth_dir("ok", EDGES);
    let json = dir.join("out.listchannels.json.gz");
    let csv = dir.join("out.balances.csv");
    let o = pickhardt(&[
        "graph",
        "convert",
        "--cloth",
        &dir.display().to_string(),
        "-o",
        &json.display().to_string(),
        "--balances",
        &csv.display().to_string(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("3 nodes, 2 channels, 4 directions"),
        "{}",
        stderr(&o)
    );
    // .gz names are compressed, others are not.
    let text = gunzip(&json);
    assert!(text.starts_with(b"{\n \"channels\": [\n  {\n   \"source\": \"02dd94"));
    assert!(String::from_utf8_lossy(&text).contains("\"satoshis\": 50000"));
    let balances = std::fs::read_to_string(&csv).expect("balances written");
    assert_eq!(balances.lines().count(), 5);
    assert!(balances.starts_with("short_channel_id,source,liquidity_sat\n600000x0x0,"));
    let graph = pp_graph::load_path(&json).expect("output loads").graph;
    assert_eq!(graph.direction_count(), 4);
    let oracle = pp_session::Oracle::from_balances_path(&graph, &csv).expect("balances load");
    let c = graph
        .channel_index("600000x0x0".parse().expect("scid"))
        .expect("channel 0");
    let (s0, s1) = (
        oracle.channel_side_liquidity(c, 0).0,
        oracle.channel_side_liquidity(c, 1).0,
    );
    assert_eq!(s0 + s1, 50_000_000);
    // The first-listed edge (node 0 → 1) holds 4,300 sat.
    let first = pp_graph::cloth_node_id(0);
    let d = graph
        .direction_from("600000x0x0".parse().expect("scid"), &first)
        .expect("listed");
    assert_eq!(oracle.liquidity(d).0, 4_300_000);
    // --form new writes integer amounts and a direction field.
    let o = pickhardt(&[
        "graph",
        "convert",
        "--cloth",
        &dir.display().to_string(),
        "--form",
        "new",
        "-o",
        "-",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("\"direction\": 0") && !out.contains("satoshis"),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_input_exits_2_with_one_line_naming_file_line_and_field() {
    let dir = cloth_dir("bad", &EDGES.replace(",144\n3,", ",70000\n3,"));
    let d = dir.display().to_string();
    let out = dir.join("x.json").display().to_string();
    assert_bad(
        &pickhardt(&["graph", "convert", "--cloth", &d, "-o", &out]),
        "edges_ln.csv line 4, field `timelock`: 70000 exceeds the maximum 65535",
    );
    assert!(
        !Path::new(&out).exists(),
        "no output after a failed conversion"
    );
    assert_bad(
        &pickhardt(&["graph", "convert", "--gossmap", &d, "-o", &out]),
        "--node-map",
    );
    assert_bad(&pickhardt(&["graph", "convert", "-o", &out]), "--cloth");
    assert_bad(
        &pickhardt(&[
            "graph",
            "convert",
            "--cloth",
            "/nonexistent/cloth",
            "-o",
            &out,
        ]),
        "cannot read /nonexistent/cloth/nodes_ln.csv",
    );
    let map = dir.join("map.txt");
    std::fs::write(&map, "0:nonsense:x\n").expect("write fixture");
    assert_bad(
        &pickhardt(&[
            "graph",
            "convert",
            "--gossmap",
            &dir.join("edges_ln.csv").display().to_string(),
            "--node-map",
            &map.display().to_string(),
            "-o",
            &out,
        ]),
        "node map line 1: pubkey",
    );
    let good = cloth_dir("good", EDGES).display().to_string();
    assert_bad(
        &pickhardt(&[
            "graph",
            "convert",
            "--cloth",
            &good,
            "-o",
            "/nonexistent/dir/x.json",
        ]),
        "cannot create /nonexistent/dir/x.json.tmp",
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// The upstream originals in `$PP_DATA_DIR/upstream` convert to the shared snapshots, byte for
/// byte after decompression, through the command a user runs (data/fetch.sh runs it too).
#[test]
#[ignore = "needs PP_DATA_DIR (real snapshots)"]
fn converts_the_upstream_originals_to_the_shared_snapshots() {
    let cloth = pp_testdata::upstream("cloth-2020");
    let cln = pp_testdata::upstream("cln-2026");
    let out = temp_path("convert", "snapshots");
    std::fs::create_dir_all(&out).expect("temp dir");
    let o = |n: &str| out.join(n).display().to_string();
    let runs: [(&str, Vec<String>); 2] = [
        (
            "ln-2020-cloth",
            vec!["--cloth".into(), cloth.display().to_string()],
        ),
        (
            "ln-2026",
            vec![
                "--gossmap".into(),
                cln.join("gossip-store-2026-02-03.compressed")
                    .display()
                    .to_string(),
                "--node-map".into(),
                cln.join("gossip-store-2026-02-03-node-map.xz")
                    .display()
                    .to_string(),
            ],
        ),
    ];
    for (stem, input) in runs {
        let (json, csv) = (
            format!("{stem}.listchannels.json.gz"),
            format!("{stem}.balances.csv.gz"),
        );
        let mut args = vec!["graph", "convert"];
        args.extend(input.iter().map(String::as_str));
        let (oj, oc) = (o(&json), o(&csv));
        args.extend(["-o", &oj, "--balances", &oc]);
        let r = pickhardt(&args);
        assert!(r.status.success(), "{stem}: {}", stderr(&r));
        for name in [&json, &csv] {
            let ours = gunzip(&out.join(name));
            let shared = gunzip(&pp_testdata::snapshot(name));
            assert!(ours == shared, "{name} differs from the shared file");
        }
    }
    std::fs::remove_dir_all(&out).ok();
}
