//! Helpers shared by the commands: loading graphs (file, stdin or the embedded default) and
//! the outcome a command ends with (its exit code).

use anyhow::Context;
use std::path::Path;

/// The graph used when a command gets no `--graph`: 200 nodes generated with seed 1
/// (`pickhardt graph generate --nodes 200 --seed 1`), see data/README.md.
pub const DEFAULT_GRAPH: &[u8] = include_bytes!("../../../data/default.listchannels.json");

/// How the embedded default graph is named in messages.
pub const DEFAULT_GRAPH_NAME: &str = "the embedded default graph (data/default.listchannels.json)";

/// A human name for the graph source: the path, `stdin` for `-`, or the embedded default.
pub fn graph_name(path: Option<&Path>) -> String {
    match path {
        None => DEFAULT_GRAPH_NAME.to_string(),
        Some(p) if p.as_os_str() == "-" => "stdin".to_string(),
        Some(p) => p.display().to_string(),
    }
}

/// Loads a graph from a file (plain or gzip listchannels/describegraph JSON), from stdin when the
/// path is `-`, or the embedded default graph when `path` is `None`. Errors name the source; when
/// records were skipped, says how many on stderr (with the first reason).
pub fn load_graph(path: Option<&Path>) -> anyhow::Result<pp_graph::Loaded> {
    let name = graph_name(path);
    let loaded = match path {
        None => pp_graph::load_bytes(DEFAULT_GRAPH),
        Some(p) => pp_graph::load_path(p),
    }
    .with_context(|| format!("loading graph from {name}"))?;
    let r = &loaded.report;
    if r.skipped > 0 {
        let first = r
            .warnings
            .first()
            .map(|w| format!(" (first: {w})"))
            .unwrap_or_default();
        eprintln!(
            "warning: {name}: skipped {} of {} records{first}",
            r.skipped, r.records
        );
    }
    Ok(loaded)
}

/// How a command that ran to its end went: [`Outcome::Done`] exits 0, [`Outcome::Failed`] exits 1
/// (a payment that delivered nothing, `--plan-only` without a plan a payment would send, an
/// infeasible `mcf solve`). Bad input is an error instead, exit 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Delivered, a plan found, solved: exit 0.
    Done,
    /// The command's output says what failed: exit 1.
    Failed,
}

impl Outcome {
    /// `Done` when `ok`, else `Failed`.
    pub fn from_success(ok: bool) -> Self {
        if ok {
            Outcome::Done
        } else {
            Outcome::Failed
        }
    }
}

/// Writes to stdout, returning an error instead of panicking when the reader has gone away.
pub fn write_stdout(args: std::fmt::Arguments<'_>) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_fmt(args)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_default_graph_loads_cleanly() {
        let l = load_graph(None).expect("embedded graph is valid");
        assert_eq!(l.report.skipped, 0);
        assert_eq!(l.graph.node_count(), 200);
    }

    #[test]
    fn missing_file_error_names_it() {
        let e = load_graph(Some(Path::new("/nonexistent/graph.json"))).expect_err("missing");
        assert!(
            format!("{e:#}").contains("/nonexistent/graph.json"),
            "{e:#}"
        );
    }
}
