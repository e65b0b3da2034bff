//! docs/FORMATS.md's JSON examples have the shape of what the commands print now: the same keys
//! at every level (arrays compared by their first element), and the `mu` example exactly.

use crate::common::{json, pickhardt, repo_file};
use serde_json::Value;

const A: &str = "02aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const D: &str = "02dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd";

/// The first ```json block after `marker` in docs/FORMATS.md, parsed.
fn example(marker: &str) -> Value {
    let text = std::fs::read_to_string(repo_file("docs/FORMATS.md")).expect("FORMATS.md");
    let at = text
        .find(marker)
        .unwrap_or_else(|| panic!("FORMATS.md has no {marker:?}"));
    let rest = &text[at..];
    let start = rest.find("```json\n").expect("a json block follows") + "```json\n".len();
    let end = start + rest[start..].find("```").expect("the block ends");
    serde_json::from_str(&rest[start..end])
        .unwrap_or_else(|e| panic!("the example after {marker:?} is not JSON: {e}"))
}

/// Asserts that `doc` and `real` have the same keys at every level.
fn same_shape(doc: &Value, real: &Value, at: &str) {
    match (doc, real) {
        (Value::Object(d), Value::Object(r)) => {
            let dk: Vec<&String> = d.keys().collect();
            let rk: Vec<&String> = r.keys().collect();
            assert_eq!(dk, rk, "keys of {at} in FORMATS.md and in the output");
            for (k, v) in d {
                same_shape(v, &r[k], &format!("{at}.{k}"));
            }
        }
        (Value::Array(d), Value::Array(r)) => {
            if let (Some(d0), Some(r0)) = (d.first(), r.first()) {
                same_shape(d0, r0, &format!("{at}[0]"));
            }
        }
        (Value::Object(_) | Value::Array(_), _) | (_, Value::Object(_) | Value::Array(_)) => {
            panic!("{at}: FORMATS.md has {doc}, the output {real}")
        }
        _ => {}
    }
}

#[test]
fn mu_example_is_the_real_output() {
    let toy = repo_file("data/toy.listchannels.json");
    let mut real = json(&pickhardt(&[
        "mu",
        "--graph",
        &toy,
        "--amount",
        "100000",
        "--frugality",
        "1",
        "--json",
    ]));
    // The example shows the path as typed from the repository root.
    real["graph"] = Value::from("data/toy.listchannels.json");
    assert_eq!(example("**`mu --json`**"), real);
}

#[test]
fn mcf_solve_example_has_the_real_keys() {
    let real = json(&pickhardt(&[
        "mcf",
        "solve",
        &repo_file("crates/mcf/tests/data/toy.min"),
        "--json",
    ]));
    same_shape(&example("**`mcf solve --json`**"), &real, "mcf solve");
}

#[test]
fn pay_example_has_the_real_keys() {
    // The toy payment of the README: its first attempt fails, as in the example.
    let toy = repo_file("data/toy.listchannels.json");
    let real = json(&pickhardt(&[
        "pay", "--graph", &toy, "--seed", "9", "--amount", "200000", "--from", A, "--to", D,
        "--json",
    ]));
    assert_eq!(real["attempts"][0]["outcome"]["status"], "failed_at");
    same_shape(&example("**`pay --json`**"), &real, "pay");
}

#[test]
fn plan_example_has_the_real_keys() {
    let toy = repo_file("data/toy.listchannels.json");
    let real = json(&pickhardt(&[
        "pay",
        "--graph",
        &toy,
        "--seed",
        "9",
        "--amount",
        "200000",
        "--from",
        A,
        "--to",
        D,
        "--plan-only",
        "--json",
    ]));
    same_shape(&example("**`pay --plan-only --json`**"), &real, "plan");
}

#[test]
fn simulate_example_has_the_real_keys() {
    let real = json(&pickhardt(&[
        "simulate",
        "--payments",
        "3",
        "--amount",
        "10000",
        "--seed",
        "1",
        "--json",
    ]));
    same_shape(
        &example("**`simulate --json`**"),
        &real["strategies"][0],
        "simulate row",
    );
}
