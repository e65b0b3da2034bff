//! `simulate_ldk`: both routers in the LDK-like loop on a generated network.

use pp_graph::{generate, GeneratorParams, Msat};
use pp_ldk::{simulate_ldk, LdkSimParams, DEFAULT_RETRIES};
use pp_session::{AmountSpec, Oracle, PayParams, StopReason, Strategy};

fn params(threads: usize) -> LdkSimParams {
    LdkSimParams {
        payments: 12,
        amounts: vec![AmountSpec::Fixed(Msat(200_000_000))],
        seed: 5,
        strategies: vec![Strategy::McfLdk, Strategy::Ldk],
        pay: PayParams::default(),
        retries: DEFAULT_RETRIES,
        threads: Some(threads),
        timestamp: crate::common::now(),
    }
}

#[test]
fn both_routers_pay_the_same_payments_deterministically() {
    let graph = generate(&GeneratorParams::new(150, 4)).unwrap();
    let oracle = Oracle::random(&graph, 4);
    let a = simulate_ldk(&oracle, &params(1), &|| {}).unwrap();
    assert_eq!(a.records.len(), 24);
    assert_eq!(a.queries.len(), 2);
    for r in &a.records {
        assert!(r.rounds >= 1 && r.rounds <= DEFAULT_RETRIES + 1);
        assert_eq!(r.success, r.stop_reason == StopReason::Delivered);
        assert!(r.failed_attempts <= r.attempts);
        if r.success {
            assert!(r.feasible, "delivered payments were feasible");
        }
    }
    let ok = |k| {
        a.records
            .iter()
            .filter(|r| r.strategy == k && r.success)
            .count()
    };
    assert!(ok(Strategy::McfLdk) > 0 && ok(Strategy::Ldk) > 0);
    let b = simulate_ldk(&oracle, &params(2), &|| {}).unwrap();
    let key =
        |r: &pp_session::PaymentRecord| (r.strategy, r.index, r.success, r.attempts, r.fee_msat);
    let mut ka: Vec<_> = a.records.iter().map(key).collect();
    let mut kb: Vec<_> = b.records.iter().map(key).collect();
    ka.sort();
    kb.sort();
    assert_eq!(ka, kb, "results do not depend on the thread count");
    assert!(oracle.graph().direction_count() > 0);
}

#[test]
fn refuses_native_strategies() {
    let graph = generate(&GeneratorParams::new(20, 1)).unwrap();
    let oracle = Oracle::random(&graph, 1);
    let mut p = params(1);
    p.strategies = vec![Strategy::Mcf];
    assert!(simulate_ldk(&oracle, &p, &|| {}).is_err());
}
