//! # pp-session
//!
//! The payment loop of Pickhardt payments (docs/MODEL.md §5–7), the simulated network it is
//! measured on, and the simulation driver that compares it with single-path routers.
//!
//! ```
//! use pp_graph::{Msat, NodeId};
//! use pp_session::{Oracle, PayParams, Session};
//!
//! // A generated Lightning-like graph; its ground truth drawn from a seed.
//! let graph = pp_graph::generate(&pp_graph::GeneratorParams::new(60, 7)).unwrap();
//! let oracle = Oracle::random(&graph, 1);
//! let nodes = pp_session::simulate::largest_scc(&graph);
//! let (alice, bob): (NodeId, NodeId) = (graph.node_id(nodes[0]), graph.node_id(nodes[1]));
//!
//! let mut session = Session::new(&graph, oracle).with_params(PayParams::default().with_pieces(5));
//! let report = session.pay(&alice, &bob, Msat(20_000_000)).unwrap();
//! println!("{}: {} rounds, {} msat fees", report.success, report.rounds, report.fees_msat.0);
//! // Nothing stays in flight, whatever happened.
//! assert!(!session.network().has_in_flight());
//! ```
//!
//! ## Design
//!
//! - **One seam to the world.** The loop talks to the network only through the small
//!   [`PaymentNetwork`] trait (send an HTLC along a path with exact per-hop amounts; settle;
//!   release). The simulated [`Oracle`] implements it with ground-truth balances from a CSV or a
//!   seed; an adapter to a real node could too. The loop never sees the oracle's balances.
//! - **Exact money.** Every hop's forwarded amount and fee follows docs/MODEL.md §1 exactly (fees
//!   accumulate backwards, the sender's own hop is free); the flow problem may ignore that small
//!   fee amplification, so parts are trimmed to what the belief allows before they are sent.
//! - **No leaks.** Every path out of [`Session::pay`] — success, a stop reason, or an error from
//!   a lying network — resolves every in-flight HTLC in both the belief and the network.
//! - **Fast rounds.** The flow problem of each round is the linearization of docs/MODEL.md §3 by
//!   `pp_uncertainty::IncrementalLinearizer`, kept across rounds and payments (only directions
//!   whose belief changed are recomputed) and assembled into reused buffers; small payments get
//!   a problem capped at the demand.
//! - **Determinism.** Seeds are inputs; time is measured only for reports; the simulation's
//!   results do not depend on the thread count.
//!
//! ## Map
//!
//! - [`network`]: the [`PaymentNetwork`] trait; [`oracle`] and [`balances`]: the simulated
//!   network and its CSV loader;
//! - [`attempt`]: attempts, exact hop amounts and fees, HTLC-limit shaping, [`Limits`];
//! - [`params`]: [`PayParams`], [`StopReason`], [`Strategy`]; [`report`]: [`PaymentReport`],
//!   [`PlanReport`];
//! - [`mod@session`]: the loop, and [`Session::plan`] (how a payment would split, nothing
//!   sent); [`baseline`]: the single-path routers; [`mod@simulate`]: many
//!   payments.
#![deny(missing_docs)]

pub mod attempt;
pub mod balances;
pub mod baseline;
pub mod compare;
pub mod error;
pub mod network;
pub mod oracle;
pub mod params;
pub mod report;
pub mod session;
pub mod simulate;

pub use attempt::{Attempt, AttemptStatus, Hop, Limits, DEFAULT_MAX_TOTAL_CLTV};
pub use compare::{compare_pairs, PairedSummary};
pub use error::{NetworkFault, NetworkOp, OracleError, SessionError};
pub use network::{HopFailure, PaymentNetwork, SendOutcome};
pub use oracle::Oracle;
pub use params::{
    FeeBudget, FeeWeight, PayParams, StopReason, Strategy, DEFAULT_FRUGALITY, DEFAULT_MAX_ROUNDS,
    DEFAULT_MAX_STALLED_ROUNDS, DEFAULT_MIN_PART_PROBABILITY,
};
pub use pp_uncertainty::{HtlcMaxRule, PieceShape, SlopeRule, DEFAULT_PIECES, DEFAULT_QUANTUM};
pub use report::{
    AttemptCounts, AttemptReport, PaymentReport, PlanReport, ProblemSummary, RoundReport,
};
pub use session::Session;
pub use simulate::{simulate, AmountSpec, SimulationParams, SimulationReport, StrategySummary};
