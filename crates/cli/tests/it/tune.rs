//! `pickhardt tune`: the frontier table and its JSON rows, on the embedded default graph.

use crate::common::{pickhardt, stderr, stdout};

#[test]
fn tune_sweeps_frugality_beside_the_baselines_and_the_legacy_rules() {
    let o = pickhardt(&[
        "tune",
        "--payments",
        "20",
        "--amount",
        "10000,1000000",
        "--seed",
        "2",
        "--frugalities",
        "0.3,3",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).expect("JSON rows");
    // Two baselines, the legacy row and two swept rows, per amount.
    assert_eq!(rows.len(), 10);
    let settings: Vec<&str> = rows[..5]
        .iter()
        .map(|r| r["setting"].as_str().unwrap())
        .collect();
    assert_eq!(
        settings,
        ["cheapest", "probable", "mcf legacy", "mcf f=0.3", "mcf f=3"]
    );
    for r in &rows {
        let (ok, feasible) = (
            r["delivered_feasible"].as_u64().unwrap(),
            r["feasible"].as_u64().unwrap(),
        );
        assert!(ok <= feasible && feasible <= 20, "{r}");
        assert!(r["failed_attempts"].as_u64() <= r["attempts"].as_u64());
    }
    // The cheapest baseline against itself is 1 by definition.
    assert_eq!(rows[0]["fee_ratio_to_cheapest"], 1.0);
    // Every flow row shares the common sample of one amount.
    let common: Vec<u64> = rows[2..5]
        .iter()
        .map(|r| r["common"].as_u64().unwrap())
        .collect();
    assert!(common.iter().all(|&c| c == common[0]), "{common:?}");
}

#[test]
fn tune_refuses_bad_frugalities() {
    let o = pickhardt(&["tune", "--frugalities", "1,-2"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: --frugalities: -2 is not a finite number >= 0\n"
    );
}
