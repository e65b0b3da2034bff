//! Min-cost flow on numpy arrays, the solver list, and μ from a frugality factor.

use crate::errors::{raise, Error, Result};
use crate::graph::PyGraph;
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pp_graph::Msat;
use pp_mcf::Problem;
use pyo3::prelude::*;

fn vec_of<T: numpy::Element + Copy>(name: &str, a: &PyReadonlyArray1<'_, T>) -> Result<Vec<T>> {
    a.as_slice()
        .map(<[T]>::to_vec)
        .or_else(|_| Ok::<_, Error>(a.as_array().iter().copied().collect()))
        .map_err(|e: Error| Error::input(format!("{name}: {}", e.message)))
}

/// A solved min-cost flow: ``(flow, cost, potentials)``.
type Solved<'py> = (
    Bound<'py, PyArray1<i64>>,
    i128,
    Option<Bound<'py, PyArray1<i64>>>,
);

/// Solves an integer min-cost flow given as arrays: arc ``a`` goes from ``tail[a]`` to
/// ``head[a]`` with ``capacity[a] >= 0`` and unit ``cost[a]``; ``supply[v] > 0`` produces flow at
/// node ``v``, ``< 0`` consumes it (the supplies sum to zero). Nodes are ``0 .. num_nodes``.
///
/// Returns ``(flow, cost, potentials)``: the optimal flow per arc (numpy ``int64``), its total
/// cost, and node potentials proving optimality (``None`` for backends without them). With
/// ``check=True`` (the default) the solution is verified independently of the solver. The GIL
/// is released while solving. Raises ``InfeasibleError`` when the supplies cannot all be routed.
#[pyfunction]
#[pyo3(signature = (num_nodes, tail, head, capacity, cost, supply, solver = "native", check = true))]
#[allow(clippy::too_many_arguments)]
pub fn solve_min_cost_flow<'py>(
    py: Python<'py>,
    num_nodes: usize,
    tail: PyReadonlyArray1<'py, u32>,
    head: PyReadonlyArray1<'py, u32>,
    capacity: PyReadonlyArray1<'py, i64>,
    cost: PyReadonlyArray1<'py, i64>,
    supply: PyReadonlyArray1<'py, i64>,
    solver: &str,
    check: bool,
) -> PyResult<Solved<'py>> {
    let problem = raise(
        py,
        (|| {
            Ok(Problem {
                num_nodes,
                from: vec_of("tail", &tail)?,
                to: vec_of("head", &head)?,
                capacity: vec_of("capacity", &capacity)?,
                cost: vec_of("cost", &cost)?,
                supply: vec_of("supply", &supply)?,
            })
        })(),
    )?;
    let mut solver = raise(py, pp_mcf::solver_by_name(solver).map_err(Error::from))?;
    let solved = py.detach(|| -> Result<pp_mcf::Solution> {
        problem.validate()?;
        let s = solver.solve(&problem)?;
        if check && s.potentials.is_some() {
            pp_mcf::check_optimality(&problem, &s)?;
        }
        Ok(s)
    });
    let s = raise(py, solved)?;
    Ok((
        s.flow.into_pyarray(py),
        s.cost,
        s.potentials.map(|p| p.into_pyarray(py)),
    ))
}

/// Names of the min-cost-flow backends compiled in (the first is the default).
#[pyfunction]
pub fn available_solvers() -> Vec<&'static str> {
    pp_mcf::available_backends()
}

/// μ for a payment of ``amount_sat`` on ``graph`` from a frugality factor, by Core Lightning's
/// rule (about 0.1 prefers certainty, about 10 low fees; docs/MODEL.md §3).
#[pyfunction]
pub fn mu_from_frugality(
    py: Python<'_>,
    graph: &PyGraph,
    amount_sat: u64,
    frugality: f64,
) -> PyResult<f64> {
    let amount = raise(py, crate::session::amount(Some(amount_sat), None))?;
    let r = pp_uncertainty::mu_from_frugality(&graph.graph, Msat(amount.0), frugality)
        .map_err(Error::from);
    raise(py, r).map(|m| m.mu)
}
