//! Exit codes a script can use (0 delivered / a plan / solved, 1 failed / no plan / infeasible,
//! 2 bad input), for the text and the `--json` output alike, and every bad-input message in the
//! user's words: each asserted as the exact one line on stderr.

use crate::common::{pickhardt, repo_file, stderr, stdout, temp_path};
use std::process::Output;

const A: &str = "02aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const D: &str = "02dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd";

/// `pickhardt pay` on the toy graph from A to D with balances from seed 9, plus `extra`.
fn toy_pay(extra: &[&str]) -> Output {
    let toy = repo_file("data/toy.listchannels.json");
    let mut args = vec![
        "pay", "--graph", &toy, "--seed", "9", "--from", A, "--to", D,
    ];
    args.extend_from_slice(extra);
    pickhardt(&args)
}

/// Exit code `code` and nothing on stderr.
fn assert_exit(o: &Output, code: i32) {
    assert_eq!(o.status.code(), Some(code), "stderr: {}", stderr(o));
    assert!(!stderr(o).contains("panicked"), "{}", stderr(o));
}

/// Exit code 2 and exactly `line` (plus its newline) on stderr.
fn assert_error(o: &Output, line: &str) {
    assert_eq!(stderr(o), format!("{line}\n"), "exit {:?}", o.status.code());
    assert_eq!(o.status.code(), Some(2), "{line}");
}

fn write(name: &str, text: &str) -> String {
    let p = temp_path("exit-codes", name);
    std::fs::write(&p, text).expect("write");
    p.display().to_string()
}

#[test]
fn pay_exits_0_when_delivered_and_1_when_it_delivers_nothing() {
    assert_exit(&toy_pay(&["--amount", "200000"]), 0);
    assert_exit(&toy_pay(&["--amount", "200000", "--json"]), 0);
    // The toy network carries at most 505,126 sat from A to D.
    let o = toy_pay(&["--amount", "900000"]);
    assert_exit(&o, 1);
    assert!(stdout(&o).contains(": FAILED ("), "{}", stdout(&o));
    let o = toy_pay(&["--amount", "900000", "--json"]);
    assert_exit(&o, 1);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["success"], false);
}

#[test]
fn plan_only_exits_0_with_a_plan_and_1_without() {
    assert_exit(&toy_pay(&["--amount", "200000", "--plan-only"]), 0);
    assert_exit(
        &toy_pay(&["--amount", "200000", "--plan-only", "--json"]),
        0,
    );
    let o = toy_pay(&["--amount", "900000", "--plan-only"]);
    assert_exit(&o, 1);
    assert!(stdout(&o).contains("NO PLAN"), "{}", stdout(&o));
    let o = toy_pay(&["--amount", "900000", "--plan-only", "--json"]);
    assert_exit(&o, 1);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["stop_reason"]["reason"], "infeasible");
}

#[test]
fn mcf_solve_exits_1_when_infeasible_and_reads_gzip() {
    let infeasible = write("inf.min", "p min 3 1\nn 1 5\nn 3 -5\na 1 2 0 10 1\n");
    let o = pickhardt(&["mcf", "solve", &infeasible]);
    assert_exit(&o, 1);
    assert!(
        stdout(&o).contains("status:   INFEASIBLE"),
        "{}",
        stdout(&o)
    );
    let o = pickhardt(&["mcf", "solve", "--json", &infeasible]);
    assert_exit(&o, 1);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["status"], "INFEASIBLE");

    let text = "p min 2 1\nn 1 5\nn 2 -5\na 1 2 0 10 3\n";
    assert_exit(&pickhardt(&["mcf", "solve", &write("ok.min", text)]), 0);
    // The same problem gzipped: recognised by its magic bytes, whatever the name.
    let gz = temp_path("exit-codes", "ok.min.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut enc, text.as_bytes()).expect("gzip");
    std::fs::write(&gz, enc.finish().expect("gzip")).expect("write");
    let o = pickhardt(&["mcf", "solve", "--json", &gz.display().to_string()]);
    assert_exit(&o, 0);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(
        (v["status"].as_str(), v["cost"].as_i64()),
        (Some("OPTIMAL"), Some(15))
    );
}

#[test]
fn parameter_errors_name_the_flag_typed() {
    let with = |flag: &str, value: &str| toy_pay(&["--amount", "1000", flag, value]);
    assert_error(
        &with("--min-probability", "2"),
        "error: --min-probability: 2 is not in 0..=1",
    );
    assert_error(
        &with("--max-rounds", "0"),
        "error: --max-rounds: must be at least 1",
    );
    assert_error(
        &with("--max-parts", "0"),
        "error: --max-parts: must be at least 1",
    );
    assert_error(
        &with("--max-hops", "0"),
        "error: --max-hops: must be at least 1",
    );
    assert_error(
        &with("--quantum", "0"),
        "error: --quantum: must be at least 1 msat",
    );
    assert_error(
        &with("--pieces", "0"),
        "error: --pieces: 0 is not in 1..=255",
    );
    assert_error(
        &with("--mu", "-1"),
        "error: --mu: -1 is not a finite number >= 0",
    );
    assert_error(
        &pickhardt(&["simulate", "--payments", "3", "--min-probability", "2"]),
        "error: --min-probability: 2 is not in 0..=1",
    );
    assert_error(
        &pickhardt(&["simulate", "--payments", "3", "--strategy", "mcf,teleport"]),
        "error: --strategy: \"teleport\" is not one of mcf, cheapest, probable, ldk, mcf-ldk",
    );
}

#[test]
fn amounts_take_sat_and_msat_and_say_what_they_accept() {
    const FORMS: &str = "give a whole number of sat (1000) or add a unit (1000sat, 1500msat)";
    for cmd in [
        &["pay", "--from", A, "--to", D, "--amount"][..],
        &["mu", "--frugality", "1", "--amount"][..],
        &["simulate", "--payments", "3", "--amount"][..],
    ] {
        let run = |v: &str| pickhardt(&[cmd, &[v]].concat());
        assert_error(
            &run("-5"),
            &format!("error: --amount -5: an amount cannot be negative; {FORMS}"),
        );
        assert_error(
            &run("0"),
            "error: --amount 0: the amount must be at least 1 msat",
        );
        assert_error(
            &run("2100000000000001"),
            "error: --amount 2100000000000001: above the 21 million BTC supply",
        );
    }
    assert_error(
        &toy_pay(&["--amount", "1000x"]),
        &format!("error: --amount 1000x: not an amount; {FORMS}"),
    );
    assert_error(
        &toy_pay(&["--amount", "1.5"]),
        &format!("error: --amount 1.5: not an amount; {FORMS}"),
    );
    assert_error(
        &pickhardt(&["simulate", "--payments", "3", "--amount", "x..10"]),
        &format!("error: --amount x..10: not an amount or a range MIN..MAX; {FORMS}"),
    );
    // `1000sat` is `1000`; `1500msat` is exact to the msat end to end.
    let json = |o: &Output| -> serde_json::Value {
        assert_exit(o, 0);
        serde_json::from_slice(&o.stdout).expect("JSON")
    };
    let plain = json(&toy_pay(&["--amount", "1000", "--json"]));
    let sat = json(&toy_pay(&["--amount", "1000sat", "--json"]));
    assert_eq!(plain["amount_msat"], 1_000_000);
    assert_eq!(sat["fees_msat"], plain["fees_msat"]);
    let msat = json(&toy_pay(&["--amount", "1500msat", "--json"]));
    assert_eq!(msat["amount_msat"], 1500);
    assert_eq!(msat["success"], true);
    let o = toy_pay(&["--amount", "1500msat"]);
    assert!(
        stdout(&o).starts_with("payment of 1.500 sat from"),
        "{}",
        stdout(&o)
    );
    let mu = pickhardt(&["mu", "--amount", "1500msat", "--frugality", "1"]);
    assert_exit(&mu, 0);
    assert!(
        stdout(&mu).contains("  amount           1.500 sat\n"),
        "{}",
        stdout(&mu)
    );
}

#[test]
fn a_fee_budget_of_0_is_a_request_not_an_error() {
    let o = toy_pay(&["--amount", "1000", "--fee-budget", "0", "--json"]);
    // Every route from A to D charges a fee: the payment stops on the budget, exit 1.
    assert_exit(&o, 1);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["stop_reason"]["reason"], "fee_budget");
    assert_eq!(v["stop_reason"]["budget"], 0);
    assert_error(
        &toy_pay(&["--amount", "1000", "--fee-budget", "-1"]),
        "error: --fee-budget -1: an amount cannot be negative; give a whole number of sat (1000) \
         or add a unit (1000sat, 1500msat), a share like 0.5%, or none",
    );
    assert_error(
        &toy_pay(&["--amount", "1000", "--fee-budget", "120%"]),
        "error: --fee-budget 120%: a share of the amount must be a number in 0..=100 followed by %",
    );
    assert_exit(&toy_pay(&["--amount", "1000", "--fee-budget", "50msat"]), 0);
    assert_exit(&toy_pay(&["--amount", "1000", "--fee-budget", "1%"]), 0);
    assert_exit(&toy_pay(&["--amount", "1000", "--fee-budget", "none"]), 0);
}

#[test]
fn io_errors_read_as_sentences() {
    assert_error(
        &toy_pay(&["--amount", "1000", "--plot", "/missing/dir/x.svg"]),
        "error: cannot write the plot to /missing/dir/x.svg: No such file or directory (os error 2)",
    );
    assert_error(
        &pickhardt(&["simulate", "--payments", "2", "--plot", "/missing/dir/s.svg"]),
        "error: cannot write the plot to /missing/dir/s.svg: No such file or directory (os error 2)",
    );
    assert_error(
        &pickhardt(&["mcf", "solve", "/missing/dir/p.min"]),
        "error: cannot open /missing/dir/p.min: No such file or directory (os error 2)",
    );
}

#[test]
fn node_errors_name_the_flag() {
    let toy = repo_file("data/toy.listchannels.json");
    let stranger = format!("03{}", "e".repeat(64));
    for cmd in [&["pay"][..], &["mcf", "export", "-o", "-"][..]] {
        let run = |from: &str| {
            let base = [
                "--graph", &toy, "--amount", "1000", "--to", D, "--from", from,
            ];
            pickhardt(&[cmd, &base[..]].concat())
        };
        assert_error(
            &run("zz"),
            "error: --from \"zz\" is not a public key (66 hex characters)",
        );
        assert_error(
            &run(&stranger),
            &format!("error: --from: unknown node {stranger}: it is not in the channel graph"),
        );
    }
}

#[test]
fn output_files_that_cannot_be_created_are_named_in_a_sentence() {
    let toy = repo_file("data/toy.listchannels.json");
    assert_error(
        &pickhardt(&[
            "mcf",
            "export",
            "--graph",
            &toy,
            "--from",
            A,
            "--to",
            D,
            "--amount",
            "1000",
            "-o",
            "/missing/dir/p.min",
        ]),
        "error: cannot create /missing/dir/p.min: No such file or directory (os error 2)",
    );
    assert_error(
        &pickhardt(&[
            "graph",
            "generate",
            "--nodes",
            "10",
            "-o",
            "/missing/dir/g.json",
        ]),
        "error: cannot create /missing/dir/g.json: No such file or directory (os error 2)",
    );
}
