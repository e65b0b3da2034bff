//! Problem and solution types, the [`McfSolver`] trait and the error enum.
//!
//! A [`Problem`] is a directed graph on nodes `0..num_nodes` with arcs `(from, to, capacity,
//! cost)`, and a supply per node (positive: source of flow, negative: sink; the supplies sum to
//! zero). Capacities are non-negative; unit costs may have any sign, but the native backend
//! requires the problem to have no negative-cost cycle of positive capacity (always true when all
//! costs are ≥ 0, as in every problem the payment loop builds).

use serde::{Deserialize, Serialize};

/// Index of an arc in a [`Problem`], in insertion order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArcId(pub u32);

/// A min-cost-flow instance. Struct of arrays; arcs keep insertion order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// Number of nodes; node ids are `0..num_nodes`.
    pub num_nodes: usize,
    /// Arc tails.
    pub from: Vec<u32>,
    /// Arc heads.
    pub to: Vec<u32>,
    /// Arc capacities (≥ 0), in flow units.
    pub capacity: Vec<i64>,
    /// Arc unit costs.
    pub cost: Vec<i64>,
    /// Supply per node (length `num_nodes`): > 0 produces flow, < 0 consumes it.
    pub supply: Vec<i64>,
}

/// An optimal flow.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Solution {
    /// Flow on each arc, indexed like the problem's arcs.
    pub flow: Vec<i64>,
    /// Total cost `Σ flow × cost`.
    pub cost: i128,
    /// Node potentials proving optimality (reduced-cost certificate), when the backend has them.
    pub potentials: Option<Vec<i64>>,
}

/// Why a problem could not be solved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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

    /// Appends an arc and returns its id.
    pub fn add_arc(&mut self, from: u32, to: u32, capacity: i64, cost: i64) -> ArcId {
        let id = ArcId(self.from.len() as u32);
        self.from.push(from);
        self.to.push(to);
        self.capacity.push(capacity);
        self.cost.push(cost);
        id
    }

    /// Sets supply `amount` at `source` and demand `amount` at `sink` (other supplies unchanged).
    pub fn set_single_pair(&mut self, source: u32, sink: u32, amount: i64) {
        self.supply[source as usize] = amount;
        self.supply[sink as usize] = -amount;
    }

    /// Number of arcs.
    pub fn num_arcs(&self) -> usize {
        self.from.len()
    }
}

/// A min-cost-flow backend. `&mut self` lets a backend keep state between calls (warm starts).
pub trait McfSolver: std::fmt::Debug + Send {
    /// The backend's name as accepted by [`crate::solver_by_name`].
    fn name(&self) -> &'static str;
    /// Solves `problem` to optimality.
    fn solve(&mut self, problem: &Problem) -> Result<Solution, McfError>;
}
