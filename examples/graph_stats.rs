//! pp-graph in one page: load a snapshot, summarise it, look up a node and its channels.
//!
//! ```text
//! cargo run --example graph_stats                        # the toy graph of data/README.md
//! cargo run --example graph_stats -- SNAPSHOT [NODE_ID]  # any listchannels/describegraph file
//! ```
//!
//! The snapshot may be core-lightning `listchannels` (old or new form) or LND `describegraph`,
//! plain or gzip; the loader recognises which. Without `NODE_ID` the node with the most channels
//! is shown. For each of its channels we print what the node charges to forward out over it and,
//! through the reverse direction, what its peer charges to forward back.

use pp_examples::{data_file, main_with};
use pp_graph::{GraphStats, Msat, NodeId};
use std::error::Error;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// The amount whose forwarding fee we quote: 100,000 sat.
const QUOTE: Msat = Msat(100_000_000);

/// How many of the node's channels we list.
const SHOWN: usize = 10;

fn run(args: &[String], out: &mut dyn Write) -> Result<(), Box<dyn Error>> {
    let path = args
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| data_file("toy.listchannels.json"));
    // Corrupt input is an error naming the record and field; records that do not fit the model
    // (e.g. a zero capacity) are skipped and counted in the report.
    let loaded = pp_graph::load_path(&path)?;
    let (graph, report) = (&loaded.graph, &loaded.report);
    writeln!(
        out,
        "{}: {}{}, {} records, {} skipped",
        path.display(),
        report.format,
        if report.gzip { ", gzip" } else { "" },
        report.records,
        report.skipped
    )?;

    let s = GraphStats::of(graph);
    writeln!(
        out,
        "nodes {}, channels {} ({} listed both ways), directions {} ({} active)",
        s.nodes, s.channels, s.channels_both_directions, s.directed_channels, s.active_directions
    )?;
    writeln!(
        out,
        "total capacity {} sat = {:.8} BTC; largest strongly connected component {} nodes",
        s.total_capacity_sat, s.total_capacity_btc, s.largest_scc
    )?;
    if let (Some(cap), Some(ppm), Some(base)) = (s.capacity_sat, s.fee_ppm, s.base_fee_msat) {
        writeln!(
            out,
            "median channel {} sat (p10 {}, p90 {}); median fee {} ppm + {} msat base",
            cap.p50, cap.p10, cap.p90, ppm.p50, base.p50
        )?;
    }

    // A node: the one given, or the one with the most channels (ties: the smallest id).
    let node: NodeId = match args.get(1) {
        Some(text) => text.parse()?,
        None => graph
            .nodes()
            .map(|n| (graph.out_degree(n), std::cmp::Reverse(graph.node_id(n))))
            .max()
            .map(|(_, std::cmp::Reverse(id))| id)
            .ok_or("the graph has no nodes")?,
    };
    let n = graph
        .node_index(&node)
        .ok_or_else(|| format!("node {node} is not in the graph"))?;
    writeln!(
        out,
        "\nnode {node}: {} channels out, {} in",
        graph.out_degree(n),
        graph.in_dirs(n).len()
    )?;
    writeln!(
        out,
        "  (fees quoted for forwarding {} sat; `back` is the peer's policy on the reverse direction)",
        QUOTE.to_sat_floor().get()
    )?;
    for d in graph.out_dirs(n).take(SHOWN) {
        let peer = graph.node_id(graph.target(d));
        let p = graph.policy(d);
        let fee = graph.fee(d, QUOTE).ok_or("fee overflow")?;
        write!(
            out,
            "  {} to {}…, {} sat: out {} msat + {} ppm = {} msat, cltv {}",
            graph.scid(d),
            &peer.to_string()[..8],
            graph.capacity(d).to_sat_floor().get(),
            p.base_fee_msat.get(),
            p.fee_ppm.get(),
            fee.get(),
            p.cltv_delta
        )?;
        match graph.reverse(d) {
            Some(r) => {
                let back = graph.fee(r, QUOTE).ok_or("fee overflow")?;
                writeln!(out, "; back {} msat", back.get())?;
            }
            None => writeln!(out, "; back: not listed")?,
        }
    }

    if graph.out_degree(n) > SHOWN {
        writeln!(out, "  … {} more", graph.out_degree(n) - SHOWN)?;
    }

    // Directions can also be found from a channel id and the node that forwards over it.
    if let Some(d) = graph.out_dirs(n).next() {
        let scid = graph.scid(d);
        let found = graph.direction_from(scid, &node);
        writeln!(
            out,
            "direction_from({scid}, node) = {:?}, its reverse = {:?}",
            found,
            found.and_then(|d| graph.reverse(d))
        )?;
    }
    Ok(())
}

fn main() -> ExitCode {
    main_with(run)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pp_examples::capture;

    #[test]
    fn toy_graph() {
        let out = capture(run, &[]).unwrap();
        assert!(out.contains("core-lightning listchannels (old form), 10 records, 0 skipped"));
        assert!(out.contains("nodes 4, channels 5 (5 listed both ways), directions 10"));
        // B (02bb…) and C (02cc…) have three channels each; B has the smaller id.
        assert!(out.contains(&format!("node 02{}: 3 channels out, 3 in", "bb".repeat(32))));
        // B→A: 1,000 msat + 200 ppm of 100,000 sat; A→B back: 1,000 msat + 100 ppm.
        assert!(
            out.contains("103x1x0 to 02aaaaaa…, 1000000 sat: out 1000 msat + 200 ppm = 21000 msat, cltv 40; back 11000 msat"),
            "{out}"
        );
    }

    #[test]
    fn default_graph_and_a_chosen_node() {
        let default = data_file("default.listchannels.json");
        let a = format!("02{}", "aa".repeat(32));
        let toy = data_file("toy.listchannels.json");
        let out = capture(run, &[toy.to_str().unwrap(), &a]).unwrap();
        assert!(
            out.contains(&format!("node {a}: 2 channels out, 2 in")),
            "{out}"
        );
        let out = capture(run, &[default.to_str().unwrap()]).unwrap();
        assert!(out.contains("nodes 200, channels 838"), "{out}");
    }

    #[test]
    fn errors_are_messages() {
        let missing = capture(run, &["/nonexistent/graph.json"]).unwrap_err();
        assert!(
            missing.to_string().contains("/nonexistent/graph.json"),
            "{missing}"
        );
        let toy = data_file("toy.listchannels.json");
        let unknown = format!("02{}", "ee".repeat(32));
        let e = capture(run, &[toy.to_str().unwrap(), &unknown]).unwrap_err();
        assert!(e.to_string().contains("is not in the graph"), "{e}");
    }
}
