//! The readers of the upstream originals reproduce the shared converted snapshots exactly:
//! `$PP_DATA_DIR/upstream/cloth-2020/*` → `ln-2020-cloth.*`, `upstream/cln-2026/*` →
//! `ln-2026.*` (same nodes, directions, policies and capacities; balances and the listchannels
//! text byte for byte).

use pp_graph::ListChannelsForm;
use pp_graph::{read_cloth_dir, read_gossmap_files, Converted, GossmapOptions, Graph};
use pp_testdata::{gunzip, snapshot, upstream};

/// Every direction of a graph as (scid, source, destination, capacity, policy), sorted.
fn records(g: &Graph) -> Vec<pp_graph::DirectionRecord> {
    let mut v: Vec<_> = g.directions().map(|d| g.direction_record(d)).collect();
    v.sort_by_key(|r| (r.scid, r.source));
    v
}

/// Compares a conversion with the shared snapshot and balances named `stem`.
fn check(c: &Converted, stem: &str, form: ListChannelsForm) {
    let shared = pp_graph::load_path(&snapshot(&format!("{stem}.listchannels.json.gz")))
        .expect("shared snapshot loads")
        .graph;
    assert_eq!(c.graph.node_count(), shared.node_count());
    assert_eq!(c.graph.channel_count(), shared.channel_count());
    assert_eq!(c.graph.direction_count(), shared.direction_count());
    let mut ours: Vec<_> = c.graph.nodes().map(|n| c.graph.node_id(n)).collect();
    let mut theirs: Vec<_> = shared.nodes().map(|n| shared.node_id(n)).collect();
    ours.sort();
    theirs.sort();
    assert!(ours == theirs, "node sets differ");
    assert!(records(&c.graph) == records(&shared), "directions differ");

    let mut json = Vec::new();
    c.write_listchannels(form, &mut json).expect("to memory");
    let want = gunzip(&snapshot(&format!("{stem}.listchannels.json.gz")));
    assert!(
        json == want,
        "{stem}.listchannels.json differs from the shared text"
    );

    let mut csv = Vec::new();
    c.write_balances(&mut csv).expect("to memory");
    let want = gunzip(&snapshot(&format!("{stem}.balances.csv.gz")));
    assert!(
        csv == want,
        "{stem}.balances.csv differs from the shared file"
    );
}

#[test]
#[ignore = "needs PP_DATA_DIR (real snapshots)"]
fn cloth_2020_converts_to_the_shared_ln_2020_snapshot() {
    let c = read_cloth_dir(&upstream("cloth-2020")).expect("CLoTH files convert");
    assert_eq!(
        (c.report.channels_read, c.report.directions_read),
        (30_457, 60_914)
    );
    assert_eq!((c.report.skipped, c.report.halves_disabled), (0, 0));
    assert_eq!(
        (c.graph.node_count(), c.graph.direction_count()),
        (6_006, 60_914)
    );
    check(&c, "ln-2020-cloth", ListChannelsForm::Old);
}

#[test]
#[ignore = "needs PP_DATA_DIR (real snapshots)"]
fn gossmap_2026_converts_to_the_shared_ln_2026_snapshot() {
    let dir = upstream("cln-2026");
    let c = read_gossmap_files(
        &dir.join("gossip-store-2026-02-03.compressed"),
        &dir.join("gossip-store-2026-02-03-node-map.xz"),
        &GossmapOptions::default(),
    )
    .expect("gossmap converts");
    assert_eq!(
        (c.report.channels_read, c.report.halves_disabled),
        (50_808, 35_806)
    );
    assert_eq!(c.report.skipped, 0);
    assert_eq!(
        (
            c.graph.node_count(),
            c.graph.channel_count(),
            c.graph.direction_count()
        ),
        (6_978, 33_893, 65_810)
    );
    check(&c, "ln-2026", ListChannelsForm::New);
}
