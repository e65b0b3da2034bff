//! [`GraphError`], the one error type of this crate, and [`LoadWarning`], what a loader reports
//! about a record it skipped.
//!
//! Errors that concern one record name it by its 0-based position in the `channels` (or `edges`)
//! array, its short channel id when the loader had already read it, the field, and the line and
//! column in the (decompressed) JSON text where the problem was noticed.
//!
//! Messages are one line. An underlying I/O error is not repeated in the message but returned by
//! `source()` (print the chain, as the CLI does); every other detail is in the message itself.

use crate::graph::RecordProblem;
use crate::ids::{IdError, ShortChannelId};
use std::fmt;
use std::path::PathBuf;

/// Everything that can go wrong in this crate: reading and parsing snapshots, and bad generator
/// parameters.
///
/// Which problems of a snapshot are errors (the whole load fails) and which are warnings (the
/// record is skipped and counted) is documented in docs/FORMATS.md.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GraphError {
    /// Reading the input failed (file missing, permission, stdin closed, …).
    #[error("cannot read {}", path_or_input(.path))]
    Io {
        /// The file, or `None` for a reader or stdin.
        path: Option<PathBuf>,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The input starts with the gzip magic bytes but does not decompress.
    #[error("input looks gzip-compressed but does not decompress")]
    Decompress {
        /// The decoder's error.
        source: std::io::Error,
    },
    /// The input (after decompression) is empty or only whitespace.
    #[error("input is empty")]
    Empty,
    /// The input is not a snapshot this crate knows (not a JSON object, or an object with neither
    /// a `channels` nor an `edges` array).
    #[error("unknown snapshot format: {reason}")]
    UnknownFormat {
        /// What was found instead.
        reason: String,
    },
    /// The input is not well-formed JSON (truncated, stray bytes, …) or its top level has the
    /// wrong shape.
    #[error("malformed JSON at line {line}, column {column}: {message}")]
    Json {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// The parser's description.
        message: String,
    },
    /// An element of the `channels`/`edges` array is not a record (for example a number).
    #[error("record {index} at line {line}, column {column}: {reason}")]
    BadRecord {
        /// 0-based position in the array.
        index: usize,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        reason: String,
    },
    /// A record lacks a field the loader needs.
    #[error("record {index}{} at line {line}: missing field `{field}`", scid_note(.scid))]
    MissingField {
        /// 0-based position in the array.
        index: usize,
        /// The record's short channel id, when it was read.
        scid: Option<ShortChannelId>,
        /// The field's name (dotted for nested LND policy fields).
        field: String,
        /// 1-based line where the record ends.
        line: usize,
    },
    /// A field has the wrong type or an impossible value (negative, fractional, too large,
    /// disagreeing with another field, …).
    #[error("record {index}{} at line {line}, column {column}: field `{field}`: {reason}", scid_note(.scid))]
    BadField {
        /// 0-based position in the array.
        index: usize,
        /// The record's short channel id, when it was read before the bad field.
        scid: Option<ShortChannelId>,
        /// The field's name (dotted for nested LND policy fields).
        field: String,
        /// What is wrong with the value.
        reason: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A node id field is not a 33-byte hex public key.
    #[error("record {index}{} at line {line}, column {column}: field `{field}`: {problem}", scid_note(.scid))]
    BadNodeId {
        /// 0-based position in the array.
        index: usize,
        /// The record's short channel id, when it was read before the node id.
        scid: Option<ShortChannelId>,
        /// The field's name.
        field: String,
        /// What is wrong with the id.
        problem: IdError,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A short channel id field does not parse.
    #[error("record {index} at line {line}, column {column}: field `{field}`: {problem}")]
    BadScid {
        /// 0-based position in the array.
        index: usize,
        /// The field's name.
        field: String,
        /// What is wrong with it.
        problem: IdError,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A line of an upstream CSV file (CLoTH's `nodes_ln.csv`, `channels_ln.csv`,
    /// `edges_ln.csv`) is malformed or contradicts another file.
    #[error("{file} line {line}{}: {reason}", field_note(.field))]
    Csv {
        /// The file's name (`channels_ln.csv`, …).
        file: String,
        /// 1-based line number (line 1 is the header).
        line: u64,
        /// The column, when one is at fault.
        field: Option<String>,
        /// What is wrong.
        reason: String,
    },
    /// A core-lightning `GOSSMAP_COMPRESSv1` file is malformed (after gzip decompression).
    #[error("gossmap at byte {offset}: {what}: {reason}")]
    Gossmap {
        /// Offset in the decompressed stream where the problem was noticed.
        offset: u64,
        /// What was being read (`capacity index of channel 5`, …).
        what: String,
        /// What is wrong.
        reason: String,
    },
    /// A line of a gossmap node map (`index:pubkey:alias`) is malformed, or a channel names an
    /// index the map lacks.
    #[error("node map line {line}: {reason}")]
    NodeMap {
        /// 1-based line number (0 when the problem is an index missing from the whole map).
        line: u64,
        /// What is wrong.
        reason: String,
    },
    /// The node map starts with the xz magic bytes but does not decompress.
    #[error("node map looks xz-compressed but does not decompress")]
    Xz {
        /// The decoder's error.
        source: lzma_rs::error::Error,
    },
    /// The graph would exceed the index space (more than 4 billion nodes or directions).
    #[error("graph too large: more than 4 billion nodes or directions")]
    TooLarge,
    /// A generator or writer parameter is out of range.
    #[error("invalid parameter `{name}`: {reason}")]
    InvalidParameter {
        /// The parameter.
        name: &'static str,
        /// Why it is refused.
        reason: String,
    },
}

fn path_or_input(p: &Option<PathBuf>) -> String {
    match p {
        Some(p) => p.display().to_string(),
        None => "input".to_string(),
    }
}

fn field_note(f: &Option<String>) -> String {
    match f {
        Some(f) => format!(", field `{f}`"),
        None => String::new(),
    }
}

fn scid_note(s: &Option<ShortChannelId>) -> String {
    match s {
        Some(s) => format!(" (short_channel_id {s})"),
        None => String::new(),
    }
}

impl GraphError {
    /// Fills in the position of a record-level error (the parser knows it only after the
    /// error has travelled back up through serde).
    pub(crate) fn set_position(&mut self, at_line: usize, at_column: usize) {
        match self {
            GraphError::BadRecord { line, column, .. }
            | GraphError::BadField { line, column, .. }
            | GraphError::BadNodeId { line, column, .. }
            | GraphError::BadScid { line, column, .. } => {
                *line = at_line;
                *column = at_column;
            }
            GraphError::MissingField { line, .. } => *line = at_line,
            _ => {}
        }
    }
}

/// Why a loader skipped a record (or one direction of an LND edge).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "snake_case", tag = "kind", content = "problem")
)]
#[non_exhaustive]
pub enum SkipReason {
    /// The graph builder refused the direction (self loop, capacity 0, htlc_min > htlc_max,
    /// duplicate direction, the two directions disagreeing on capacity or endpoints).
    Record(RecordProblem),
    /// An LND edge with neither `node1_policy` nor `node2_policy`: no direction to route over.
    NoPolicy,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Record(p) => p.fmt(f),
            SkipReason::NoPolicy => f.write_str("edge has no policy in either direction"),
        }
    }
}

/// A record the loader skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct LoadWarning {
    /// 0-based position in the `channels`/`edges` array.
    pub index: usize,
    /// The record's short channel id.
    pub scid: Option<ShortChannelId>,
    /// Why it was skipped.
    pub reason: SkipReason,
}

impl fmt::Display for LoadWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "record {}{} skipped: {}",
            self.index,
            scid_note(&self.scid),
            self.reason
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "serde")]
    #[test]
    fn load_warnings_serialize_with_their_reason() {
        let w = LoadWarning {
            index: 3,
            scid: Some("1x2x3".parse().expect("scid")),
            reason: SkipReason::Record(RecordProblem::ZeroCapacity),
        };
        let json = serde_json::to_value(&w).expect("serializable");
        assert_eq!(json["index"], 3);
        assert_eq!(json["scid"], "1x2x3");
        assert_eq!(json["reason"]["kind"], "record");
        assert_eq!(json["reason"]["problem"]["kind"], "zero_capacity");
        let none = serde_json::to_value(SkipReason::NoPolicy).expect("serializable");
        assert_eq!(none["kind"], "no_policy");
    }

    #[test]
    fn messages_name_record_scid_and_field() {
        let e = GraphError::BadField {
            index: 7,
            scid: Some("1x2x3".parse().expect("scid")),
            field: "delay".into(),
            reason: "70000 exceeds 65535".into(),
            line: 9,
            column: 4,
        };
        assert_eq!(
            e.to_string(),
            "record 7 (short_channel_id 1x2x3) at line 9, column 4: field `delay`: 70000 exceeds 65535"
        );
        let w = LoadWarning {
            index: 3,
            scid: None,
            reason: SkipReason::NoPolicy,
        };
        assert_eq!(
            w.to_string(),
            "record 3 skipped: edge has no policy in either direction"
        );
    }
}
