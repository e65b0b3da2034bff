//! Placeholder header; replaced when the crate is implemented.
#![deny(missing_docs)]
