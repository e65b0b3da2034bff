//! Strategies for random problems and reference algorithms that share no code with the crate.

use pp_mcf::Problem;
use proptest::prelude::*;

/// A random problem on `2..=max_nodes` nodes with up to `max_arcs` arcs (parallel arcs and
/// self-loops included), capacities `0..=max_cap`, costs in `cost_range`, and either a single
/// pair or general supplies (balanced).
pub fn problem(
    max_nodes: usize,
    max_arcs: usize,
    max_cap: i64,
    cost_lo: i64,
    cost_hi: i64,
) -> impl Strategy<Value = Problem> {
    (2..=max_nodes).prop_flat_map(move |n| {
        let arc = (0..n as u32, 0..n as u32, 0..=max_cap, cost_lo..=cost_hi);
        let arcs = proptest::collection::vec(arc, 0..=max_arcs);
        let single = (0..n as u32, 0..n as u32, 0..=2 * max_cap)
            .prop_map(move |(s, t, x)| {
                let mut v = vec![0i64; n];
                if s != t {
                    v[s as usize] = x;
                    v[t as usize] = -x;
                }
                v
            })
            .boxed();
        let general = proptest::collection::vec(-max_cap..=max_cap, n)
            .prop_map(|mut v| {
                // Balance by adjusting the last node.
                let sum: i64 = v.iter().sum();
                let last = v.len() - 1;
                v[last] -= sum;
                v
            })
            .boxed();
        let supplies = prop_oneof![3 => single, 1 => general];
        (arcs, supplies).prop_map(move |(arcs, supply)| {
            let mut p = Problem::new(n);
            for (u, v, c, w) in arcs {
                p.add_arc(u, v, c, w);
            }
            p.supply = supply;
            p
        })
    })
}

/// Residual graph for the reference algorithms: edge `2a` is arc `a` forward, `2a + 1` backward;
/// edges of the super source/sink follow.
struct Residual {
    n: usize,
    head: Vec<usize>,
    cap: Vec<i64>,
    cost: Vec<i64>,
}

impl Residual {
    fn new(p: &Problem) -> (Residual, usize, usize) {
        let n = p.num_nodes + 2;
        let (s, t) = (p.num_nodes, p.num_nodes + 1);
        let mut r = Residual {
            n,
            head: Vec::new(),
            cap: Vec::new(),
            cost: Vec::new(),
        };
        let mut tail = Vec::new();
        let mut add = |r: &mut Residual, u: usize, v: usize, c: i64, w: i64| {
            r.head.push(v);
            r.cap.push(c);
            r.cost.push(w);
            tail.push(u);
            r.head.push(u);
            r.cap.push(0);
            r.cost.push(-w);
            tail.push(v);
        };
        for a in 0..p.num_arcs() {
            add(
                &mut r,
                p.from[a] as usize,
                p.to[a] as usize,
                p.capacity[a],
                p.cost[a],
            );
        }
        for (v, &x) in p.supply.iter().enumerate() {
            if x > 0 {
                add(&mut r, s, v, x, 0);
            } else if x < 0 {
                add(&mut r, v, t, -x, 0);
            }
        }
        // Tails are recoverable as the head of the paired edge.
        (r, s, t)
    }

    fn tail(&self, e: usize) -> usize {
        self.head[e ^ 1]
    }

    /// Edmonds–Karp: BFS shortest augmenting paths until none.
    fn max_flow(&mut self, s: usize, t: usize) -> i64 {
        let mut total = 0;
        loop {
            let mut pred = vec![usize::MAX; self.n];
            let mut seen = vec![false; self.n];
            seen[s] = true;
            let mut queue = std::collections::VecDeque::from([s]);
            while let Some(u) = queue.pop_front() {
                for e in 0..self.head.len() {
                    if self.tail(e) == u && self.cap[e] > 0 && !seen[self.head[e]] {
                        seen[self.head[e]] = true;
                        pred[self.head[e]] = e;
                        queue.push_back(self.head[e]);
                    }
                }
            }
            if !seen[t] {
                return total;
            }
            let mut b = i64::MAX;
            let mut v = t;
            while v != s {
                b = b.min(self.cap[pred[v]]);
                v = self.tail(pred[v]);
            }
            let mut v = t;
            while v != s {
                self.cap[pred[v]] -= b;
                self.cap[pred[v] ^ 1] += b;
                v = self.tail(pred[v]);
            }
            total += b;
        }
    }

    /// Bellman–Ford negative-cycle detection over edges with capacity; returns a cycle's edges.
    fn negative_cycle(&self) -> Option<Vec<usize>> {
        let mut dist = vec![0i64; self.n];
        let mut pred = vec![usize::MAX; self.n];
        let mut last = usize::MAX;
        for _ in 0..self.n {
            last = usize::MAX;
            for e in 0..self.head.len() {
                if self.cap[e] > 0 {
                    let (u, v) = (self.tail(e), self.head[e]);
                    if dist[u] + self.cost[e] < dist[v] {
                        dist[v] = dist[u] + self.cost[e];
                        pred[v] = e;
                        last = v;
                    }
                }
            }
            if last == usize::MAX {
                return None;
            }
        }
        // Walk back n steps to land on the cycle, then collect it.
        let mut v = last;
        for _ in 0..self.n {
            v = self.tail(pred[v]);
        }
        let start = v;
        let mut cycle = Vec::new();
        loop {
            let e = pred[v];
            cycle.push(e);
            v = self.tail(e);
            if v == start {
                return Some(cycle);
            }
        }
    }
}

/// What a reference solver concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// Optimal cost and one optimal flow.
    Optimal(i128, Vec<i64>),
    /// Infeasible, with the maximum flow.
    Infeasible(i64),
}

/// The maximum flow under supplies by Edmonds–Karp, and the feasible flow it found (meaningful
/// only when the maximum flow equals the total supply).
pub fn reference_max_flow(p: &Problem) -> (i64, Vec<i64>) {
    let (mut r, s, t) = Residual::new(p);
    let f = r.max_flow(s, t);
    let flow = (0..p.num_arcs()).map(|a| r.cap[2 * a + 1]).collect();
    (f, flow)
}

/// Min-cost flow by cycle cancelling: a feasible flow from Edmonds–Karp, then cancel negative
/// residual cycles (Bellman–Ford) until none is left. Handles any cost sign.
pub fn reference_min_cost(p: &Problem) -> Reference {
    let (mut r, s, t) = Residual::new(p);
    let f = r.max_flow(s, t);
    let required: i64 = p.supply.iter().filter(|&&x| x > 0).sum();
    if f < required {
        return Reference::Infeasible(f);
    }
    while let Some(cycle) = r.negative_cycle() {
        let b = cycle.iter().map(|&e| r.cap[e]).min().unwrap();
        for &e in &cycle {
            r.cap[e] -= b;
            r.cap[e ^ 1] += b;
        }
    }
    let flow: Vec<i64> = (0..p.num_arcs()).map(|a| r.cap[2 * a + 1]).collect();
    let cost = flow
        .iter()
        .zip(&p.cost)
        .map(|(&f, &c)| f as i128 * c as i128)
        .sum();
    Reference::Optimal(cost, flow)
}

/// Least cost over every integer flow vector (tiny problems only): `None` when infeasible.
pub fn brute_force(p: &Problem) -> Option<i128> {
    let m = p.num_arcs();
    let mut flow = vec![0i64; m];
    let mut best: Option<i128> = None;
    loop {
        let mut bal = vec![0i64; p.num_nodes];
        for a in 0..m {
            bal[p.from[a] as usize] += flow[a];
            bal[p.to[a] as usize] -= flow[a];
        }
        if bal == p.supply {
            let c: i128 = (0..m).map(|a| flow[a] as i128 * p.cost[a] as i128).sum();
            best = Some(best.map_or(c, |b| b.min(c)));
        }
        // Next vector (odometer).
        let mut a = 0;
        loop {
            if a == m {
                return best;
            }
            if flow[a] < p.capacity[a] {
                flow[a] += 1;
                break;
            }
            flow[a] = 0;
            a += 1;
        }
    }
}

/// The backends compiled in.
pub fn backends() -> Vec<&'static str> {
    pp_mcf::available_backends()
}
