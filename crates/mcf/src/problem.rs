//! Problem and solution types, the [`McfSolver`] trait and the error enum.
//!
//! A [`Problem`] is a directed multigraph on nodes `0..num_nodes` with arcs `(from, to, capacity,
//! cost)`, and a supply per node (positive: source of flow, negative: sink; the supplies sum to
//! zero). A feasible flow puts `0 <= flow[a] <= capacity[a]` on every arc and, at every node,
//! `Σ out-flow − Σ in-flow = supply`. An optimal flow minimises `Σ flow[a] × cost[a]`.
//!
//! # Arc-cost sign rules
//!
//! - Capacities are `>= 0` (a negative capacity is [`McfError::InvalidInput`]).
//! - Unit costs may have **any sign**. Every backend returns a feasible flow of least total cost,
//!   which saturates any negative-cost cycle (the native backend does this by pre-saturating every
//!   negative-cost arc and routing the resulting imbalance, so it needs no negative-cycle-free
//!   assumption). The problems the payment loop builds have costs `>= 0` and never exercise this.
//! - Self-loops (`from == to`) are allowed: they carry flow only if their cost is negative, and then
//!   are saturated.
//! - Parallel arcs are allowed and are the intended way to express a convex piecewise-linear cost
//!   (one arc per piece, slopes in any order): the native backend groups them per node pair.
//!
//! # Magnitude limits
//!
//! [`Problem::validate`] rejects, with [`McfError::Overflow`], problems whose numbers could overflow
//! inside a solver: `max |cost| × (num_nodes + 1)` must not exceed [`MAX_COST_BOUND`] (2^60, so
//! node potentials and path lengths fit in `i64`), `Σ |cost| × capacity` must fit in `i128` and the
//! total positive supply must fit in `i64`.

/// Bound on `max |cost| × (num_nodes + 1)` accepted by [`Problem::validate`]: 2^60.
pub const MAX_COST_BOUND: i128 = 1 << 60;

/// Index of an arc in a [`Problem`], in insertion order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct ArcId(pub u32);

impl ArcId {
    /// The arc's position in the problem's arrays.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A min-cost-flow instance. Struct of arrays; arcs keep insertion order.
///
/// Invariant (checked by [`Problem::validate`], which every solver calls first): the five arc
/// arrays have the same length, `supply.len() == num_nodes`, every endpoint is `< num_nodes`,
/// capacities are `>= 0`, supplies sum to zero, and the magnitude limits of the module docs hold.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Problem {
    /// Number of nodes; node ids are `0..num_nodes`.
    pub num_nodes: usize,
    /// Arc tails.
    pub from: Vec<u32>,
    /// Arc heads.
    pub to: Vec<u32>,
    /// Arc capacities (≥ 0), in flow units.
    pub capacity: Vec<i64>,
    /// Arc unit costs (any sign; see the module docs).
    pub cost: Vec<i64>,
    /// Supply per node (length `num_nodes`): > 0 produces flow, < 0 consumes it.
    pub supply: Vec<i64>,
}

/// An optimal flow.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Solution {
    /// Flow on each arc, indexed like the problem's arcs.
    pub flow: Vec<i64>,
    /// Total cost `Σ flow × cost`.
    pub cost: i128,
    /// Node potentials proving optimality (reduced-cost certificate), when the backend has them.
    ///
    /// Convention: the reduced cost of arc `a = (u, v)` is `cost[a] + potentials[u] −
    /// potentials[v]`; the flow is optimal iff every arc with `flow < capacity` has reduced cost
    /// `>= 0` and every arc with `flow > 0` has reduced cost `<= 0` (no residual arc with a
    /// negative reduced cost). [`crate::check_optimality`] verifies this.
    pub potentials: Option<Vec<i64>>,
}

/// Why a problem could not be solved, parsed or certified.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum McfError {
    /// Not all supply can reach the demand; `max_flow` is what could be routed.
    #[error("infeasible: only {max_flow} of {required} units can be routed")]
    Infeasible {
        /// The maximum flow that can be routed.
        max_flow: i64,
        /// The flow that was asked for.
        required: i64,
    },
    /// An intermediate value left the range of i64.
    #[error("arithmetic overflow: {what}")]
    Overflow {
        /// Which quantity overflowed.
        what: String,
    },
    /// The problem is malformed.
    #[error("invalid problem: {reason}")]
    InvalidInput {
        /// What is wrong.
        reason: String,
    },
    /// The named solver backend does not exist or is not compiled in.
    #[error("unknown solver backend {name:?} (available: {available})")]
    UnknownBackend {
        /// The requested name.
        name: String,
        /// The names compiled in, comma separated.
        available: String,
    },
    /// A backend failed for another reason (e.g. the LP solver reported an error).
    #[error("solver backend {backend} failed: {reason}")]
    Backend {
        /// The backend name.
        backend: &'static str,
        /// What it reported.
        reason: String,
    },
    /// A DIMACS file is malformed.
    #[error("DIMACS line {line}: {reason}")]
    Parse {
        /// 1-based line number (0 when the error concerns the whole file, e.g. a missing line).
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// Reading or writing failed.
    #[error("I/O error: {source}")]
    Io {
        /// The underlying error.
        #[from]
        source: std::io::Error,
    },
    /// [`crate::check_optimality`] rejected a solution: it is infeasible, its cost is misreported,
    /// or its potentials do not prove optimality.
    #[error("certificate rejected: {reason}")]
    CertificateRejected {
        /// The first violation found.
        reason: String,
    },
}

/// Errors compare by variant and fields; two I/O errors are equal when their kinds are
/// (`std::io::Error` has no equality of its own).
impl PartialEq for McfError {
    fn eq(&self, other: &Self) -> bool {
        use McfError::*;
        match (self, other) {
            (
                Infeasible {
                    max_flow: a,
                    required: b,
                },
                Infeasible {
                    max_flow: c,
                    required: d,
                },
            ) => a == c && b == d,
            (Overflow { what: a }, Overflow { what: b }) => a == b,
            (InvalidInput { reason: a }, InvalidInput { reason: b }) => a == b,
            (
                UnknownBackend {
                    name: a,
                    available: b,
                },
                UnknownBackend {
                    name: c,
                    available: d,
                },
            ) => a == c && b == d,
            (
                Backend {
                    backend: a,
                    reason: b,
                },
                Backend {
                    backend: c,
                    reason: d,
                },
            ) => a == c && b == d,
            (Parse { line: a, reason: b }, Parse { line: c, reason: d }) => a == c && b == d,
            (Io { source: a }, Io { source: b }) => a.kind() == b.kind(),
            (CertificateRejected { reason: a }, CertificateRejected { reason: b }) => a == b,
            _ => false,
        }
    }
}

fn invalid(reason: String) -> McfError {
    McfError::InvalidInput { reason }
}

impl Problem {
    /// An empty problem on `num_nodes` nodes with zero supplies.
    pub fn new(num_nodes: usize) -> Self {
        Problem {
            num_nodes,
            supply: vec![0; num_nodes],
            ..Default::default()
        }
    }

    /// Appends an arc and returns its id. Nothing is checked here; solvers call
    /// [`Problem::validate`].
    pub fn add_arc(&mut self, from: u32, to: u32, capacity: i64, cost: i64) -> ArcId {
        let id = ArcId(self.from.len() as u32);
        self.from.push(from);
        self.to.push(to);
        self.capacity.push(capacity);
        self.cost.push(cost);
        id
    }

    /// Sets supply `amount` at `source` and demand `amount` at `sink` (other supplies unchanged).
    ///
    /// # Panics
    /// If `source` or `sink` is `>= num_nodes`.
    pub fn set_single_pair(&mut self, source: u32, sink: u32, amount: i64) {
        self.supply[source as usize] = amount;
        self.supply[sink as usize] = -amount;
    }

    /// Sets all supplies to zero.
    pub fn clear_supplies(&mut self) {
        self.supply.iter_mut().for_each(|s| *s = 0);
    }

    /// Number of arcs.
    pub fn num_arcs(&self) -> usize {
        self.from.len()
    }

    /// The flow asked for: the sum of the positive supplies (saturating at `i64::MAX`).
    pub fn total_supply(&self) -> i64 {
        self.supply
            .iter()
            .filter(|&&s| s > 0)
            .fold(0i64, |acc, &s| acc.saturating_add(s))
    }

    /// `Some((source, sink, amount))` when exactly one node has positive and exactly one node
    /// negative supply.
    pub fn single_pair(&self) -> Option<(u32, u32, i64)> {
        let mut source = None;
        let mut sink = None;
        for (v, &s) in self.supply.iter().enumerate() {
            if s > 0 {
                if source.is_some() {
                    return None;
                }
                source = Some(v as u32);
            } else if s < 0 {
                if sink.is_some() {
                    return None;
                }
                sink = Some(v as u32);
            }
        }
        Some((source?, sink?, self.supply[source? as usize]))
    }

    /// Checks the invariant of [`Problem`] (see the type and module docs).
    ///
    /// # Errors
    /// [`McfError::InvalidInput`] naming the first offending arc or node (mismatched array
    /// lengths, an endpoint out of range, a negative capacity, supplies not summing to zero);
    /// [`McfError::Overflow`] when a magnitude limit is exceeded.
    ///
    /// # Complexity
    /// `O(n + m)`.
    pub fn validate(&self) -> Result<(), McfError> {
        let m = self.from.len();
        if self.to.len() != m || self.capacity.len() != m || self.cost.len() != m {
            return Err(invalid(format!(
                "arc arrays differ in length (from {}, to {}, capacity {}, cost {})",
                m,
                self.to.len(),
                self.capacity.len(),
                self.cost.len()
            )));
        }
        if self.supply.len() != self.num_nodes {
            return Err(invalid(format!(
                "supply has {} entries for {} nodes",
                self.supply.len(),
                self.num_nodes
            )));
        }
        if self.num_nodes > u32::MAX as usize || m > u32::MAX as usize {
            return Err(invalid(format!(
                "too large: {} nodes, {} arcs (at most 2^32 - 1 each)",
                self.num_nodes, m
            )));
        }
        let n = self.num_nodes as u64;
        let mut max_abs_cost: u64 = 0;
        let mut total_cap: u128 = 0;
        // Zipped iterators: no per-index bounds checks (the lengths are equal, checked above).
        let arcs = self
            .from
            .iter()
            .zip(&self.to)
            .zip(&self.capacity)
            .zip(&self.cost);
        for (a, (((&u, &v), &cap), &cost)) in arcs.enumerate() {
            if u as u64 >= n || v as u64 >= n {
                return Err(invalid(format!(
                    "arc {a} ({u} -> {v}) has an endpoint out of range 0..{n}"
                )));
            }
            if cap < 0 {
                return Err(invalid(format!(
                    "arc {a} ({u} -> {v}) has negative capacity {cap}"
                )));
            }
            max_abs_cost = max_abs_cost.max(cost.unsigned_abs());
            total_cap += cap as u128;
        }
        // Σ |cost| x capacity <= max |cost| x Σ capacity; only when that bound does not fit in
        // i128 is the exact sum needed.
        let fits = (max_abs_cost as u128)
            .checked_mul(total_cap)
            .is_some_and(|x| x <= i128::MAX as u128);
        if !fits {
            let mut total_abs: i128 = 0;
            for a in 0..m {
                total_abs = (self.cost[a].unsigned_abs() as i128)
                    .checked_mul(self.capacity[a] as i128)
                    .and_then(|x| total_abs.checked_add(x))
                    .ok_or_else(|| McfError::Overflow {
                        what: format!("sum of |cost| x capacity exceeds i128 at arc {a}"),
                    })?;
            }
        }
        let max_abs_cost = max_abs_cost as i128;
        if max_abs_cost * (n as i128 + 1) > MAX_COST_BOUND {
            return Err(McfError::Overflow {
                what: format!(
                    "max |cost| {max_abs_cost} x (nodes + 1) {} exceeds 2^60",
                    n + 1
                ),
            });
        }
        let mut sum: i128 = 0;
        let mut positive: i128 = 0;
        for &s in &self.supply {
            sum += s as i128;
            if s > 0 {
                positive += s as i128;
            }
        }
        if sum != 0 {
            return Err(invalid(format!("supplies sum to {sum}, not 0")));
        }
        if positive > i64::MAX as i128 {
            return Err(McfError::Overflow {
                what: format!("total supply {positive} exceeds i64"),
            });
        }
        Ok(())
    }

    /// Total cost `Σ flow × cost` of a flow (no feasibility check).
    ///
    /// # Errors
    /// [`McfError::InvalidInput`] when `flow` has the wrong length; [`McfError::Overflow`] if the
    /// sum leaves `i128`.
    pub fn flow_cost(&self, flow: &[i64]) -> Result<i128, McfError> {
        if flow.len() != self.num_arcs() {
            return Err(invalid(format!(
                "flow has {} entries for {} arcs",
                flow.len(),
                self.num_arcs()
            )));
        }
        let mut total: i128 = 0;
        for (a, (&f, &c)) in flow.iter().zip(&self.cost).enumerate() {
            total = (f as i128)
                .checked_mul(c as i128)
                .and_then(|x| total.checked_add(x))
                .ok_or_else(|| McfError::Overflow {
                    what: format!("flow cost exceeds i128 at arc {a}"),
                })?;
        }
        Ok(total)
    }

    /// Checks that `flow` is feasible: right length, `0 <= flow <= capacity` on every arc, and
    /// conservation (`out − in = supply`) at every node.
    ///
    /// # Errors
    /// [`McfError::InvalidInput`] naming the first violation.
    ///
    /// # Complexity
    /// `O(n + m)`.
    pub fn check_feasible(&self, flow: &[i64]) -> Result<(), McfError> {
        if flow.len() != self.num_arcs() {
            return Err(invalid(format!(
                "flow has {} entries for {} arcs",
                flow.len(),
                self.num_arcs()
            )));
        }
        let mut balance = vec![0i128; self.num_nodes];
        for (a, &f) in flow.iter().enumerate() {
            if f < 0 || f > self.capacity[a] {
                return Err(invalid(format!(
                    "arc {a} carries {f}, outside 0..={}",
                    self.capacity[a]
                )));
            }
            balance[self.from[a] as usize] += f as i128;
            balance[self.to[a] as usize] -= f as i128;
        }
        for (v, (&b, &s)) in balance.iter().zip(&self.supply).enumerate() {
            if b != s as i128 {
                return Err(invalid(format!(
                    "node {v}: out-flow minus in-flow is {b}, supply is {s}"
                )));
            }
        }
        Ok(())
    }
}

/// A min-cost-flow backend. `&mut self` lets a backend keep state between calls (warm starts,
/// reused buffers).
pub trait McfSolver: std::fmt::Debug + Send {
    /// The backend's name as accepted by [`crate::solver_by_name`].
    fn name(&self) -> &'static str;
    /// Solves `problem` to optimality.
    ///
    /// # Errors
    /// [`McfError::InvalidInput`] / [`McfError::Overflow`] from [`Problem::validate`];
    /// [`McfError::Infeasible`] with the true maximum flow when the supplies cannot all be routed;
    /// [`McfError::Backend`] when an external solver fails.
    fn solve(&mut self, problem: &Problem) -> Result<Solution, McfError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Problem {
        let mut p = Problem::new(3);
        p.add_arc(0, 1, 5, 2);
        p.add_arc(1, 2, 5, -3);
        p.set_single_pair(0, 2, 4);
        p
    }

    #[test]
    fn valid_problem_passes() {
        assert_eq!(small().validate(), Ok(()));
        assert_eq!(small().single_pair(), Some((0, 2, 4)));
        assert_eq!(small().total_supply(), 4);
    }

    #[test]
    fn negative_capacity_is_rejected() {
        let mut p = small();
        p.capacity[1] = -1;
        let e = p.validate().unwrap_err();
        assert!(matches!(e, McfError::InvalidInput { ref reason } if reason.contains("arc 1")));
    }

    #[test]
    fn out_of_range_node_is_rejected() {
        let mut p = small();
        p.to[0] = 3;
        assert!(matches!(p.validate(), Err(McfError::InvalidInput { .. })));
    }

    #[test]
    fn unbalanced_supplies_are_rejected() {
        let mut p = small();
        p.supply[1] = 1;
        let e = p.validate().unwrap_err();
        assert!(e.to_string().contains("sum to 1"), "{e}");
    }

    #[test]
    fn mismatched_lengths_are_rejected() {
        let mut p = small();
        p.cost.pop();
        assert!(matches!(p.validate(), Err(McfError::InvalidInput { .. })));
        let mut p = small();
        p.supply.pop();
        assert!(matches!(p.validate(), Err(McfError::InvalidInput { .. })));
    }

    #[test]
    fn huge_costs_are_overflow() {
        let mut p = small();
        p.cost[0] = i64::MAX / 2;
        assert!(matches!(p.validate(), Err(McfError::Overflow { .. })));
        let mut p = small();
        p.cost[0] = 1 << 55;
        p.capacity[0] = i64::MAX;
        p.add_arc(0, 1, i64::MAX, 1 << 55);
        p.add_arc(0, 1, i64::MAX, 1 << 55);
        // 3 x 2^55 x 2^63 < 2^120 fits i128; 2^55 x 4 nodes is under 2^60.
        assert_eq!(p.validate(), Ok(()));
    }

    #[test]
    fn feasibility_and_cost() {
        let p = small();
        assert_eq!(p.check_feasible(&[4, 4]), Ok(()));
        assert_eq!(p.flow_cost(&[4, 4]), Ok(-4));
        assert!(p.check_feasible(&[4, 3]).is_err());
        assert!(p.check_feasible(&[6, 6]).is_err());
        assert!(p.check_feasible(&[4]).is_err());
    }
}
