//! `pickhardt bench`: the CLI's own benchmark runs on the embedded graph, reports every stage
//! and agrees across solvers; bad arguments are one-line errors.

use crate::common::{assert_bad, json, pickhardt, stdout};

#[test]
fn bench_reports_every_stage_on_the_default_graph() {
    let v = json(&pickhardt(&[
        "bench",
        "--pairs",
        "4",
        "--repeat",
        "2",
        "--amount",
        "10000,200000",
        "--json",
    ]));
    assert_eq!(v["nodes"], 200);
    assert!(v["load_ms"].as_f64().expect("load_ms") > 0.0);
    assert_eq!(v["repeat"], 2);
    let rows = v["amounts"].as_array().expect("rows");
    assert_eq!(rows.len(), 2);
    for (row, amount) in rows.iter().zip([10_000, 200_000]) {
        assert_eq!(row["amount_sat"], amount);
        assert_eq!(row["pairs"], 4);
        assert!(row["median_arcs"].as_u64().expect("arcs") > 0);
        assert!(row["build_ms"].as_f64().expect("build_ms") > 0.0);
        let solve = row["solve_ms"].as_array().expect("solve_ms");
        let names: Vec<&str> = solve.iter().map(|p| p[0].as_str().expect("name")).collect();
        assert_eq!(names, ["native", "ssp"]);
        assert!(solve
            .iter()
            .all(|p| p[1].as_f64().is_some_and(|ms| ms > 0.0)));
        assert_eq!(row["costs_identical"], true);
        assert!(row["pay_ms"].as_f64().expect("pay_ms") > 0.0);
        assert!(row["pay_cold_ms"].as_f64().expect("pay_cold_ms") > 0.0);
        assert!(row["delivered"].as_u64().expect("delivered") <= 4);
    }
    // The table.
    let out = stdout(&pickhardt(&["bench", "--pairs", "2", "--repeat", "1"]));
    assert!(out.starts_with("graph the embedded default graph"), "{out}");
    assert!(out.contains("native_ms") && out.contains("same"), "{out}");
}

#[test]
fn bench_bad_arguments_are_one_line_errors() {
    assert_bad(&pickhardt(&["bench", "--repeat", "0"]), "--repeat 0");
    assert_bad(&pickhardt(&["bench", "--solvers", "nope"]), "nope");
    assert_bad(&pickhardt(&["bench", "--pairs", "0"]), "--pairs");
    assert_bad(&pickhardt(&["bench", "--graph", "-"]), "needs a file");
    assert_bad(&pickhardt(&["bench", "--amount", "0"]), "at least 1 msat");
}
