//! `Belief`: what the sender believes about every direction's liquidity (`pp_uncertainty::Belief`,
//! owned), with its arrays as numpy.

use crate::errors::{raise, Error};
use crate::graph::PyGraph;
use numpy::{IntoPyArray, PyArray1};
use pp_graph::{Graph, Msat};
use pp_uncertainty::Belief;
use pyo3::prelude::*;
use std::sync::{Arc, Mutex, MutexGuard};

/// The belief about remote liquidity: for every direction, the liquidity is believed uniform on
/// ``min ..= max`` (msat), with ``in_flight`` msat reserved by this sender's pending HTLCs.
///
/// ``Belief(graph)`` is the prior (nothing known: ``0 ..= capacity``). A session copies a belief
/// in and hands copies back (``Session.belief()``).
#[pyclass(name = "Belief", module = "pickhardt", frozen)]
#[derive(Debug)]
pub struct PyBelief {
    pub(crate) graph: Arc<Graph>,
    pub(crate) belief: Mutex<Belief>,
}

impl PyBelief {
    pub(crate) fn of(graph: Arc<Graph>, belief: Belief) -> Self {
        PyBelief {
            graph,
            belief: Mutex::new(belief),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Belief> {
        self.belief.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn array<'py>(py: Python<'py>, v: &[Msat]) -> Bound<'py, PyArray1<u64>> {
    v.iter().map(|m| m.0).collect::<Vec<u64>>().into_pyarray(py)
}

#[pymethods]
impl PyBelief {
    /// The prior belief over ``graph``.
    #[new]
    fn new(graph: &PyGraph) -> Self {
        PyBelief::of(graph.graph.clone(), Belief::new(&graph.graph))
    }
    /// Lower bound of every direction's liquidity, msat (numpy ``uint64``).
    #[getter]
    fn min_msat<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<u64>> {
        array(py, self.lock().mins())
    }
    /// Upper bound of every direction's liquidity, msat.
    #[getter]
    fn max_msat<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<u64>> {
        array(py, self.lock().maxs())
    }
    /// Amount reserved by pending HTLCs on every direction, msat (zero between payments).
    #[getter]
    fn in_flight_msat<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<u64>> {
        array(py, self.lock().in_flights())
    }
    /// Capacity of every direction, msat.
    #[getter]
    fn capacity_msat<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<u64>> {
        let b = self.lock();
        let v: Vec<u64> = self.graph.directions().map(|d| b.capacity(d).0).collect();
        v.into_pyarray(py)
    }
    /// Entropy of the whole belief, bits (the sum over directions of ``log2(max − min + 1)``
    /// for uncertain ones, see docs/MODEL.md §2).
    fn entropy_bits(&self) -> f64 {
        self.lock().total_entropy_bits()
    }
    /// Probability that channel ``scid`` leaving ``source`` can forward ``amount_msat`` more.
    fn probability(
        &self,
        py: Python<'_>,
        scid: &str,
        source: &str,
        amount_msat: u64,
    ) -> PyResult<f64> {
        let d = raise(py, PyGraph::view(&self.graph).direction(scid, source))?;
        Ok(self.lock().probability(d, Msat(amount_msat)))
    }
    /// Pins channel ``scid`` leaving ``source`` to exactly ``liquidity_msat`` (e.g. what a node
    /// knows of its own channels); the reverse direction follows.
    fn set_exact(
        &self,
        py: Python<'_>,
        scid: &str,
        source: &str,
        liquidity_msat: u64,
    ) -> PyResult<()> {
        let d = raise(py, PyGraph::view(&self.graph).direction(scid, source))?;
        let r = self.lock().set_exact(d, Msat(liquidity_msat));
        raise(py, r.map_err(Error::from))
    }
    /// Forgets everything learned: back to the prior (``0 ..= capacity``, nothing in flight).
    fn forget(&self) {
        self.lock().forget();
    }
    /// A copy of this belief.
    fn copy(&self) -> Self {
        PyBelief::of(self.graph.clone(), self.lock().clone())
    }
    /// Number of directions.
    fn __len__(&self) -> usize {
        self.lock().direction_count()
    }
    fn __repr__(&self) -> String {
        let b = self.lock();
        format!(
            "Belief({} directions, {:.1} bits)",
            b.direction_count(),
            b.total_entropy_bits()
        )
    }
}
