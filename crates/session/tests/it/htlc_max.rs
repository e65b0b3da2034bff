//! `htlc_maximum_msat` caps each direction's whole flow by default; when that leaves a payment
//! infeasible on the belief, the payment caps each part instead (`PayParams::htlc_max_fallback`)
//! and splits its parts at the maximum.

use crate::common::{check_invariants, full_oracle, one_way_graph, Dir};
use pp_graph::{Graph, Msat, NodeId};
use pp_session::{PayParams, Session, StopReason};

/// S → X → T, both channels 1,000,000 sat with all their liquidity on the listed side; X → T
/// takes HTLCs of at most `max_sat`.
fn small_htlc_maximum(max_sat: u64) -> Graph {
    one_way_graph(&[
        Dir::new(1, 1, 2, 1_000_000),
        Dir::new(2, 2, 3, 1_000_000).htlc_max_sat(max_sat),
    ])
}

#[test]
fn a_payment_the_per_direction_cap_cannot_carry_splits_its_parts_at_the_maximum() {
    let g = small_htlc_maximum(40_000);
    let (s, t) = (NodeId::synthetic(1), NodeId::synthetic(3));
    let mut session = Session::new(&g, full_oracle(&g));
    assert!(session.params().htlc_max_fallback, "on by default");

    // 100,000 sat cannot pass X → T in one HTLC of at most 40,000 sat; in three it can.
    let plan = session.plan(&s, &t, Msat(100_000_000)).expect("valid");
    assert_eq!(plan.stop_reason, None);
    assert!(plan.htlc_max_fallback);
    assert_eq!(plan.attempts.len(), 3);
    let r = session.pay(&s, &t, Msat(100_000_000)).expect("valid");
    assert_eq!(r.stop_reason, StopReason::Delivered);
    assert!(r.round_details[0].htlc_max_fallback);
    assert_eq!(r.attempts.len(), 3);
    assert!(r.attempts.iter().all(|a| a.amount_msat <= Msat(40_000_000)));
    assert_eq!(r.delivered_msat, Msat(100_000_000));
    check_invariants(&g, session.belief(), session.network(), &r);

    // The fallback belonged to that payment: the next one fits the cap and keeps it.
    let r = session.pay(&s, &t, Msat(30_000_000)).expect("valid");
    assert_eq!(r.stop_reason, StopReason::Delivered);
    assert!(!r.round_details[0].htlc_max_fallback);
    assert_eq!(r.attempts.len(), 1);
    check_invariants(&g, session.belief(), session.network(), &r);
}

#[test]
fn without_the_fallback_such_a_payment_stops_as_infeasible_before_sending() {
    let g = small_htlc_maximum(40_000);
    let (s, t) = (NodeId::synthetic(1), NodeId::synthetic(3));
    let params = PayParams {
        htlc_max_fallback: false,
        ..PayParams::default()
    };
    let mut session = Session::new(&g, full_oracle(&g)).with_params(params);
    let r = session.pay(&s, &t, Msat(100_000_000)).expect("valid");
    assert_eq!(
        r.stop_reason,
        StopReason::Infeasible {
            max_flow: Msat(40_000_000),
            residual: Msat(100_000_000)
        }
    );
    assert!(r.attempts.is_empty());
    check_invariants(&g, session.belief(), session.network(), &r);
}

#[test]
fn a_payment_that_splits_sends_at_most_ten_parts_a_round() {
    // 100,000 sat through a 5,000 sat maximum: 20 parts, 10 in each of two rounds.
    let g = small_htlc_maximum(5_000);
    let (s, t) = (NodeId::synthetic(1), NodeId::synthetic(3));
    let mut session = Session::new(&g, full_oracle(&g));
    let r = session.pay(&s, &t, Msat(100_000_000)).expect("valid");
    assert_eq!(r.stop_reason, StopReason::Delivered);
    let per_round: Vec<usize> = r.round_details.iter().map(|d| d.attempts).collect();
    assert_eq!(per_round, [10, 10]);
    assert!(r.round_details.iter().all(|d| d.htlc_max_fallback));
    check_invariants(&g, session.belief(), session.network(), &r);
}

/// `Session::planned_problem` (what `mcf export` writes) is the problem the plan solved: after
/// the fallback the per-part one, feasible, with the optimal cost the plan reports; the problem
/// round 1 tries first (`first_round_problem`) is the capped, infeasible one.
#[test]
fn the_planned_problem_is_the_one_after_the_fallback() {
    use pp_mcf::McfSolver;
    let g = small_htlc_maximum(40_000);
    let (s, t) = (NodeId::synthetic(1), NodeId::synthetic(3));
    let mut session = Session::new(&g, full_oracle(&g));
    let planned = session
        .planned_problem(&s, &t, Msat(100_000_000))
        .expect("valid");
    assert!(planned.htlc_max_per_part && planned.plan.htlc_max_fallback);
    let mut solver = pp_mcf::NativeSolver::new();
    let solved = solver.solve(&planned.problem.problem).expect("feasible");
    let reported = planned.plan.problem.expect("a problem was solved");
    assert_eq!(solved.cost, reported.cost);
    assert_eq!(planned.problem.problem.num_arcs(), reported.arcs);
    let first = session
        .first_round_problem(&s, &t, Msat(100_000_000))
        .expect("valid");
    assert!(matches!(
        solver.solve(&first.problem),
        Err(pp_mcf::McfError::Infeasible { .. })
    ));

    // A payment that fits the cap: the planned problem is the first one.
    let planned = session
        .planned_problem(&s, &t, Msat(30_000_000))
        .expect("valid");
    assert!(!planned.htlc_max_per_part && !planned.plan.htlc_max_fallback);
    let first = session
        .first_round_problem(&s, &t, Msat(30_000_000))
        .expect("valid");
    assert_eq!(planned.problem, first);
}
