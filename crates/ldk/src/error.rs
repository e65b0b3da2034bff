//! The crate's error type.

/// What can go wrong converting graphs, reading LDK data and simulating.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LdkError {
    /// A [`crate::NodeMap`] made for another graph.
    #[error("node map has {map} nodes, the graph {graph}")]
    NodeMapMismatch {
        /// Nodes in the map.
        map: usize,
        /// Nodes in the graph.
        graph: usize,
    },
    /// Bytes that do not decode.
    #[error("cannot read the {what}: {reason}")]
    Decode {
        /// What was read.
        what: &'static str,
        /// LDK's or our decoder's reason.
        reason: String,
    },
    /// Invalid simulation parameters, or a route that does not fit the graph.
    #[error("{reason}")]
    Invalid {
        /// What is wrong.
        reason: String,
    },
    /// The simulated network or a payment session failed.
    #[error(transparent)]
    Session(#[from] pp_session::SessionError),
}
