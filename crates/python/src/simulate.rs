//! Many payments between seeded random pairs (`pp_session::simulate`), records and summaries
//! as Python lists of dicts (`pickhardt.simulate` turns them into DataFrames).

use crate::errors::{raise, to_python, Error};
use crate::network::PyOracle;
use crate::params::pay_params;
use pp_graph::Msat;
use pp_session::{AmountSpec, SimulationParams, Strategy};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Runs a simulation on ``network`` (see ``pickhardt.simulate``): ``amounts_msat`` is a list of
/// ``(min, max)`` rows (equal for a fixed amount, else log-uniform). Returns ``(records,
/// summary)`` as lists of dicts. The GIL is released while it runs.
#[pyfunction]
#[pyo3(signature = (network, amounts_msat, payments = 100, seed = 1, strategies = None, keep_belief = false, drift = false, threads = None, **params))]
#[allow(clippy::too_many_arguments)]
pub fn simulate_native<'py>(
    py: Python<'py>,
    network: &PyOracle,
    amounts_msat: Vec<(u64, u64)>,
    payments: usize,
    seed: u64,
    strategies: Option<Vec<String>>,
    keep_belief: bool,
    drift: bool,
    threads: Option<usize>,
    params: Option<&Bound<'py, PyDict>>,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let pay = raise(py, pay_params(params))?;
    let strategies = match strategies {
        None => Strategy::ALL.to_vec(),
        Some(names) => {
            let parsed: Result<Vec<Strategy>, Error> = names
                .iter()
                .map(|n| {
                    n.parse::<Strategy>().map_err(|_| {
                        Error::input(format!(
                            "strategy {n:?} is not one of \"mcf\", \"cheapest\", \"probable\""
                        ))
                    })
                })
                .collect();
            raise(py, parsed)?
        }
    };
    let amounts = amounts_msat
        .into_iter()
        .map(|(lo, hi)| {
            if lo == hi {
                AmountSpec::Fixed(Msat(lo))
            } else {
                AmountSpec::LogUniform {
                    min: Msat(lo),
                    max: Msat(hi),
                }
            }
        })
        .collect();
    let sim = SimulationParams {
        payments,
        amounts,
        seed,
        strategies,
        keep_belief,
        drift,
        pay,
        threads,
    };
    let r = py.detach(|| -> Result<_, Error> {
        let oracle = network.build(&network.graph)?;
        pp_session::simulate(&oracle, &sim, &|| {}).map_err(Error::from)
    });
    let report = raise(py, r)?;
    Ok((
        to_python(py, &report.records)?,
        to_python(py, &report.summary)?,
    ))
}
