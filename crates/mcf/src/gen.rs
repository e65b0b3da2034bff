//! Seeded generator of random convex min-cost-flow instances shaped like the payment loop's:
//! a scale-free network of two-way "links", each direction split into `pieces` parallel arcs with
//! non-decreasing unit costs (the secant slopes of `−ln((c + 1 − x)/(c + 1))` over equal-width
//! pieces of the capacity `c`, plus a per-direction linear surcharge). Used by tests and
//! benchmarks when no exported instance is at hand; it knows nothing of Lightning.
//!
//! The random numbers come from a self-contained SplitMix64, so an instance depends only on its
//! [`ConvexNetworkSpec`] and never on a crate version.

use crate::problem::Problem;

/// Parameters of [`convex_network`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConvexNetworkSpec {
    /// Number of nodes (≥ 2).
    pub nodes: usize,
    /// Number of links; each gives two directions of `pieces` arcs.
    pub links: usize,
    /// Arcs per direction (≥ 1).
    pub pieces: usize,
    /// Median link capacity, in flow units; capacities are log-normal around it.
    pub median_capacity: i64,
    /// Seed of the random stream.
    pub seed: u64,
}

impl Default for ConvexNetworkSpec {
    /// 6,000 nodes, 30,000 links, 5 pieces (300,000 arcs), median capacity 3,000,000, seed 1.
    fn default() -> Self {
        ConvexNetworkSpec {
            nodes: 6_000,
            links: 30_000,
            pieces: 5,
            median_capacity: 3_000_000,
            seed: 1,
        }
    }
}

/// SplitMix64: tiny, fast, good enough for instance generation.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A stream from `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `[0, 1)`.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }
    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.next_f64();
        let u2 = self.next_f64();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

/// Integer unit costs of `pieces` equal-width pieces of `0..=capacity` under the convex cost
/// `scale · (−ln((c + 1 − x)/(c + 1)))`: piece `k` covers `[x_k, x_{k+1})` and costs the secant
/// slope, rounded up, plus `surcharge`. Returns `(capacity of piece, unit cost)` pairs; the slopes
/// are non-decreasing.
pub fn secant_pieces(capacity: i64, pieces: usize, scale: f64, surcharge: i64) -> Vec<(i64, i64)> {
    let c = capacity as f64;
    let k = pieces.max(1) as i64;
    let mut out = Vec::with_capacity(pieces);
    let mut lo = 0i64;
    for i in 1..=k {
        let hi = capacity * i / k;
        if hi > lo {
            let (a, b) = (lo as f64, hi as f64);
            let slope = ((c + 1.0 - a).ln() - (c + 1.0 - b).ln()) / (b - a);
            out.push((hi - lo, (scale * slope).ceil() as i64 + surcharge));
        }
        lo = hi;
    }
    out
}

/// A random instance per `spec`, with all supplies zero (set them with
/// [`Problem::set_single_pair`]). Topology: preferential attachment (each new node links to
/// `links / nodes` earlier nodes chosen proportionally to degree, remaining links between random
/// degree-weighted pairs), no self links. Capacities: log-normal, σ = 1.2, at least 1,000.
/// Costs: [`secant_pieces`] with scale 10^9 plus a surcharge `fee × 4`, `fee` log-uniform in
/// `0..5000` per direction.
///
/// # Complexity
/// `O(nodes + links × pieces)`.
pub fn convex_network(spec: &ConvexNetworkSpec) -> Problem {
    let n = spec.nodes.max(2);
    let mut rng = SplitMix64::new(spec.seed ^ 0x5EED_0FC0_FFEE);
    let mut p = Problem::new(n);
    // Endpoint list for degree-proportional sampling.
    let mut ends: Vec<u32> = vec![0, 1];
    let mut links: Vec<(u32, u32)> = vec![(0, 1)];
    let per_node = (spec.links / n).max(1);
    for v in 2..n as u32 {
        let mut linked = false;
        for _ in 0..per_node.min(v as usize) {
            if links.len() >= spec.links {
                break;
            }
            let u = ends[rng.below(ends.len() as u64) as usize];
            links.push((v, u));
            ends.push(u);
            ends.push(v);
            linked = true;
        }
        if !linked {
            // Keep every node connected even when links run out.
            let u = rng.below(v as u64) as u32;
            links.push((v, u));
            ends.push(u);
            ends.push(v);
        }
    }
    while links.len() < spec.links {
        let u = ends[rng.below(ends.len() as u64) as usize];
        let v = rng.below(n as u64) as u32;
        if u != v {
            links.push((u, v));
            ends.push(u);
            ends.push(v);
        }
    }
    let ln_median = (spec.median_capacity.max(1) as f64).ln();
    for &(u, v) in &links {
        let cap = ((ln_median + 1.2 * rng.normal()).exp() as i64).max(1_000);
        for (a, b) in [(u, v), (v, u)] {
            let fee = ((rng.next_f64() * 5000f64.ln()).exp() - 1.0) as i64;
            for (w, c) in secant_pieces(cap, spec.pieces, 1e9, fee * 4) {
                p.add_arc(a, b, w, c);
            }
        }
    }
    p
}

/// `count` seeded `(source, sink)` pairs of distinct nodes whose outgoing (source) and incoming
/// (sink) capacity in `problem` is at least `2 × amount`, so that most instances are feasible.
/// Falls back to any distinct pair after many rejections.
pub fn instance_pairs(problem: &Problem, count: usize, amount: i64, seed: u64) -> Vec<(u32, u32)> {
    let n = problem.num_nodes;
    let mut out_cap = vec![0i64; n];
    let mut in_cap = vec![0i64; n];
    for a in 0..problem.num_arcs() {
        out_cap[problem.from[a] as usize] =
            out_cap[problem.from[a] as usize].saturating_add(problem.capacity[a]);
        in_cap[problem.to[a] as usize] =
            in_cap[problem.to[a] as usize].saturating_add(problem.capacity[a]);
    }
    let mut rng = SplitMix64::new(seed ^ 0xA11C_EB0B);
    let mut pairs = Vec::with_capacity(count);
    let mut tries = 0u64;
    while pairs.len() < count && n >= 2 {
        tries += 1;
        let s = rng.below(n as u64) as usize;
        let t = rng.below(n as u64) as usize;
        if s == t {
            continue;
        }
        let big = out_cap[s] >= amount.saturating_mul(2) && in_cap[t] >= amount.saturating_mul(2);
        if big || tries > 1000 * count as u64 {
            pairs.push((s as u32, t as u32));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_are_convex_and_cover_capacity() {
        let pieces = secant_pieces(3_000_000, 5, 1e9, 7);
        assert_eq!(pieces.iter().map(|p| p.0).sum::<i64>(), 3_000_000);
        assert!(pieces.windows(2).all(|w| w[0].1 <= w[1].1));
        assert!(pieces[0].1 > 7);
        // Fewer units than pieces: empty pieces are skipped.
        assert_eq!(secant_pieces(2, 5, 1.0, 0).len(), 2);
    }

    #[test]
    fn instance_has_the_requested_shape() {
        let spec = ConvexNetworkSpec {
            nodes: 300,
            links: 1_500,
            pieces: 5,
            median_capacity: 1_000_000,
            seed: 3,
        };
        let p = convex_network(&spec);
        assert_eq!(p.num_nodes, 300);
        assert_eq!(p.num_arcs(), 1_500 * 2 * 5);
        assert_eq!(p.validate(), Ok(()));
        assert_eq!(p, convex_network(&spec), "deterministic");
        let pairs = instance_pairs(&p, 10, 100_000, 1);
        assert_eq!(pairs.len(), 10);
        assert!(pairs.iter().all(|&(s, t)| s != t));
    }
}
