//! End-to-end tests of `pickhardt mu` and `pickhardt mcf export` (run the built binary).

use crate::common::{pickhardt, stderr, stdout};
use std::path::PathBuf;

/// A bad-input run: exit code 2 and one `error: …` line mentioning `needle`.
fn assert_bad(args: &[&str], needle: &str) {
    let o = pickhardt(args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert!(err.contains(needle), "{args:?}: {err:?} lacks {needle:?}");
}

#[test]
fn mu_on_the_default_graph_prints_text_and_json() {
    let o = pickhardt(&["mu", "--amount", "100000", "--frugality", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("mu "), "{text}");
    assert!(text.contains("median fee"));
    let o = pickhardt(&["mu", "--amount", "100000", "--frugality", "1", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    let mu = v["mu"].as_f64().expect("mu");
    let cap = v["median_capacity_msat"].as_u64().expect("capacity") as f64;
    let fee = v["median_fee_ppm"].as_u64().expect("fee") as f64;
    // The printed μ follows the formula from the printed medians.
    let want = -((cap + 1.0 - 1e8) / (cap + 1.0)).ln() / (fee + 1.0);
    assert!((mu - want).abs() <= 1e-12 * want, "{mu} vs {want}");
    assert!(v["channels_considered"].as_u64().expect("count") > 0);
    // The text form prints the same μ.
    assert!(text.starts_with(&format!("mu {mu}\n")), "{text}");
    // Frugality scales μ linearly.
    let o = pickhardt(&["mu", "--amount", "100000", "--frugality", "10", "--json"]);
    let v10: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert!((v10["mu"].as_f64().expect("mu") - 10.0 * mu).abs() < 1e-12 * mu * 10.0);
}

#[test]
fn mu_edge_case_amount_above_every_channel() {
    // 20 million sat is above every channel of the embedded graph: median capacity = amount.
    let o = pickhardt(&["mu", "--amount", "2000000000", "--frugality", "1", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["channels_considered"].as_u64(), Some(0));
    assert_eq!(v["median_capacity_msat"].as_u64(), Some(2_000_000_000_000));
    let fee = v["median_fee_ppm"].as_u64().expect("fee") as f64;
    let want = (2_000_000_000_001f64).ln() / (fee + 1.0);
    assert!((v["mu"].as_f64().expect("mu") - want).abs() < 1e-12 * want);
}

#[test]
fn mu_rejects_bad_input_with_exit_2() {
    assert_bad(&["mu", "--amount", "0", "--frugality", "1"], "--amount");
    assert_bad(
        &["mu", "--amount", "2100000000000001", "--frugality", "1"],
        "21 million BTC",
    );
    assert_bad(
        &["mu", "--amount", "1000", "--frugality", "-1"],
        "--frugality",
    );
    assert_bad(
        &["mu", "--amount", "1000", "--frugality", "NaN"],
        "--frugality",
    );
    assert_bad(&["mu", "--amount", "-5", "--frugality", "1"], "error");
    assert_bad(
        &[
            "mu",
            "--graph",
            "/nonexistent/g.json",
            "--amount",
            "5",
            "--frugality",
            "1",
        ],
        "/nonexistent/g.json",
    );
}

/// `pickhardt mu` on ln-2026 for 1,000,000 sat with frugality 1 (needs `$PP_DATA_DIR`).
#[test]
#[ignore = "needs PP_DATA_DIR (real snapshots)"]
fn mu_on_ln_2026() {
    let graph = pp_testdata::snapshot("ln-2026.listchannels.json.gz");
    let graph = graph.to_str().expect("utf-8 path");
    let args = [
        "mu",
        "--graph",
        graph,
        "--amount",
        "1000000",
        "--frugality",
        "1",
    ];
    let o = pickhardt(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    // −ln((5e9 + 1 − 1e9) / (5e9 + 1)) / (188 + 1): medians over the 46,512 active directions
    // above 1M sat (see pp-uncertainty's snapshot test).
    assert!(text.starts_with("mu 0.0011806537103926443\n"), "{text}");
    assert!(
        text.contains("median capacity  5000000 sat (over 46512 active directions"),
        "{text}"
    );
    assert!(text.contains("median fee       188 ppm"), "{text}");
}

/// Two nodes of the embedded default graph: the first channel's source and another node.
fn default_pair() -> (String, String, pp_graph::Graph) {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/default.listchannels.json"
    ))
    .expect("embedded default graph file");
    let g = pp_graph::load_bytes(&bytes).expect("valid").graph;
    let s = g.node_id(pp_graph::NodeIdx(0)).to_string();
    let t = g.node_id(pp_graph::NodeIdx(10)).to_string();
    (s, t, g)
}

fn temp_file(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("pickhardt-cli-mu-{}-{name}", std::process::id()))
}

/// The problem round 1 of a payment solves first, as the library builds it for the same
/// inputs (without balances given, the sender's channels are not pinned), to compare the file
/// against.
fn library_problem(
    g: &pp_graph::Graph,
    amount_sat: u64,
    params: pp_session::PayParams,
) -> pp_mcf::Problem {
    let oracle = pp_session::Oracle::random(g, 1);
    let mut session =
        pp_session::Session::new(g, oracle).with_params(params.with_local_knowledge(false));
    let (from, to) = (
        g.node_id(pp_graph::NodeIdx(0)),
        g.node_id(pp_graph::NodeIdx(10)),
    );
    session
        .first_round_problem(&from, &to, pp_graph::Msat(amount_sat * 1000))
        .expect("valid")
        .problem
}

#[test]
fn export_writes_the_round_one_problem_with_node_comments() {
    let (s, t, g) = default_pair();
    let out = temp_file("default.min");
    let out_s = out.to_str().expect("utf-8");
    let o = pickhardt(&[
        "mcf", "export", "--from", &s, "--to", &t, "--amount", "100000", "-o", out_s,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("arcs"));
    let text = std::fs::read_to_string(&out).expect("written");
    let _ = std::fs::remove_file(&out);
    let file = pp_mcf::parse_dimacs(&text).expect("valid DIMACS");
    // One `c node <id> <pubkey>` line per node, 1-based.
    for n in g.nodes() {
        let line = format!("node {} {}", n.0 + 1, g.node_id(n));
        assert!(file.comments.contains(&line), "missing {line}");
    }
    // The same problem as pay's round 1 with the default parameters (docs/MODEL.md §9).
    let want = library_problem(&g, 100_000, pp_session::PayParams::default());
    assert_eq!(file.problem, want);
    assert_eq!(file.problem.supply[0], 100_000);
    assert_eq!(file.problem.supply[10], -100_000);
    // `pickhardt mcf solve` accepts the exported file.
    let out = temp_file("solve.min");
    std::fs::write(&out, &text).expect("write");
    let o = pickhardt(&["mcf", "solve", out.to_str().expect("utf-8")]);
    let _ = std::fs::remove_file(&out);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn export_options_reach_the_linearization() {
    let (s, t, g) = default_pair();
    let o = pickhardt(&[
        "mcf",
        "export",
        "--from",
        &s,
        "--to",
        &t,
        "--amount",
        "5000",
        "--pieces",
        "3",
        "--mu",
        "0.5",
        "--slopes",
        "linear",
        "--quantum",
        "100",
        "-o",
        "-",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let file = pp_mcf::parse_dimacs(&stdout(&o)).expect("valid DIMACS on stdout");
    let want = library_problem(
        &g,
        5000,
        pp_session::PayParams::default()
            .with_pieces(3)
            .with_mu(0.5)
            .with_slopes(pp_uncertainty::SlopeRule::Linear)
            .with_quantum(pp_graph::Msat(100)),
    );
    assert_eq!(file.problem, want);
    // Round 1 weighs fees by the first-round factor (4 by default).
    assert!(
        file.comments
            .iter()
            .any(|c| c.contains("mu 2 (given 0.5, times the first-round fee weight 4)")),
        "{:?}",
        file.comments
    );
}

#[test]
fn export_rejects_bad_input_with_exit_2() {
    let (s, t, _) = default_pair();
    let base = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = ["mcf", "export", "-o", "-"].map(String::from).to_vec();
        v.extend(extra.iter().map(|x| x.to_string()));
        v
    };
    let run_bad = |extra: &[&str], needle: &str| {
        let args = base(extra);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_bad(&refs, needle);
    };
    let unknown = format!("03{}", "ab".repeat(32));
    run_bad(
        &["--from", &unknown, "--to", &t, "--amount", "5"],
        "it is not in the channel graph",
    );
    run_bad(
        &["--from", "02zz", "--to", &t, "--amount", "5"],
        "is not a public key",
    );
    run_bad(&["--from", &s, "--to", &s, "--amount", "5"], "same node");
    run_bad(&["--from", &s, "--to", &t, "--amount", "0"], "--amount");
    run_bad(
        &["--from", &s, "--to", &t, "--amount", "2100000000000001"],
        "21 million BTC",
    );
    run_bad(
        &["--from", &s, "--to", &t, "--amount", "5", "--mu", "-1"],
        "--mu",
    );
    run_bad(
        &[
            "--from",
            &s,
            "--to",
            &t,
            "--amount",
            "5",
            "--frugality",
            "NaN",
        ],
        "--frugality",
    );
    run_bad(
        &[
            "--from",
            &s,
            "--to",
            &t,
            "--amount",
            "5",
            "--mu",
            "1",
            "--frugality",
            "1",
        ],
        "cannot be used with",
    );
    run_bad(
        &["--from", &s, "--to", &t, "--amount", "5", "--pieces", "0"],
        "pieces",
    );
    run_bad(
        &["--from", &s, "--to", &t, "--amount", "5", "--quantum", "0"],
        "quantum",
    );
    run_bad(
        &[
            "--from", &s, "--to", &t, "--amount", "5", "--slopes", "cubic",
        ],
        "cubic",
    );
}

/// `mcf export` writes the problem that `pay` solves first in round 1: `pay --plan-only
/// --json` reports its optimal cost, and `mcf solve` on the exported file prints the same.
#[test]
fn export_then_solve_prints_the_cost_pay_reports() {
    let (s, t, _) = default_pair();
    for extra in [
        &[][..],
        &["--pieces", "3", "--frugality", "10"][..],
        &["--legacy-routing"][..],
    ] {
        let base = ["--from", &s, "--to", &t, "--amount", "200000"];
        let mut pay = vec!["pay", "--plan-only", "--json"];
        pay.extend_from_slice(&base);
        pay.extend_from_slice(extra);
        let o = pickhardt(&pay);
        assert!(o.status.success(), "{}", stderr(&o));
        let plan: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
        let problem = &plan["problem"];
        let out = temp_file(&format!("cost-{}.min", extra.len()));
        let out_s = out.to_str().expect("utf-8");
        let mut export = vec!["mcf", "export", "-o", out_s];
        export.extend_from_slice(&base);
        export.extend_from_slice(extra);
        let o = pickhardt(&export);
        assert!(o.status.success(), "{}", stderr(&o));
        let text = std::fs::read_to_string(&out).expect("written");
        let file = pp_mcf::parse_dimacs(&text).expect("valid DIMACS");
        assert_eq!(problem["nodes"], file.problem.num_nodes as u64, "{extra:?}");
        assert_eq!(problem["arcs"], file.problem.num_arcs() as u64, "{extra:?}");
        let o = pickhardt(&["mcf", "solve", "--json", out_s]);
        let _ = std::fs::remove_file(&out);
        assert!(o.status.success(), "{}", stderr(&o));
        let solved: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
        assert_eq!(solved["cost"], problem["cost"], "{extra:?}");
    }
}

/// A payment that per-direction `htlc_maximum_msat` caps leave infeasible falls back to caps per
/// part; `mcf export` writes that problem (feasible, with the cost `pay --plan-only` reports)
/// and says so in its comments, not the capped problem tried first.
#[test]
fn export_writes_the_problem_after_the_htlc_maximum_fallback() {
    let toy = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/toy.listchannels.json"),
    )
    .expect("toy graph");
    // Every HTLC at most 100,000 sat: 300,000 sat from A to D cannot leave over B→D and C→D
    // capped per direction, but can in parts.
    let capped = ["198", "396", "495", "792", "990"]
        .iter()
        .fold(toy.clone(), |g, m| {
            g.replace(
                &format!("\"htlc_maximum_msat\": \"{m}000000msat\""),
                "\"htlc_maximum_msat\": \"100000000msat\"",
            )
        });
    assert_ne!(capped, toy);
    let graph = temp_file("htlc-capped.json");
    std::fs::write(&graph, capped).expect("write graph");
    let graph_s = graph.to_str().expect("utf-8");
    let (a, d) = (
        "02".to_string() + &"a".repeat(64),
        "02".to_string() + &"d".repeat(64),
    );
    let base = [
        "--graph", graph_s, "--from", &a, "--to", &d, "--amount", "300000",
    ];
    let mut pay = vec!["pay", "--plan-only", "--json"];
    pay.extend_from_slice(&base);
    let o = pickhardt(&pay);
    assert!(o.status.success(), "{}", stderr(&o));
    let plan: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(plan["htlc_max_fallback"], true, "{plan}");
    let out = temp_file("htlc-capped.min");
    let out_s = out.to_str().expect("utf-8");
    let mut export = vec!["mcf", "export", "-o", out_s];
    export.extend_from_slice(&base);
    let o = pickhardt(&export);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).expect("written");
    assert!(
        text.contains("htlc_maximum_msat caps each part (the fallback"),
        "{}",
        text.lines().take(5).collect::<Vec<_>>().join("\n")
    );
    let o = pickhardt(&["mcf", "solve", "--json", out_s]);
    let _ = std::fs::remove_file(&out);
    let _ = std::fs::remove_file(&graph);
    assert!(o.status.success(), "{}", stderr(&o));
    let solved: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(solved["cost"], plan["problem"]["cost"]);
}

/// A plan is round 1: its μ is `--first-round-fee-weight` times what `pickhardt mu` prints
/// (4 by default).
#[test]
fn a_plan_weighs_fees_by_the_first_round_factor() {
    let (s, t, _) = default_pair();
    let o = pickhardt(&["mu", "--amount", "200000", "--frugality", "5", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    let mu = v["mu"].as_f64().expect("mu");
    for (extra, factor) in [
        (&[][..], 4.0),
        (&["--first-round-fee-weight", "1"][..], 1.0),
    ] {
        let mut args = vec![
            "pay",
            "--plan-only",
            "--json",
            "--from",
            &s,
            "--to",
            &t,
            "--amount",
            "200000",
        ];
        args.extend_from_slice(extra);
        let o = pickhardt(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        let plan: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
        let got = plan["mu"].as_f64().expect("mu");
        assert!(
            (got - factor * mu).abs() <= 1e-12 * factor * mu,
            "{got} vs {factor} × {mu}"
        );
    }
}
