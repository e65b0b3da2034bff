//! # pp-session
//!
//! The payment loop of Pickhardt payments, the simulated network it is measured on, and the
//! simulation driver.
#![deny(missing_docs)]

pub mod attempt;
pub mod balances;
pub mod baseline;
pub mod error;
mod model;
pub mod network;
pub mod oracle;
pub mod params;
pub mod report;
pub mod session;
pub mod simulate;

pub use attempt::{Attempt, AttemptStatus, Hop, Limits};
pub use error::SessionError;
pub use network::{PaymentNetwork, SendOutcome};
pub use oracle::Oracle;
pub use params::{FeeWeight, PayParams, StopReason, Strategy};
pub use report::{AttemptCounts, AttemptReport, PaymentReport, RoundReport};
pub use session::Session;
pub use simulate::{simulate, SimulationParams, SimulationReport, StrategySummary};
