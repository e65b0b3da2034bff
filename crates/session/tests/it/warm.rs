//! A session handed what an earlier session kept warm (`Session::take_cache`,
//! `Session::with_cache`) pays exactly as one long-lived session does, and a cache of another
//! graph is ignored.

use pp_graph::{generate, largest_scc, GeneratorParams, Msat};
use pp_session::{random_pairs, Oracle, PaymentReport, Session, SessionCache, Strategy};

/// What a payment decided, without its timings.
fn decisions(r: &PaymentReport) -> (bool, Msat, u32, Vec<(Msat, Msat, usize)>) {
    let parts = r
        .attempts
        .iter()
        .map(|a| (a.amount_msat, a.fee_msat, a.hops.len()))
        .collect();
    (r.success, r.fees_msat, r.rounds, parts)
}

#[test]
fn sessions_chained_by_their_cache_pay_like_one_session() {
    let g = generate(&GeneratorParams::new(300, 7)).expect("generated");
    let oracle = Oracle::random(&g, 7);
    let pairs = random_pairs(&largest_scc(&g), 12, 7);
    let mut long = Session::new(&g, oracle.clone());
    let (mut belief, mut network) = (long.belief().clone(), oracle.clone());
    let mut cache = SessionCache::default();
    for (k, &(s, t)) in pairs.iter().enumerate() {
        let amount = Msat(20_000_000 + 7_000_000 * k as u64);
        let want = long.pay_nodes(Strategy::Mcf, s, t, amount).expect("pays");
        // A new session per payment, on what the previous one learned and kept warm.
        let mut short = Session::with_belief(&g, belief, network).with_cache(cache);
        let got = short.pay_nodes(Strategy::Mcf, s, t, amount).expect("pays");
        assert_eq!(decisions(&got), decisions(&want), "payment {k}");
        cache = short.take_cache();
        (belief, network) = short.into_parts();
        assert_eq!(&belief, long.belief());
    }
    // A cache of another graph is dropped, not used.
    let other = generate(&GeneratorParams::new(300, 8)).expect("generated");
    let mut foreign = Session::new(&other, Oracle::random(&other, 8));
    let (s, t) = random_pairs(&largest_scc(&other), 1, 8)[0];
    let want = foreign
        .pay_nodes(Strategy::Mcf, s, t, Msat(30_000_000))
        .expect("pays");
    let mut fresh = Session::new(&other, Oracle::random(&other, 8)).with_cache(cache);
    let got = fresh
        .pay_nodes(Strategy::Mcf, s, t, Msat(30_000_000))
        .expect("pays");
    assert_eq!(decisions(&got), decisions(&want));
}
