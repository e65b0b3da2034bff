//! The state of one load shared by the JSON visitors: the graph builder, counts, warnings and
//! the structured error behind a serde error ([`State`]), and the record being read, which
//! error messages point at ([`RecordCtx`]).

use super::*;

/// Mutable state shared by the visitors of one load.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(super) builder: GraphBuilder,
    pub(super) records: usize,
    pub(super) skipped: usize,
    pub(super) warnings: Vec<LoadWarning>,
    /// The structured error behind a serde error raised by a record visitor.
    pub(super) pending: Option<GraphError>,
    /// Whether the parser got inside the top-level object.
    pub(super) entered: bool,
    pub(super) saw_channels: bool,
    pub(super) saw_edges: bool,
    pub(super) saw_nodes: bool,
    pub(super) old_form: bool,
    /// When set, records are collected here instead of going to the builder (a chunk of the
    /// parallel path, added in order afterwards).
    pub(super) collected: Option<Vec<DirectionRecord>>,
}

impl State {
    /// Adds a direction, turning a builder refusal into a warning.
    pub(super) fn add(&mut self, index: usize, rec: &DirectionRecord) -> Result<(), GraphError> {
        if let Some(out) = &mut self.collected {
            out.push(rec.clone());
            return Ok(());
        }
        match self.builder.add(rec) {
            Ok(()) => Ok(()),
            Err(RecordProblem::TooLarge) => Err(GraphError::TooLarge),
            Err(p) => {
                self.warn(index, Some(rec.scid), SkipReason::Record(p));
                Ok(())
            }
        }
    }

    pub(super) fn warn(&mut self, index: usize, scid: Option<ShortChannelId>, reason: SkipReason) {
        self.skipped += 1;
        if self.warnings.len() < MAX_STORED_WARNINGS {
            self.warnings.push(LoadWarning {
                index,
                scid,
                reason,
            });
        }
    }

    /// Records a structured error and returns the serde error that aborts the parse.
    pub(super) fn fail<E: de::Error>(&mut self, e: GraphError) -> E {
        let msg = e.to_string();
        self.pending = Some(e);
        E::custom(msg)
    }

    /// Turns the parser's error into the most precise [`GraphError`]: the structured error a
    /// record visitor left behind, an empty or non-JSON input, a decompression or read error,
    /// or malformed JSON.
    pub(super) fn into_error(
        self,
        e: serde_json::Error,
        first: Option<u8>,
        gzip: bool,
        path: Option<&Path>,
    ) -> GraphError {
        use serde_json::error::Category;
        let (line, column) = (e.line(), e.column());
        match (e.classify(), self.pending) {
            (Category::Data, Some(mut p)) => {
                p.set_position(line, column);
                p
            }
            (Category::Io, _) => read_error(e.into(), gzip, path),
            _ if !self.entered => match first {
                None => GraphError::Empty,
                Some(c) => refuse_start(Some(c)).unwrap_or_else(|| GraphError::Json {
                    line,
                    column,
                    message: strip_position(&e.to_string()),
                }),
            },
            _ => GraphError::Json {
                line,
                column,
                message: strip_position(&e.to_string()),
            },
        }
    }

    pub(super) fn finish(self, gzip: bool) -> Result<Loaded, GraphError> {
        let format = match (self.saw_channels, self.saw_edges) {
            (true, false) if self.saw_nodes => {
                return Err(GraphError::UnknownFormat {
                    reason: "both `channels` (listchannels) and `nodes` (describegraph) keys"
                        .into(),
                })
            }
            (true, false) if self.old_form => SnapshotFormat::ListChannelsOld,
            (true, false) => SnapshotFormat::ListChannelsNew,
            (false, true) => SnapshotFormat::DescribeGraph,
            (true, true) => {
                return Err(GraphError::UnknownFormat {
                    reason: "both `channels` (listchannels) and `edges` (describegraph) keys"
                        .into(),
                })
            }
            (false, false) => {
                return Err(GraphError::UnknownFormat {
                    reason: if self.saw_nodes {
                        "a `nodes` array but no `edges` (describegraph needs both)".into()
                    } else {
                        "a JSON object without a `channels` (listchannels) or `edges` \
                         (describegraph) array"
                            .into()
                    },
                })
            }
        };
        Ok(Loaded {
            graph: self.builder.build(),
            report: LoadReport {
                format,
                gzip,
                records: self.records,
                skipped: self.skipped,
                warnings: self.warnings,
            },
        })
    }
}

/// The record being read: where errors should point.
pub(crate) struct RecordCtx<'a> {
    pub st: &'a mut State,
    pub index: usize,
    pub scid: Option<ShortChannelId>,
}

impl RecordCtx<'_> {
    /// Reads the current map value, recording a [`GraphError::BadField`] if it does not parse.
    pub fn value<'de, A, T>(&mut self, map: &mut A, field: &str) -> Result<T, A::Error>
    where
        A: MapAccess<'de>,
        T: Deserialize<'de>,
    {
        map.next_value().inspect_err(|e| {
            self.st.pending = Some(GraphError::BadField {
                index: self.index,
                scid: self.scid,
                field: field.to_string(),
                reason: strip_position(&e.to_string()),
                line: 0,
                column: 0,
            });
        })
    }

    /// Reads a node id.
    pub fn node_id<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        field: &str,
    ) -> Result<NodeId, A::Error> {
        let values::Parsed(r) = self.value(map, field)?;
        r.map_err(|problem| {
            let e = GraphError::BadNodeId {
                index: self.index,
                scid: self.scid,
                field: field.to_string(),
                problem,
                line: 0,
                column: 0,
            };
            self.st.fail(e)
        })
    }

    /// Reads a short channel id and remembers it for later error messages.
    pub fn scid<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        field: &str,
    ) -> Result<ShortChannelId, A::Error> {
        let values::Parsed(r) = self.value(map, field)?;
        let scid = r.map_err(|problem| {
            let e = GraphError::BadScid {
                index: self.index,
                field: field.to_string(),
                problem,
                line: 0,
                column: 0,
            };
            self.st.fail(e)
        })?;
        self.scid = Some(scid);
        Ok(scid)
    }

    /// The error for a field whose value is impossible.
    pub fn bad<E: de::Error>(&mut self, field: &str, reason: String) -> E {
        let e = GraphError::BadField {
            index: self.index,
            scid: self.scid,
            field: field.to_string(),
            reason,
            line: 0,
            column: 0,
        };
        self.st.fail(e)
    }

    /// The error for a missing field.
    pub fn missing<E: de::Error>(&mut self, field: &str) -> E {
        let e = GraphError::MissingField {
            index: self.index,
            scid: self.scid,
            field: field.to_string(),
            line: 0,
        };
        self.st.fail(e)
    }

    /// Stores a field's value, refusing a second occurrence of the same field.
    pub fn set<T, E: de::Error>(
        &mut self,
        slot: &mut Option<T>,
        field: &str,
        v: T,
    ) -> Result<(), E> {
        if slot.is_some() {
            return Err(self.bad(field, "given twice in one record".to_string()));
        }
        *slot = Some(v);
        Ok(())
    }

    /// A required field, or the missing-field error.
    pub fn require<T, E: de::Error>(&mut self, slot: Option<T>, field: &str) -> Result<T, E> {
        match slot {
            Some(v) => Ok(v),
            None => Err(self.missing(field)),
        }
    }

    /// Checks a number fits its destination type (`delay` into `u16`, …).
    pub fn narrow<T: TryFrom<u64>, E: de::Error>(
        &mut self,
        v: u64,
        field: &str,
        max: u64,
    ) -> Result<T, E> {
        T::try_from(v).map_err(|_| self.bad(field, format!("{v} exceeds the maximum {max}")))
    }

    /// Adds a finished direction to the graph (or a warning).
    pub fn add<E: de::Error>(&mut self, rec: &DirectionRecord) -> Result<(), E> {
        self.st.add(self.index, rec).map_err(|e| self.st.fail(e))
    }
}

/// serde_json appends " at line L column C" to its messages; the errors here carry the
/// position as fields instead.
pub(super) fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}
