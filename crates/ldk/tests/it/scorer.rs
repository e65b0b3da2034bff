//! `BeliefScorer`: learning from LDK's events, penalties, persistence.

use crate::common::{toy, toy_node, Net};
use lightning::routing::router::{InFlightHtlcs, Router};
use lightning::routing::scoring::ScoreUpdate;
use lightning::util::ser::{ReadableArgs, Writeable};
use pp_graph::{Msat, NodeId};
use pp_ldk::BeliefScorer;
use std::time::Duration;

#[test]
fn failures_and_successes_teach_the_belief_and_it_persists() {
    let net = Net::new(toy());
    let r = net.router();
    let a = net.key_of(&toy_node('a'));
    let di = net.graph.node_index(&toy_node('d')).unwrap();
    let params = net.params(di, 100_000_000);
    let route = r
        .find_route(&a, &params, None, InFlightHtlcs::new())
        .unwrap();
    let path = &route.paths[0];
    let last = path.hops.last().unwrap();
    let mut s = net.scorer.lock().unwrap();
    let g = s.graph().clone();
    let last_dir = g
        .direction_from(
            pp_graph::ShortChannelId(last.short_channel_id),
            &NodeId(path.hops[path.hops.len() - 2].pubkey.serialize()),
        )
        .unwrap();
    let before = s.belief().max(last_dir);
    s.payment_path_failed(path, last.short_channel_id, Duration::from_secs(1_000));
    assert!(
        s.belief().max(last_dir) < before,
        "the failing hop's max fell"
    );
    let first_dir = g
        .direction_from(
            pp_graph::ShortChannelId(path.hops[0].short_channel_id),
            &NodeId(a.serialize()),
        )
        .unwrap();
    assert!(s.belief().min(first_dir) >= Msat(path.hops.iter().map(|h| h.fee_msat).sum()));
    // Persistence: the knowledge survives a write and a read against the same graph.
    let bytes = s.encode();
    let read = BeliefScorer::read(&mut &bytes[..], &*net.ng).unwrap();
    assert_eq!(read.knowledge(), s.knowledge());
    assert_eq!(read.belief().time(), s.belief().time());
    assert!(BeliefScorer::read(&mut &bytes[..5], &*net.ng).is_err());
    // Decay: after many half-lives the belief is back at the prior.
    s.time_passed(Duration::from_secs(1_000 + 1800 * 64));
    assert!(s.knowledge().entries.is_empty());
    // A success moves the liquidity: min of the first hop falls back after settling.
    s.payment_path_successful(path, Duration::from_secs(200_000));
    assert!(s.belief().in_flights().iter().all(|m| *m == Msat::ZERO));
}

#[test]
fn penalties_grow_with_the_amount() {
    use lightning::routing::gossip::NodeId as LdkNodeId;
    use lightning::routing::router::{CandidateRouteHop, PublicHopCandidate};
    use lightning::routing::scoring::{ChannelUsage, ScoreLookUp};
    let net = Net::new(toy());
    let s = net.scorer.lock().unwrap();
    let ro = net.ng.read_only();
    let (scid, chan) = ro.channels().unordered_iter().next().unwrap();
    let (info, _) = chan.as_directed_to(&chan.node_two).unwrap();
    let cand = CandidateRouteHop::PublicHop(PublicHopCandidate {
        info,
        short_channel_id: *scid,
    });
    let cap = chan.capacity_sats.unwrap() * 1000;
    let effective = chan
        .as_directed_to(&chan.node_two)
        .unwrap()
        .0
        .effective_capacity();
    let pen = |amount_msat| {
        s.channel_penalty_msat(
            &cand,
            ChannelUsage {
                amount_msat,
                inflight_htlc_msat: 0,
                effective_capacity: effective,
            },
            &Default::default(),
        )
    };
    assert_eq!(pen(0), 0);
    assert!(pen(cap / 4) < pen(cap / 2));
    assert!(pen(cap / 2) < pen(cap - 1));
    assert_eq!(pen(cap + 1), u64::MAX);
    let _: LdkNodeId = chan.node_one;
}

/// LDK's background processor takes the shared scorer as a `WriteableScore`.
#[test]
fn the_shared_belief_is_a_writeable_score() {
    fn takes<'a, T: lightning::routing::scoring::WriteableScore<'a>>(_: &T) {}
    let net = Net::new(toy());
    takes(&*net.scorer);
}
