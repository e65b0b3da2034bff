//! # pp-uncertainty
//!
//! What we believe about remote liquidity, and how that belief becomes a convex cost: the
//! [`Belief`] (per directed channel `min`, `max`, `in_flight`, in flat arrays indexed by the
//! graph's [`pp_graph::DirIdx`]), success probabilities and entropy (SPEC §2), learning from
//! forwarded and failed HTLCs with the coupling of a channel's two directions, settlement, decay
//! and probing; the piecewise linearization of `−ln P + μ·fee` into a `pp-mcf` problem (SPEC §3);
//! and μ from a frugality factor.
//!
//! Design: the belief copies the little it needs from the graph (capacities, reverse indices,
//! short channel ids) so its methods are pure array operations; a report that contradicts the
//! belief is an error that leaves it unchanged, never a crash or a silently inconsistent state
//! (the reference package calls `exit()`, Core Lightning's renepay asserted). This crate does no
//! I/O and never reads the clock: time is an argument, and probing takes the oracle as a closure.
#![deny(missing_docs)]

pub mod belief;
pub mod error;
pub mod linearize;
pub mod mu;

pub use belief::Belief;
pub use error::UncertaintyError;
pub use linearize::{flow_per_direction, linearize, LinearizeParams, Linearized, SlopeRule};
pub use mu::{mu_formula, mu_from_frugality, MuReport};
