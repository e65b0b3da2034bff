//! End-to-end tests of `pickhardt pay` (run the built binary): the toy payment, JSON report,
//! verbose attempts, the plot, `--plan-only`, and every bad input with exit code 2 and a
//! one-line error.

use crate::common::{assert_bad, pickhardt, stderr, stdout};
use std::path::PathBuf;
use std::process::Output;

fn toy() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/toy.listchannels.json")
        .display()
        .to_string()
}

fn node(c: char) -> String {
    format!("02{}", c.to_string().repeat(64))
}

/// Writes `text` to a fresh temporary file named after the test and returns its path.
fn temp_file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("pickhardt-cli-pay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write temp file");
    p.display().to_string()
}

/// The toy's ground truth (see crates/session/tests/toy.rs), optionally with one row changed.
fn balances(replace: Option<(&str, &str)>) -> String {
    let (a, b, c, d) = (node('a'), node('b'), node('c'), node('d'));
    let mut s = format!(
        "short_channel_id,source,liquidity_sat\n\
         103x1x0,{a},700000\n103x1x0,{b},300000\n\
         103x2x0,{a},300000\n103x2x0,{c},200000\n\
         103x3x0,{b},250000\n103x3x0,{d},150000\n\
         103x4x0,{c},500000\n103x4x0,{d},300000\n\
         103x5x0,{b},100000\n103x5x0,{c},100000\n"
    );
    if let Some((from, to)) = replace {
        s = s.replace(from, to);
    }
    s
}

fn pay(extra: &[&str], balances_path: &str, amount: &str) -> Output {
    let (toy, a, d) = (toy(), node('a'), node('d'));
    let mut args = vec![
        "pay",
        "--graph",
        &toy,
        "--balances",
        balances_path,
        "--from",
        &a,
        "--to",
        &d,
        "--amount",
        amount,
    ];
    args.extend_from_slice(extra);
    pickhardt(&args)
}

#[test]
fn pays_on_the_toy_graph_with_a_summary_and_attempts() {
    let csv = temp_file("toy.csv", &balances(None));
    // The 0.1 routing rules, under which this trace was pinned.
    let o = pay(
        &["--no-local-knowledge", "--legacy-routing"],
        &csv,
        "300000",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    // The payment pinned in pp-session's tests (toy.rs): A–C–D fails at A's own hop, then
    // 180,000 sat over A–B–D and 120,000 sat over A–C–D.
    assert!(text.contains("delivered after 2 round(s)"), "{text}");
    assert!(
        text.contains("attempts: 3 sent, 1 failed, 2 settled, 0 released"),
        "{text}"
    );
    assert!(text.contains("fees: 11200 msat (37.3 ppm)"), "{text}");
    assert!(!text.contains("103x3x0"), "attempts only with -v: {text}");
    let v = pay(
        &["-v", "--no-local-knowledge", "--legacy-routing"],
        &csv,
        "300000",
    );
    let text = stdout(&v);
    assert!(text.contains("failed at hop 1"), "{text}");
    assert!(text.contains("103x3x0"), "{text}");
    assert!(text.contains("carries 180010000 msat"), "{text}");
}

/// The same payment with the sender's knowledge of its own balances (the default), pinned in
/// pp-session's tests (toy.rs): nothing fails.
#[test]
fn the_sender_knows_its_own_balances_by_default() {
    let csv = temp_file("toy-local.csv", &balances(None));
    let o = pay(&["-v"], &csv, "300000");
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("delivered after 2 round(s)"), "{text}");
    assert!(
        text.contains("attempts: 2 sent, 0 failed, 2 settled, 0 released"),
        "{text}"
    );
    assert!(text.contains("fees: 3999 msat (13.3 ppm)"), "{text}");
    assert!(text.contains("carries 300000000 msat"), "{text}");
}

#[test]
fn json_report_has_the_whole_payment() {
    let csv = temp_file("toy-json.csv", &balances(None));
    let o = pay(
        &["--json", "--no-local-knowledge", "--legacy-routing"],
        &csv,
        "300000",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    assert_eq!(v["success"], true);
    assert_eq!(v["rounds"], 2);
    assert_eq!(v["fees_msat"], 11200);
    assert_eq!(v["delivered_msat"], 300_000_000u64);
    assert_eq!(v["stop_reason"]["reason"], "delivered");
    let attempts = v["attempts"].as_array().expect("attempts");
    assert_eq!(attempts.len(), 3);
    assert_eq!(attempts[0]["outcome"]["status"], "failed_at");
    assert_eq!(attempts[0]["hops"][0]["scid"], "103x2x0");
    assert_eq!(attempts[0]["hops"][0]["source"], node('a'));
    assert!(v["round_details"][0]["solve_ms"].is_number());
}

#[test]
fn seeded_balances_and_options_work() {
    let (toy, a, d) = (toy(), node('a'), node('d'));
    for extra in [
        vec!["--seed", "7"],
        vec![
            "--seed", "7", "--mu", "0", "--pieces", "3", "--slopes", "linear",
        ],
        vec!["--frugality", "10", "--max-parts", "1", "--max-hops", "2"],
        vec![
            "--strict-base-fee",
            "--min-probability",
            "0",
            "--max-rounds",
            "2",
        ],
    ] {
        let mut args = vec![
            "pay", "--graph", &toy, "--from", &a, "--to", &d, "--amount", "50000", "--json",
        ];
        args.extend(extra.iter().copied());
        let o = pickhardt(&args);
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
        // Exit 0 when delivered, 1 when not (the JSON says which), never an error.
        let want = if v["success"] == true { 0 } else { 1 };
        assert_eq!(o.status.code(), Some(want), "{extra:?}: {}", stderr(&o));
        let sum =
            v["delivered_msat"].as_u64().expect("n") + v["residual_msat"].as_u64().expect("n");
        assert_eq!(sum, 50_000_000, "{extra:?}");
        if extra.contains(&"--max-hops") {
            for at in v["attempts"].as_array().expect("attempts") {
                assert!(at["hops"].as_array().expect("hops").len() <= 2);
            }
        }
    }
}

#[test]
fn plot_writes_an_svg() {
    let csv = temp_file("toy-plot.csv", &balances(None));
    let svg = std::env::temp_dir()
        .join(format!("pickhardt-cli-pay-{}", std::process::id()))
        .join("split.svg");
    let svg_s = svg.display().to_string();
    let o = pay(&["--plot", &svg_s], &csv, "300000");
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&svg).expect("svg written");
    assert!(text.contains("<svg"), "{}", &text[..text.len().min(200)]);
}

/// `--plan-only`: the first round's parts, nothing sent; the sender's balances from the CSV.
#[test]
fn plan_only_shows_the_split_without_sending() {
    let csv = temp_file("toy-plan.csv", &balances(None));
    // With the toy's balances the sender's A→C holds exactly 300,000 sat: the part is trimmed by
    // C's fee, as in round 1 of the pinned toy payment (pp-session's toy tests).
    let o = pay(&["--plan-only"], &csv, "300000");
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("plan for 300000 sat from 02aaaa"), "{out}");
    assert!(out.contains("1 part(s) delivering 299997.001 sat"), "{out}");
    assert!(out.contains("own balances known exactly"), "{out}");
    assert!(out.contains("103x2x0") && out.contains("103x4x0"), "{out}");
    assert!(!out.contains("round"), "nothing was sent: {out}");
    // JSON: the PlanReport.
    let o = pay(&["--plan-only", "--json"], &csv, "300000");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["stop_reason"], serde_json::Value::Null);
    assert_eq!(v["planned_msat"], 299_997_001);
    assert_eq!(v["fee_msat"], 2_999);
    assert_eq!(v["attempts"][0]["outcome"]["status"], "planned");
    // Without balances or a seed the sender's balances are unknown (the prior on A→C too).
    let (toy, a, d) = (toy(), node('a'), node('d'));
    let args = [
        "pay",
        "--graph",
        &toy,
        "--from",
        &a,
        "--to",
        &d,
        "--amount",
        "200000",
        "--plan-only",
    ];
    let out = stdout(&pickhardt(&args));
    assert!(out.contains("P = 0.450"), "{out}");
    assert!(out.contains("balances are unknown"), "{out}");
    // No plan is an answer, not an error: exit 1, nothing on stderr.
    let o = pay(&["--plan-only"], &csv, "2000000");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    assert!(stdout(&o).contains("NO PLAN"), "{}", stdout(&o));
    // The plot of a plan.
    let svg = temp_file("plan.svg", "");
    let o = pay(&["--plan-only", "--plot", &svg], &csv, "300000");
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&svg).expect("svg written");
    assert!(
        text.contains("planned (not sent)"),
        "{}",
        &text[..text.len().min(300)]
    );
}

#[test]
fn bad_input_is_a_one_line_error_with_exit_code_2() {
    let csv = temp_file("toy-bad.csv", &balances(None));
    let (toy, a, d) = (toy(), node('a'), node('d'));
    let stranger = format!("03{}", "e".repeat(64));
    let base = |from: &str, to: &str, amount: &str| {
        pickhardt(&[
            "pay",
            "--graph",
            &toy,
            "--balances",
            &csv,
            "--from",
            from,
            "--to",
            to,
            "--amount",
            amount,
        ])
    };
    assert_bad(&base(&stranger, &d, "1000"), "unknown node");
    assert_bad(&base(&a, "not-a-key", "1000"), "not a public key");
    assert_bad(&base(&a, &a, "1000"), "same node");
    assert_bad(&base(&a, &d, "0"), "at least 1 msat");
    assert_bad(&base(&a, &d, "2100000000000001"), "21 million BTC");
    assert_bad(
        &pay(&[], "/nonexistent/balances.csv", "1000"),
        "/nonexistent/balances.csv",
    );
    // Liquidity above the capacity, named with its line.
    let (row, bad_row) = (
        format!("103x4x0,{},500000", node('c')),
        format!("103x4x0,{},900000", node('c')),
    );
    let too_much = temp_file("toy-too-much.csv", &balances(Some((&row, &bad_row))));
    assert_bad(
        &pay(&[], &too_much, "1000"),
        "line 8: liquidity 900000 sat exceeds the capacity",
    );
    // Two sides that do not add up to the capacity.
    let (row, bad_row) = (
        format!("103x5x0,{},100000", node('c')),
        format!("103x5x0,{},100", node('c')),
    );
    let mismatch = temp_file("toy-mismatch.csv", &balances(Some((&row, &bad_row))));
    assert_bad(
        &pay(&[], &mismatch, "1000"),
        "sum to 100100 sat, not its capacity 200000 sat",
    );
    let garbage = temp_file("toy-garbage.csv", "\u{1}\u{2}binary garbage\n");
    assert_bad(&pay(&[], &garbage, "1000"), "expected the header");
    assert_bad(&pay(&["--solver", "nope"], &csv, "1000"), "nope");
    assert_bad(&pay(&["--pieces", "0"], &csv, "1000"), "pieces");
    // Usage errors (clap's) are one line and exit 2 as well.
    assert_bad(
        &pay(&["--mu", "1", "--frugality", "1"], &csv, "1000"),
        "cannot be used with",
    );
    assert_bad(&pay(&["--seed", "1"], &csv, "1000"), "--seed");
    // Negative numbers reach the parameter checks instead of being taken for flags.
    assert_bad(&pay(&["--mu", "-1"], &csv, "1000"), "mu: -1");
    assert_bad(&pay(&["--frugality", "-2"], &csv, "1000"), "frugality: -2");
    assert_bad(
        &pay(&["--first-round-fee-weight", "-1"], &csv, "1000"),
        "--first-round-fee-weight: -1",
    );
    assert_bad(&pay(&["--min-probability", "-0.5"], &csv, "1000"), "-0.5");
    assert_bad(&pay(&["--bogus"], &csv, "1000"), "'--bogus'");
}

/// Regression: `pickhardt … | head -1` panicked with "failed printing to stdout" when the
/// reader closed the pipe; every command must exit quietly instead. `graph generate -o -` writes
/// megabytes, so the pipe is closed while it is still writing.
#[test]
fn closed_stdout_is_not_a_panic() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pickhardt"))
        .args([
            "graph", "generate", "--nodes", "3000", "--seed", "1", "-o", "-",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdout = child.stdout.take().expect("piped");
    let mut byte = [0u8; 1];
    let _ = stdout.read(&mut byte);
    drop(stdout);
    let out = child.wait_with_output().expect("the binary exits");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "panicked on a closed stdout: {stderr}"
    );
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
}
