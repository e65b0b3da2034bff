//! End-to-end tests of `pickhardt simulate` (run the built binary) on the embedded default
//! graph and the toy graph: JSON rows, the table, the CSV, determinism across thread counts, and
//! bad input with exit code 2 and a one-line error.

use crate::common::{assert_bad, json, pickhardt, stderr, stdout};
use std::path::PathBuf;

fn temp_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pickhardt-cli-sim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

#[test]
fn json_has_one_row_per_strategy_and_amount() {
    let o = pickhardt(&[
        "simulate",
        "--payments",
        "12",
        "--amount",
        "10000,200000",
        "--seed",
        "3",
        "--json",
        // One small feasible payment's only route costs 1.75 %, which the default budget refuses.
        "--fee-budget",
        "none",
    ]);
    let v = json(&o);
    assert!(
        stderr(&o).is_empty(),
        "no progress bar with --json: {}",
        stderr(&o)
    );
    let rows = v["strategies"].as_array().expect("strategies");
    assert_eq!(rows.len(), 6);
    let mut seen = Vec::new();
    for r in rows {
        for key in [
            "strategy",
            "amount_sat",
            "payments",
            "feasible",
            "succeeded",
            "succeeded_feasible",
            "median_rounds",
            "median_attempts",
            "median_fee_ppm",
            "median_ms_per_payment",
            "median_ms_per_feasible_payment",
        ] {
            assert!(r.get(key).is_some(), "{key} missing in {r}");
        }
        assert_eq!(r["payments"], 12);
        let (ok, ok_f, feasible) = (
            r["succeeded"].as_u64().expect("n"),
            r["succeeded_feasible"].as_u64().expect("n"),
            r["feasible"].as_u64().expect("n"),
        );
        assert!(ok_f <= feasible && ok_f <= ok);
        seen.push((
            r["strategy"].as_str().expect("s").to_string(),
            r["amount_sat"].as_u64(),
        ));
    }
    for k in ["mcf", "cheapest", "probable"] {
        for a in [10_000, 200_000] {
            assert!(
                seen.contains(&(k.to_string(), Some(a))),
                "{k} {a}: {seen:?}"
            );
        }
    }
    // The flow strategy delivers every small feasible payment.
    let mcf = &rows[0];
    assert_eq!(mcf["strategy"], "mcf");
    assert_eq!(mcf["succeeded_feasible"], mcf["feasible"]);
}

#[test]
fn results_do_not_depend_on_threads() {
    let run = |threads: &str| {
        let mut v = json(&pickhardt(&[
            "simulate",
            "--payments",
            "10",
            "--amount",
            "50000",
            "--seed",
            "5",
            "--threads",
            threads,
            "--json",
        ]));
        for r in v["strategies"].as_array_mut().expect("rows") {
            r["median_ms_per_payment"] = serde_json::Value::Null;
            r["median_ms_per_feasible_payment"] = serde_json::Value::Null;
        }
        v
    };
    assert_eq!(run("1"), run("2"));
}

#[test]
fn table_and_csv() {
    let csv = temp_path("payments.csv");
    let csv_s = csv.display().to_string();
    let o = pickhardt(&[
        "simulate",
        "--payments",
        "5",
        "--amount",
        "20000",
        "--seed",
        "1",
        "--strategy",
        "mcf,probable",
        "--csv",
        &csv_s,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    // The first line says what ran, the table follows.
    assert!(
        text.starts_with(
            "simulating 5 payment(s) per amount on the embedded default graph \
             (data/default.listchannels.json), seed 1 (payment pairs and balances), \
             amounts 20000 sat, strategies mcf, probable\nstrategy "
        ),
        "{text}"
    );
    assert!(text.contains("ms/pay"), "{text}");
    assert!(text.contains("ms/feasible"), "{text}");
    assert!(
        text.contains("rounds, attempts and fee_ppm over the successful payments"),
        "{text}"
    );
    assert!(text.lines().any(|l| l.starts_with("mcf ")), "{text}");
    assert!(text.lines().any(|l| l.starts_with("probable ")), "{text}");
    assert!(!text.lines().any(|l| l.starts_with("cheapest ")), "{text}");
    let rows = std::fs::read_to_string(&csv).expect("csv written");
    let lines: Vec<&str> = rows.lines().collect();
    assert_eq!(lines.len(), 1 + 10, "{rows}");
    assert!(lines[0].starts_with("strategy,amount_sat,index,sender,receiver,feasible,success"));
    assert!(lines[1].starts_with("mcf,20000,0,"), "{}", lines[1]);
}

#[test]
fn medians_over_no_successful_payment_show_a_dash() {
    let toy = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/toy.listchannels.json")
        .display()
        .to_string();
    // No toy node can receive 3,000,000 sat (every node's channels hold less): nothing is
    // feasible, nothing succeeds, and the medians over them are '-' in the table.
    let o = pickhardt(&[
        "simulate",
        "--graph",
        &toy,
        "--payments",
        "4",
        "--amount",
        "3000000",
        "--strategy",
        "mcf",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let row = text
        .lines()
        .find(|l| l.starts_with("mcf "))
        .expect("mcf row");
    let cells: Vec<&str> = row.split_whitespace().collect();
    // strategy amount payments feasible succeeded ok/feasible rounds attempts failed fee_ppm
    // entropy_bits ms/pay ms/feasible
    assert_eq!(cells.len(), 13, "{row}");
    assert_eq!(&cells[3..8], ["0", "0", "0/0", "-", "-"], "{row}");
    assert_eq!((cells[9], cells[12]), ("-", "-"), "{row}");
}

#[test]
fn toy_graph_with_kept_belief_and_a_plot() {
    let svg = temp_path("sim.svg");
    let svg_s = svg.display().to_string();
    let toy = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/toy.listchannels.json")
        .display()
        .to_string();
    let v = json(&pickhardt(&[
        "simulate",
        "--graph",
        &toy,
        "--payments",
        "8",
        "--amount",
        "1000,100000",
        "--seed",
        "2",
        "--keep-belief",
        "--json",
        "--plot",
        &svg_s,
    ]));
    assert_eq!(v["strategies"].as_array().expect("rows").len(), 6);
    let text = std::fs::read_to_string(&svg).expect("svg written");
    assert!(text.contains("<svg"));
}

#[test]
fn distributed_amounts_in_json_table_and_csv() {
    let run = |extra: &[&str]| {
        let mut args = vec![
            "simulate",
            "--payments",
            "8",
            "--amount",
            "1000..500000,20000",
            "--seed",
            "4",
        ];
        args.extend_from_slice(extra);
        pickhardt(&args)
    };
    let v = json(&run(&["--json"]));
    let rows = v["strategies"].as_array().expect("rows");
    assert_eq!(rows.len(), 6);
    assert_eq!(
        (&rows[0]["amount_sat"], &rows[0]["amount_max_sat"]),
        (&1000.into(), &500_000.into())
    );
    assert_eq!(rows[3]["amount_sat"], 20_000);
    assert!(rows[3].get("amount_max_sat").is_none(), "{}", rows[3]);
    let csv = temp_path("drawn.csv");
    let csv_s = csv.display().to_string();
    let o = run(&["--csv", &csv_s, "--no-local-knowledge"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.lines()
            .any(|l| l.starts_with("mcf ") && l.contains(" 1000..500000 ")),
        "{text}"
    );
    assert!(text.contains("drawn log-uniformly"), "{text}");
    // Per strategy, the same eight drawn amounts, inside the bounds, not all equal.
    let rows = std::fs::read_to_string(&csv).expect("csv written");
    let drawn = |k: &str| -> Vec<f64> {
        rows.lines()
            .skip(1)
            .map(|l| l.split(',').collect::<Vec<_>>())
            .filter(|c| c[0] == k && c[1] != "20000")
            .map(|c| c[1].parse().expect("amount_sat"))
            .collect()
    };
    let mcf = drawn("mcf");
    assert_eq!(mcf.len(), 8);
    assert_eq!(mcf, drawn("cheapest"));
    assert_eq!(mcf, drawn("probable"));
    assert!(
        mcf.iter().all(|&a| (1000.0..=500_000.0).contains(&a)),
        "{mcf:?}"
    );
    assert!(mcf.windows(2).any(|w| w[0] != w[1]), "{mcf:?}");
    // The same seed draws the same amounts: two runs agree but for the measured times.
    let untimed = |mut v: serde_json::Value| {
        for r in v["strategies"].as_array_mut().expect("rows") {
            r["median_ms_per_payment"] = serde_json::Value::Null;
            r["median_ms_per_feasible_payment"] = serde_json::Value::Null;
        }
        v
    };
    assert_eq!(untimed(v), untimed(json(&run(&["--json"]))));
}

#[test]
fn bad_input_is_a_one_line_error_with_exit_code_2() {
    assert_bad(
        &pickhardt(&["simulate", "--payments", "3", "--amount", "0"]),
        "at least 1 msat",
    );
    assert_bad(
        &pickhardt(&[
            "simulate",
            "--payments",
            "3",
            "--amount",
            "2100000000000001",
        ]),
        "21 million BTC",
    );
    assert_bad(
        &pickhardt(&["simulate", "--payments", "3", "--strategy", "mcf,teleport"]),
        "teleport",
    );
    assert_bad(&pickhardt(&["simulate", "--payments", "0"]), "--payments");
    for (range, needle) in [
        ("5..5", "lower bound must be below"),
        ("9..2", "lower bound must be below"),
        ("0..10", "at least 1 msat"),
        ("1..2100000000000001", "21 million BTC"),
        ("x..10", "not an amount or a range"),
        ("10...20", "not an amount or a range"),
    ] {
        assert_bad(
            &pickhardt(&["simulate", "--payments", "3", "--amount", range]),
            needle,
        );
    }
    assert_bad(
        &pickhardt(&[
            "simulate",
            "--payments",
            "3",
            "--balances",
            "/nonexistent.csv.gz",
        ]),
        "/nonexistent.csv.gz",
    );
    // Balances of another graph: the first row names a channel the default graph lacks.
    let other = temp_path("other.csv");
    std::fs::write(
        &other,
        format!(
            "short_channel_id,source,liquidity_sat\n1x1x1,02{},5\n",
            "a".repeat(64)
        ),
    )
    .expect("write");
    assert_bad(
        &pickhardt(&[
            "simulate",
            "--payments",
            "3",
            "--balances",
            &other.display().to_string(),
        ]),
        "line 2: unknown channel 1x1x1",
    );
}

#[test]
fn bimodal_balances_are_another_network() {
    let run = |draw: &str| {
        json(&pickhardt(&[
            "simulate",
            "--payments",
            "30",
            "--amount",
            "200000",
            "--seed",
            "2",
            "--strategy",
            "mcf",
            "--draw",
            draw,
            "--json",
        ]))
    };
    let (uniform, bimodal) = (run("uniform"), run("bimodal"));
    let feasible =
        |v: &serde_json::Value| v["strategies"][0]["feasible"].as_u64().expect("feasible");
    // Same pairs, other ground truth: depleted channels make fewer payments feasible.
    assert!(
        feasible(&bimodal) < feasible(&uniform),
        "bimodal {} vs uniform {}",
        feasible(&bimodal),
        feasible(&uniform)
    );
    let o = pickhardt(&["simulate", "--payments", "2", "--draw", "bimodal"]);
    assert!(stdout(&o).contains("bimodal balances"), "{}", stdout(&o));
    assert_bad(
        &pickhardt(&[
            "simulate",
            "--payments",
            "2",
            "--draw",
            "bimodal",
            "--balances",
            "x.csv",
        ]),
        "--balances",
    );
}

/// Issue 13: `--strategy mcf,mcf-ldk,ldk` runs LDK's router and ours in the LDK-like loop on
/// the same payments as mcf, with route query times, pairs and thread-independent results.
#[test]
fn ldk_strategies_run_beside_mcf() {
    let args = |threads: &str| {
        let o = pickhardt(&[
            "simulate",
            "--payments",
            "10",
            "--amount",
            "100000",
            "--seed",
            "2",
            "--strategy",
            "mcf,mcf-ldk,ldk",
            "--threads",
            threads,
            "--json",
        ]);
        json(&o)
    };
    let v = args("1");
    let rows = v["strategies"].as_array().expect("strategies");
    let names: Vec<&str> = rows
        .iter()
        .map(|r| r["strategy"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["mcf", "mcf-ldk", "ldk"]);
    let feasible: Vec<u64> = rows
        .iter()
        .map(|r| r["feasible"].as_u64().unwrap())
        .collect();
    assert!(
        feasible.iter().all(|&f| f == feasible[0]),
        "same payments: {feasible:?}"
    );
    let q = v["route_queries"].as_array().expect("route_queries");
    assert_eq!(q.len(), 2);
    assert!(q.iter().all(|r| r["queries"].as_u64().unwrap() >= 10));
    assert_eq!(v["paired"].as_array().unwrap().len(), 3);
    let strip = |v: &serde_json::Value| {
        v["strategies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["succeeded"].clone(),
                    r["median_fee_ppm"].clone(),
                    r["failed_attempts"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&v), strip(&args("2")));
    let o = pickhardt(&[
        "simulate",
        "--payments",
        "2",
        "--strategy",
        "ldk",
        "--keep-belief",
    ]);
    assert_bad(&o, "--keep-belief");
}
