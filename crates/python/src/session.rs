//! `Session`: the payment loop (`pp_session::Session` over a copy of an `Oracle`), held in a
//! `self_cell` next to the `Arc` of the graph it borrows.

use crate::belief::PyBelief;
use crate::errors::{raise, to_python, Error, Result};
use crate::graph::PyGraph;
use crate::network::{same_graph, set_liquidity, PyOracle};
use crate::params::pay_params;
use crate::report::{PyPaymentReport, PyPlanReport};
use pp_graph::{Graph, Msat};
use pp_session::{Oracle, Session, Strategy};
use pp_uncertainty::Belief;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::sync::{Arc, Mutex, MutexGuard};

type Inner<'g> = Session<'g, Oracle<'g>>;

self_cell::self_cell!(
    /// A session and the graph it borrows.
    struct Cell {
        owner: Arc<Graph>,
        #[covariant]
        dependent: Inner,
    }
    impl {Debug}
);

/// The amount of a call in msat: exactly one of `amount_sat` and `amount_msat`.
pub(crate) fn amount(amount_sat: Option<u64>, amount_msat: Option<u64>) -> Result<Msat> {
    match (amount_sat, amount_msat) {
        (Some(s), None) => s
            .checked_mul(1000)
            .map(Msat)
            .ok_or_else(|| Error::input(format!("{s} sat overflows msat"))),
        (None, Some(m)) => Ok(Msat(m)),
        (Some(_), Some(_)) => Err(Error::input("give amount_sat or amount_msat, not both")),
        (None, None) => Err(Error::input("give an amount (amount_sat or amount_msat)")),
    }
}

fn strategy(name: &str) -> Result<Strategy> {
    name.parse::<Strategy>().map_err(|_| {
        Error::input(format!(
            "strategy {name:?} is not one of \"mcf\", \"cheapest\", \"probable\""
        ))
    })
}

/// A payment session on a simulated network: the belief it learns, the network it pays on
/// (its own copy of the ``Oracle`` it was given) and the routing parameters.
///
/// ``Session(graph, network=None, belief=None, **params)``: ``network`` defaults to
/// ``Oracle.random(graph, 1)``, ``belief`` to the prior; ``params`` are the routing parameters
/// (``mu`` or ``frugality``, ``pieces``, ``max_rounds``, …; see ``pickhardt.PARAMETERS``).
/// The belief persists across payments; ``forget()`` resets it.
#[pyclass(name = "Session", module = "pickhardt", frozen)]
#[derive(Debug)]
pub struct PySession {
    graph: Arc<Graph>,
    cell: Mutex<Cell>,
}

impl PySession {
    fn lock(&self) -> MutexGuard<'_, Cell> {
        self.cell.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn with<T>(&self, f: impl FnOnce(&mut Inner<'_>) -> T) -> T {
        self.lock().with_dependent_mut(|_, s| f(s))
    }

    /// The request of `pay` and `plan`: sender, receiver, amount and strategy, checked.
    fn request(
        &self,
        sender: &str,
        receiver: &str,
        amount_sat: Option<u64>,
        amount_msat: Option<u64>,
        strategy: &str,
    ) -> Result<(pp_graph::NodeId, pp_graph::NodeId, Msat, Strategy)> {
        let g = PyGraph::view(&self.graph);
        Ok((
            g.node(sender)?,
            g.node(receiver)?,
            amount(amount_sat, amount_msat)?,
            self::strategy(strategy)?,
        ))
    }
}

#[pymethods]
impl PySession {
    #[new]
    #[pyo3(signature = (graph, network = None, belief = None, **params))]
    fn new(
        py: Python<'_>,
        graph: &PyGraph,
        network: Option<&PyOracle>,
        belief: Option<&PyBelief>,
        params: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let p = raise(py, pay_params(params))?;
        let g = graph.graph.clone();
        if let Some(n) = network {
            raise(py, same_graph(&n.graph, &g))?;
        }
        if let Some(b) = belief {
            raise(py, same_graph(&b.graph, &g))?;
        }
        let belief = belief.map_or_else(|| Belief::new(&g), |b| b.lock().clone());
        let cell = Cell::try_new(g.clone(), |g| -> Result<Inner<'_>> {
            let oracle = match network {
                Some(n) => n.build(g)?,
                None => Oracle::random(g, 1),
            };
            Ok(Session::with_belief(g, belief, oracle).with_params(p))
        });
        Ok(PySession {
            graph: g,
            cell: Mutex::new(raise(py, cell)?),
        })
    }

    /// Pays ``amount_sat`` (or ``amount_msat``) from ``sender`` to ``receiver`` (hex public
    /// keys), learning from every attempt; returns a ``PaymentReport``. Nothing stays in flight
    /// afterwards, whatever happened. The GIL is released while paying.
    ///
    /// ``strategy``: ``"mcf"`` (Pickhardt payments, the default), ``"cheapest"`` or
    /// ``"probable"`` (single-path baselines).
    #[pyo3(signature = (sender, receiver, amount_sat = None, *, amount_msat = None, strategy = "mcf"))]
    fn pay(
        &self,
        py: Python<'_>,
        sender: &str,
        receiver: &str,
        amount_sat: Option<u64>,
        amount_msat: Option<u64>,
        strategy: &str,
    ) -> PyResult<PyPaymentReport> {
        let request = self.request(sender, receiver, amount_sat, amount_msat, strategy);
        let (from, to, amount, strategy) = raise(py, request)?;
        let r = py.detach(|| {
            self.with(|s| s.pay_with(strategy, &from, &to, amount))
                .map_err(Error::from)
        });
        Ok(PyPaymentReport {
            report: raise(py, r)?,
        })
    }

    /// How the payment would split in its first round on the current belief (a
    /// ``PlanReport``); nothing is sent and the belief does not change.
    #[pyo3(signature = (sender, receiver, amount_sat = None, *, amount_msat = None, strategy = "mcf"))]
    fn plan(
        &self,
        py: Python<'_>,
        sender: &str,
        receiver: &str,
        amount_sat: Option<u64>,
        amount_msat: Option<u64>,
        strategy: &str,
    ) -> PyResult<PyPlanReport> {
        let request = self.request(sender, receiver, amount_sat, amount_msat, strategy);
        let (from, to, amount, strategy) = raise(py, request)?;
        let r = py.detach(|| {
            self.with(|s| s.plan_with(strategy, &from, &to, amount))
                .map_err(Error::from)
        });
        Ok(PyPlanReport {
            report: raise(py, r)?,
        })
    }

    /// Replaces the routing parameters (same keywords as the constructor; omitted ones take
    /// their defaults). The belief is kept.
    #[pyo3(signature = (**params))]
    fn set_params(&self, py: Python<'_>, params: Option<&Bound<'_, PyDict>>) -> PyResult<()> {
        let p = raise(py, pay_params(params))?;
        self.with(|s| s.set_params(p));
        Ok(())
    }

    /// The routing parameters as a dict.
    fn params<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let p = self.with(|s| s.params().clone());
        to_python(py, &p)
    }

    /// A copy of the current belief.
    fn belief(&self) -> PyBelief {
        PyBelief::of(self.graph.clone(), self.with(|s| s.belief().clone()))
    }

    /// Replaces the belief with a copy of ``belief`` (made for the same graph).
    fn set_belief(&self, py: Python<'_>, belief: &PyBelief) -> PyResult<()> {
        raise(py, same_graph(&belief.graph, &self.graph))?;
        let b = belief.lock().clone();
        self.with(|s| *s.belief_mut() = b);
        Ok(())
    }

    /// Forgets everything learned: the belief goes back to the prior.
    fn forget(&self) {
        self.with(|s| s.belief_mut().forget());
    }

    /// Entropy of the current belief, bits.
    fn entropy_bits(&self) -> f64 {
        self.with(|s| s.belief().total_entropy_bits())
    }

    /// A copy of the simulated network's current state (settled payments move balances).
    fn network(&self) -> PyOracle {
        let g = self.graph.clone();
        self.with(|s| PyOracle::snapshot(g, s.network()))
    }

    /// Replaces the simulated network's state with a copy of ``network``.
    fn set_network(&self, py: Python<'_>, network: &PyOracle) -> PyResult<()> {
        raise(py, same_graph(&network.graph, &self.graph))?;
        let r = self.with(|s| -> Result<()> {
            let fresh = network.build(s.graph())?;
            s.network_mut().restore_from(&fresh).map_err(Error::from)
        });
        raise(py, r)
    }

    /// The network's true liquidity (msat) of channel ``scid`` leaving ``source``.
    fn liquidity(&self, py: Python<'_>, scid: &str, source: &str) -> PyResult<u64> {
        let d = raise(py, PyGraph::view(&self.graph).direction(scid, source))?;
        Ok(self.with(|s| s.network().liquidity(d).0))
    }

    /// Sets the network's true liquidity (msat) of channel ``scid`` leaving ``source`` (the
    /// reverse direction gets the rest).
    fn set_liquidity(
        &self,
        py: Python<'_>,
        scid: &str,
        source: &str,
        liquidity_msat: u64,
    ) -> PyResult<()> {
        let g = PyGraph::view(&self.graph);
        let r = self.with(|s| set_liquidity(&g, s.network_mut(), scid, source, liquidity_msat));
        raise(py, r)
    }

    fn __repr__(&self) -> String {
        format!(
            "Session({} nodes, {} channels)",
            self.graph.node_count(),
            self.graph.channel_count()
        )
    }
}
