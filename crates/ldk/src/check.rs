//! [`check_route`]: is a `Route` valid by LDK's rules for a request? Used by the tests on both
//! routers' answers, and useful to anyone who builds routes by hand.

use bitcoin::secp256k1::PublicKey;
use lightning::ln::channel_state::ChannelDetails;
use lightning::routing::gossip::{NodeId as LdkNodeId, ReadOnlyNetworkGraph};
use lightning::routing::router::{Payee, Route, RouteParameters};
use std::collections::HashMap;

/// Checks `route` against the request and the graph, returning the first rule it breaks:
/// at least one path and at most `max_path_count`; each path non-empty, at most
/// `max_path_length` hops, ending at the payee; the paths deliver exactly `final_value_msat`;
/// each hop's `fee_msat` is exactly the fee its node's policy charges for the next channel on
/// the amount that channel forwards, and its `cltv_expiry_delta` that policy's delta; the last
/// hop's CLTV delta is at least the final one; every channel after the first is enabled in the
/// direction used and its amount within `htlc_minimum_msat ..= htlc_maximum_msat`; with
/// `first_hops`, every first hop is one of them, at or above its
/// `next_outbound_htlc_minimum_msat`, and the paths over one first hop together within its
/// `next_outbound_htlc_limit_msat`; the total CLTV of each path within
/// `max_total_cltv_expiry_delta`; the total fee within `max_total_routing_fee_msat`; no
/// channel of `previously_failed_channels` used.
///
/// # Errors
/// A sentence naming the path, hop and rule.
pub fn check_route(
    route: &Route,
    network: &ReadOnlyNetworkGraph<'_>,
    payer: &PublicKey,
    params: &RouteParameters,
    first_hops: Option<&[&ChannelDetails]>,
) -> Result<(), String> {
    let pp = &params.payment_params;
    let Payee::Clear {
        node_id: payee,
        final_cltv_expiry_delta,
        ..
    } = &pp.payee
    else {
        return Err("blinded payees are not checked".into());
    };
    if route.paths.is_empty() || route.paths.len() > usize::from(pp.max_path_count) {
        return Err(format!(
            "{} paths, allowed 1..={}",
            route.paths.len(),
            pp.max_path_count
        ));
    }
    let delivered: u64 = route.paths.iter().map(|p| p.final_value_msat()).sum();
    if delivered != params.final_value_msat {
        return Err(format!(
            "the paths deliver {delivered} msat, asked {}",
            params.final_value_msat
        ));
    }
    let mut first_use: HashMap<u64, u64> = HashMap::new();
    for (pi, path) in route.paths.iter().enumerate() {
        let hops = &path.hops;
        let k = hops.len();
        if k == 0 || k > usize::from(pp.max_path_length) {
            return Err(format!(
                "path {pi}: {k} hops, allowed 1..={}",
                pp.max_path_length
            ));
        }
        if hops[k - 1].pubkey != *payee {
            return Err(format!("path {pi} does not end at the payee"));
        }
        if hops[k - 1].cltv_expiry_delta < *final_cltv_expiry_delta {
            return Err(format!("path {pi}: final CLTV below the request's"));
        }
        let total_cltv: u64 = hops.iter().map(|h| u64::from(h.cltv_expiry_delta)).sum();
        if total_cltv > u64::from(pp.max_total_cltv_expiry_delta) {
            return Err(format!(
                "path {pi}: total CLTV {total_cltv} above {}",
                pp.max_total_cltv_expiry_delta
            ));
        }
        // Amount each channel forwards: the value and the fees after it.
        let mut amounts = vec![0u64; k];
        let mut acc = 0u64;
        for i in (0..k).rev() {
            acc = acc
                .checked_add(hops[i].fee_msat)
                .ok_or_else(|| format!("path {pi}: amounts overflow"))?;
            amounts[i] = acc;
        }
        for (i, hop) in hops.iter().enumerate() {
            if pp
                .previously_failed_channels
                .contains(&hop.short_channel_id)
            {
                return Err(format!(
                    "path {pi} hop {i}: channel {} failed before",
                    hop.short_channel_id
                ));
            }
            let source = if i == 0 { *payer } else { hops[i - 1].pubkey };
            if i == 0 {
                if let Some(fh) = first_hops {
                    let ch = fh
                        .iter()
                        .find(|c| {
                            c.get_outbound_payment_scid() == Some(hop.short_channel_id)
                                && c.counterparty.node_id == hop.pubkey
                        })
                        .ok_or_else(|| format!("path {pi}: first hop is not one of first_hops"))?;
                    if amounts[0] < ch.next_outbound_htlc_minimum_msat {
                        return Err(format!(
                            "path {pi}: {} msat below the first hop's minimum {}",
                            amounts[0], ch.next_outbound_htlc_minimum_msat
                        ));
                    }
                    let used = first_use.entry(hop.short_channel_id).or_default();
                    *used += amounts[0];
                    if *used > ch.next_outbound_htlc_limit_msat {
                        return Err(format!(
                            "first hop {}: {} msat above its limit {}",
                            hop.short_channel_id, used, ch.next_outbound_htlc_limit_msat
                        ));
                    }
                    continue;
                }
            }
            let chan = network
                .channel(hop.short_channel_id)
                .ok_or_else(|| format!("path {pi} hop {i}: channel not in the graph"))?;
            let (s, t) = (
                LdkNodeId::from_pubkey(&source),
                LdkNodeId::from_pubkey(&hop.pubkey),
            );
            let update = if chan.node_one == s && chan.node_two == t {
                chan.one_to_two.as_ref()
            } else if chan.node_two == s && chan.node_one == t {
                chan.two_to_one.as_ref()
            } else {
                return Err(format!(
                    "path {pi} hop {i}: channel does not join these nodes"
                ));
            }
            .ok_or_else(|| format!("path {pi} hop {i}: no policy in this direction"))?;
            if i > 0 && !update.enabled {
                return Err(format!("path {pi} hop {i}: direction disabled"));
            }
            if amounts[i] < update.htlc_minimum_msat || amounts[i] > update.htlc_maximum_msat {
                return Err(format!(
                    "path {pi} hop {i}: {} msat outside {}..={}",
                    amounts[i], update.htlc_minimum_msat, update.htlc_maximum_msat
                ));
            }
            if i > 0 {
                let fee = u64::from(update.fees.base_msat)
                    + (u128::from(amounts[i]) * u128::from(update.fees.proportional_millionths)
                        / 1_000_000) as u64;
                if hops[i - 1].fee_msat != fee {
                    return Err(format!(
                        "path {pi} hop {}: fee {} msat, the policy charges {fee}",
                        i - 1,
                        hops[i - 1].fee_msat
                    ));
                }
                if hops[i - 1].cltv_expiry_delta != u32::from(update.cltv_expiry_delta) {
                    return Err(format!(
                        "path {pi} hop {}: CLTV delta {}, the policy says {}",
                        i - 1,
                        hops[i - 1].cltv_expiry_delta,
                        update.cltv_expiry_delta
                    ));
                }
            }
        }
    }
    if let Some(max) = params.max_total_routing_fee_msat {
        let fees = route.get_total_fees();
        if fees > max {
            return Err(format!("fees {fees} msat above the limit {max}"));
        }
    }
    Ok(())
}
