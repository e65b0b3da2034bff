//! `Graph`: a loaded channel graph (`pp_graph::Graph` behind an `Arc`), its arrays as numpy, and
//! the loaders.

use crate::errors::{raise, to_python, Error, Result};
use numpy::{IntoPyArray, PyArray1};
use pp_graph::{DirIdx, Graph, NodeId, ShortChannelId};
use pyo3::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;

/// The default graph of the CLI (a generated 200-node Lightning-like graph).
const DEFAULT_GRAPH: &[u8] = include_bytes!("../../../data/default.listchannels.json");
/// The 4-node toy graph of data/README.md.
const TOY_GRAPH: &[u8] = include_bytes!("../../../data/toy.listchannels.json");

/// A Lightning channel graph: nodes, channels and their two directions with policies.
///
/// Directions are numbered ``0 .. direction_count``; every per-direction array of this package
/// (capacities, policies, the belief, the oracle's liquidity) uses that order.
#[pyclass(name = "Graph", module = "pickhardt", frozen)]
#[derive(Debug)]
pub struct PyGraph {
    pub(crate) graph: Arc<Graph>,
    report: Option<pp_graph::LoadReport>,
    origin: String,
}

impl PyGraph {
    /// A handle on `graph` for lookups (no load report).
    pub(crate) fn view(graph: &Arc<Graph>) -> Self {
        PyGraph {
            graph: graph.clone(),
            report: None,
            origin: String::new(),
        }
    }

    pub(crate) fn node(&self, id: &str) -> Result<NodeId> {
        let node: NodeId = id
            .parse()
            .map_err(|e| Error::input(format!("{id:?} is not a node id (66 hex digits): {e}")))?;
        if self.graph.node_index(&node).is_none() {
            return Err(Error::new(
                crate::errors::Kind::UnknownNode,
                format!("unknown node {node}: it is not in the channel graph"),
            ));
        }
        Ok(node)
    }

    /// The direction of channel `scid` that leaves `source`.
    pub(crate) fn direction(&self, scid: &str, source: &str) -> Result<DirIdx> {
        let s: ShortChannelId = scid
            .parse()
            .map_err(|e| Error::input(format!("{scid:?} is not a short channel id: {e}")))?;
        let node = self.node(source)?;
        self.graph.direction_from(s, &node).ok_or_else(|| {
            Error::new(
                crate::errors::Kind::UnknownNode,
                format!("channel {s} has no listed direction leaving {node}"),
            )
        })
    }

    fn from_loaded(loaded: pp_graph::Loaded, origin: String) -> Self {
        PyGraph {
            graph: Arc::new(loaded.graph),
            report: Some(loaded.report),
            origin,
        }
    }
}

#[pymethods]
impl PyGraph {
    /// Number of nodes.
    #[getter]
    fn node_count(&self) -> usize {
        self.graph.node_count()
    }
    /// Number of channels.
    #[getter]
    fn channel_count(&self) -> usize {
        self.graph.channel_count()
    }
    /// Number of listed channel directions.
    #[getter]
    fn direction_count(&self) -> usize {
        self.graph.direction_count()
    }
    /// Where the graph came from (a path, ``"default"``, ``"toy"`` or ``"generated"``).
    #[getter]
    fn origin(&self) -> &str {
        &self.origin
    }
    /// Node ids (hex public keys), in node-index order.
    fn node_ids(&self) -> Vec<String> {
        self.graph
            .nodes()
            .map(|n| self.graph.node_id(n).to_string())
            .collect()
    }
    /// Whether ``node_id`` (a hex public key) is a node of the graph.
    fn has_node(&self, node_id: &str) -> bool {
        node_id
            .parse::<NodeId>()
            .is_ok_and(|n| self.graph.node_index(&n).is_some())
    }
    /// Short channel id of every direction (``"BLOCKxTXxOUT"``).
    fn scids(&self) -> Vec<String> {
        self.graph
            .directions()
            .map(|d| self.graph.scid(d).to_string())
            .collect()
    }
    /// Node index of every direction's source.
    fn sources<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<u32>> {
        let v: Vec<u32> = self
            .graph
            .directions()
            .map(|d| self.graph.source(d).0)
            .collect();
        v.into_pyarray(py)
    }
    /// Node index of every direction's target.
    fn targets<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<u32>> {
        let v: Vec<u32> = self
            .graph
            .directions()
            .map(|d| self.graph.target(d).0)
            .collect();
        v.into_pyarray(py)
    }
    /// Capacity of every direction, msat.
    fn capacity_msat<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<u64>> {
        let v: Vec<u64> = self.graph.capacities().iter().map(|m| m.0).collect();
        v.into_pyarray(py)
    }
    /// Base fee of every direction, msat.
    fn base_fee_msat<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<u64>> {
        let v: Vec<u64> = self
            .graph
            .policies()
            .iter()
            .map(|p| p.base_fee_msat.0)
            .collect();
        v.into_pyarray(py)
    }
    /// Proportional fee of every direction, ppm.
    fn fee_ppm<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<u64>> {
        let v: Vec<u64> = self
            .graph
            .policies()
            .iter()
            .map(|p| u64::from(p.fee_ppm.0))
            .collect();
        v.into_pyarray(py)
    }
    /// The direction index of channel ``scid`` leaving ``source``.
    ///
    /// Raises ``UnknownNodeError`` when the node or that direction is not in the graph.
    fn direction_index(&self, py: Python<'_>, scid: &str, source: &str) -> PyResult<u32> {
        raise(py, self.direction(scid, source)).map(|d| d.0)
    }
    /// Channel of a direction as a dict (scid, source, destination, capacity and policy).
    fn direction_info<'py>(&self, py: Python<'py>, index: u32) -> PyResult<Bound<'py, PyAny>> {
        if index as usize >= self.graph.direction_count() {
            return Err(Error::input(format!(
                "direction {index} is out of range (the graph has {})",
                self.graph.direction_count()
            ))
            .into_py(py));
        }
        to_python(py, &self.graph.direction_record(DirIdx(index)))
    }
    /// Summary statistics (sizes, capacity and fee percentiles, largest SCC) as a dict.
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let stats = py.detach(|| pp_graph::GraphStats::of(&self.graph));
        to_python(py, &stats)
    }
    /// What loading reported (format, records, skipped, warnings) as a dict; ``None`` for a
    /// generated graph.
    fn load_report<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.report.as_ref().map(|r| to_python(py, r)).transpose()
    }
    /// Node ids of the largest strongly connected component (where every node can pay every
    /// other), in node-index order.
    fn largest_scc(&self, py: Python<'_>) -> Vec<String> {
        let nodes = py.detach(|| pp_graph::largest_scc(&self.graph));
        nodes
            .into_iter()
            .map(|n| self.graph.node_id(n).to_string())
            .collect()
    }
    fn __repr__(&self) -> String {
        format!(
            "Graph({} nodes, {} channels, {} directions, from {})",
            self.graph.node_count(),
            self.graph.channel_count(),
            self.graph.direction_count(),
            self.origin
        )
    }
    fn __len__(&self) -> usize {
        self.graph.node_count()
    }
}

/// Loads a channel graph: core-lightning ``listchannels`` JSON (old or new form) or LND
/// ``describegraph``, plain or gzip, detected from the content (everything the CLI reads).
#[pyfunction]
pub fn load_graph(py: Python<'_>, path: PathBuf) -> PyResult<PyGraph> {
    let origin = path.display().to_string();
    let loaded = py.detach(|| pp_graph::load_path(&path).map_err(Error::from));
    Ok(PyGraph::from_loaded(raise(py, loaded)?, origin))
}

/// The CLI's embedded default graph: a generated 200-node Lightning-like graph.
#[pyfunction]
pub fn default_graph(py: Python<'_>) -> PyResult<PyGraph> {
    let loaded = raise(py, pp_graph::load_bytes(DEFAULT_GRAPH).map_err(Error::from))?;
    Ok(PyGraph::from_loaded(loaded, "default".into()))
}

/// The 4-node toy graph of the repository's data/README.md (nodes ``02aa…``, ``02bb…``,
/// ``02cc…``, ``02dd…``; five channels).
#[pyfunction]
pub fn toy_graph(py: Python<'_>) -> PyResult<PyGraph> {
    let loaded = raise(py, pp_graph::load_bytes(TOY_GRAPH).map_err(Error::from))?;
    Ok(PyGraph::from_loaded(loaded, "toy".into()))
}

/// A seeded synthetic Lightning-like graph of ``nodes`` nodes.
#[pyfunction]
#[pyo3(signature = (nodes, seed = 1))]
pub fn generate_graph(py: Python<'_>, nodes: usize, seed: u64) -> PyResult<PyGraph> {
    let params = pp_graph::GeneratorParams::new(nodes, seed);
    let graph = py.detach(|| pp_graph::generate(&params).map_err(Error::from));
    Ok(PyGraph {
        graph: Arc::new(raise(py, graph)?),
        report: None,
        origin: "generated".into(),
    })
}
