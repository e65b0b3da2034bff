//! `pickhardt graph stats`, `pickhardt graph generate` and `pickhardt graph convert` (in
//! `cmd_convert`).

use crate::common;
use anyhow::Context;
use pp_graph::{GraphStats, Percentiles};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Subcommands of `pickhardt graph`.
#[derive(Debug, clap::Subcommand)]
pub enum GraphCommand {
    /// Print statistics of a channel graph (sizes, capacity, fees, largest strongly connected
    /// component).
    Stats(StatsArgs),
    /// Generate a synthetic Lightning-like graph and write it as listchannels JSON.
    Generate(GenerateArgs),
    /// Convert upstream network files (CLoTH CSVs, core-lightning GOSSMAP_COMPRESSv1 with its
    /// node map) to listchannels JSON and a ground-truth balances CSV.
    Convert(crate::cmd_convert::ConvertArgs),
}

/// Arguments of `pickhardt graph stats`.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Snapshot: core-lightning listchannels or LND describegraph JSON, plain or gzip; `-` reads
    /// stdin. Without it, the embedded default graph.
    #[arg(long, value_name = "FILE")]
    pub graph: Option<PathBuf>,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `pickhardt graph generate`.
#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// Number of nodes (at least 2).
    #[arg(long, default_value_t = 200)]
    pub nodes: usize,
    /// Random seed; the same seed gives the same graph.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output file; `-` writes to stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE", default_value = "-")]
    pub output: PathBuf,
}

/// Runs the command.
pub fn run(c: GraphCommand) -> anyhow::Result<()> {
    match c {
        GraphCommand::Stats(a) => stats(&a),
        GraphCommand::Generate(a) => generate(&a),
        GraphCommand::Convert(a) => crate::cmd_convert::run(&a),
    }
}

fn stats(a: &StatsArgs) -> anyhow::Result<()> {
    let loaded = common::load_graph(a.graph.as_deref())?;
    let s = GraphStats::of(&loaded.graph);
    let r = &loaded.report;
    let name = common::graph_name(a.graph.as_deref());
    let mut out = std::io::stdout().lock();
    if a.json {
        let mut obj = serde_json::to_value(&s).context("serializing statistics")?;
        if let Some(m) = obj.as_object_mut() {
            m.insert("source".into(), name.into());
            m.insert("format".into(), serde_json::to_value(r.format)?);
            m.insert("gzip".into(), r.gzip.into());
            m.insert("records".into(), r.records.into());
            m.insert("skipped".into(), r.skipped.into());
        }
        writeln!(out, "{obj}")?;
        return Ok(());
    }
    let gz = if r.gzip { ", gzip" } else { "" };
    writeln!(out, "graph              {name} ({}{gz})", r.format)?;
    writeln!(
        out,
        "records            {} read, {} skipped",
        group(r.records as u64),
        group(r.skipped as u64)
    )?;
    writeln!(out, "nodes              {}", group(s.nodes as u64))?;
    writeln!(
        out,
        "channels           {} ({} listed in both directions)",
        group(s.channels as u64),
        group(s.channels_both_directions as u64)
    )?;
    writeln!(
        out,
        "directed channels  {} ({} active)",
        group(s.directed_channels as u64),
        group(s.active_directions as u64)
    )?;
    // Hundredths of a bitcoin, rounded half up, printed with grouped thousands.
    let centi_btc = s.total_capacity_sat.saturating_add(500_000) / 1_000_000;
    writeln!(
        out,
        "total capacity     {}.{:02} BTC ({} sat)",
        group(centi_btc / 100),
        centi_btc % 100,
        group(s.total_capacity_sat)
    )?;
    writeln!(
        out,
        "largest SCC        {} nodes ({} components over active directions)",
        group(s.largest_scc as u64),
        group(s.scc_count as u64)
    )?;
    writeln!(
        out,
        "{:<18} {:>13} {:>13} {:>13} {:>13} {:>13} {:>13} {:>13}",
        "", "min", "p10", "p25", "median", "p75", "p90", "max"
    )?;
    for (label, p) in [
        ("capacity (sat)", s.capacity_sat),
        ("fee rate (ppm)", s.fee_ppm),
        ("base fee (msat)", s.base_fee_msat),
        ("cltv delta", s.cltv_delta),
    ] {
        writeln!(out, "{label:<18} {}", row(p))?;
    }
    Ok(())
}

fn row(p: Option<Percentiles>) -> String {
    match p {
        None => "(no data)".to_string(),
        Some(p) => [p.min, p.p10, p.p25, p.p50, p.p75, p.p90, p.max]
            .map(|v| format!("{:>13}", group(v)))
            .join(" "),
    }
}

/// `1234567` → `1,234,567`.
fn group(v: u64) -> String {
    let digits = v.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn generate(a: &GenerateArgs) -> anyhow::Result<()> {
    let g = pp_graph::generate(&pp_graph::GeneratorParams::new(a.nodes, a.seed))
        .context("generating graph")?;
    let to = a.output.as_path();
    if to == Path::new("-") {
        pp_graph::write_listchannels(&g, std::io::stdout().lock()).context("writing to stdout")?;
    } else {
        let f =
            std::fs::File::create(to).with_context(|| format!("cannot create {}", to.display()))?;
        pp_graph::write_listchannels(&g, f)
            .with_context(|| format!("cannot write {}", to.display()))?;
        eprintln!(
            "wrote {} nodes, {} channels, {} directions to {}",
            g.node_count(),
            g.channel_count(),
            g.direction_count(),
            to.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(514_401_744_315), "514,401,744,315");
    }
}
