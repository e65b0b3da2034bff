//! The oracle: max-flow against brute-force minimum cuts, balances files round trip, HTLC
//! locking under random sequences.

use pp_graph::{generate, DirectionRecord, GeneratorParams, Graph, GraphBuilder, Msat, NodeId};
use pp_graph::{NodeIdx, Policy, Ppm};
use pp_session::{Oracle, PaymentNetwork, SendOutcome};
use proptest::prelude::*;

fn policy() -> Policy {
    Policy {
        base_fee_msat: Msat(0),
        fee_ppm: Ppm(0),
        cltv_delta: 40,
        htlc_minimum_msat: Msat(0),
        htlc_maximum_msat: Msat(1 << 50),
        active: true,
        last_update: 0,
    }
}

/// A graph with the given channels (a, b, capacity msat), both directions listed; nodes
/// without a channel do not exist.
fn graph(chans: &[(u32, u32, u64)]) -> Graph {
    let mut b = GraphBuilder::new();
    for (k, &(x, y, c)) in chans.iter().enumerate() {
        if x == y {
            continue;
        }
        for (s, t) in [(x, y), (y, x)] {
            b.add(&DirectionRecord {
                scid: format!("1x{}x0", k + 1).parse().expect("scid"),
                source: NodeId::synthetic(s),
                destination: NodeId::synthetic(t),
                capacity: Msat(c),
                policy: policy(),
            })
            .expect("valid");
        }
    }
    b.build()
}

/// The minimum s–t cut by enumerating every node subset containing s and not t.
fn brute_min_cut(g: &Graph, o: &Oracle<'_>, s: NodeIdx, t: NodeIdx) -> u64 {
    let n = g.node_count();
    let mut best = u64::MAX;
    for mask in 0u32..(1 << n) {
        let inside = |v: NodeIdx| mask & (1 << v.0) != 0;
        if !inside(s) || inside(t) {
            continue;
        }
        let cut = g
            .directions()
            .filter(|&d| inside(g.source(d)) && !inside(g.target(d)))
            .map(|d| o.available(d).0)
            .sum();
        best = best.min(cut);
    }
    best
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn max_flow_equals_the_minimum_cut(
        chans in prop::collection::vec((0u32..6, 0u32..6, 1u64..1_000), 1..12),
        seed in 0u64..1000,
        lock in 0u64..500,
    ) {
        let g = graph(&chans);
        prop_assume!(g.node_count() >= 2);
        let mut o = Oracle::random(&g, seed);
        // Lock something on one direction so in-flight amounts count too.
        let d0 = g.directions().next().expect("one direction");
        let a = Msat(lock.min(o.available(d0).0));
        prop_assert_eq!(o.send(&[d0], &[a]).expect("valid"), SendOutcome::Forwarded);
        for s in g.nodes() {
            for t in g.nodes() {
                if s == t { continue; }
                let want = brute_min_cut(&g, &o, s, t);
                prop_assert_eq!(o.max_flow(s, t).0, want);
                prop_assert_eq!(o.max_flow_up_to(s, t, Msat(want / 2)).0, want / 2);
            }
        }
    }

    #[test]
    fn send_settle_release_keep_channels_coherent(
        ops in prop::collection::vec((0usize..1000, 0u64..400_000_000, 0u8..3), 1..60),
    ) {
        let g = generate(&GeneratorParams::new(25, 3)).expect("generated");
        let mut o = Oracle::random(&g, 9);
        let dirs: Vec<_> = g.directions().collect();
        let mut live: Vec<(Vec<pp_graph::DirIdx>, Vec<Msat>)> = Vec::new();
        for (pick, amount, op) in ops {
            match op {
                0 => {
                    // A two-hop path when there is one, else one hop.
                    let d = dirs[pick % dirs.len()];
                    let mut path = vec![d];
                    if let Some(e) = g.out_dirs(g.target(d)).find(|&e| g.target(e) != g.source(d)) {
                        path.push(e);
                    }
                    let amounts = vec![Msat(amount); path.len()];
                    let before: Vec<Msat> = path.iter().map(|&d| o.available(d)).collect();
                    match o.send(&path, &amounts).expect("valid path") {
                        SendOutcome::Forwarded => live.push((path, amounts)),
                        SendOutcome::FailedAt { hop, .. } => {
                            prop_assert!(before[hop] < Msat(amount), "the failing hop could not forward");
                            for (&d, b) in path.iter().zip(before) {
                                prop_assert_eq!(o.available(d), b, "a failure locks nothing");
                            }
                        }
                    }
                }
                1 if !live.is_empty() => {
                    let (p, a) = live.swap_remove(pick % live.len());
                    o.settle(&p, &a).expect("in flight");
                }
                2 if !live.is_empty() => {
                    let (p, a) = live.swap_remove(pick % live.len());
                    o.release(&p, &a).expect("in flight");
                }
                _ => {}
            }
            for c in g.channels() {
                let sum = o.channel_side_liquidity(c, 0).0 + o.channel_side_liquidity(c, 1).0;
                prop_assert_eq!(sum, g.channel_capacity(c).0);
            }
            for &d in &dirs {
                prop_assert!(o.in_flight(d) <= o.liquidity(d));
            }
        }
        for (p, a) in live.drain(..) {
            o.release(&p, &a).expect("in flight");
        }
        prop_assert!(!o.has_in_flight());
    }
}

#[test]
fn balances_written_from_an_oracle_load_back_identically() {
    let g = generate(&GeneratorParams::new(80, 5)).expect("generated");
    let o = Oracle::random(&g, 11);
    let mut csv = String::from("short_channel_id,source,liquidity_sat\n");
    // Whole satoshis only: round side 0 down and give side 1 the rest.
    let mut truth = Vec::new();
    for c in g.channels() {
        let cap_sat = g.channel_capacity(c).0 / 1000;
        let l0 = o.channel_side_liquidity(c, 0).0 / 1000;
        for d in g.channel_directions(c).into_iter().flatten() {
            let l = if g.side(d) == 0 { l0 } else { cap_sat - l0 };
            csv.push_str(&format!("{},{},{}\n", g.scid(d), g.node_id(g.source(d)), l));
            truth.push((d, Msat(l * 1000)));
        }
    }
    let loaded = Oracle::from_balances_reader(&g, csv.as_bytes(), "memory").expect("valid");
    for (d, l) in truth {
        assert_eq!(loaded.liquidity(d), l);
    }
    // Dropping a row of a direction the graph lists is an error naming the channel.
    let mut lines: Vec<&str> = csv.lines().collect();
    let dropped = lines.remove(1).to_string();
    let err = Oracle::from_balances_reader(&g, lines.join("\n").as_bytes(), "memory")
        .expect_err("a listed direction has no row");
    let scid = dropped.split(',').next().expect("scid");
    assert!(err.to_string().contains(scid), "{err}");
}
