//! `Session::plan`: the first round of a payment without sending it. It must be exactly what a
//! payment's first round sends, and leave the belief (apart from the sender's pinned channels)
//! and the network untouched.

use crate::common::check_invariants;
use pp_graph::largest_scc;
use pp_graph::{generate, GeneratorParams, Msat};
use pp_session::random_pairs;
use pp_session::{AttemptStatus, Oracle, PayParams, Session, StopReason, Strategy};

#[test]
fn a_plan_is_what_the_first_round_sends() {
    let g = generate(&GeneratorParams::new(120, 21)).expect("generated");
    let truth = Oracle::random(&g, 22);
    let pairs = random_pairs(&largest_scc(&g), 30, 23);
    let (mut planned, mut unplanned, mut refused) = (0, 0, 0);
    for (i, &(s, t)) in pairs.iter().enumerate() {
        let (from, to) = (g.node_id(s), g.node_id(t));
        let amount = Msat([20_000_000, 400_000_000, 3_000_000_000][i % 3]);
        for strategy in Strategy::ALL {
            // The third variant's fee budget of 1 sat refuses most plans.
            for (local, budget) in [(true, None), (false, None), (true, Some(Msat(1_000)))] {
                let mut params = PayParams::default().with_local_knowledge(local);
                if let Some(b) = budget {
                    params = params.with_fee_budget(b);
                }
                let mut session = Session::new(&g, truth.clone()).with_params(params);
                let plan = session
                    .plan_with(strategy, &from, &to, amount)
                    .expect("valid request");
                // Nothing was sent or reserved; without local knowledge nothing was learned.
                assert!(!session.network().has_in_flight());
                for d in g.directions() {
                    assert_eq!(session.belief().in_flight(d), Msat::ZERO);
                    if !local {
                        assert_eq!(session.belief().min(d), Msat::ZERO);
                        assert_eq!(session.belief().max(d), g.capacity(d));
                    }
                }
                let r = session
                    .pay_with(strategy, &from, &to, amount)
                    .expect("valid request");
                check_invariants(&g, session.belief(), session.network(), &r);
                let first: Vec<_> = r.attempts.iter().filter(|a| a.round == 1).collect();
                match &plan.stop_reason {
                    None => {
                        planned += 1;
                        assert_eq!(plan.attempts.len(), first.len(), "{strategy} {i}");
                        for (p, a) in plan.attempts.iter().zip(&first) {
                            assert_eq!(p.outcome, AttemptStatus::Planned);
                            assert_eq!(
                                (p.amount_msat, p.fee_msat, &p.hops),
                                (a.amount_msat, a.fee_msat, &a.hops)
                            );
                            assert_eq!(p.probability, a.probability);
                        }
                        let sum: u64 = plan.attempts.iter().map(|a| a.amount_msat.0).sum();
                        assert_eq!(plan.planned_msat, Msat(sum));
                        assert!(plan.planned_msat <= amount);
                        assert_eq!(plan.mu, r.round_details[0].mu);
                        assert_eq!(plan.probability, r.round_details[0].probability);
                    }
                    Some(stop) => {
                        unplanned += 1;
                        assert!(first.is_empty(), "{strategy} {i}: {stop:?}");
                        assert_eq!(&r.stop_reason, stop, "{strategy} {i}");
                        // A plan the payment refuses (improbable, too dear) is shown;
                        // otherwise there is none.
                        if !plan.attempts.is_empty() {
                            assert!(
                                matches!(
                                    stop,
                                    StopReason::LowProbability { .. }
                                        | StopReason::FeeBudget { .. }
                                ),
                                "{stop:?}"
                            );
                            refused += 1;
                        }
                    }
                }
            }
        }
    }
    eprintln!("plans: {planned} sent, {unplanned} not ({refused} of them shown)");
    assert!(
        planned > 50 && unplanned > 5 && refused > 10,
        "{planned} {unplanned} {refused}"
    );
}

#[test]
fn a_plan_on_the_toy_is_the_pinned_first_round() {
    let g = crate::common::toy();
    let mut session = Session::new(&g, Oracle::random(&g, 9));
    let (a, d) = (crate::common::toy_node('a'), crate::common::toy_node('d'));
    let plan = session.plan(&a, &d, Msat(200_000_000)).expect("valid");
    // As the README's toy payment: round 1 is one part of 200,000 sat over A–C–D, fee 2000 msat.
    assert_eq!(plan.stop_reason, None);
    assert_eq!(plan.attempts.len(), 1);
    let scids: Vec<String> = plan.attempts[0]
        .hops
        .iter()
        .map(|h| h.scid.to_string())
        .collect();
    assert_eq!(scids, ["103x2x0", "103x4x0"]);
    assert_eq!(plan.fee_msat, Msat(2_000));
    assert_eq!(plan.planned_msat, Msat(200_000_000));
    assert!((plan.fee_ppm - 10.0).abs() < 1e-9);
    assert!(
        (plan.probability - 0.75).abs() < 1e-3,
        "{}",
        plan.probability
    );
    // Asking for more than the sender holds: no plan, the reason says why.
    let none = session.plan(&a, &d, Msat(2_000_000_000)).expect("valid");
    assert!(
        matches!(none.stop_reason, Some(StopReason::Infeasible { .. })),
        "{:?}",
        none.stop_reason
    );
}
