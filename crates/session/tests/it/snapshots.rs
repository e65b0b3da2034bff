//! ln-2020 with its ground-truth balances (ignored tests: run with `--include-ignored` and `PP_DATA_DIR`).

use pp_graph::{load_path, Msat};
use pp_session::{simulate, Oracle, SimulationParams, Strategy};
use pp_testdata::require_data_dir;

#[test]
#[ignore = "needs PP_DATA_DIR (real snapshots)"]
fn ln_2020_mcf_delivers_every_feasible_payment() {
    let dir = require_data_dir();
    let g = load_path(&dir.join("ln-2020-cloth.listchannels.json.gz"))
        .expect("snapshot loads")
        .graph;
    let o = Oracle::from_balances_path(&g, &dir.join("ln-2020-cloth.balances.csv.gz"))
        .expect("balances load");
    for c in g.channels() {
        let sum = o.channel_side_liquidity(c, 0).0 + o.channel_side_liquidity(c, 1).0;
        assert_eq!(sum, g.channel_capacity(c).0);
    }
    let p = SimulationParams {
        payments: 20,
        amounts: vec![Msat(100_000_000).into(), Msat(1_000_000_000).into()],
        seed: 1,
        strategies: vec![Strategy::Mcf],
        ..SimulationParams::default()
    };
    let rep = simulate(&o, &p, &|| {}).expect("runs");
    for row in &rep.summary {
        eprintln!(
            "ln-2020 {} sat: {} feasible, {} delivered",
            row.amount_sat, row.feasible, row.succeeded_feasible
        );
        assert_eq!(row.payments, 20);
        assert!(row.feasible > 0);
        assert_eq!(row.succeeded_feasible, row.feasible, "{row:?}");
    }
}

#[test]
#[ignore = "needs PP_DATA_DIR (real snapshots)"]
fn ln_2020_balances_reject_a_wrong_graph() {
    let dir = require_data_dir();
    let toy = crate::common::toy();
    let err = Oracle::from_balances_path(&toy, &dir.join("ln-2020-cloth.balances.csv.gz"))
        .expect_err("other graph");
    assert!(err.to_string().contains("line 2: unknown channel"), "{err}");
}
