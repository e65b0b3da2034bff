//! # pickhardt-python
//!
//! The native half of the Python package `pickhardt` (module `pickhardt._pickhardt`, built by
//! maturin from `crates/python/pyproject.toml`). It wraps the Rust crates with as little logic as
//! possible: the Pythonic API (`pickhardt.Session`, `pickhardt.simulate`, …) and the reference
//! package's classes (`pickhardt.ChannelGraph`, …) are written in Python on top of it, in
//! `crates/python/python/pickhardt/`.
//!
//! Design:
//! - **Owned graphs, borrowed sessions.** A `Graph` (`graph.rs`) holds its `pp_graph::Graph` in an
//!   `Arc`; a session (`pp_session::Session<'g, Oracle<'g>>` borrows the graph) lives in a
//!   `self_cell` next to a clone of that `Arc`, so Python may drop the graph object first.
//! - **Values, not views.** A `Oracle` (`network.rs`) and a `Belief` (`belief.rs`) own their state;
//!   a session starts from copies and hands copies back (`Session.network()`,
//!   `Session.belief()`). The Python layer keeps the reference package's sharing semantics by
//!   delegating to the session a network or belief was given to.
//! - **The GIL is released** (`Python::detach`) around every solve, payment and simulation;
//!   sessions sit behind a `Mutex` so that a second Python thread waits instead of racing.
//! - **Errors** become the exception classes of `pickhardt._errors` (`errors.rs`): `ValueError`
//!   subclasses for bad input, `PickhardtError` subclasses for the rest.

mod belief;
mod errors;
mod graph;
mod mcf;
mod network;
mod params;
mod report;
mod session;
mod simulate;

use pyo3::prelude::*;

/// The native module `pickhardt._pickhardt`.
#[pymodule]
fn _pickhardt(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add(
        "PARAMETERS",
        pyo3::types::PyTuple::new(m.py(), params::KEYS)?,
    )?;
    m.add_class::<graph::PyGraph>()?;
    m.add_class::<network::PyOracle>()?;
    m.add_class::<belief::PyBelief>()?;
    m.add_class::<session::PySession>()?;
    m.add_class::<report::PyPaymentReport>()?;
    m.add_class::<report::PyPlanReport>()?;
    m.add_function(wrap_pyfunction!(graph::load_graph, m)?)?;
    m.add_function(wrap_pyfunction!(graph::default_graph, m)?)?;
    m.add_function(wrap_pyfunction!(graph::toy_graph, m)?)?;
    m.add_function(wrap_pyfunction!(graph::generate_graph, m)?)?;
    m.add_function(wrap_pyfunction!(mcf::solve_min_cost_flow, m)?)?;
    m.add_function(wrap_pyfunction!(mcf::available_solvers, m)?)?;
    m.add_function(wrap_pyfunction!(mcf::mu_from_frugality, m)?)?;
    m.add_function(wrap_pyfunction!(simulate::simulate_native, m)?)?;
    Ok(())
}
