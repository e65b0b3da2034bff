//! `pickhardt mcf export`: writes the round-1 flow problem of a payment (prior belief, docs/MODEL.md §3
//! linearization) as DIMACS min-cost flow, with a comment line `c node <1-based id> <pubkey>` per
//! node so that an external solver's answer can be mapped back.

use crate::cmd_mu::check_frugality;
use crate::common::{graph_name, load_graph};
use crate::input;
use anyhow::Context;
use pp_graph::Msat;
use pp_uncertainty::{linearize, mu_from_frugality, Belief, LinearizeParams, SlopeRule};
use std::io::Write;
use std::path::PathBuf;

/// Slope rule names on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SlopesArg {
    /// The exact secant of −ln P over each piece.
    Secant,
    /// The reference package's rule: piece k costs k/W.
    Linear,
}

/// Arguments of `pickhardt mcf export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Channel graph (listchannels or describegraph JSON, plain or gzip; `-` for stdin).
    /// Default: the embedded 200-node graph.
    #[arg(long, value_name = "FILE")]
    pub graph: Option<PathBuf>,
    /// Sender's node id (66 hex characters).
    #[arg(long, value_name = "PUBKEY")]
    pub from: String,
    /// Receiver's node id (66 hex characters).
    #[arg(long, value_name = "PUBKEY")]
    pub to: String,
    /// Amount: sat, or with a unit (`1000sat`, `1500msat`).
    #[arg(long, value_name = "AMOUNT", value_parser = input::amount, allow_hyphen_values = true)]
    pub amount: Msat,
    /// Pieces per channel direction over its uncertain range (1..=255).
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub pieces: u32,
    /// Fixed fee weight μ (>= 0). Without --mu or --frugality, μ comes from frugality 3, the
    /// payment default.
    #[arg(
        long,
        value_name = "M",
        conflicts_with = "frugality",
        allow_negative_numbers = true
    )]
    pub mu: Option<f64>,
    /// Frugality factor from which μ is computed (see `pickhardt mu`).
    #[arg(long, value_name = "F", allow_negative_numbers = true)]
    pub frugality: Option<f64>,
    /// Slope rule of the uncertain pieces.
    #[arg(long, value_enum, default_value = "secant")]
    pub slopes: SlopesArg,
    /// Flow unit in msat (arc capacities and the demand are counted in it).
    #[arg(long, value_name = "MSAT", default_value_t = 1000)]
    pub quantum: u64,
    /// Prune as the reference package does (drop directions with P(250,000 sat) < 0.9, keep at
    /// most three arcs per direction).
    #[arg(long)]
    pub prune: bool,
    /// Route over inactive directions too.
    #[arg(long)]
    pub include_inactive: bool,
    /// Leave out directions whose base fee exceeds this (msat) [default: none left out].
    #[arg(long, value_name = "MSAT")]
    pub base_fee_threshold: Option<u64>,
    /// Leave base fees out of the cost (the reference's model; by default each counts by its
    /// convex envelope, docs/MODEL.md "Base fees in the cost").
    #[arg(long)]
    pub no_base_fee_cost: bool,
    /// Output file (`-` for stdout).
    #[arg(short = 'o', long = "output", value_name = "FILE.min")]
    pub output: PathBuf,
}

/// Runs the command.
pub fn run(a: ExportArgs) -> anyhow::Result<()> {
    let amount = a.amount;
    if let Some(m) = a.mu {
        if !(m.is_finite() && m >= 0.0) {
            anyhow::bail!("--mu {m} must be a finite number >= 0");
        }
    }
    let frugality = a.frugality.map(check_frugality).transpose()?;
    let loaded = load_graph(a.graph.as_deref())?;
    let g = &loaded.graph;
    let source = input::node(g, &a.from, "--from")?;
    let target = input::node(g, &a.to, "--to")?;
    if source == target {
        anyhow::bail!("--from and --to are the same node {}", a.from);
    }
    let (mu, mu_note) = match (a.mu, frugality) {
        (Some(m), _) => (m, format!("mu {m} (given)")),
        (None, f) => {
            let f = f.unwrap_or(pp_session::DEFAULT_FRUGALITY);
            let r = mu_from_frugality(g, amount, f).context("computing mu")?;
            let note = format!(
                "mu {} (frugality {f}, median capacity {} msat, median fee {} ppm)",
                r.mu, r.median_capacity_msat.0, r.median_fee_ppm.0
            );
            (r.mu, note)
        }
    };
    let params = LinearizeParams {
        pieces: a.pieces,
        slopes: match a.slopes {
            SlopesArg::Secant => SlopeRule::Secant,
            SlopesArg::Linear => SlopeRule::Linear,
        },
        mu,
        base_fee_threshold: a.base_fee_threshold.map_or(Msat::MAX, Msat),
        prune: a.prune,
        include_inactive: a.include_inactive,
        quantum: Msat(a.quantum),
        cost_scale: None,
        cap_at_htlc_max: true,
        cap_at_demand: false,
        base_fee_in_cost: !a.no_base_fee_cost,
    };
    let belief = Belief::new(g);
    let lin = linearize(g, &belief, source, target, amount, &params)
        .context("building the flow problem")?;

    let mut comments = vec![
        "pickhardt mcf export: round-1 payment flow problem (prior belief, docs/MODEL.md §3)".to_string(),
        format!("graph {}", graph_name(a.graph.as_deref())),
        format!(
            "from {} (node {}) to {} (node {}) amount {} msat",
            g.node_id(source),
            source.0 + 1,
            g.node_id(target),
            target.0 + 1,
            amount.0
        ),
        format!(
            "flow unit {} msat, demand {} units; pieces {}, slopes {}, base fee threshold {} msat, base fee in cost {}, prune {}, include inactive {}",
            lin.quantum.0,
            lin.demand_units,
            a.pieces,
            match a.slopes {
                SlopesArg::Secant => "secant",
                SlopesArg::Linear => "linear",
            },
            a.base_fee_threshold
                .map_or("none".to_string(), |t| t.to_string()),
            !a.no_base_fee_cost,
            a.prune,
            a.include_inactive
        ),
        mu_note,
        format!(
            "arc cost = round({} * (secant or linear -ln P slope + mu * (fee_ppm + base fee envelope) * unit / amount)) per unit",
            lin.cost_scale
        ),
    ];
    comments.extend(
        g.nodes()
            .map(|n| format!("node {} {}", n.0 + 1, g.node_id(n))),
    );

    let to_stdout = a.output.as_os_str() == "-";
    if to_stdout {
        let stdout = std::io::stdout();
        pp_mcf::dimacs::write_dimacs(stdout.lock(), &lin.problem, &comments)
            .context("cannot write DIMACS to stdout")?;
    } else {
        let file = std::fs::File::create(&a.output)
            .with_context(|| format!("cannot create {}", a.output.display()))?;
        pp_mcf::dimacs::write_dimacs(file, &lin.problem, &comments)
            .with_context(|| format!("cannot write {}", a.output.display()))?;
        let mut err = std::io::stderr();
        // A failed status line on stderr is not worth failing the command for.
        let _ = writeln!(
            err,
            "wrote {}: {} nodes, {} arcs, demand {} units of {} msat",
            a.output.display(),
            lin.problem.num_nodes,
            lin.problem.num_arcs(),
            lin.demand_units,
            lin.quantum.0
        );
    }
    Ok(())
}
