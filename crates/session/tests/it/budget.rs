//! The fee budget steers instead of refusing (docs/MODEL.md, "The fee budget"): a round plans
//! the most reliable flow within the budget, and a payment is refused for its fees only when
//! even the cheapest plan found exceeds the budget, with what that plan costs.

use crate::common::{toy, toy_node};
use pp_graph::largest_scc;
use pp_graph::{DirectionRecord, Graph, GraphBuilder, Msat, NodeId, Policy, Ppm};
use pp_session::random_pairs;
use pp_session::{single_path, RouteKind};
use pp_session::{FeeBudget, Oracle, PayParams, Session, StopReason};
use pp_testdata::require_data_dir;
use pp_uncertainty::Belief;

/// Total fee of delivering `amount` along `path` (the sender pays nothing for its first hop).
fn path_fee(g: &Graph, path: &[pp_graph::DirIdx], amount: Msat) -> Msat {
    let mut carried = amount;
    let mut fee = Msat::ZERO;
    for &d in path.iter().skip(1).rev() {
        let f = g.fee(d, carried).expect("no overflow");
        fee = fee.saturating_add(f);
        carried = carried.saturating_add(f);
    }
    fee
}

/// S→X→T, reliable and dear (X→T has 100× the amount's capacity, 2,000 ppm), beside S→Y→T,
/// cheap and uncertain (Y→T has twice the amount, 10 ppm). The sender's channels are large.
fn two_routes() -> (Graph, NodeId, NodeId) {
    let (s, x, y, t) = (
        NodeId::synthetic(1),
        NodeId::synthetic(2),
        NodeId::synthetic(3),
        NodeId::synthetic(4),
    );
    let mut b = GraphBuilder::new();
    let mut add = |scid: &str, u: NodeId, v: NodeId, cap_sat: u64, ppm: u32| {
        for (from, to) in [(u, v), (v, u)] {
            b.add(&DirectionRecord {
                scid: scid.parse().unwrap(),
                source: from,
                destination: to,
                capacity: Msat(cap_sat * 1000),
                policy: Policy {
                    base_fee_msat: Msat(0),
                    fee_ppm: Ppm(ppm),
                    cltv_delta: 40,
                    htlc_minimum_msat: Msat(1),
                    htlc_maximum_msat: Msat(cap_sat * 1000),
                    active: true,
                    last_update: 0,
                },
            })
            .unwrap();
        }
    };
    add("1x1x0", s, x, 10_000_000, 0);
    add("1x2x0", s, y, 10_000_000, 0);
    add("1x3x0", x, t, 10_000_000, 2_000);
    add("1x4x0", y, t, 200_000, 10);
    (b.build(), s, t)
}

#[test]
fn a_budget_below_the_default_plan_buys_a_cheaper_one() {
    let (g, a, d) = two_routes();
    let amount = Msat(100_000_000);
    // Every channel at capacity on the sending side: whatever is planned gets through.
    let truth = || {
        let mut o = Oracle::from_side0_liquidity(&g, |_| Msat::ZERO).expect("valid");
        for dir in g.directions() {
            if g.node_id(g.source(dir)) == a || g.node_id(g.target(dir)) == d {
                o.set_liquidity(dir, g.capacity(dir)).expect("at capacity");
            }
        }
        o
    };
    let unlimited = PayParams::default()
        .with_fee_budget_rule(FeeBudget::Unlimited)
        .with_mu(0.0);
    let mut s = Session::new(&g, truth()).with_params(unlimited.clone());
    let free = s.plan(&a, &d, amount).expect("plan");
    assert_eq!(free.stop_reason, None);
    let cheapest = single_path(
        &g,
        &Belief::new(&g),
        g.node_index(&a).unwrap(),
        g.node_index(&d).unwrap(),
        amount,
        RouteKind::Cheapest,
        &|_| false,
    )
    .expect("a path");
    let floor = path_fee(&g, &cheapest, amount);
    assert_eq!(floor, Msat(1_000), "100,000 sat at 10 ppm");
    assert!(
        free.fee_msat.0 > floor.0 * 10,
        "the reliability-only plan ({} msat) should use the dear route",
        free.fee_msat.0
    );
    for budget in [floor, Msat((floor.0 + free.fee_msat.0) / 2)] {
        let mut s =
            Session::new(&g, truth()).with_params(unlimited.clone().with_fee_budget(budget));
        let p = s.plan(&a, &d, amount).expect("plan");
        assert_eq!(p.stop_reason, None, "budget {} msat", budget.0);
        assert!(p.fee_msat <= budget, "{} > {}", p.fee_msat.0, budget.0);
        assert!(p.mu > 0.0, "the search raised μ");
        let r = s.pay(&a, &d, amount).expect("pay");
        assert!(r.success, "{:?}", r.stop_reason);
        assert!(
            r.fees_msat <= budget,
            "paid {} > {}",
            r.fees_msat.0,
            budget.0
        );
    }
    // Below the cheapest path nothing fits: refused, with what the cheapest plan costs.
    let mut s = Session::new(&g, truth()).with_params(unlimited.with_fee_budget(Msat(floor.0 - 1)));
    let p = s.plan(&a, &d, amount).expect("plan");
    match p.stop_reason {
        Some(StopReason::FeeBudget { fees, budget }) => {
            assert_eq!(budget, Msat(floor.0 - 1));
            assert_eq!(fees, floor, "the cheapest plan found is the cheapest path");
        }
        other => panic!("expected a fee-budget refusal, got {other:?}"),
    }
    let r = s.pay(&a, &d, amount).expect("pay");
    assert!(!r.success);
    assert_eq!(r.attempts.len(), 0, "nothing is sent over budget");
}

#[test]
fn a_budget_of_zero_routes_over_free_channels_only() {
    let g = toy();
    let mut s = Session::new(&g, Oracle::random(&g, 3))
        .with_params(PayParams::default().with_fee_budget(Msat::ZERO));
    // A→B or A→C is the sender's own hop: free. A 2-hop payment pays B's or C's fee.
    let r = s
        .pay(&toy_node('a'), &toy_node('b'), Msat(1_000_000))
        .expect("pay");
    assert!(r.success, "{:?}", r.stop_reason);
    assert_eq!(r.fees_msat, Msat::ZERO);
    let r = s
        .pay(&toy_node('a'), &toy_node('d'), Msat(1_000_000))
        .expect("pay");
    assert!(
        matches!(r.stop_reason, StopReason::FeeBudget { .. }),
        "{:?}",
        r.stop_reason
    );
}

/// A single-channel wallet behind `lsp` on ln-2026: the node `wallet` with one channel of
/// 2,000,000 sat to it, 1,500,000 sat on the wallet's side.
fn with_wallet(g: &Graph, lsp: &NodeId) -> (Graph, NodeId) {
    let wallet = NodeId::synthetic(0xa11e7);
    let mut b = GraphBuilder::new();
    for d in g.directions() {
        b.add(&g.direction_record(d)).expect("snapshot record");
    }
    for (source, destination) in [(wallet, *lsp), (*lsp, wallet)] {
        b.add(&DirectionRecord {
            scid: "1x1x1".parse().unwrap(),
            source,
            destination,
            capacity: Msat(2_000_000_000),
            policy: Policy {
                base_fee_msat: Msat(1000),
                fee_ppm: Ppm(100),
                cltv_delta: 40,
                htlc_minimum_msat: Msat(1),
                htlc_maximum_msat: Msat(2_000_000_000),
                active: true,
                last_update: 0,
            },
        })
        .expect("wallet channel");
    }
    (b.build(), wallet)
}

#[test]
#[ignore = "needs PP_DATA_DIR (real snapshots)"]
fn a_wallet_behind_its_lsp_is_routed_within_half_a_percent() {
    let dir = require_data_dir();
    let snap = pp_graph::load_path(&dir.join("ln-2026.listchannels.json.gz"))
        .expect("ln-2026 loads")
        .graph;
    let lsp: NodeId = "024b9a1fa8e006f1e3937f65f66c408e6da8e1ca728ea43222a7381df1cc449605"
        .parse()
        .unwrap();
    let (g, wallet) = with_wallet(&snap, &lsp);
    let w = g.node_index(&wallet).unwrap();
    let mut truth = Oracle::random(&g, 1);
    let out = g.out_dirs(w).next().unwrap();
    truth.set_liquidity(out, Msat(1_500_000_000)).unwrap();
    let amount = Msat(100_000_000);
    let budget = FeeBudget::DEFAULT.for_amount(amount).unwrap();
    assert_eq!(budget, Msat(500_000));
    let mut s = Session::new(&g, truth).with_params(PayParams::default());
    // The example: 11,588 ppm with base-fee channels left out, 20 ppm with them.
    let to: NodeId = "0217890e3aad8d35bc054f43acc00084b25229ecff0ab68debd82883ad65ee8266"
        .parse()
        .unwrap();
    let p = s.plan(&wallet, &to, amount).expect("plan");
    assert_eq!(p.stop_reason, None);
    assert!(p.fee_msat <= Msat(10_000), "fee {} msat", p.fee_msat.0);
    // Many destinations: every one whose cheapest path fits the budget gets a plan within it.
    let scc = largest_scc(&g);
    let (mut routed, mut fit) = (0, 0);
    for (_, t) in random_pairs(&scc, 60, 5) {
        if t == w {
            continue;
        }
        let Some(path) = single_path(
            &g,
            &Belief::new(&g),
            w,
            t,
            amount,
            RouteKind::Cheapest,
            &|_| false,
        ) else {
            continue;
        };
        if path_fee(&g, &path, amount) > budget {
            continue;
        }
        fit += 1;
        let p = s.plan(&wallet, &g.node_id(t), amount).expect("plan");
        assert!(
            !matches!(p.stop_reason, Some(StopReason::FeeBudget { .. })),
            "refused {} although its cheapest path costs {} msat",
            g.node_id(t),
            path_fee(&g, &path, amount).0
        );
        if p.stop_reason.is_none() {
            assert!(p.fee_msat <= budget);
            routed += 1;
        }
    }
    assert!(fit >= 40, "only {fit} destinations within budget");
    assert!(routed >= fit * 9 / 10, "{routed} of {fit} planned");
}
