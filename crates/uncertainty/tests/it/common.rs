//! Shared helpers: random graphs, a truthful oracle and random belief operations.

use pp_graph::{
    DirIdx, DirectionRecord, Graph, GraphBuilder, Msat, NodeId, Policy, Ppm, ShortChannelId,
};
use pp_uncertainty::Belief;
use proptest::prelude::*;

/// One generated channel: endpoints (indices into a small node set), capacity, whether both
/// directions are listed, and policy knobs.
#[derive(Debug, Clone)]
pub struct ChanSpec {
    pub a: u32,
    pub b: u32,
    pub capacity_msat: u64,
    pub both: bool,
    pub ppm: u32,
    pub base_fee: u64,
    pub htlc_max_frac: u8,
    pub active: bool,
}

pub fn chan_spec(nodes: u32) -> impl Strategy<Value = ChanSpec> {
    (
        0..nodes,
        0..nodes,
        prop_oneof![1u64..=50, 1u64..=20_000, 1_000u64..=5_000_000_000],
        prop::bool::weighted(0.8),
        0u32..2000,
        prop_oneof![3 => Just(0u64), 1 => 0u64..2000],
        0u8..=10,
        prop::bool::weighted(0.9),
    )
        .prop_map(
            |(a, b, capacity_msat, both, ppm, base_fee, htlc_max_frac, active)| ChanSpec {
                a,
                b,
                capacity_msat,
                both,
                ppm,
                base_fee,
                htlc_max_frac,
                active,
            },
        )
}

/// Graphs of 2..=8 nodes and up to 24 channels (self loops dropped).
pub fn graph_specs() -> impl Strategy<Value = Vec<ChanSpec>> {
    (2u32..=8).prop_flat_map(|n| prop::collection::vec(chan_spec(n), 1..24))
}

pub fn build(specs: &[ChanSpec]) -> Graph {
    let mut b = GraphBuilder::new();
    // Make sure at least two nodes exist even if every channel is a self loop.
    for (k, s) in specs.iter().enumerate() {
        if s.a == s.b {
            continue;
        }
        let cap = s.capacity_msat;
        // htlc_max: a tenth-step fraction of the capacity (10 = the capacity), at least 1.
        let htlc_max = (cap / 10 * s.htlc_max_frac as u64).max(1).min(cap);
        let policy = Policy {
            base_fee_msat: Msat(s.base_fee),
            fee_ppm: Ppm(s.ppm),
            cltv_delta: 40,
            htlc_minimum_msat: Msat(1.min(htlc_max)),
            htlc_maximum_msat: Msat(if s.htlc_max_frac == 0 { cap } else { htlc_max }),
            active: s.active,
            last_update: 0,
        };
        let scid = ShortChannelId::new(100, k as u32, 0).expect("scid");
        let rec = |src: u32, dst: u32| DirectionRecord {
            scid,
            source: NodeId::synthetic(src),
            destination: NodeId::synthetic(dst),
            capacity: Msat(cap),
            policy,
        };
        b.add(&rec(s.a, s.b)).expect("valid record");
        if s.both {
            b.add(&rec(s.b, s.a)).expect("valid record");
        }
    }
    b.build()
}

/// Ground truth: the liquidity of every listed direction, coherent across a channel.
#[derive(Debug, Clone)]
pub struct Truth {
    pub liq: Vec<u64>,
    pub now: u64,
    /// Our open HTLCs: (direction, amount).
    pub htlcs: Vec<(DirIdx, u64)>,
}

impl Truth {
    pub fn new(g: &Graph, seeds: &[u64]) -> Truth {
        let mut liq = vec![0u64; g.direction_count()];
        for d in g.directions() {
            let c = g.capacity(d).0;
            match g.reverse(d) {
                Some(r) if r < d => liq[d.ix()] = c - liq[r.ix()],
                _ => liq[d.ix()] = seeds[d.ix() % seeds.len()] % (c + 1),
            }
        }
        Truth {
            liq,
            now: 0,
            htlcs: Vec::new(),
        }
    }

    pub fn can_forward(&self, d: DirIdx, x: Msat) -> bool {
        self.liq[d.ix()] >= x.0
    }
}

/// One operation on the belief, with raw random numbers reduced to valid ranges when applied.
#[derive(Debug, Clone)]
pub enum Op {
    Probe { dir: u32, x: u64 },
    Attempt { dir: u32, a: u64 },
    Settle { k: u32 },
    Release { k: u32 },
    Forget,
    Decay { dt: u32, half_life: u32 },
    Bits { n: u8 },
    Exact { dir: u32 },
    SetTime { dt: u16 },
}

pub fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (any::<u32>(), any::<u64>()).prop_map(|(dir, x)| Op::Probe { dir, x }),
        4 => (any::<u32>(), any::<u64>()).prop_map(|(dir, a)| Op::Attempt { dir, a }),
        2 => any::<u32>().prop_map(|k| Op::Settle { k }),
        1 => any::<u32>().prop_map(|k| Op::Release { k }),
        1 => Just(Op::Forget),
        1 => (0u32..5000, 0u32..3000).prop_map(|(dt, half_life)| Op::Decay { dt, half_life }),
        1 => (0u8..4).prop_map(|n| Op::Bits { n }),
        1 => any::<u32>().prop_map(|dir| Op::Exact { dir }),
        1 => any::<u16>().prop_map(|dt| Op::SetTime { dt }),
    ]
}

/// Applies a truthful operation to belief and truth. Panics (failing the test) if the belief
/// refuses a truthful report.
pub fn apply(g: &Graph, b: &mut Belief, t: &mut Truth, op: &Op) {
    let dcount = g.direction_count() as u32;
    match *op {
        Op::Probe { dir, x } => {
            let d = DirIdx(dir % dcount);
            let x = Msat(x % (g.capacity(d).0 + 2));
            if t.can_forward(d, x) {
                b.learn_forwarded(d, x).expect("truthful forward");
            } else {
                b.learn_failed(d, x).expect("truthful failure");
            }
        }
        Op::Attempt { dir, a } => {
            let d = DirIdx(dir % dcount);
            let a = 1 + a % (g.capacity(d).0 + 1);
            // x = this attempt plus our other attempts in flight on the hop.
            let x = Msat(a + b.in_flight(d).0);
            if t.can_forward(d, x) {
                b.learn_forwarded(d, x).expect("truthful forward");
                b.reserve(d, Msat(a)).expect("in flight fits the liquidity");
                t.htlcs.push((d, a));
            } else {
                b.learn_failed(d, x).expect("truthful failure");
            }
        }
        Op::Settle { k } => {
            if t.htlcs.is_empty() {
                return;
            }
            let (d, a) = t.htlcs.swap_remove(k as usize % t.htlcs.len());
            b.settle(d, Msat(a)).expect("truthful settle");
            t.liq[d.ix()] -= a;
            if let Some(r) = g.reverse(d) {
                t.liq[r.ix()] += a;
            }
        }
        Op::Release { k } => {
            if t.htlcs.is_empty() {
                return;
            }
            let (d, a) = t.htlcs.swap_remove(k as usize % t.htlcs.len());
            b.release(d, Msat(a)).expect("release of a live HTLC");
        }
        Op::Forget => b.forget(),
        Op::Decay { dt, half_life } => {
            t.now += dt as u64;
            b.decay(t.now, half_life as u64);
        }
        Op::Bits { n } => {
            let truth = &*t;
            b.learn_n_bits(n as u32, &mut |d, x| truth.can_forward(d, x));
        }
        Op::Exact { dir } => {
            let d = DirIdx(dir % dcount);
            b.set_exact(d, Msat(t.liq[d.ix()]))
                .expect("truthful exact liquidity");
        }
        Op::SetTime { dt } => {
            t.now += dt as u64;
            b.set_time(t.now);
        }
    }
}

/// The invariants every state must satisfy.
pub fn check(g: &Graph, b: &Belief, t: &Truth) -> Result<(), TestCaseError> {
    b.check_invariants()
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    for d in g.directions() {
        prop_assert!(b.min(d) <= b.max(d) && b.max(d) <= b.capacity(d));
        prop_assert!(
            b.contains(d, Msat(t.liq[d.ix()])),
            "true liquidity {} of {d:?} outside [{}, {}]",
            t.liq[d.ix()],
            b.min(d),
            b.max(d)
        );
        let open: u64 = t.htlcs.iter().filter(|h| h.0 == d).map(|h| h.1).sum();
        prop_assert_eq!(b.in_flight(d), Msat(open));
        if let Some(r) = g.reverse(d) {
            prop_assert_eq!(t.liq[d.ix()] + t.liq[r.ix()], g.capacity(d).0);
        }
    }
    Ok(())
}
