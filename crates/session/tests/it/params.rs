//! Property: whatever the parameters (μ or frugality, the first round's fee weight, pieces, slope
//! rule, base-fee threshold and fallback, base fee in the cost, pruning, flow unit, HTLC-limit
//! mode, rounds and stalled rounds, plan and part probability thresholds, fee budget (fixed or
//! the default share), solver, part/hop/CLTV limits, local knowledge), a sequence of payments of
//! every strategy on a generated graph either returns a report or a typed error for an invalid
//! parameter — never a panic — and every docs/MODEL.md §6 invariant holds after each payment
//! (checked by `check_invariants`, which also recomputes every hop's fee), including the fee
//! budget.

use crate::common::check_invariants;
use pp_graph::largest_scc;
use pp_graph::{generate, GeneratorParams, Msat};
use pp_session::random_pairs;
use pp_session::{FeeWeight, Limits, Oracle, PayParams, Session, SessionError, StopReason};
use pp_uncertainty::SlopeRule;
use proptest::prelude::*;

fn params() -> impl proptest::strategy::Strategy<Value = PayParams> {
    let weight = prop_oneof![
        (0.0f64..2.0).prop_map(FeeWeight::Mu),
        (0.0f64..20.0).prop_map(FeeWeight::Frugality),
    ];
    let limits = (
        proptest::option::of(1usize..6),
        proptest::option::of(1usize..8),
        proptest::option::of(0u32..3000),
    )
        .prop_map(|(max_parts, max_hops, max_total_cltv)| Limits {
            max_parts,
            max_hops,
            max_total_cltv,
        });
    (
        (
            weight,
            1u32..12,
            any::<bool>(),
            prop_oneof![Just(0u64), 0u64..5_000, Just(u64::MAX)],
            any::<bool>(),
            any::<bool>(),
        ),
        (
            prop_oneof![Just(1u64), Just(1_000), 1u64..100_000],
            any::<bool>(),
            1u32..6,
            0.0f64..0.5,
            proptest::option::of(1u64..20_000_000),
            prop_oneof![Just("native"), Just("ssp")],
            limits,
            any::<bool>(),
        ),
        (any::<bool>(), 1u32..4, 0.0f64..0.3, 0.0f64..8.0),
    )
        .prop_map(
            |(
                (weight, pieces, linear, threshold, fallback, prune),
                (quantum, per_part, rounds, min_p, budget, solver, limits, local),
                (base_in_cost, stalled, min_part, first_round),
            )| {
                let mut p = PayParams::default()
                    .with_pieces(pieces)
                    .with_slopes(if linear {
                        SlopeRule::Linear
                    } else {
                        SlopeRule::Secant
                    })
                    .with_base_fee_threshold(Msat(threshold))
                    .with_prune(prune)
                    .with_max_rounds(rounds)
                    .with_min_plan_probability(min_p)
                    .with_solver(solver)
                    .with_limits(limits)
                    .with_local_knowledge(local);
                p.fee_weight = weight;
                p.base_fee_fallback = fallback;
                p.shape.quantum = Msat(quantum);
                if per_part {
                    p = p.with_htlc_max(pp_session::HtlcMaxRule::PerPart);
                }
                p.base_fee_in_cost = base_in_cost;
                p.max_stalled_rounds = stalled;
                p.min_part_probability = min_part;
                p.first_round_fee_weight = first_round;
                if let Some(b) = budget {
                    p = p.with_fee_budget(Msat(b));
                }
                p
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_parameters_keep_every_invariant(
        p in params(),
        graph_seed in 0u64..1_000,
        amounts in proptest::collection::vec(1u64..5_000_000_000, 8),
    ) {
        let g = generate(&GeneratorParams::new(100, graph_seed)).expect("generated");
        let oracle = Oracle::random(&g, graph_seed + 1);
        let pairs = random_pairs(&largest_scc(&g), amounts.len(), graph_seed + 2);
        let mut session = Session::new(&g, oracle).with_params(p.clone());
        for (i, (&(s, t), &amount)) in pairs.iter().zip(&amounts).enumerate() {
            let strategy = pp_session::Strategy::ALL[i % 3];
            match session.pay_nodes(strategy, s, t, Msat(amount)) {
                Ok(r) => {
                    check_invariants(&g, session.belief(), session.network(), &r);
                    prop_assert!(r.rounds <= p.max_rounds);
                    if let Some(budget) = p.fee_budget.for_amount(Msat(amount)) {
                        prop_assert!(r.fees_msat <= budget, "{:?} > {:?}", r.fees_msat, budget);
                    }
                    for a in &r.attempts {
                        if let Some(h) = p.limits.max_hops {
                            prop_assert!(a.hops.len() <= h);
                        }
                    }
                    if let Some(m) = p.limits.max_parts {
                        for rd in &r.round_details {
                            prop_assert!(rd.attempts <= m);
                        }
                    }
                    if r.success {
                        prop_assert_eq!(r.stop_reason, StopReason::Delivered);
                    }
                    // The plan of the same payment now is a first round as well.
                    let plan = session.plan_with(strategy, &g.node_id(s), &g.node_id(t), Msat(amount));
                    prop_assert!(plan.is_ok(), "{:?}", plan.err());
                }
                // Invalid combinations are typed errors.
                Err(SessionError::InvalidParameter { .. }) => {}
                Err(e) => prop_assert!(false, "payment {} ({:?}): {}", i, strategy, e),
            }
        }
    }
}
