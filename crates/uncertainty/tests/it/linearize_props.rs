//! Property tests of the linearization: convexity, capacity limits, rounding bound, mapping back.

use crate::common::{apply, build, graph_specs, op, Truth};
use pp_graph::{DirIdx, Msat, NodeIdx};
use pp_mcf::McfError;
use pp_uncertainty::MAX_UNIT_COST;
use pp_uncertainty::{flow_per_direction, linearize, Belief, LinearizeParams, SlopeRule};
use proptest::prelude::*;

/// Random parameters with the default `cap_at_htlc_max` and `cap_at_demand`.
pub fn params() -> impl Strategy<Value = LinearizeParams> {
    (
        1u32..=8,
        prop::bool::ANY,
        prop_oneof![Just(0.0), 0.0f64..1.0, 0.0f64..1e-3],
        prop::bool::ANY,
        prop::bool::ANY,
        prop_oneof![Just(1u64), Just(7), Just(1000), 1u64..5000],
        prop::option::weighted(0.2, 1.0f64..1e9),
        0u64..1500,
    )
        .prop_map(
            |(pieces, linear, mu, prune, include_inactive, q, scale, base)| LinearizeParams {
                shape: pp_uncertainty::PieceShape {
                    pieces,
                    slopes: if linear {
                        SlopeRule::Linear
                    } else {
                        SlopeRule::Secant
                    },
                    prune,
                    include_inactive,
                    quantum: Msat(q),
                    ..pp_uncertainty::PieceShape::default()
                },
                mu,
                base_fee_threshold: Msat(base),
                cost_scale: scale,
                ..LinearizeParams::default()
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn linearization_is_convex_bounded_and_maps_back(
        specs in graph_specs(),
        seeds in prop::collection::vec(any::<u64>(), 1..8),
        ops in prop::collection::vec(op(), 0..30),
        p in params(),
        ends in (any::<u32>(), any::<u32>()),
        amount in prop_oneof![1u64..3000, 1u64..5_000_000_000],
        flow_seed in prop::collection::vec(any::<u64>(), 1..16),
    ) {
        let g = build(&specs);
        prop_assume!(g.direction_count() > 0 && g.node_count() >= 2);
        let mut b = Belief::new(&g);
        let mut t = Truth::new(&g, &seeds);
        for o in &ops {
            apply(&g, &mut b, &mut t, o);
        }
        let n = g.node_count() as u32;
        let s = NodeIdx(ends.0 % n);
        let r = NodeIdx(ends.1 % n);
        prop_assume!(s != r);
        let lin = linearize(&g, &b, s, r, Msat(amount), &p).expect("valid input");
        let q = p.shape.quantum.0;
        prop_assert_eq!(lin.demand_units as u64, amount.div_ceil(q));
        prop_assert_eq!(lin.problem.num_arcs(), lin.arc_dir.len());

        // Per direction: contiguous arcs, non-decreasing costs (convexity), capacity limits.
        let mut k = 0;
        let mut seen = vec![false; g.direction_count()];
        while k < lin.arc_dir.len() {
            let d = lin.arc_dir[k];
            prop_assert!(!seen[d.ix()], "arcs of {:?} not contiguous", d);
            seen[d.ix()] = true;
            let mut units = 0i64;
            let mut prev: Option<(f64, i64, u8)> = None;
            while k < lin.arc_dir.len() && lin.arc_dir[k] == d {
                let (c, ci, piece) = (lin.arc_cost_exact[k], lin.problem.cost[k], lin.arc_piece[k]);
                prop_assert!(c >= 0.0 && c.is_finite());
                prop_assert!((0..=MAX_UNIT_COST).contains(&ci));
                prop_assert!(lin.problem.capacity[k] > 0);
                prop_assert_eq!(lin.problem.from[k], g.source(d).0);
                prop_assert_eq!(lin.problem.to[k], g.target(d).0);
                if let Some((pc, pci, pp)) = prev {
                    prop_assert!(c >= pc - 1e-12 * pc.abs(), "exact slopes decrease on {:?}", d);
                    prop_assert!(ci >= pci, "integer slopes decrease on {:?}", d);
                    prop_assert!(piece > pp);
                }
                prev = Some((c, ci, piece));
                units += lin.problem.capacity[k];
                k += 1;
            }
            let usable = b.max(d).0.saturating_sub(b.in_flight(d).0);
            let pol = g.policy(d);
            // htlc_maximum_msat caps every direction, the sender's own too unless
            // `source_uncapped`.
            let cap = if g.source(d) == s && p.source_uncapped {
                usable
            } else {
                usable.min(pol.htlc_maximum_msat.0)
            };
            prop_assert!(units as u64 * q <= cap);
            prop_assert!(pol.active || p.shape.include_inactive);
            // The threshold leaves out base-fee directions, but not the sender's own (it pays
            // no fee on them).
            prop_assert!(pol.base_fee_msat <= p.base_fee_threshold || g.source(d) == s);
            prop_assert!(g.source(d) != r && g.target(d) != s);
            if p.shape.prune {
                prop_assert!(b.probability(d, Msat(250_000_000)) >= 0.9);
            }
        }

        // The fee term: μ·ppm·q/A per unit on every arc, except on the sender's own directions
        // (it pays no fee there), whose arcs cost the uncertainty alone (the μ = 0 cost).
        let pure = linearize(&g, &b, s, r, Msat(amount), &LinearizeParams { mu: 0.0, ..p.clone() })
            .expect("valid input");
        prop_assert_eq!(&pure.arc_dir, &lin.arc_dir);
        prop_assert_eq!(&pure.arc_piece, &lin.arc_piece);
        for (k, &d) in lin.arc_dir.iter().enumerate() {
            let fee = if g.source(d) == s {
                0.0
            } else {
                p.mu * g.policy(d).fee_ppm.0 as f64 * q as f64 / amount as f64
            };
            let (got, want) = (lin.arc_cost_exact[k], pure.arc_cost_exact[k] + fee);
            prop_assert!((got - want).abs() <= 1e-12 * want.abs().max(1.0),
                "arc {} of {:?}: cost {} vs uncertainty + fee {}", k, d, got, want);
        }

        // Rounding bound on arbitrary flows within the capacities.
        let flow: Vec<i64> = (0..lin.problem.num_arcs())
            .map(|a| (flow_seed[a % flow_seed.len()].rotate_left(a as u32 % 64)
                % (lin.problem.capacity[a] as u64 + 1)) as i64)
            .collect();
        let exact = lin.exact_cost(&flow);
        let err = (lin.scaled_integer_cost(&flow) - exact).abs();
        let float_slack = 1e-9 * (exact.abs() + 1.0);
        prop_assert!(err <= lin.rounding_bound(&flow) + float_slack,
            "rounding error {} above bound {}", err, lin.rounding_bound(&flow));

        // Solve and map back: exactly the amount, conserved, within the usable range.
        let mut solver = pp_mcf::solver_by_name("native").expect("native backend");
        match solver.solve(&lin.problem) {
            Ok(sol) => {
                let err = (lin.scaled_integer_cost(&sol.flow) - lin.exact_cost(&sol.flow)).abs();
                prop_assert!(err <= lin.rounding_bound(&sol.flow) + 1e-9 * (lin.exact_cost(&sol.flow) + 1.0));
                let per_dir = flow_per_direction(&lin, &sol).expect("valid solution");
                let mut net = vec![0i128; g.node_count()];
                for &(d, f) in &per_dir {
                    prop_assert!(f.0 > 0);
                    prop_assert!(f.0 <= b.max(d).0 - b.in_flight(d).0.min(b.max(d).0));
                    net[g.source(d).ix()] += f.0 as i128;
                    net[g.target(d).ix()] -= f.0 as i128;
                }
                for v in g.nodes() {
                    let want = if v == s { amount as i128 } else if v == r { -(amount as i128) } else { 0 };
                    prop_assert_eq!(net[v.ix()], want, "conservation at {:?}", v);
                }
                let dirs: Vec<DirIdx> = per_dir.iter().map(|e| e.0).collect();
                prop_assert!(dirs.windows(2).all(|w| w[0] < w[1]));
            }
            Err(McfError::Infeasible { .. }) => {}
            Err(e) => prop_assert!(false, "solver error {}", e),
        }
    }
}
