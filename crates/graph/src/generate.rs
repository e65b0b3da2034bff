//! A seeded generator of Lightning-like channel graphs, for the embedded default graph, tests
//! and scaling benchmarks.
//!
//! # Model
//! - **Topology**: preferential attachment. Nodes join one at a time. A joining node is a
//!   *leaf* with probability `leaf_probability` (0.42): it opens one channel and is never chosen
//!   as a peer later (the wallets at the rim of the real network). Otherwise it opens `k`
//!   channels, `k = max(1, round(exp(N(μ_k, σ_k))))` (μ_k = 1.0, σ_k = 1.35) capped at the
//!   number of non-leaf nodes so far. Peers are distinct non-leaf nodes chosen with probability
//!   proportional to (degree + 1). With probability
//!   `parallel_probability` a channel gets a parallel twin (same endpoints, own scid, capacity
//!   and policies). A channel is listed in both directions with probability
//!   `both_directions_probability`, otherwise in one direction picked by a fair coin.
//! - **Capacity** (sat): log-normal, clamped to the observed range.
//! - **Fee rate** (ppm) and **base fee** (msat): a mixture of the most common values (point
//!   masses with their observed frequencies) and a log-normal for the rest.
//! - **CLTV delta** and **htlc_minimum_msat**: categorical over the most common values.
//! - **htlc_maximum_msat**: the capacity with probability `equal_capacity`, 99% of it with
//!   probability `ninety_nine_percent`, otherwise a uniform fraction in [1%, 99%).
//!
//! [`Distributions::ln_2026`] holds the parameters [`Distributions::fit`] measures on the
//! ln-2026 snapshot (rounded; a test with `PP_DATA_DIR` checks they still match). The topology
//! parameters (leaf share, μ_k, σ_k) are not fitted but tuned by hand so that at 6,978 nodes the
//! channel count, mean degree and share of degree-1 nodes come out near ln-2026's (33,893
//! channels, 9.71, 46%); docs/FORMATS.md compares a generated graph with the snapshot.
//!
//! The same parameters and seed give the same graph on every platform that implements `f64`
//! `exp`/`ln` identically (ChaCha8 stream, no thread or clock input).

use crate::error::GraphError;
use crate::graph::{DirectionRecord, Graph, GraphBuilder, Policy, RecordProblem};
use crate::ids::{NodeId, ShortChannelId};
use crate::units::{Msat, Ppm};
use rand::distributions::{Distribution, WeightedIndex};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::LogNormal;
use std::collections::{HashMap, HashSet};

/// Parameters of a log-normal distribution: `exp(N(mu, sigma))`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LogNormalParams {
    /// Mean of the logarithm.
    pub mu: f64,
    /// Standard deviation of the logarithm.
    pub sigma: f64,
}

/// Common values with their probabilities, and a log-normal (rounded, clamped to
/// `rest_min..=rest_max`) for the remaining probability mass.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Mixture {
    /// `(value, probability)` pairs; the probabilities sum to at most 1.
    pub points: Vec<(u64, f64)>,
    /// The distribution of the remaining values.
    pub rest: LogNormalParams,
    /// Smallest value drawn from `rest`.
    pub rest_min: u64,
    /// Largest value drawn from `rest`.
    pub rest_max: u64,
}

/// How `htlc_maximum_msat` relates to the capacity.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HtlcMaxModel {
    /// Probability that `htlc_maximum_msat` equals the capacity.
    pub equal_capacity: f64,
    /// Probability that it is 99% of the capacity (core-lightning's default).
    pub ninety_nine_percent: f64,
}

/// The per-channel and per-direction distributions of the generator.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Distributions {
    /// Channel capacity in sat.
    pub capacity_sat: LogNormalParams,
    /// Smallest capacity drawn, sat.
    pub capacity_min_sat: u64,
    /// Largest capacity drawn, sat.
    pub capacity_max_sat: u64,
    /// Fee rate in ppm.
    pub fee_ppm: Mixture,
    /// Base fee in msat.
    pub base_fee_msat: Mixture,
    /// CLTV delta: `(value, probability)`, probabilities renormalised when drawing.
    pub cltv_delta: Vec<(u16, f64)>,
    /// htlc_minimum_msat: `(value, probability)`, renormalised when drawing.
    pub htlc_minimum_msat: Vec<(u64, f64)>,
    /// htlc_maximum_msat relative to the capacity.
    pub htlc_maximum: HtlcMaxModel,
    /// Probability that a channel is listed in both directions.
    pub both_directions_probability: f64,
    /// Probability that a channel gets a parallel twin.
    pub parallel_probability: f64,
    /// Probability that a direction is inactive.
    pub inactive_probability: f64,
}

impl Distributions {
    /// The distributions fitted to ln-2026 (2026-02-03 mainnet, 6,978 nodes, 33,893 channels,
    /// 65,810 directions) by `Distributions::fit(&graph, 0.005, 12)` (point masses: values
    /// held by at least 0.5% of the directions, at most 12), rounded to 4 decimals.
    pub fn ln_2026() -> Distributions {
        Distributions {
            capacity_sat: LogNormalParams {
                mu: 14.795,
                sigma: 1.972,
            },
            capacity_min_sat: 10_000,
            capacity_max_sat: 720_000_000,
            fee_ppm: Mixture {
                points: vec![
                    (1, 0.2220),
                    (0, 0.0686),
                    (500, 0.0515),
                    (100, 0.0450),
                    (10, 0.0435),
                    (1000, 0.0307),
                    (499, 0.0262),
                    (2000, 0.0177),
                    (200, 0.0175),
                    (2500, 0.0146),
                    (50, 0.0140),
                    (5000, 0.0112),
                ],
                rest: LogNormalParams {
                    mu: 5.677,
                    sigma: 1.926,
                },
                rest_min: 1,
                rest_max: 1_000_000,
            },
            base_fee_msat: Mixture {
                points: vec![
                    (0, 0.4527),
                    (1000, 0.4084),
                    (1, 0.0339),
                    (500, 0.0155),
                    (100, 0.0095),
                    (2000, 0.0075),
                    (5000, 0.0073),
                    (10000, 0.0050),
                ],
                rest: LogNormalParams {
                    mu: 6.089,
                    sigma: 3.158,
                },
                rest_min: 1,
                rest_max: 10_000_000,
            },
            cltv_delta: vec![
                (80, 0.3816),
                (144, 0.1770),
                (40, 0.1700),
                (100, 0.1120),
                (34, 0.0653),
                (18, 0.0247),
                (51, 0.0078),
                (72, 0.0077),
                (120, 0.0059),
                (60, 0.0050),
            ],
            htlc_minimum_msat: vec![
                (1000, 0.7860),
                (1, 0.1022),
                (100_000, 0.0283),
                (1_000_000, 0.0234),
                (0, 0.0171),
                (10_000, 0.0082),
                (5000, 0.0068),
            ],
            htlc_maximum: HtlcMaxModel {
                equal_capacity: 0.0726,
                ninety_nine_percent: 0.6391,
            },
            both_directions_probability: 0.9417,
            parallel_probability: 0.0674,
            inactive_probability: 0.0,
        }
    }

    /// Measures the distributions of a graph (the inverse of what [`generate()`] draws from):
    /// point masses are the values holding at least `min_share` of the directions (at most
    /// `max_points` of them, most frequent first), the log-normal rest is fitted by the mean and
    /// standard deviation of `ln(value)` over the other positive values.
    ///
    /// # Complexity
    /// O(N + D) with hashing.
    pub fn fit(g: &Graph, min_share: f64, max_points: usize) -> Distributions {
        let caps: Vec<u64> = g
            .channels()
            .map(|c| g.channel_capacity(c).to_sat_floor().get())
            .collect();
        let pol = g.policies();
        let ppm: Vec<u64> = pol.iter().map(|p| p.fee_ppm.get() as u64).collect();
        let base: Vec<u64> = pol.iter().map(|p| p.base_fee_msat.get()).collect();
        let cltv: Vec<u64> = pol.iter().map(|p| p.cltv_delta as u64).collect();
        let hmin: Vec<u64> = pol.iter().map(|p| p.htlc_minimum_msat.get()).collect();
        let dirs = g.direction_count().max(1) as f64;
        let (mut eq, mut ninety_nine) = (0usize, 0usize);
        for d in g.directions() {
            let (cap, max) = (g.capacity(d).get(), g.policy(d).htlc_maximum_msat.get());
            if max == cap {
                eq += 1;
            } else if max as u128 * 100 == cap as u128 * 99 {
                ninety_nine += 1;
            }
        }
        let channels = g.channel_count().max(1) as f64;
        let both = g
            .channels()
            .filter(|&c| g.channel_directions(c).iter().all(Option::is_some))
            .count();
        let mut pairs = HashSet::new();
        for c in g.channels() {
            if let Some(d) = g.channel_directions(c).into_iter().flatten().next() {
                let (a, b) = (g.source(d), g.target(d));
                pairs.insert((a.min(b), a.max(b)));
            }
        }
        let positive_caps: Vec<f64> = caps.iter().filter(|&&c| c > 0).map(|&c| c as f64).collect();
        Distributions {
            capacity_sat: log_normal_fit(&positive_caps),
            capacity_min_sat: caps.iter().copied().min().unwrap_or(1).max(1),
            capacity_max_sat: caps.iter().copied().max().unwrap_or(1).max(1),
            fee_ppm: mixture_fit(&ppm, min_share, max_points, 1_000_000),
            base_fee_msat: mixture_fit(&base, min_share, max_points, 10_000_000),
            cltv_delta: top_values(&cltv, min_share, max_points)
                .into_iter()
                .map(|(v, p)| (v as u16, p))
                .collect(),
            htlc_minimum_msat: top_values(&hmin, min_share, max_points),
            htlc_maximum: HtlcMaxModel {
                equal_capacity: eq as f64 / dirs,
                ninety_nine_percent: ninety_nine as f64 / dirs,
            },
            both_directions_probability: both as f64 / channels,
            parallel_probability: 1.0 - pairs.len() as f64 / channels,
            inactive_probability: 1.0 - pol.iter().filter(|p| p.active).count() as f64 / dirs,
        }
    }
}

fn log_normal_fit(values: &[f64]) -> LogNormalParams {
    let n = values.len().max(1) as f64;
    let mu = values.iter().map(|v| v.ln()).sum::<f64>() / n;
    let var = values.iter().map(|v| (v.ln() - mu).powi(2)).sum::<f64>() / n;
    LogNormalParams {
        mu,
        sigma: var.sqrt(),
    }
}

/// The values holding at least `min_share` of the data, most frequent first (ties by value).
fn top_values(values: &[u64], min_share: f64, max_points: usize) -> Vec<(u64, f64)> {
    let mut counts: HashMap<u64, usize> = HashMap::new();
    for &v in values {
        *counts.entry(v).or_default() += 1;
    }
    let n = values.len().max(1) as f64;
    let mut top: Vec<(u64, usize)> = counts.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top.into_iter()
        .map(|(v, c)| (v, c as f64 / n))
        .take_while(|&(_, p)| p >= min_share)
        .take(max_points)
        .collect()
}

fn mixture_fit(values: &[u64], min_share: f64, max_points: usize, rest_max: u64) -> Mixture {
    let points = top_values(values, min_share, max_points);
    let rest: Vec<f64> = values
        .iter()
        .filter(|v| **v > 0 && !points.iter().any(|(p, _)| p == *v))
        .map(|&v| v as f64)
        .collect();
    Mixture {
        points,
        rest: log_normal_fit(&rest),
        rest_min: 1,
        rest_max,
    }
}

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GeneratorParams {
    /// Number of nodes (at least 2).
    pub nodes: usize,
    /// Seed of the ChaCha8 random stream.
    pub seed: u64,
    /// Probability that a joining node is a leaf (a wallet-like node): it opens exactly one
    /// channel and is never chosen as a peer by later nodes.
    pub leaf_probability: f64,
    /// Channels opened by each joining non-leaf node, before rounding: `exp(N(mu, sigma))`.
    pub channels_per_node: LogNormalParams,
    /// Per-channel and per-direction distributions.
    pub distributions: Distributions,
    /// `last_update` of every direction (unix seconds).
    pub last_update: u32,
}

impl GeneratorParams {
    /// `nodes` nodes from `seed`, with the ln-2026 distributions.
    pub fn new(nodes: usize, seed: u64) -> GeneratorParams {
        GeneratorParams {
            nodes,
            seed,
            leaf_probability: 0.42,
            channels_per_node: LogNormalParams {
                mu: 1.0,
                sigma: 1.35,
            },
            distributions: Distributions::ln_2026(),
            // 2026-02-03T00:00:00Z, the date of the ln-2026 snapshot.
            last_update: 1_770_076_800,
        }
    }
}

impl LogNormalParams {
    fn sampler(&self, name: &'static str) -> Result<LogNormal<f64>, GraphError> {
        if !self.mu.is_finite() || !self.sigma.is_finite() || self.sigma < 0.0 {
            return Err(invalid(
                name,
                format!(
                    "log-normal needs a finite mu and a finite sigma >= 0, got mu {} sigma {}",
                    self.mu, self.sigma
                ),
            ));
        }
        LogNormal::new(self.mu, self.sigma).map_err(|e| invalid(name, e.to_string()))
    }
}

fn invalid(name: &'static str, reason: impl Into<String>) -> GraphError {
    GraphError::InvalidParameter {
        name,
        reason: reason.into(),
    }
}

fn check_probability(name: &'static str, p: f64) -> Result<(), GraphError> {
    if (0.0..=1.0).contains(&p) {
        Ok(())
    } else {
        Err(invalid(name, format!("{p} is not a probability in [0, 1]")))
    }
}

/// A sampler for a [`Mixture`].
struct MixtureSampler {
    values: Vec<u64>,
    index: WeightedIndex<f64>,
    rest: LogNormal<f64>,
    min: u64,
    max: u64,
}

impl MixtureSampler {
    fn new(name: &'static str, m: &Mixture) -> Result<MixtureSampler, GraphError> {
        let total: f64 = m.points.iter().map(|p| p.1).sum();
        if m.points.iter().any(|p| !(0.0..=1.0).contains(&p.1)) || total > 1.0 + 1e-9 {
            return Err(invalid(
                name,
                "point probabilities must lie in [0, 1] and sum to ≤ 1",
            ));
        }
        if m.rest_min > m.rest_max {
            return Err(invalid(name, "rest_min exceeds rest_max"));
        }
        let mut weights: Vec<f64> = m.points.iter().map(|p| p.1).collect();
        weights.push((1.0 - total).max(0.0));
        Ok(MixtureSampler {
            values: m.points.iter().map(|p| p.0).collect(),
            index: WeightedIndex::new(&weights).map_err(|e| invalid(name, e.to_string()))?,
            rest: m.rest.sampler(name)?,
            min: m.rest_min,
            max: m.rest_max,
        })
    }

    fn sample(&self, rng: &mut ChaCha8Rng) -> u64 {
        let i = self.index.sample(rng);
        match self.values.get(i) {
            Some(&v) => v,
            None => round_clamp(self.rest.sample(rng), self.min, self.max),
        }
    }
}

fn round_clamp(x: f64, min: u64, max: u64) -> u64 {
    // `as` saturates for out-of-range floats and maps NaN to 0.
    (x.round() as u64).clamp(min, max)
}

fn categorical<T: Copy>(
    name: &'static str,
    items: &[(T, f64)],
) -> Result<(Vec<T>, WeightedIndex<f64>), GraphError> {
    let index = WeightedIndex::new(items.iter().map(|i| i.1))
        .map_err(|e| invalid(name, format!("weights: {e}")))?;
    Ok((items.iter().map(|i| i.0).collect(), index))
}

/// Generates a graph.
///
/// # Errors
/// [`GraphError::InvalidParameter`] for fewer than 2 nodes, more than 2³¹, or distribution
/// parameters that are not distributions.
///
/// # Complexity
/// O(N + C) expected time for N nodes and C channels (C ≈ 4.9 N with the default parameters),
/// plus the builder's hashing; memory O(N + C).
pub fn generate(params: &GeneratorParams) -> Result<Graph, GraphError> {
    let n = params.nodes;
    if n < 2 {
        return Err(invalid("nodes", format!("{n}: need at least 2 nodes")));
    }
    if n > 1 << 31 {
        return Err(invalid("nodes", format!("{n}: at most 2^31 nodes")));
    }
    let dist = &params.distributions;
    check_probability(
        "both_directions_probability",
        dist.both_directions_probability,
    )?;
    check_probability("parallel_probability", dist.parallel_probability)?;
    check_probability("inactive_probability", dist.inactive_probability)?;
    check_probability("leaf_probability", params.leaf_probability)?;
    let hm = dist.htlc_maximum;
    check_probability("htlc_maximum.equal_capacity", hm.equal_capacity)?;
    check_probability("htlc_maximum.ninety_nine_percent", hm.ninety_nine_percent)?;
    if hm.equal_capacity + hm.ninety_nine_percent > 1.0 + 1e-9 {
        return Err(invalid("htlc_maximum", "probabilities sum to more than 1"));
    }
    if dist.capacity_min_sat == 0 || dist.capacity_min_sat > dist.capacity_max_sat {
        return Err(invalid(
            "capacity_min_sat",
            "must be positive and at most capacity_max_sat",
        ));
    }
    if dist.capacity_max_sat > crate::units::MAX_SUPPLY_SAT {
        return Err(invalid(
            "capacity_max_sat",
            "exceeds the 21 million BTC supply",
        ));
    }
    let k_dist = params.channels_per_node.sampler("channels_per_node")?;
    let cap_dist = dist.capacity_sat.sampler("capacity_sat")?;
    let ppm = MixtureSampler::new("fee_ppm", &dist.fee_ppm)?;
    if dist.fee_ppm.rest_max > u32::MAX as u64 {
        return Err(invalid("fee_ppm", "rest_max exceeds 2^32-1"));
    }
    let base = MixtureSampler::new("base_fee_msat", &dist.base_fee_msat)?;
    let (cltv_values, cltv_index) = categorical("cltv_delta", &dist.cltv_delta)?;
    let (hmin_values, hmin_index) = categorical("htlc_minimum_msat", &dist.htlc_minimum_msat)?;

    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let ids: Vec<NodeId> = (0..n as u32).map(NodeId::synthetic).collect();
    // Each node once, plus once per channel end: uniform picks are ∝ degree + 1.
    let mut endpoints: Vec<u32> = Vec::with_capacity(n * 12);
    let mut builder = GraphBuilder::new();
    let mut next_channel = 0u64;
    let mut chosen: Vec<u32> = Vec::new();

    let policy = |rng: &mut ChaCha8Rng, capacity: Msat| -> Policy {
        let cap = capacity.get();
        let u: f64 = rng.gen();
        let htlc_max = if u < hm.equal_capacity {
            cap
        } else if u < hm.equal_capacity + hm.ninety_nine_percent {
            cap / 100 * 99
        } else {
            (cap as f64 * rng.gen_range(0.01..0.99)) as u64
        };
        let htlc_min = hmin_values[hmin_index.sample(rng)].min(htlc_max);
        Policy {
            base_fee_msat: Msat(base.sample(rng)),
            fee_ppm: Ppm(ppm.sample(rng) as u32),
            cltv_delta: cltv_values[cltv_index.sample(rng)],
            htlc_minimum_msat: Msat(htlc_min),
            htlc_maximum_msat: Msat(htlc_max),
            active: !rng.gen_bool(dist.inactive_probability),
            last_update: params.last_update,
        }
    };
    let mut open = |rng: &mut ChaCha8Rng,
                    builder: &mut GraphBuilder,
                    a: u32,
                    b: u32|
     -> Result<(), GraphError> {
        let ch = next_channel;
        next_channel += 1;
        let scid = ShortChannelId::new(600_000 + (ch / 2000) as u32, (ch % 2000) as u32, 0)
            .ok_or_else(|| invalid("nodes", "too many channels for synthetic scids"))?;
        let cap_sat = round_clamp(
            cap_dist.sample(rng),
            dist.capacity_min_sat,
            dist.capacity_max_sat,
        );
        let capacity = Msat(cap_sat * 1000);
        let both = rng.gen_bool(dist.both_directions_probability);
        let only = rng.gen_bool(0.5);
        for (s, d, listed) in [(a, b, both || only), (b, a, both || !only)] {
            let p = policy(rng, capacity);
            if !listed {
                continue;
            }
            let rec = DirectionRecord {
                scid,
                source: ids[s as usize],
                destination: ids[d as usize],
                capacity,
                policy: p,
            };
            builder.add(&rec).map_err(|e| match e {
                RecordProblem::TooLarge => GraphError::TooLarge,
                other => invalid("nodes", format!("generator produced a bad record: {other}")),
            })?;
        }
        Ok(())
    };

    endpoints.push(0);
    let mut hubs = 1u64;
    for i in 1..n as u32 {
        // The first nodes are never leaves, so that leaves have peers to choose from.
        let leaf = i > 2 && rng.gen_bool(params.leaf_probability);
        let k = if leaf {
            1
        } else {
            round_clamp(k_dist.sample(&mut rng), 1, hubs) as usize
        };
        chosen.clear();
        let mut attempts = 0;
        while chosen.len() < k && attempts < 32 * k {
            attempts += 1;
            let t = endpoints[rng.gen_range(0..endpoints.len())];
            if !chosen.contains(&t) {
                chosen.push(t);
            }
        }
        if !leaf {
            endpoints.push(i);
            hubs += 1;
        }
        for &t in &chosen {
            open(&mut rng, &mut builder, i, t)?;
            if !leaf {
                endpoints.push(i);
            }
            endpoints.push(t);
            if rng.gen_bool(dist.parallel_probability) {
                open(&mut rng, &mut builder, i, t)?;
            }
        }
    }
    Ok(builder.build())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::GraphStats;

    fn records(g: &Graph) -> Vec<DirectionRecord> {
        g.directions().map(|d| g.direction_record(d)).collect()
    }

    #[test]
    fn deterministic_per_seed_and_different_across_seeds() {
        let a = generate(&GeneratorParams::new(300, 7)).expect("valid");
        let b = generate(&GeneratorParams::new(300, 7)).expect("valid");
        let c = generate(&GeneratorParams::new(300, 8)).expect("valid");
        assert_eq!(records(&a), records(&b));
        assert_ne!(records(&a), records(&c));
    }

    #[test]
    fn every_node_is_connected_and_invariants_hold() {
        let g = generate(&GeneratorParams::new(500, 1)).expect("valid");
        assert_eq!(g.node_count(), 500, "every node opens at least one channel");
        for d in g.directions() {
            let p = g.policy(d);
            assert!(p.htlc_minimum_msat <= p.htlc_maximum_msat);
            assert!(p.htlc_maximum_msat <= g.capacity(d));
        }
        let s = GraphStats::of(&g);
        // Most channels are listed both ways, so most nodes are mutually reachable.
        assert!(s.largest_scc * 10 > s.nodes * 8, "{s:?}");
    }

    #[test]
    fn refuses_bad_parameters() {
        assert!(matches!(
            generate(&GeneratorParams::new(1, 0)),
            Err(GraphError::InvalidParameter { name: "nodes", .. })
        ));
        let mut p = GeneratorParams::new(10, 0);
        p.distributions.parallel_probability = 1.5;
        assert!(generate(&p).is_err());
        let mut p = GeneratorParams::new(10, 0);
        p.channels_per_node.sigma = -1.0;
        assert!(generate(&p).is_err());
        let mut p = GeneratorParams::new(10, 0);
        p.distributions.cltv_delta.clear();
        assert!(generate(&p).is_err());
    }

    #[test]
    fn fit_recovers_the_generating_distributions() {
        let g = generate(&GeneratorParams::new(4000, 3)).expect("valid");
        let fit = Distributions::fit(&g, 0.005, 12);
        let truth = Distributions::ln_2026();
        assert!(
            (fit.capacity_sat.mu - truth.capacity_sat.mu).abs() < 0.1,
            "{fit:?}"
        );
        assert!((fit.capacity_sat.sigma - truth.capacity_sat.sigma).abs() < 0.1);
        assert!((fit.both_directions_probability - truth.both_directions_probability).abs() < 0.02);
        assert!(
            (fit.htlc_maximum.ninety_nine_percent - truth.htlc_maximum.ninety_nine_percent).abs()
                < 0.02
        );
        assert_eq!(fit.cltv_delta[0].0, 80);
        let p1 = fit
            .fee_ppm
            .points
            .iter()
            .find(|p| p.0 == 1)
            .expect("1 ppm is common");
        assert!((p1.1 - 0.2221).abs() < 0.02);
    }
}
