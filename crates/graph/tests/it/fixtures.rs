//! The committed graphs under `data/`: the toy graph and its LND twin, the embedded default
//! graph, and writer/loader round trips.

use flate2::write::GzEncoder;
use pp_graph::{
    generate, load_bytes, load_path, load_reader, write_listchannels, DirectionRecord,
    GeneratorParams, Graph, Msat, NodeId, Ppm, SnapshotFormat,
};
use std::io::Write;
use std::path::PathBuf;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(name)
}

/// The graph's directions as records sorted by (scid, source): equal for two graphs exactly when
/// they hold the same channels and policies, whatever their index order.
fn canonical(g: &Graph) -> Vec<DirectionRecord> {
    let mut v: Vec<_> = g.directions().map(|d| g.direction_record(d)).collect();
    v.sort_by_key(|r| (r.scid, r.source));
    v
}

fn node(c: char) -> NodeId {
    format!("02{}", c.to_string().repeat(64))
        .parse()
        .expect("toy node id")
}

#[test]
fn toy_listchannels_is_the_documented_graph() {
    let l = load_path(&data("toy.listchannels.json")).expect("toy loads");
    assert_eq!(l.report.format, SnapshotFormat::ListChannelsOld);
    assert_eq!((l.report.records, l.report.skipped), (10, 0));
    let g = &l.graph;
    assert_eq!(
        (g.node_count(), g.channel_count(), g.direction_count()),
        (4, 5, 10)
    );
    let (a, b, d) = (node('a'), node('b'), node('d'));
    let ab = g
        .direction_from("103x1x0".parse().expect("scid"), &a)
        .expect("A->B listed");
    assert_eq!(g.node_id(g.target(ab)), b);
    assert_eq!(g.capacity(ab), Msat(1_000_000_000));
    let p = g.policy(ab);
    assert_eq!(
        (p.base_fee_msat, p.fee_ppm, p.cltv_delta),
        (Msat(1000), Ppm(100), 40)
    );
    assert_eq!(p.htlc_maximum_msat, Msat(990_000_000));
    let ba = g.reverse(ab).expect("B->A listed");
    assert_eq!(g.policy(ba).fee_ppm, Ppm(200));
    let di = g.node_index(&d).expect("D known");
    assert_eq!(g.out_degree(di), 2);
    assert_eq!(g.in_dirs(di).len(), 2);
}

#[test]
fn toy_describegraph_twin_loads_to_the_same_graph() {
    let cln = load_path(&data("toy.listchannels.json")).expect("listchannels");
    let lnd = load_path(&data("toy.describegraph.json")).expect("describegraph");
    assert_eq!(lnd.report.format, SnapshotFormat::DescribeGraph);
    assert_eq!((lnd.report.records, lnd.report.skipped), (5, 0));
    assert_eq!(canonical(&cln.graph), canonical(&lnd.graph));
}

#[test]
fn embedded_default_graph_is_generator_output_for_200_nodes_seed_1() {
    let committed = load_path(&data("default.listchannels.json")).expect("default loads");
    assert_eq!(committed.report.skipped, 0);
    let fresh = generate(&GeneratorParams::new(200, 1)).expect("generates");
    assert!(
        canonical(&committed.graph) == canonical(&fresh),
        "data/default.listchannels.json is stale: regenerate it with \
         `pickhardt graph generate --nodes 200 --seed 1 -o data/default.listchannels.json`"
    );
}

#[test]
fn writer_round_trips_generated_and_toy_graphs() {
    let toy = load_path(&data("toy.listchannels.json"))
        .expect("toy")
        .graph;
    for g in [
        toy,
        generate(&GeneratorParams::new(1500, 5)).expect("generates"),
    ] {
        let mut json = Vec::new();
        write_listchannels(&g, &mut json).expect("write to memory");
        let back = load_bytes(&json).expect("written JSON loads");
        assert_eq!(back.report.format, SnapshotFormat::ListChannelsNew);
        assert_eq!(back.report.skipped, 0);
        assert_eq!(canonical(&g), canonical(&back.graph));
    }
}

#[test]
fn gzip_and_reader_inputs_give_the_same_graph() {
    let plain = std::fs::read(data("toy.describegraph.json")).expect("read toy");
    let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(&plain).expect("compress");
    let gz = enc.finish().expect("compress");
    let a = load_bytes(&plain).expect("plain");
    let b = load_bytes(&gz).expect("gzip");
    let c = load_reader(&gz[..]).expect("reader");
    assert!(!a.report.gzip && b.report.gzip && c.report.gzip);
    assert_eq!(canonical(&a.graph), canonical(&b.graph));
    assert_eq!(canonical(&a.graph), canonical(&c.graph));
}
