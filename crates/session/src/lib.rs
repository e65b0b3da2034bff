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
//! let nodes = pp_graph::largest_scc(&graph);
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
//! The modules are private; this root is the public surface. docs/ARCHITECTURE.md names the
//! files.
//!
//! - the network seam: [`PaymentNetwork`], [`SendOutcome`]; the simulated network: [`Oracle`]
//!   (ground truth from a CSV or a seed);
//! - attempts with exact hop amounts and fees: [`Attempt`], [`Hop`], [`Limits`];
//! - parameters and results: [`PayParams`], [`StopReason`], [`Strategy`], [`PaymentReport`],
//!   [`PlanReport`];
//! - the loop: [`Session`] ([`Session::pay`], and [`Session::plan`]: how a payment would
//!   split, nothing sent); the single-path routers: [`single_path`]; many payments:
//!   [`simulate()`], [`compare_pairs`].
#![deny(missing_docs)]

mod attempt;
mod balances;
mod baseline;
mod compare;
mod error;
mod network;
mod oracle;
mod params;
mod report;
mod session;
mod simulate;

pub use attempt::{Attempt, AttemptStatus, Hop, Limits, DEFAULT_MAX_TOTAL_CLTV};
pub use baseline::{single_path, RouteKind};
pub use compare::{compare_pairs, PairedSummary};
pub use error::{NetworkFault, NetworkOp, OracleError, SessionError};
pub use network::{HopFailure, PaymentNetwork, SendOutcome};
pub use oracle::Oracle;
pub use params::{
    FeeBudget, FeeWeight, PayParams, StopReason, Strategy, DEFAULT_FIRST_ROUND_FEE_WEIGHT,
    DEFAULT_FRUGALITY, DEFAULT_MAX_ROUNDS, DEFAULT_MAX_STALLED_ROUNDS,
    DEFAULT_MIN_PART_PROBABILITY,
};
pub use pp_uncertainty::{HtlcMaxRule, PieceShape, SlopeRule, DEFAULT_PIECES, DEFAULT_QUANTUM};
pub use report::{
    AttemptCounts, AttemptReport, PaymentReport, PlanReport, ProblemSummary, RoundReport,
};
pub use session::{PlannedProblem, Session, SessionCache};
pub use simulate::{
    median, random_pairs, simulate, summarize, AmountSpec, PaymentRecord, SimulationParams,
    SimulationReport, StrategySummary,
};
