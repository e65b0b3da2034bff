//! # pp-session
//!
//! The payment loop of Pickhardt payments, the simulated network it is measured on, and the
//! simulation driver.
#![deny(missing_docs)]

pub mod attempt;
pub mod balances;
pub mod error;
pub mod network;
pub mod oracle;

pub use attempt::{Attempt, AttemptStatus, Hop, Limits};
pub use error::SessionError;
pub use network::{PaymentNetwork, SendOutcome};
pub use oracle::Oracle;
