//! # pp-uncertainty
//!
//! What we believe about remote liquidity, and how that belief becomes a convex cost: the
//! [`Belief`] (per directed channel `min`, `max`, `in_flight`, in flat arrays indexed by the
//! graph's [`pp_graph::DirIdx`]), success probabilities and entropy (docs/MODEL.md §2), learning
//! from forwarded and failed HTLCs with the coupling of a channel's two directions, settlement,
//! decay and probing; the piecewise linearization of `−ln P + μ·fee` into a `pp-mcf` problem
//! (docs/MODEL.md §3); and μ from a frugality factor.
//!
//! ```
//! use pp_graph::{Msat, NodeId};
//! use pp_uncertainty::{flow_per_direction, linearize, Belief, LinearizeParams};
//!
//! // The toy graph of data/README.md; channel A–B holds 1,000,000 sat.
//! let graph = pp_graph::load_bytes(include_bytes!("../../../data/toy.listchannels.json"))?.graph;
//! let node = |c: &str| format!("02{}", c.repeat(32)).parse::<NodeId>();
//! let (a, d) = (node("aa")?, node("dd")?);
//! let ab = graph.direction_from("103x1x0".parse()?, &a).expect("A–B is listed");
//!
//! let mut belief = Belief::new(&graph); // the prior: uniform on 0..=capacity
//! assert!((belief.probability(ab, Msat(250_000_000)) - 0.75).abs() < 1e-6);
//! belief.learn_forwarded(ab, Msat(300_000_000))?; // A→B forwarded 300,000 sat
//! assert_eq!(belief.probability(ab, Msat(250_000_000)), 1.0);
//! assert_eq!(belief.max(graph.reverse(ab).unwrap()), Msat(700_000_000)); // B→A, coupled
//! assert!(belief.learn_failed(ab, Msat(100_000_000)).is_err()); // a contradiction
//!
//! // The belief as a min-cost-flow problem: 300,000 sat from A to D.
//! let (from, to) = (graph.node_index(&a).unwrap(), graph.node_index(&d).unwrap());
//! let amount = Msat(300_000_000);
//! let lin = linearize(&graph, &belief, from, to, amount, &LinearizeParams::default())?;
//! let solution = pp_mcf::solver_by_name("native")?.solve(&lin.problem)?;
//! let flow = flow_per_direction(&lin, &solution)?;
//! let into_d = flow.iter().filter(|(dir, _)| graph.target(*dir) == to);
//! assert_eq!(into_d.map(|(_, m)| m.0).sum::<u64>(), amount.0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Design: the belief copies the little it needs from the graph (capacities, reverse indices,
//! short channel ids) so its methods are pure array operations; a report that contradicts the
//! belief is an error that leaves it unchanged, never a crash or a silently inconsistent state
//! (the reference package calls `exit()`, Core Lightning's renepay asserted). This crate does no
//! I/O and never reads the clock: time is an argument, and probing takes the oracle as a closure.
//! The linearization has one implementation, [`IncrementalLinearizer`], which keeps every
//! direction's pieces and recomputes only those whose belief changed; [`linearize()`] is it used
//! once.
//!
//! Features: `parallel` (default) computes many directions' pieces at once on rayon's thread
//! pool (a fresh belief's first round; the results are the same to the bit without it);
//! `serde` derives serialization for the public data types.
#![deny(missing_docs)]

mod belief;
mod error;
mod knowledge;
mod learn;
mod linearize;
mod mu;
#[cfg(test)]
mod test_graph;

pub use belief::Belief;
pub use error::UncertaintyError;
pub use knowledge::{Knowledge, KnowledgeEntry, RestoreReport};
pub use learn::{AttemptOutcome, HopFailure};
pub use linearize::{
    flow_per_direction, linearize, ArcOrder, DetachedLinearizer, HtlcMaxRule,
    IncrementalLinearizer, LinearizeParams, Linearized, PieceShape, Round, SlopeRule,
    DEFAULT_PIECES, DEFAULT_QUANTUM, MAX_UNIT_COST, PRUNE_MAX_ARCS, PRUNE_MIN_PROBABILITY,
    PRUNE_TEST_AMOUNT,
};
pub use mu::{mu_formula, mu_from_frugality, MuReport};
