//! `Oracle`: the simulated network's ground truth (every channel's balance), owned by value.
//! A session copies it in and hands copies back (`Session.network()`).

use crate::errors::{raise, Error, Result};
use crate::graph::PyGraph;
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pp_graph::{Graph, Msat};
use pp_session::Oracle;
use pyo3::prelude::*;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

/// The simulated Lightning network: the true balance of every channel, which the payment loop
/// never sees directly (it only learns from HTLCs that succeed or fail).
///
/// Make one with ``Oracle.random(graph, seed)``, ``Oracle.from_balances(graph, path)`` (a
/// ground-truth CSV ``short_channel_id,source,liquidity_sat``) or
/// ``Oracle.from_liquidity(graph, liquidity_msat)``; change a channel with ``set_liquidity``.
#[pyclass(name = "Oracle", module = "pickhardt", frozen)]
#[derive(Debug)]
pub struct PyOracle {
    pub(crate) graph: Arc<Graph>,
    /// The liquidity of side 0 of every channel, msat (side 1 holds the rest).
    pub(crate) side0: Mutex<Vec<Msat>>,
}

impl PyOracle {
    /// An oracle state copied from `oracle` (nothing may be in flight; sessions never leave any).
    pub(crate) fn snapshot(graph: Arc<Graph>, oracle: &Oracle<'_>) -> Self {
        let side0 = graph
            .channels()
            .map(|c| oracle.channel_side_liquidity(c, 0))
            .collect();
        PyOracle {
            graph,
            side0: Mutex::new(side0),
        }
    }

    /// A Rust oracle over `graph` (the same graph, checked by the caller) with this state.
    pub(crate) fn build<'g>(&self, graph: &'g Graph) -> Result<Oracle<'g>> {
        let side0 = self.lock();
        Oracle::from_side0_liquidity(graph, |c| side0[c.0 as usize]).map_err(Error::from)
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Vec<Msat>> {
        self.side0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Liquidity per direction (msat) of `oracle`.
pub(crate) fn liquidity_array(graph: &Graph, oracle: &Oracle<'_>) -> Vec<u64> {
    graph.directions().map(|d| oracle.liquidity(d).0).collect()
}

/// Sets direction `scid`/`source` of `oracle` to `liquidity_msat`.
pub(crate) fn set_liquidity(
    g: &PyGraph,
    oracle: &mut Oracle<'_>,
    scid: &str,
    source: &str,
    liquidity_msat: u64,
) -> Result<()> {
    let d = g.direction(scid, source)?;
    oracle
        .set_liquidity(d, Msat(liquidity_msat))
        .map_err(Error::from)
}

pub(crate) fn same_graph(a: &Arc<Graph>, b: &Arc<Graph>) -> Result<()> {
    if Arc::ptr_eq(a, b) {
        Ok(())
    } else {
        Err(Error::input(
            "the network (or belief) was made for another Graph object; use the same Graph",
        ))
    }
}

#[pymethods]
impl PyOracle {
    /// Every channel's balance drawn uniformly from ``0..=capacity`` (msat) by one seeded
    /// stream (the same as the CLI's ``--seed``).
    #[staticmethod]
    #[pyo3(signature = (graph, seed = 1))]
    fn random(graph: &PyGraph, seed: u64) -> Self {
        let oracle = Oracle::random(&graph.graph, seed);
        PyOracle::snapshot(graph.graph.clone(), &oracle)
    }

    /// Ground truth from a balances CSV (``short_channel_id,source,liquidity_sat``, plain or
    /// gzip), as the CLI's ``--balances``.
    #[staticmethod]
    fn from_balances(py: Python<'_>, graph: &PyGraph, path: PathBuf) -> PyResult<Self> {
        let g = graph.graph.clone();
        let oracle = py.detach(|| {
            Oracle::from_balances_path(&g, &path)
                .map(|o| PyOracle::snapshot(g.clone(), &o))
                .map_err(Error::from)
        });
        raise(py, oracle)
    }

    /// Ground truth from an array: the liquidity of every direction in msat (length
    /// ``graph.direction_count``). The two directions of a channel must add up to its capacity
    /// (a channel listed in one direction only takes that direction's value).
    #[staticmethod]
    fn from_liquidity(
        py: Python<'_>,
        graph: &PyGraph,
        liquidity_msat: PyReadonlyArray1<'_, u64>,
    ) -> PyResult<Self> {
        let g = &graph.graph;
        let view = liquidity_msat.as_array();
        let r = (|| {
            if view.len() != g.direction_count() {
                return Err(Error::input(format!(
                    "liquidity_msat has {} values, the graph {} directions",
                    view.len(),
                    g.direction_count()
                )));
            }
            let mut side0 = Vec::with_capacity(g.channel_count());
            for c in g.channels() {
                let cap = g.channel_capacity(c).0;
                let [d0, d1] = g.channel_directions(c);
                let v0 = d0.map(|d| view[d.ix()]);
                let v1 = d1.map(|d| view[d.ix()]);
                let l0 = match (v0, v1) {
                    (Some(a), Some(b)) if a.checked_add(b) != Some(cap) => {
                        return Err(Error::input(format!(
                            "channel {}: the two directions hold {a} + {b} msat, not its capacity {cap}",
                            g.channel_scid(c)
                        )))
                    }
                    (Some(a), _) => a,
                    (None, Some(b)) => cap.checked_sub(b).ok_or_else(|| {
                        Error::input(format!(
                            "channel {}: {b} msat is above its capacity {cap}",
                            g.channel_scid(c)
                        ))
                    })?,
                    (None, None) => 0,
                };
                if l0 > cap {
                    return Err(Error::input(format!(
                        "channel {}: {l0} msat is above its capacity {cap}",
                        g.channel_scid(c)
                    )));
                }
                side0.push(Msat(l0));
            }
            Ok(PyOracle {
                graph: g.clone(),
                side0: Mutex::new(side0),
            })
        })();
        raise(py, r)
    }

    /// The true liquidity of every direction, msat (numpy ``uint64``, direction order).
    fn liquidity_msat<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray1<u64>>> {
        let oracle = raise(py, self.build(&self.graph))?;
        Ok(liquidity_array(&self.graph, &oracle).into_pyarray(py))
    }

    /// The true liquidity (msat) of channel ``scid`` in the direction leaving ``source``.
    fn liquidity(&self, py: Python<'_>, scid: &str, source: &str) -> PyResult<u64> {
        let g = PyGraph::view(&self.graph);
        let d = raise(py, g.direction(scid, source))?;
        let oracle = raise(py, self.build(&self.graph))?;
        Ok(oracle.liquidity(d).0)
    }

    /// Sets the true liquidity (msat) of channel ``scid`` leaving ``source``; the other
    /// direction gets the rest of the capacity.
    fn set_liquidity(
        &self,
        py: Python<'_>,
        scid: &str,
        source: &str,
        liquidity_msat: u64,
    ) -> PyResult<()> {
        let g = PyGraph::view(&self.graph);
        let d = raise(py, g.direction(scid, source))?;
        let cap = self.graph.capacity(d).0;
        if liquidity_msat > cap {
            let e = pp_session::OracleError::LiquidityAboveCapacity {
                scid: self.graph.scid(d),
                liquidity: Msat(liquidity_msat),
                capacity: Msat(cap),
            };
            return Err(Error::from(e).into_py(py));
        }
        let c = self.graph.channel_of(d).0 as usize;
        // Side 0 holds the liquidity of the channel's side-0 direction; side 1 the rest.
        self.lock()[c] = Msat(if self.graph.side(d) == 0 {
            liquidity_msat
        } else {
            cap - liquidity_msat
        });
        Ok(())
    }

    /// The most that can be paid from ``source`` to ``target`` on the true balances (a max
    /// flow), msat.
    fn max_flow(&self, py: Python<'_>, source: &str, target: &str) -> PyResult<u64> {
        let g = PyGraph::view(&self.graph);
        let (s, t) = raise(py, g.node(source).and_then(|s| Ok((s, g.node(target)?))))?;
        let (s, t) = (
            self.graph.node_index(&s).expect("checked"),
            self.graph.node_index(&t).expect("checked"),
        );
        let oracle = raise(py, self.build(&self.graph))?;
        Ok(py.detach(|| oracle.max_flow(s, t).0))
    }

    /// A copy of this oracle.
    fn copy(&self) -> Self {
        PyOracle {
            graph: self.graph.clone(),
            side0: Mutex::new(self.lock().clone()),
        }
    }

    fn __repr__(&self) -> String {
        format!("Oracle({} channels)", self.graph.channel_count())
    }
}
