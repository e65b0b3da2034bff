//! Property tests of the incremental linearizer: after any sequence of belief changes (and
//! parameter changes) a linearizer that was synced along the way assembles exactly the problem
//! a fresh one builds, in either arc order; its entropy and bounds agree too.

use crate::common::{apply, build, graph_specs, op, Truth};
use crate::linearize_props::params;
use pp_graph::{Msat, NodeIdx};
use pp_uncertainty::{
    linearize, ArcOrder, Belief, IncrementalLinearizer, LinearizeParams, Linearized, Round,
};
use proptest::prelude::*;

/// Random parameters including both HTLC-maximum modes and the cut at the demand.
fn any_params() -> impl Strategy<Value = LinearizeParams> {
    (params(), prop::bool::ANY, prop::bool::ANY).prop_map(|(p, htlc, demand)| LinearizeParams {
        shape: pp_uncertainty::PieceShape {
            htlc_max: if htlc {
                pp_uncertainty::HtlcMaxRule::PerDirection
            } else {
                pp_uncertainty::HtlcMaxRule::PerPart
            },
            ..pp_uncertainty::PieceShape::default()
        },
        cap_at_demand: demand,
        ..p
    })
}

type Arc = (u32, u8, u32, u32, i64, i64, u64);

/// Arcs as (dir, piece, tail, head, capacity, integer cost, exact cost bits), sorted.
fn sorted_arcs(l: &Linearized) -> Vec<Arc> {
    let p = &l.problem;
    let mut v: Vec<Arc> = (0..p.num_arcs())
        .map(|a| {
            (
                l.arc_dir[a].0,
                l.arc_piece[a],
                p.from[a],
                p.to[a],
                p.capacity[a],
                p.cost[a],
                l.arc_cost_exact[a].to_bits(),
            )
        })
        .collect();
    v.sort_unstable();
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn synced_linearizer_equals_a_fresh_build(
        specs in graph_specs(),
        seeds in prop::collection::vec(any::<u64>(), 1..8),
        batches in prop::collection::vec(
            (prop::collection::vec(op(), 0..8), prop::bool::weighted(0.7)), 1..7),
        first in any_params(),
        second in any_params(),
        switch_at in 0usize..8,
        grouped in prop::bool::ANY,
        ends in (any::<u32>(), any::<u32>()),
        amount in prop_oneof![1u64..3000, 1u64..5_000_000_000],
        excluded_seed in any::<u64>(),
    ) {
        let g = build(&specs);
        prop_assume!(g.direction_count() > 0 && g.node_count() >= 2);
        let n = g.node_count() as u32;
        let (s, r) = (NodeIdx(ends.0 % n), NodeIdx(ends.1 % n));
        prop_assume!(s != r);
        let order = if grouped { ArcOrder::Endpoints } else { ArcOrder::Direction };
        let excluded: Vec<bool> = (0..g.direction_count())
            .map(|i| (excluded_seed >> (i % 64)) & 1 == 1 && i % 3 == 0)
            .collect();
        let round = Round::new(s, r, Msat(amount)).excluding(&excluded);

        let mut b = Belief::new(&g);
        let mut t = Truth::new(&g, &seeds);
        let mut current = first.clone();
        let mut model = IncrementalLinearizer::new(&g, &b, &current, order).expect("valid");
        let mut out = Linearized::default();
        for (k, (ops, assemble_now)) in batches.iter().enumerate() {
            for o in ops {
                apply(&g, &mut b, &mut t, o);
            }
            if k == switch_at {
                current = second.clone();
                model.set_params(&current).expect("valid");
            }
            model.sync(&b).expect("same graph");
            if k % 3 == 2 {
                model.refresh();
            }
            // Some batches only sync, so changes pile up between two assemblies.
            if !assemble_now {
                continue;
            }
            model.assemble(&round, &mut out).expect("valid round");
            let mut fresh = IncrementalLinearizer::new(&g, &b, &current, order).expect("valid");
            let mut want = Linearized::default();
            fresh.assemble(&round, &mut want).expect("valid round");
            prop_assert_eq!(&out, &want, "batch {}", k);
            prop_assert_eq!(model.cut_bound(&round), fresh.cut_bound(&round));
            let (pb, fb) = (model.probability_bound(&round), fresh.probability_bound(&round));
            prop_assert_eq!(pb.map(f64::to_bits), fb.map(f64::to_bits));
            prop_assert_eq!(
                model.total_entropy_bits().to_bits(),
                b.total_entropy_bits().to_bits()
            );
            // Without exclusions the direction order is what `linearize` returns; the other
            // order has the same arcs.
            let all = Round::new(s, r, Msat(amount));
            model.assemble(&all, &mut out).expect("valid round");
            let reference = linearize(&g, &b, s, r, Msat(amount), &current).expect("valid");
            if grouped {
                prop_assert_eq!(sorted_arcs(&out), sorted_arcs(&reference));
                prop_assert_eq!(&out.problem.supply, &reference.problem.supply);
                prop_assert_eq!(out.cost_scale.to_bits(), reference.cost_scale.to_bits());
                prop_assert_eq!(out.demand_units, reference.demand_units);
            } else {
                prop_assert_eq!(&out, &reference);
            }
        }
    }
}
