//! The simulation driver: determinism across thread counts, modes, summaries.

use pp_graph::largest_scc;
use pp_graph::{generate, GeneratorParams, Msat};
use pp_session::{random_pairs, PaymentRecord};
use pp_session::{simulate, AmountSpec, Oracle, SimulationParams, Strategy};

fn params(threads: usize) -> SimulationParams {
    SimulationParams {
        payments: 24,
        amounts: vec![Msat(20_000_000).into(), Msat(300_000_000).into()],
        seed: 4,
        threads: Some(threads),
        ..SimulationParams::default()
    }
}

/// Records without the measured times.
fn strip(mut r: Vec<PaymentRecord>) -> Vec<PaymentRecord> {
    for x in &mut r {
        x.ms = 0.0;
    }
    r
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let g = generate(&GeneratorParams::new(120, 8)).expect("generated");
    let o = Oracle::random(&g, 8);
    let one = simulate(&o, &params(1), &|| {}).expect("runs");
    let three = simulate(&o, &params(3), &|| {}).expect("runs");
    assert_eq!(strip(one.records), strip(three.records));
    let mut s1 = one.summary;
    let mut s3 = three.summary;
    for s in s1.iter_mut().chain(s3.iter_mut()) {
        s.median_ms_per_payment = 0.0;
        s.median_ms_per_feasible_payment = None;
    }
    assert_eq!(s1, s3);
}

#[test]
fn summary_rows_count_what_the_records_say() {
    let g = generate(&GeneratorParams::new(120, 8)).expect("generated");
    let o = Oracle::random(&g, 8);
    let counted = std::sync::atomic::AtomicUsize::new(0);
    let rep = simulate(&o, &params(2), &|| {
        counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    })
    .expect("runs");
    assert_eq!(
        counted.into_inner(),
        24 * 2 * 3,
        "progress once per payment"
    );
    assert_eq!(rep.summary.len(), 2 * 3);
    for row in &rep.summary {
        let rs: Vec<&PaymentRecord> = rep
            .records
            .iter()
            .filter(|r| r.strategy == row.strategy && r.amount_msat.0 / 1000 == row.amount_sat)
            .collect();
        assert_eq!(row.payments, 24);
        assert_eq!(row.payments, rs.len());
        assert_eq!(row.feasible, rs.iter().filter(|r| r.feasible).count());
        assert_eq!(row.succeeded, rs.iter().filter(|r| r.success).count());
        assert!(row.succeeded_feasible <= row.feasible);
        // A payment can only succeed when it was feasible.
        assert_eq!(row.succeeded, row.succeeded_feasible);
    }
    // The same pairs for every strategy and amount.
    let pairs = |k: Strategy, a: u64| {
        rep.records
            .iter()
            .filter(|r| r.strategy == k && r.amount_msat.0 == a)
            .map(|r| (r.sender, r.receiver))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        pairs(Strategy::Mcf, 20_000_000),
        pairs(Strategy::Probable, 300_000_000)
    );
    // mcf delivers every feasible small payment on this graph.
    let mcf_small = &rep.summary[0];
    assert_eq!(
        (mcf_small.strategy, mcf_small.amount_sat),
        (Strategy::Mcf, 20_000)
    );
    assert_eq!(mcf_small.succeeded_feasible, mcf_small.feasible);
}

#[test]
fn sequential_modes_keep_belief_and_drift() {
    let g = generate(&GeneratorParams::new(80, 2)).expect("generated");
    let o = Oracle::random(&g, 2);
    let base = SimulationParams {
        payments: 60,
        amounts: vec![Msat(400_000_000).into()],
        seed: 9,
        strategies: vec![Strategy::Mcf],
        threads: Some(2),
        ..SimulationParams::default()
    };
    let run = |keep_belief, drift| {
        let p = SimulationParams {
            keep_belief,
            drift,
            ..base.clone()
        };
        strip(simulate(&o, &p, &|| {}).expect("runs").records)
    };
    let fresh = run(false, false);
    let drifting = run(false, true);
    // A kept belief implies drifting balances.
    let kept = run(true, false);
    assert_eq!(kept, run(true, true));
    let failed = |r: &[PaymentRecord]| r.iter().map(|x| x.failed_attempts).sum::<usize>();
    let learned = |r: &[PaymentRecord]| r.iter().map(|x| x.entropy_learned_bits).sum::<f64>();
    eprintln!(
        "failed attempts: fresh {}, drifting {}, kept {}; bits learned: {:.0}, {:.0}, {:.0}",
        failed(&fresh),
        failed(&drifting),
        failed(&kept),
        learned(&fresh),
        learned(&drifting),
        learned(&kept)
    );
    // What earlier payments taught saves failures later on (same drifting balances).
    assert!(failed(&kept) < failed(&drifting));
    // The first payment is the same in every mode; later ones see moved balances.
    assert_eq!(fresh[0], kept[0]);
    assert_eq!(fresh[0], drifting[0]);
    assert_ne!(fresh, drifting);
}

#[test]
fn pairs_come_from_the_largest_component_and_are_seeded() {
    let g = generate(&GeneratorParams::new(200, 1)).expect("generated");
    let scc = largest_scc(&g);
    assert!(scc.len() > 50 && scc.len() < 200, "{}", scc.len());
    let a = random_pairs(&scc, 50, 7);
    assert_eq!(a, random_pairs(&scc, 50, 7));
    assert_ne!(a, random_pairs(&scc, 50, 8));
    assert!(a
        .iter()
        .all(|(s, t)| s != t && scc.contains(s) && scc.contains(t)));
    // The component is strongly connected: every member reaches every other.
    let o = Oracle::from_side0_liquidity(&g, |c| Msat(g.channel_capacity(c).0 / 2)).expect("ok");
    for &(s, t) in a.iter().take(10) {
        assert!(o.max_flow_up_to(s, t, Msat(1)) == Msat(1));
    }
}

/// A hand-made record: `ms` wall time, `rounds` rounds of one attempt each.
fn rec(index: usize, feasible: bool, success: bool, rounds: u32, ms: f64) -> PaymentRecord {
    PaymentRecord {
        strategy: Strategy::Mcf,
        amount_row: 0,
        amount_msat: Msat(1_000_000),
        index,
        sender: pp_graph::NodeId::synthetic(1),
        receiver: pp_graph::NodeId::synthetic(2),
        feasible,
        success,
        stop_reason: if success {
            pp_session::StopReason::Delivered
        } else {
            pp_session::StopReason::NoUsableRoute
        },
        rounds,
        attempts: rounds as usize,
        failed_attempts: rounds.saturating_sub(1) as usize,
        fee_msat: Msat(if success { 10 } else { 0 }),
        fee_ppm: success.then_some(10.0 * index as f64),
        entropy_learned_bits: 1.0,
        ms,
    }
}

#[test]
fn medians_are_over_the_successful_payments_and_time_over_all_and_feasible() {
    // Five payments: three succeeded (rounds 1, 2, 5), one feasible but failed after 7 rounds,
    // one infeasible that stopped before sending (0 rounds).
    let records = [
        rec(0, true, true, 1, 4.0),
        rec(1, true, true, 2, 6.0),
        rec(2, true, true, 5, 8.0),
        rec(3, true, false, 7, 30.0),
        rec(4, false, false, 0, 0.5),
    ];
    let rows = pp_session::summarize(&records, &[Msat(1_000_000).into()], &[Strategy::Mcf]);
    let row = &rows[0];
    assert_eq!((row.payments, row.feasible, row.succeeded), (5, 4, 3));
    // Over the successful payments: rounds and attempts 1, 2, 5; fees 0, 10, 20 ppm.
    assert_eq!(row.median_rounds, 2.0);
    assert_eq!(row.median_attempts, 2.0);
    assert_eq!(row.median_fee_ppm, Some(10.0));
    // Failed attempts over all payments: 0 + 1 + 4 + 6 + 0.
    assert_eq!(row.failed_attempts, 11);
    // Time: all five (0.5, 4, 6, 8, 30) and the four feasible ones (4, 6, 8, 30).
    assert_eq!(row.median_ms_per_payment, 6.0);
    assert_eq!(row.median_ms_per_feasible_payment, Some(7.0));
    // Nothing succeeded, nothing feasible: medians over nothing.
    let rows = pp_session::summarize(&records[4..], &[Msat(1_000_000).into()], &[Strategy::Mcf]);
    let row = &rows[0];
    assert_eq!((row.median_rounds, row.median_attempts), (0.0, 0.0));
    assert_eq!(row.median_fee_ppm, None);
    assert_eq!(row.median_ms_per_payment, 0.5);
    assert_eq!(row.median_ms_per_feasible_payment, None);
}

#[test]
fn distributed_amounts_are_the_same_for_every_strategy() {
    let g = generate(&GeneratorParams::new(120, 8)).expect("generated");
    let o = Oracle::random(&g, 8);
    let range = AmountSpec::LogUniform {
        min: Msat(1_000_000),
        max: Msat(1_000_000_000),
    };
    let p = |threads| SimulationParams {
        payments: 30,
        amounts: vec![range, Msat(50_000_000).into()],
        seed: 11,
        threads: Some(threads),
        ..SimulationParams::default()
    };
    let rep = simulate(&o, &p(2), &|| {}).expect("runs");
    let drawn = |k: Strategy, row: usize| {
        rep.records
            .iter()
            .filter(|r| r.strategy == k && r.amount_row == row)
            .map(|r| r.amount_msat)
            .collect::<Vec<_>>()
    };
    let mcf = drawn(Strategy::Mcf, 0);
    assert_eq!(mcf, range.amounts(30, 11, 0), "the documented draws");
    assert_eq!(mcf, drawn(Strategy::Cheapest, 0));
    assert_eq!(mcf, drawn(Strategy::Probable, 0));
    assert!(mcf.iter().all(|&a| range.min() <= a && a <= range.max()));
    assert!(mcf.windows(2).any(|w| w[0] != w[1]), "amounts vary");
    assert_eq!(drawn(Strategy::Mcf, 1), vec![Msat(50_000_000); 30]);
    // Rows: the range's bounds in sat, then the fixed amount.
    let bounds: Vec<(u64, Option<u64>)> = rep
        .summary
        .iter()
        .map(|s| (s.amount_sat, s.amount_max_sat))
        .collect();
    assert_eq!(
        bounds,
        [[(1_000, Some(1_000_000)); 3], [(50_000, None); 3]].concat()
    );
    // Feasibility is judged per payment at its own amount; the thread count changes nothing.
    for r in &rep.records {
        let (s, t) = (
            g.node_index(&r.sender).expect("node"),
            g.node_index(&r.receiver).expect("node"),
        );
        assert_eq!(
            r.feasible,
            o.max_flow_up_to(s, t, r.amount_msat) >= r.amount_msat
        );
    }
    let again = simulate(&o, &p(1), &|| {}).expect("runs");
    assert_eq!(strip(rep.records), strip(again.records));
    // The sequential mode draws the same amounts.
    let kept = simulate(
        &o,
        &SimulationParams {
            keep_belief: true,
            strategies: vec![Strategy::Mcf],
            ..p(2)
        },
        &|| {},
    )
    .expect("runs");
    let kept_amounts: Vec<Msat> = kept
        .records
        .iter()
        .filter(|r| r.amount_row == 0)
        .map(|r| r.amount_msat)
        .collect();
    assert_eq!(kept_amounts, mcf);
}
