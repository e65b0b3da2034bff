//! Flow decomposition: an arc flow into source-to-sink paths with amounts, cycles removed.

use crate::adjacency::Adjacency;
use crate::problem::{ArcId, McfError, Problem};

/// A path from a node with supply to a node with demand, carrying `amount` units.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PathFlow {
    /// The arcs in order, from the source to the sink; never empty, never repeats a node.
    pub arcs: Vec<ArcId>,
    /// Units carried (> 0).
    pub amount: i64,
}

impl PathFlow {
    /// The nodes visited, source first (one more than the arcs).
    pub fn nodes(&self, problem: &Problem) -> Vec<u32> {
        let mut nodes = Vec::with_capacity(self.arcs.len() + 1);
        if let Some(first) = self.arcs.first() {
            nodes.push(problem.from[first.index()]);
        }
        nodes.extend(self.arcs.iter().map(|a| problem.to[a.index()]));
        nodes
    }
}

/// Decomposes a feasible `flow` of `problem` into simple paths from supply nodes to demand
/// nodes. The amounts of the paths sum to [`Problem::total_supply`] and, per arc, to at most the
/// arc's flow: whatever flow is left over forms cycles, which carry no amount and are dropped.
/// Works for any supplies, not only a single pair.
///
/// Order: largest amount first; ties keep discovery order (sources in increasing node order, each
/// walked along its arcs in insertion order), so the result is deterministic.
///
/// # Errors
/// [`McfError::InvalidInput`] when the problem is invalid or `flow` is not feasible for it (wrong
/// length, outside capacities, or not conserving the supplies).
///
/// # Complexity
/// `O(n + m + P · L)` where `P ≤ m + n` is the number of paths and cancelled cycles and `L ≤ n` the
/// length of a walk; every step either extends the walk, or ends a path or a cycle, each of which
/// zeroes an arc or exhausts a supply or a demand. Memory `O(n + m)`.
pub fn decompose(problem: &Problem, flow: &[i64]) -> Result<Vec<PathFlow>, McfError> {
    problem.validate()?;
    problem.check_feasible(flow)?;
    let n = problem.num_nodes;
    // Out-adjacency over arcs with flow, in insertion order.
    let adj = Adjacency::build(
        n,
        flow.iter()
            .enumerate()
            .filter(|&(a, &f)| f > 0 && problem.from[a] != problem.to[a])
            .map(|(a, _)| (problem.from[a], a as u32)),
    );
    let mut left = flow.to_vec();
    let mut supply = problem.supply.clone();
    let mut it: Vec<usize> = (0..n).map(|v| adj.range(v).start).collect();
    const OFF: usize = usize::MAX;
    let mut pos_on_path = vec![OFF; n];
    let mut paths = Vec::new();
    let mut walk: Vec<u32> = Vec::new();

    for s in 0..n {
        while supply[s] > 0 {
            walk.clear();
            pos_on_path[s] = 0;
            let mut v = s;
            loop {
                if v != s && supply[v] < 0 {
                    let bottleneck = walk.iter().map(|&a| left[a as usize]).min().unwrap_or(0);
                    let amount = bottleneck.min(supply[s]).min(-supply[v]);
                    for &a in &walk {
                        left[a as usize] -= amount;
                    }
                    supply[s] -= amount;
                    supply[v] += amount;
                    paths.push(PathFlow {
                        arcs: walk.iter().map(|&a| ArcId(a)).collect(),
                        amount,
                    });
                    break;
                }
                // Conservation of the remaining flow guarantees an outgoing arc with flow here.
                let end = adj.range(v).end;
                while it[v] < end && left[adj.items()[it[v]] as usize] == 0 {
                    it[v] += 1;
                }
                if it[v] == end {
                    return Err(McfError::InvalidInput {
                        reason: format!("flow enters node {v} but does not leave it"),
                    });
                }
                let a = adj.items()[it[v]];
                let w = problem.to[a as usize] as usize;
                if pos_on_path[w] != OFF {
                    // Cycle: walk[pos..] + a returns to w. Cancel it and resume from w.
                    let p = pos_on_path[w];
                    let cyc = left[a as usize].min(
                        walk[p..]
                            .iter()
                            .map(|&b| left[b as usize])
                            .min()
                            .unwrap_or(i64::MAX),
                    );
                    left[a as usize] -= cyc;
                    for &b in &walk[p..] {
                        left[b as usize] -= cyc;
                        pos_on_path[problem.to[b as usize] as usize] = OFF;
                    }
                    pos_on_path[w] = p;
                    walk.truncate(p);
                    v = w;
                } else {
                    walk.push(a);
                    pos_on_path[w] = walk.len();
                    v = w;
                }
            }
            pos_on_path[s] = OFF;
            for &a in &walk {
                pos_on_path[problem.to[a as usize] as usize] = OFF;
            }
        }
    }
    paths.sort_by_key(|q| std::cmp::Reverse(q.amount));
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_two_routes() {
        let mut p = Problem::new(4);
        p.add_arc(0, 1, 5, 0);
        p.add_arc(1, 3, 5, 0);
        p.add_arc(0, 2, 5, 0);
        p.add_arc(2, 3, 5, 0);
        p.set_single_pair(0, 3, 7);
        let paths = decompose(&p, &[3, 3, 4, 4]).unwrap();
        assert_eq!(
            paths,
            vec![
                PathFlow {
                    arcs: vec![ArcId(2), ArcId(3)],
                    amount: 4
                },
                PathFlow {
                    arcs: vec![ArcId(0), ArcId(1)],
                    amount: 3
                },
            ]
        );
        assert_eq!(paths[0].nodes(&p), vec![0, 2, 3]);
    }

    #[test]
    fn removes_cycles() {
        // 0 -> 1 -> 2 -> 3 with a cycle 1 -> 2 -> 1 carrying 2 extra units.
        let mut p = Problem::new(4);
        p.add_arc(0, 1, 9, 0);
        p.add_arc(1, 2, 9, 0);
        p.add_arc(2, 1, 9, 0);
        p.add_arc(2, 3, 9, 0);
        p.set_single_pair(0, 3, 1);
        let paths = decompose(&p, &[1, 3, 2, 1]).unwrap();
        assert_eq!(
            paths,
            vec![PathFlow {
                arcs: vec![ArcId(0), ArcId(1), ArcId(3)],
                amount: 1
            }]
        );
    }

    #[test]
    fn rejects_infeasible_flow() {
        let mut p = Problem::new(3);
        p.add_arc(0, 1, 9, 0);
        p.add_arc(1, 2, 9, 0);
        p.set_single_pair(0, 2, 2);
        assert!(decompose(&p, &[2, 1]).is_err());
        assert!(decompose(&p, &[2]).is_err());
    }

    #[test]
    fn general_supplies() {
        let mut p = Problem::new(4);
        p.add_arc(0, 2, 9, 0);
        p.add_arc(1, 2, 9, 0);
        p.add_arc(2, 3, 9, 0);
        p.supply = vec![2, 3, -1, -4];
        let paths = decompose(&p, &[2, 3, 4]).unwrap();
        let total: i64 = paths.iter().map(|q| q.amount).sum();
        assert_eq!(total, 5);
        for q in &paths {
            let nodes = q.nodes(&p);
            assert!(p.supply[nodes[0] as usize] > 0);
            assert!(p.supply[*nodes.last().unwrap() as usize] < 0);
        }
    }
}
