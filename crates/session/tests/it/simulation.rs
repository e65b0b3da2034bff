//! The simulation driver: determinism across thread counts, modes, summaries.

use pp_graph::{generate, GeneratorParams, Msat};
use pp_session::simulate::{largest_scc, random_pairs, PaymentRecord};
use pp_session::{simulate, Oracle, SimulationParams, Strategy};

fn params(threads: usize) -> SimulationParams {
    SimulationParams {
        payments: 24,
        amounts: vec![Msat(20_000_000), Msat(300_000_000)],
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
        amounts: vec![Msat(400_000_000)],
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
