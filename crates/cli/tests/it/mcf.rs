//! End-to-end tests of `pickhardt mcf solve` and `pickhardt mcf generate` through the built
//! binary.

use crate::common::{json, pickhardt};
use std::path::PathBuf;

fn toy() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../mcf/tests/data/toy.min")
        .display()
        .to_string()
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pp-cli-mcf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn solve_toy_json_has_exactly_the_documented_keys() {
    let v = json(&pickhardt(&["mcf", "solve", &toy(), "--json", "--check"]));
    let obj = v.as_object().unwrap();
    let mut keys: Vec<_> = obj.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["cost", "flow", "parse_ms", "solve_ms", "status"]);
    assert_eq!(v["status"], "OPTIMAL");
    assert_eq!(v["cost"], 14);
    assert_eq!(v["flow"], 4);
    assert!(v["parse_ms"].as_f64().unwrap() >= 0.0);
    assert!(v["solve_ms"].as_f64().unwrap() >= 0.0);
}

#[test]
fn solve_toy_text() {
    let out = pickhardt(&["mcf", "solve", &toy(), "--solver", "ssp", "--repeat", "3"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("status:   OPTIMAL"), "{text}");
    assert!(text.contains("cost:     14"), "{text}");
    assert!(text.contains("flow:     4"), "{text}");
    assert!(text.contains("solve_ms:"), "{text}");
}

#[test]
fn infeasible_is_a_valid_answer_with_the_max_flow() {
    let text = std::fs::read_to_string(toy())
        .unwrap()
        .replace("n 1 4", "n 1 10")
        .replace("n 4 -4", "n 4 -10");
    let path = temp_file("infeasible.min", &text);
    // Exit 1 (a script can tell without parsing), the answer on stdout all the same.
    let o = pickhardt(&["mcf", "solve", path.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["status"], "INFEASIBLE");
    assert_eq!(v["flow"], 6);
    assert!(v["cost"].is_null());
}

#[test]
fn malformed_file_exits_2_with_one_line_naming_the_line() {
    let path = temp_file("bad.min", "c bad\np min 2 1\na 1 2 0 1\n");
    let out = pickhardt(&["mcf", "solve", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("line 3"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn unbalanced_supplies_exit_2() {
    let path = temp_file("unbalanced.min", "p min 2 1\nn 1 3\na 1 2 0 5 1\n");
    let out = pickhardt(&["mcf", "solve", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("sum to 3"), "{err}");
}

#[test]
fn unknown_solver_exits_2() {
    let out = pickhardt(&["mcf", "solve", &toy(), "--solver", "simplex9"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown solver backend"));
}

#[test]
fn lp_backend_agrees_or_is_reported_missing() {
    let out = pickhardt(&["mcf", "solve", &toy(), "--solver", "lp", "--json"]);
    if cfg!(feature = "lp") {
        let v = json(&out);
        assert_eq!(v["status"], "OPTIMAL");
        assert_eq!(v["cost"], 14);
    } else {
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("unknown solver backend \"lp\""));
    }
}

#[test]
fn generate_writes_solvable_instances() {
    let dir = std::env::temp_dir().join(format!("pp-cli-mcf-gen-{}", std::process::id()));
    let out = pickhardt(&[
        "mcf",
        "generate",
        "--out",
        dir.to_str().unwrap(),
        "--nodes",
        "60",
        "--links",
        "200",
        "--pairs",
        "2",
        "--amounts",
        "1000,50000",
        "--median-capacity",
        "100000",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(files.len(), 4);
    for f in &files {
        let native = json(&pickhardt(&["mcf", "solve", f, "--json", "--check"]));
        let ssp = json(&pickhardt(&[
            "mcf", "solve", f, "--json", "--solver", "ssp",
        ]));
        assert_eq!(native["status"], ssp["status"], "{f}");
        assert_eq!(native["cost"], ssp["cost"], "{f}");
        assert_eq!(native["flow"], ssp["flow"], "{f}");
    }
    let _ = std::fs::remove_dir_all(dir);
}
