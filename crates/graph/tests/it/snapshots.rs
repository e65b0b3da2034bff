//! Facts of the real snapshots (`/work/shared/data/README.md`), read from `$PP_DATA_DIR`
//! (ignored tests: run with `--include-ignored`).

use pp_graph::Distributions;
use pp_graph::{load_path, GraphStats, Loaded, SnapshotFormat};

fn snapshot(name: &str) -> Loaded {
    let path = pp_testdata::snapshot(name);
    load_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
#[ignore = "needs PP_DATA_DIR (real snapshots)"]
fn ln_2020_cloth_facts() {
    let l = snapshot("ln-2020-cloth.listchannels.json.gz");
    assert_eq!(l.report.format, SnapshotFormat::ListChannelsOld);
    assert!(l.report.gzip);
    assert_eq!((l.report.records, l.report.skipped), (60_914, 0));
    let s = GraphStats::of(&l.graph);
    assert_eq!(
        (s.nodes, s.channels, s.directed_channels),
        (6_006, 30_457, 60_914)
    );
    assert_eq!(s.channels_both_directions, 30_457);
    assert_eq!(format!("{:.2}", s.total_capacity_btc), "1040.56");
    assert_eq!(s.capacity_sat.map(|p| p.p50), Some(800_000));
}

#[test]
#[ignore = "needs PP_DATA_DIR (real snapshots)"]
fn ln_2026_facts() {
    let l = snapshot("ln-2026.listchannels.json.gz");
    assert_eq!(l.report.format, SnapshotFormat::ListChannelsNew);
    assert_eq!((l.report.records, l.report.skipped), (65_810, 0));
    let s = GraphStats::of(&l.graph);
    assert_eq!(
        (s.nodes, s.channels, s.directed_channels),
        (6_978, 33_893, 65_810)
    );
    assert_eq!(s.channels_both_directions, 31_917);
    assert_eq!(s.active_directions, 65_810);
    assert_eq!(format!("{:.2}", s.total_capacity_btc), "5144.02");
    assert_eq!(s.capacity_sat.map(|p| p.p50), Some(3_000_000));
    assert_eq!(s.fee_ppm.map(|p| p.p50), Some(100));
    assert_eq!(s.base_fee_msat.map(|p| p.p50), Some(33));
}

/// The generator's built-in distributions are what `Distributions::fit` measures on ln-2026.
#[test]
#[ignore = "needs PP_DATA_DIR (real snapshots)"]
fn generator_defaults_match_ln_2026_fit() {
    let l = snapshot("ln-2026.listchannels.json.gz");
    let fit = Distributions::fit(&l.graph, 0.005, 12);
    let ours = Distributions::ln_2026();
    println!("{fit:#?}");
    let close = |a: f64, b: f64, what: &str| assert!((a - b).abs() < 5e-3, "{what}: {a} vs {b}");
    close(fit.capacity_sat.mu, ours.capacity_sat.mu, "capacity mu");
    close(
        fit.capacity_sat.sigma,
        ours.capacity_sat.sigma,
        "capacity sigma",
    );
    assert_eq!(fit.capacity_min_sat, ours.capacity_min_sat);
    assert_eq!(fit.capacity_max_sat, ours.capacity_max_sat);
    for (name, f, o) in [
        ("fee_ppm", &fit.fee_ppm, &ours.fee_ppm),
        ("base_fee_msat", &fit.base_fee_msat, &ours.base_fee_msat),
    ] {
        assert_eq!(f.points.len(), o.points.len(), "{name}");
        for (a, b) in f.points.iter().zip(&o.points) {
            assert_eq!(a.0, b.0, "{name}");
            close(a.1, b.1, name);
        }
        close(f.rest.mu, o.rest.mu, name);
        close(f.rest.sigma, o.rest.sigma, name);
    }
    for (a, b) in fit.cltv_delta.iter().zip(&ours.cltv_delta) {
        assert_eq!(a.0, b.0);
        close(a.1, b.1, "cltv");
    }
    for (a, b) in fit.htlc_minimum_msat.iter().zip(&ours.htlc_minimum_msat) {
        assert_eq!(a.0, b.0);
        close(a.1, b.1, "htlc_min");
    }
    close(
        fit.htlc_maximum.equal_capacity,
        ours.htlc_maximum.equal_capacity,
        "eq",
    );
    close(
        fit.htlc_maximum.ninety_nine_percent,
        ours.htlc_maximum.ninety_nine_percent,
        "99",
    );
    close(
        fit.both_directions_probability,
        ours.both_directions_probability,
        "both",
    );
    close(
        fit.parallel_probability,
        ours.parallel_probability,
        "parallel",
    );
    close(
        fit.inactive_probability,
        ours.inactive_probability,
        "inactive",
    );
}

/// The snapshots (34–36 MB of JSON, cut into chunks for the thread pool by `load_path`) load
/// to the same graph and report as the sequential parser of `load_bytes` on their plain text.
#[test]
#[ignore = "needs PP_DATA_DIR (real snapshots)"]
fn parallel_and_sequential_parsing_agree_on_the_snapshots() {
    use std::io::Read;
    for name in [
        "ln-2020-cloth.listchannels.json.gz",
        "ln-2026.listchannels.json.gz",
    ] {
        let path = pp_testdata::snapshot(name);
        let fast = snapshot(name);
        let mut text = Vec::new();
        flate2::read::MultiGzDecoder::new(std::fs::File::open(&path).expect("opens"))
            .read_to_end(&mut text)
            .expect("decompresses");
        let slow = pp_graph::load_bytes(&text).expect("loads");
        assert_eq!(fast.report.records, slow.report.records, "{name}");
        assert_eq!(
            (
                fast.report.format,
                fast.report.skipped,
                &fast.report.warnings
            ),
            (
                slow.report.format,
                slow.report.skipped,
                &slow.report.warnings
            ),
            "{name}"
        );
        let recs = |l: &Loaded| {
            let g = &l.graph;
            g.directions()
                .map(|d| g.direction_record(d))
                .collect::<Vec<_>>()
        };
        assert!(recs(&fast) == recs(&slow), "{name}");
        let ids = |l: &Loaded| {
            l.graph
                .nodes()
                .map(|n| l.graph.node_id(n))
                .collect::<Vec<_>>()
        };
        assert!(ids(&fast) == ids(&slow), "{name}");
    }
}
