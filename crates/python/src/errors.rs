//! Rust errors to Python exceptions. The classes live in `pickhardt._errors` (plain Python, so
//! that an exception can subclass both `PickhardtError` and `ValueError`); this file only picks
//! the class for each error.

use pp_session::SessionError;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyType;

/// Which exception class of `pickhardt._errors` an error becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `InvalidInputError` (a `ValueError`): bad amount, parameter, id or array.
    Input,
    /// `UnknownNodeError` (a `ValueError` and a `KeyError`): a node not in the graph.
    UnknownNode,
    /// `GraphLoadError`: a snapshot or balances file that cannot be read.
    Load,
    /// `NetworkError`: the network broke its contract, or the belief was contradicted.
    Network,
    /// `SolverError`: a min-cost-flow backend failed.
    Solver,
    /// `InfeasibleError` (a `SolverError`): no flow carries the demand.
    Infeasible,
}

impl Kind {
    fn class_name(self) -> &'static str {
        match self {
            Kind::Input => "InvalidInputError",
            Kind::UnknownNode => "UnknownNodeError",
            Kind::Load => "GraphLoadError",
            Kind::Network => "NetworkError",
            Kind::Solver => "SolverError",
            Kind::Infeasible => "InfeasibleError",
        }
    }
}

/// An error not yet turned into a Python exception (made without the GIL, raised with it).
#[derive(Debug)]
pub(crate) struct Error {
    pub(crate) kind: Kind,
    pub(crate) message: String,
}

impl Error {
    pub(crate) fn new(kind: Kind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
        }
    }

    /// Bad input.
    pub(crate) fn input(message: impl Into<String>) -> Self {
        Error::new(Kind::Input, message)
    }

    /// The Python exception.
    pub(crate) fn into_py(self, py: Python<'_>) -> PyErr {
        let class = py
            .import("pickhardt._errors")
            .and_then(|m| m.getattr(self.kind.class_name()))
            .and_then(|c| c.cast_into::<PyType>().map_err(PyErr::from));
        match class {
            Ok(c) => PyErr::from_type(c, self.message),
            // Only when the native module is imported without its package.
            Err(_) if matches!(self.kind, Kind::Input | Kind::UnknownNode) => {
                PyValueError::new_err(self.message)
            }
            Err(_) => PyRuntimeError::new_err(self.message),
        }
    }
}

impl From<SessionError> for Error {
    fn from(e: SessionError) -> Self {
        let kind = match &e {
            SessionError::UnknownNode { .. } => Kind::UnknownNode,
            SessionError::SelfPayment { .. }
            | SessionError::InvalidAmount { .. }
            | SessionError::InvalidParameter { .. }
            | SessionError::UnknownSolver(_)
            | SessionError::Frugality(_) => Kind::Input,
            SessionError::BalancesIo { .. }
            | SessionError::BalancesLine { .. }
            | SessionError::BalancesMissing { .. } => Kind::Load,
            SessionError::Solver { .. } => Kind::Solver,
            _ => Kind::Network,
        };
        // The message with its causes, as the CLI prints it.
        let mut msg = e.to_string();
        let mut cause = std::error::Error::source(&e);
        while let Some(c) = cause {
            msg = format!("{msg}: {c}");
            cause = c.source();
        }
        Error::new(kind, msg)
    }
}

impl From<pp_graph::GraphError> for Error {
    fn from(e: pp_graph::GraphError) -> Self {
        Error::new(Kind::Load, e.to_string())
    }
}

impl From<pp_graph::IdError> for Error {
    fn from(e: pp_graph::IdError) -> Self {
        Error::input(e.to_string())
    }
}

impl From<pp_session::OracleError> for Error {
    fn from(e: pp_session::OracleError) -> Self {
        let kind = match e {
            pp_session::OracleError::LiquidityAboveCapacity { .. } => Kind::Input,
            _ => Kind::Network,
        };
        Error::new(kind, e.to_string())
    }
}

impl From<pp_mcf::McfError> for Error {
    fn from(e: pp_mcf::McfError) -> Self {
        let kind = match e {
            pp_mcf::McfError::Infeasible { .. } => Kind::Infeasible,
            pp_mcf::McfError::InvalidInput { .. }
            | pp_mcf::McfError::Overflow { .. }
            | pp_mcf::McfError::UnknownBackend { .. } => Kind::Input,
            _ => Kind::Solver,
        };
        Error::new(kind, e.to_string())
    }
}

impl From<pp_uncertainty::UncertaintyError> for Error {
    fn from(e: pp_uncertainty::UncertaintyError) -> Self {
        let kind = match e {
            pp_uncertainty::UncertaintyError::InvalidAmount { .. }
            | pp_uncertainty::UncertaintyError::InvalidParameter { .. } => Kind::Input,
            _ => Kind::Network,
        };
        Error::new(kind, e.to_string())
    }
}

/// `Result` with an [`Error`].
pub(crate) type Result<T> = std::result::Result<T, Error>;

/// Raises `r`'s error as its Python exception.
pub(crate) fn raise<T>(py: Python<'_>, r: Result<T>) -> PyResult<T> {
    r.map_err(|e| e.into_py(py))
}

/// A Rust value serialized to JSON and read back by Python's `json.loads` (reports, records,
/// statistics): one mapping from the serde types to Python dicts.
pub(crate) fn to_python<'py>(
    py: Python<'py>,
    value: &impl serde::Serialize,
) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value)
        .map_err(|e| PyRuntimeError::new_err(format!("serializing a report: {e}")))?;
    py.import("json")?.call_method1("loads", (text,))
}
