//! Maximum flow under supplies (Dinic's algorithm), used to report the true `max_flow` of an
//! infeasible problem.
//!
//! The question answered: how much of the positive supply can reach the negative supply at all,
//! ignoring costs? With a super source `S` feeding every node `v` up to `supply[v] > 0` and a super
//! sink `T` draining every node up to `−supply[v]`, it is the maximum `S`–`T` flow.

use crate::adjacency::Adjacency;
use crate::problem::{McfError, Problem};

/// The maximum amount of the positive supplies that can be routed to the negative supplies,
/// respecting capacities (costs are ignored). Equals [`Problem::total_supply`] iff the problem is
/// feasible.
///
/// # Errors
/// [`McfError::InvalidInput`] / [`McfError::Overflow`] from [`Problem::validate`].
///
/// # Complexity
/// Dinic's algorithm: `O(n² · m)` in the worst case, `O(m · √n)`-like on the unit-ish graphs seen in
/// practice; `O(n + m)` memory.
pub fn max_flow(problem: &Problem) -> Result<i64, McfError> {
    problem.validate()?;
    Ok(Dinic::new(problem).run())
}

/// Residual graph for Dinic in CSR form; edge `e ^ 1` is the reverse of edge `e`.
struct Dinic {
    n: usize,
    source: usize,
    sink: usize,
    /// Edge heads, residual capacities and tails, paired (`2k`, `2k + 1`).
    head: Vec<u32>,
    tail: Vec<u32>,
    cap: Vec<i64>,
    /// The edges leaving each node.
    adj: Adjacency,
    level: Vec<i32>,
    it: Vec<usize>,
}

impl Dinic {
    fn new(p: &Problem) -> Self {
        let n = p.num_nodes + 2;
        let (source, sink) = (p.num_nodes, p.num_nodes + 1);
        let mut head = Vec::new();
        let mut tail = Vec::new();
        let mut cap = Vec::new();
        let mut add = |u: usize, v: usize, c: i64| {
            head.push(v as u32);
            tail.push(u as u32);
            cap.push(c);
            head.push(u as u32);
            tail.push(v as u32);
            cap.push(0);
        };
        for a in 0..p.num_arcs() {
            let (u, v) = (p.from[a] as usize, p.to[a] as usize);
            if u != v && p.capacity[a] > 0 {
                add(u, v, p.capacity[a]);
            }
        }
        for (v, &s) in p.supply.iter().enumerate() {
            if s > 0 {
                add(source, v, s);
            } else if s < 0 {
                add(v, sink, -s);
            }
        }
        let adj = Adjacency::build(n, tail.iter().enumerate().map(|(e, &t)| (t, e as u32)));
        Dinic {
            n,
            source,
            sink,
            head,
            tail,
            cap,
            adj,
            level: vec![-1; n],
            it: vec![0; n],
        }
    }

    fn bfs(&mut self) -> bool {
        self.level.iter_mut().for_each(|l| *l = -1);
        let mut queue = std::collections::VecDeque::with_capacity(self.n);
        self.level[self.source] = 0;
        queue.push_back(self.source);
        while let Some(u) = queue.pop_front() {
            for &e in self.adj.of(u) {
                let e = e as usize;
                let v = self.head[e] as usize;
                if self.cap[e] > 0 && self.level[v] < 0 {
                    self.level[v] = self.level[u] + 1;
                    queue.push_back(v);
                }
            }
        }
        self.level[self.sink] >= 0
    }

    /// Blocking flow on the level graph, iterative DFS with current-arc pointers.
    fn blocking_flow(&mut self) -> i64 {
        let mut total: i64 = 0;
        for (v, it) in self.it.iter_mut().enumerate() {
            *it = self.adj.range(v).start;
        }
        let mut path: Vec<usize> = Vec::new();
        let mut v = self.source;
        loop {
            if v == self.sink {
                let bottleneck = path.iter().map(|&e| self.cap[e]).min().unwrap_or(0);
                let mut first_saturated = path.len();
                for (i, &e) in path.iter().enumerate() {
                    self.cap[e] -= bottleneck;
                    self.cap[e ^ 1] += bottleneck;
                    if self.cap[e] == 0 && first_saturated == path.len() {
                        first_saturated = i;
                    }
                }
                total = total.saturating_add(bottleneck);
                path.truncate(first_saturated);
                v = match path.last() {
                    Some(&e) => self.head[e] as usize,
                    None => self.source,
                };
                continue;
            }
            let mut advanced = false;
            while self.it[v] < self.adj.range(v).end {
                let e = self.adj.items()[self.it[v]] as usize;
                let w = self.head[e] as usize;
                if self.cap[e] > 0 && self.level[w] == self.level[v] + 1 {
                    path.push(e);
                    v = w;
                    advanced = true;
                    break;
                }
                self.it[v] += 1;
            }
            if !advanced {
                // Dead end: retreat.
                self.level[v] = -1;
                match path.pop() {
                    Some(e) => {
                        v = self.tail[e] as usize;
                        self.it[v] += 1;
                    }
                    None => return total,
                }
            }
        }
    }

    fn run(&mut self) -> i64 {
        let mut total: i64 = 0;
        while self.bfs() {
            total = total.saturating_add(self.blocking_flow());
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_example() {
        // 0 -> {1, 2} -> 3 with a cross arc 1 -> 2.
        let mut p = Problem::new(4);
        p.add_arc(0, 1, 3, 0);
        p.add_arc(0, 2, 2, 0);
        p.add_arc(1, 2, 5, 0);
        p.add_arc(1, 3, 2, 0);
        p.add_arc(2, 3, 3, 0);
        p.set_single_pair(0, 3, 100);
        assert_eq!(max_flow(&p), Ok(5));
        p.set_single_pair(0, 3, 4);
        assert_eq!(max_flow(&p), Ok(4));
    }

    #[test]
    fn multiple_sources_and_sinks() {
        let mut p = Problem::new(4);
        p.add_arc(0, 2, 10, 0);
        p.add_arc(1, 3, 1, 0);
        p.supply = vec![5, 5, -5, -5];
        assert_eq!(max_flow(&p), Ok(6));
    }

    #[test]
    fn disconnected_is_zero() {
        let mut p = Problem::new(3);
        p.add_arc(1, 0, 10, 0);
        p.set_single_pair(0, 2, 7);
        assert_eq!(max_flow(&p), Ok(0));
    }
}
