//! A whole payment on the toy graph, pinned exactly; bad input; a lying network.

use crate::common::{check_invariants, toy, toy_dir, toy_node};
use pp_graph::{DirIdx, Msat, NodeId, Sat, MAX_SUPPLY_SAT};
use pp_session::{
    AttemptStatus, Oracle, OracleError, PayParams, PaymentNetwork, SendOutcome, Session,
    SessionError, StopReason, Strategy,
};

/// The toy graph's ground truth for these tests (sat, per direction).
fn oracle(g: &pp_graph::Graph) -> Oracle<'_> {
    let mut o = Oracle::from_side0_liquidity(g, |_| Msat::ZERO).expect("valid");
    for (s, t, sat) in [
        ('a', 'b', 700_000),
        ('a', 'c', 300_000),
        ('b', 'd', 250_000),
        ('c', 'd', 500_000),
        ('b', 'c', 100_000),
    ] {
        o.set_liquidity(toy_dir(g, s, t), Sat(sat).to_msat().expect("small"))
            .expect("below capacity");
    }
    o
}

/// The attempts of a report as (round, amount, fee, outcome, scids).
fn attempts(r: &pp_session::PaymentReport) -> Vec<(u32, u64, u64, AttemptStatus, String)> {
    let scids = |a: &pp_session::AttemptReport| {
        a.hops
            .iter()
            .map(|h| h.scid.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    r.attempts
        .iter()
        .map(|a| (a.round, a.amount_msat.0, a.fee_msat.0, a.outcome, scids(a)))
        .collect()
}

/// Without local knowledge (docs/MODEL.md §2's plain belief): A's own channels are as uncertain as
/// any.
#[test]
fn toy_payment_is_pinned_round_by_round() {
    let g = toy();
    // The 0.1 routing rules (`PayParams::legacy`), which this exact trace was pinned under.
    let params = PayParams::legacy().with_local_knowledge(false);
    let mut session = Session::new(&g, oracle(&g)).with_params(params);
    let r = session
        .pay(&toy_node('a'), &toy_node('d'), Msat(300_000_000))
        .expect("valid request");
    assert_eq!(r.stop_reason, StopReason::Delivered);
    assert!(r.success);
    assert_eq!(r.rounds, 2);
    // Round 1 uses only zero-base-fee channels (A's own A→B would do, its base fee is never
    // paid, but B's onward channels charge one): A–C–D. A→C holds 300,000 sat, less than the
    // 300,003 sat (amount + C's fee of 10 ppm) it must forward. Round 2 learned that and, the
    // zero-base-fee problem being hopeless now, uses every channel and splits: 180,000 sat over
    // A–B–D (B charges 1000 msat + 50 ppm) and 120,000 sat over A–C–D (C charges 10 ppm).
    //
    // The split by hand (μ = 0.0046535 from frugality 1, flow unit 1 sat, A = 300,000 sat,
    // secant slopes in nats per sat; A pays no fee on its own A→B, A→C):
    // - A–B–D: A→B's first piece (200,000 sat) −ln(0.8)/200,000 = 1.116e-6, B's fee
    //   μ·50/300,000 = 0.776e-6, B→D's pieces of 80,000 sat: −ln(0.8)/80,000 = 2.789e-6, then
    //   ln(0.8/0.6)/80,000 = 3.596e-6, then ln(0.6/0.4)/80,000 = 5.068e-6: 4.680e-6 per sat for
    //   the first 80,000 sat, 5.487e-6 for the next 80,000, 6.959e-6 beyond;
    // - A–C–D: A→C's belief is [0, 300,002,999] msat, pieces of 60,000 sat: −ln(0.8)/60,000 =
    //   3.719e-6, then ln(0.8/0.6)/60,000 = 4.795e-6; C→D −ln(0.8)/160,000 = 1.395e-6, C's fee
    //   μ·10/300,000 = 0.155e-6: 5.269e-6 per sat for the first 60,000 sat, 6.345e-6 next.
    // Cheapest first: 80,000 (A–B–D), 60,000 (A–C–D), 80,000 (A–B–D), 60,000 (A–C–D), and the
    // last 20,000 over A–B–D (6.959e-6 < 8.31e-6 of A–C–D's third piece): 180,000 and 120,000.
    assert_eq!(
        attempts(&r),
        vec![
            (
                1,
                300_000_000,
                3_000,
                AttemptStatus::FailedAt { hop: 0 },
                "103x2x0 103x4x0".into()
            ),
            (
                2,
                180_000_000,
                10_000,
                AttemptStatus::Settled,
                "103x1x0 103x3x0".into()
            ),
            (
                2,
                120_000_000,
                1_200,
                AttemptStatus::Settled,
                "103x2x0 103x4x0".into()
            ),
        ]
    );
    // Fees by hand: 1000 + floor(180,000,000 × 50 / 10⁶) = 10,000 and floor(120,000,000 × 10 /
    // 10⁶) = 1,200.
    assert_eq!(r.fees_msat, Msat(11_200));
    assert_eq!(r.attempt_counts.total, 3);
    assert_eq!(r.attempt_counts.failed, 1);
    assert_eq!(r.attempt_counts.settled, 2);
    assert!((r.fee_ppm - 37.33).abs() < 0.01, "{}", r.fee_ppm);
    // Round 1's planned probability by docs/MODEL.md §2: (500,000,001 − 300,003,000) / 500,000,001
    // on A→C times (800,000,001 − 300,000,000) / 800,000,001 on C→D.
    let p1 = (199_997_001.0 / 500_000_001.0) * (500_000_001.0 / 800_000_001.0);
    assert!((r.attempts[0].probability - p1).abs() < 1e-12);
    // Round 2: A→B and B→D at the prior; A→C below its learned max of 300,002,999 msat.
    let p2 = (819_990_001.0 / 1_000_000_001.0) * (220_000_001.0 / 400_000_001.0);
    let p3 = (180_001_800.0 / 300_003_000.0) * (680_000_001.0 / 800_000_001.0);
    assert!((r.attempts[1].probability - p2).abs() < 1e-12);
    assert!((r.attempts[2].probability - p3).abs() < 1e-12);
    assert!((r.round_details[1].probability - p2 * p3).abs() < 1e-12);
    assert!(!r.round_details[0].base_fee_fallback);
    assert!(r.round_details[1].base_fee_fallback);
    // Settlement moved the liquidity; the belief learned from the failure.
    let o = session.network();
    let liq = |s, t| o.liquidity(toy_dir(&g, s, t)).0;
    assert_eq!(liq('a', 'b'), 700_000_000 - 180_010_000);
    assert_eq!(liq('b', 'd'), 250_000_000 - 180_000_000);
    assert_eq!(liq('a', 'c'), 300_000_000 - 120_001_200);
    assert_eq!(liq('c', 'd'), 500_000_000 - 120_000_000);
    assert_eq!(liq('b', 'a'), 300_000_000 + 180_010_000);
    let b = session.belief();
    // A→C failed 300,003,000 (max = x − 1), then 120,001,200 settled over it.
    assert_eq!(
        b.max(toy_dir(&g, 'a', 'c')),
        Msat(300_002_999 - 120_001_200)
    );
    check_invariants(&g, session.belief(), session.network(), &r);
    assert!(r.entropy_after_bits < r.entropy_before_bits);
}

/// With local knowledge (the default): A knows it holds 700,000 sat on A→B and 300,000 sat on
/// A→C, so nothing fails.
#[test]
fn toy_payment_with_local_knowledge_is_pinned() {
    let g = toy();
    // The 0.1 routing rules (`PayParams::legacy`), which this exact trace was pinned under.
    let mut session = Session::new(&g, oracle(&g)).with_params(PayParams::legacy());
    assert!(session.params().local_knowledge, "on by default");
    let r = session
        .pay(&toy_node('a'), &toy_node('d'), Msat(300_000_000))
        .expect("valid request");
    assert_eq!(r.stop_reason, StopReason::Delivered);
    assert_eq!(r.rounds, 2);
    // Round 1 (zero-base-fee channels: A–C–D only, as above): the flow puts 300,000 sat on A→C,
    // all of it certain now, but the hop must also carry C's fee of 10 ppm, so the part is
    // trimmed to the largest amount a with a + floor(a · 10 / 10⁶) <= 300,000,000 msat:
    // a = 299,997,001 (fee 2,999; one more msat would need 300,000,001 on A→C). Round 2 sends
    // the remaining 2,999 msat: A→C is full, so over A→B, then B→D or B→C, both with a base
    // fee (every channel, `base_fee_fallback`): A–B–D, fee 1000 + floor(2,999 · 50 / 10⁶) =
    // 1,000 msat.
    assert_eq!(
        attempts(&r),
        vec![
            (
                1,
                299_997_001,
                2_999,
                AttemptStatus::Settled,
                "103x2x0 103x4x0".into()
            ),
            (
                2,
                2_999,
                1_000,
                AttemptStatus::Settled,
                "103x1x0 103x3x0".into()
            ),
        ]
    );
    assert_eq!(r.fees_msat, Msat(3_999));
    assert_eq!(r.attempt_counts.failed, 0);
    assert!((r.fee_ppm - 13.33).abs() < 0.01, "{}", r.fee_ppm);
    // Probabilities: A's own hops are certain; C→D and B→D at the prior.
    let p1 = (800_000_001.0 - 299_997_001.0) / 800_000_001.0;
    let p2 = (400_000_001.0 - 2_999.0) / 400_000_001.0;
    assert!((r.attempts[0].probability - p1).abs() < 1e-12);
    assert!((r.attempts[1].probability - p2).abs() < 1e-12);
    assert!(!r.round_details[0].base_fee_fallback);
    assert!(r.round_details[1].base_fee_fallback);
    // The hop amounts: A→C carries 300,000,000 msat, exactly what A holds there.
    assert_eq!(r.attempts[0].hops[0].amount_msat, Msat(300_000_000));
    assert_eq!(r.attempts[1].hops[0].amount_msat, Msat(3_999));
    // A's pinned channels followed the settlement exactly; the truth stays inside the belief.
    let (ab, ac) = (toy_dir(&g, 'a', 'b'), toy_dir(&g, 'a', 'c'));
    let b = session.belief();
    assert_eq!((b.min(ac), b.max(ac)), (Msat::ZERO, Msat::ZERO));
    assert_eq!(
        (b.min(ab), b.max(ab)),
        (Msat(700_000_000 - 3_999), Msat(700_000_000 - 3_999))
    );
    assert_eq!(session.network().liquidity(ab), Msat(700_000_000 - 3_999));
    check_invariants(&g, session.belief(), session.network(), &r);
}

#[test]
fn a_repeated_payment_uses_what_the_first_one_learned() {
    let g = toy();
    let mut session = Session::new(&g, oracle(&g));
    let first = session
        .pay(&toy_node('a'), &toy_node('d'), Msat(100_000_000))
        .expect("valid");
    let second = session
        .pay(&toy_node('a'), &toy_node('d'), Msat(100_000_000))
        .expect("valid");
    check_invariants(&g, session.belief(), session.network(), &second);
    assert!(first.success && second.success);
    assert!(second.attempt_counts.failed <= first.attempt_counts.failed);
}

#[test]
fn every_strategy_delivers_on_the_toy() {
    let g = toy();
    for k in Strategy::ALL {
        let mut session = Session::new(&g, oracle(&g));
        let r = session
            .pay_with(k, &toy_node('a'), &toy_node('d'), Msat(200_000_000))
            .expect("valid");
        assert!(r.success, "{k}: {:?}", r.stop_reason);
        assert_eq!(r.strategy, k.name());
        check_invariants(&g, session.belief(), session.network(), &r);
    }
}

#[test]
fn an_infeasible_payment_fails_cleanly_and_releases_everything() {
    let g = toy();
    let params = PayParams::default().with_min_plan_probability(0.0);
    let mut session = Session::new(&g, oracle(&g)).with_params(params);
    // The true max-flow A → D is 650,000 sat; ask for 700,000.
    let r = session
        .pay(&toy_node('a'), &toy_node('d'), Msat(700_000_000))
        .expect("valid");
    assert!(!r.success);
    assert_eq!(r.delivered_msat, Msat::ZERO);
    assert_eq!(r.fees_msat, Msat::ZERO);
    check_invariants(&g, session.belief(), session.network(), &r);
    let max = session.network().max_flow(
        g.node_index(&toy_node('a')).expect("node"),
        g.node_index(&toy_node('d')).expect("node"),
    );
    assert_eq!(max, Msat(650_000_000));
}

#[test]
fn bad_requests_are_errors_not_panics() {
    let g = toy();
    let mut s = Session::new(&g, oracle(&g));
    let (a, d) = (toy_node('a'), toy_node('d'));
    let stranger = NodeId::synthetic(99);
    assert!(matches!(
        s.pay(&stranger, &d, Msat(1000)),
        Err(SessionError::UnknownNode { .. })
    ));
    assert!(matches!(
        s.pay(&a, &a, Msat(1000)),
        Err(SessionError::SelfPayment { .. })
    ));
    assert!(matches!(
        s.pay(&a, &d, Msat(0)),
        Err(SessionError::InvalidAmount { .. })
    ));
    assert!(matches!(
        s.pay(&a, &d, Msat((MAX_SUPPLY_SAT + 1) * 1000)),
        Err(SessionError::InvalidAmount { .. })
    ));
    s.set_params(PayParams::default().with_solver("no-such-solver"));
    let e = s.pay(&a, &d, Msat(1000)).expect_err("unknown solver");
    assert!(e.to_string().contains("no-such-solver"), "{e}");
    // pp-mcf's typed error, not text.
    assert!(
        matches!(&e, SessionError::UnknownSolver(pp_mcf::McfError::UnknownBackend { name, .. }) if name == "no-such-solver"),
        "{e:?}"
    );
    s.set_params(PayParams::default().with_pieces(0));
    assert!(matches!(
        s.pay(&a, &d, Msat(1000)),
        Err(SessionError::InvalidParameter { name: "pieces", .. })
    ));
}

/// A network that forwards the first HTLC honestly and fails every later one at its first hop.
#[derive(Debug)]
struct Liar<'g> {
    inner: Oracle<'g>,
    sent: usize,
}

impl PaymentNetwork for Liar<'_> {
    type Error = OracleError;
    fn send(&mut self, path: &[DirIdx], amounts: &[Msat]) -> Result<SendOutcome, OracleError> {
        self.sent += 1;
        if self.sent == 1 {
            self.inner.send(path, amounts)
        } else {
            Ok(SendOutcome::liquidity_failure(0))
        }
    }
    fn settle(&mut self, path: &[DirIdx], amounts: &[Msat]) -> Result<(), OracleError> {
        self.inner.settle(path, amounts)
    }
    fn release(&mut self, path: &[DirIdx], amounts: &[Msat]) -> Result<(), OracleError> {
        self.inner.release(path, amounts)
    }
}

#[test]
fn a_lying_network_is_an_error_and_leaks_nothing() {
    let g = toy();
    let liar = Liar {
        inner: oracle(&g),
        sent: 0,
    };
    let mut s = Session::new(&g, liar);
    // The sender knows its own balances exactly (A→B 700,000 sat, A→C 300,000 sat).
    for (t, sat) in [('b', 700_000), ('c', 300_000)] {
        s.belief_mut()
            .set_exact(toy_dir(&g, 'a', t), Sat(sat).to_msat().expect("small"))
            .expect("below capacity");
    }
    // Round 1 sends 600,000 sat in two parts: the first is forwarded (and stays in flight), the
    // second "fails at the sender's own hop" for less than the sender is sure it holds.
    let err = s
        .pay(&toy_node('a'), &toy_node('d'), Msat(600_000_000))
        .expect_err("the lie is caught");
    assert!(matches!(err, SessionError::Contradiction { .. }), "{err}");
    assert_eq!(s.network().sent, 2);
    for d in g.directions() {
        assert_eq!(s.belief().in_flight(d), Msat::ZERO, "belief leak on {d:?}");
    }
    assert!(!s.network().inner.has_in_flight(), "oracle leak");
    s.belief().check_invariants().expect("belief consistent");
}

#[test]
fn a_hopeless_payment_stops_before_solving() {
    let g = toy();
    // The 0.1 routing rules (`PayParams::legacy`), which this exact trace was pinned under.
    let params = PayParams::legacy().with_local_knowledge(false);
    let mut session = Session::new(&g, oracle(&g)).with_params(params);
    // D can receive at most 1,200,000 sat (400,000 + 800,000 of capacity). The best split of
    // 1,150,000 sat over D's two channels leaves the same room t on both: (400,000,001 − t) +
    // (800,000,001 − t) = 1,150,000,000 msat, t = 25,000,001, so no plan beats
    // t/400,000,001 · t/800,000,001 ≈ 0.00195 (A's channels would allow 0.061).
    let r = session
        .pay(&toy_node('a'), &toy_node('d'), Msat(1_150_000_000))
        .expect("valid");
    let StopReason::LowProbability { probability, .. } = r.stop_reason else {
        panic!("{:?}", r.stop_reason);
    };
    let t = 25_000_001.0;
    let want = t / 400_000_001.0 * t / 800_000_001.0;
    assert!((probability - want).abs() < 1e-9, "{probability} vs {want}");
    assert_eq!((r.rounds, r.attempt_counts.total), (0, 0));
    check_invariants(&g, session.belief(), session.network(), &r);
}

#[test]
fn a_payment_beyond_the_senders_balance_stops_before_sending() {
    let g = toy();
    let mut session = Session::new(&g, oracle(&g));
    // A holds 700,000 + 300,000 sat on its channels and knows it: 1,150,000 sat is infeasible
    // before anything is solved or sent.
    let r = session
        .pay(&toy_node('a'), &toy_node('d'), Msat(1_150_000_000))
        .expect("valid");
    assert_eq!(
        r.stop_reason,
        StopReason::Infeasible {
            max_flow: Msat(1_000_000_000),
            residual: Msat(1_150_000_000)
        }
    );
    assert_eq!((r.rounds, r.attempt_counts.total), (0, 0));
    check_invariants(&g, session.belief(), session.network(), &r);
}

/// Round 1 plans with `first_round_fee_weight × μ`, later rounds with μ; plans (round 1) too.
#[test]
fn the_first_round_weighs_fees_by_its_factor() {
    let g = toy();
    let (a, d) = (toy_node('a'), toy_node('d'));
    for w in [1.0, 4.0, 0.0] {
        let params = PayParams {
            first_round_fee_weight: w,
            fee_budget: pp_session::FeeBudget::Unlimited,
            ..PayParams::legacy().with_local_knowledge(false)
        }
        .with_mu(0.5);
        let mut session = Session::new(&g, oracle(&g)).with_params(params);
        let plan = session.plan(&a, &d, Msat(300_000_000)).expect("valid");
        assert_eq!(plan.mu, 0.5 * w);
        let r = session.pay(&a, &d, Msat(300_000_000)).expect("valid");
        assert!(r.rounds >= 2, "{w}: {} round(s)", r.rounds);
        assert_eq!(r.round_details[0].mu, 0.5 * w, "{w}");
        assert!(r.round_details[1..].iter().all(|x| x.mu == 0.5), "{w}");
        check_invariants(&g, session.belief(), session.network(), &r);
    }
    for w in [-1.0, f64::NAN, f64::INFINITY] {
        let params = PayParams {
            first_round_fee_weight: w,
            ..PayParams::default()
        };
        let mut session = Session::new(&g, oracle(&g)).with_params(params);
        assert!(matches!(
            session.pay(&a, &d, Msat(1_000_000)),
            Err(SessionError::InvalidParameter {
                name: "first_round_fee_weight",
                ..
            })
        ));
    }
}
