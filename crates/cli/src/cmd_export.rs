//! `pickhardt mcf export`: writes the flow problem whose optimal flow round 1 of `pickhardt pay`
//! turns into parts, for the same flags (same arcs, order and costs, after the round's fallbacks:
//! `pp_session::Session::planned_problem`) as DIMACS min-cost flow, with a comment line
//! `c node <1-based id> <pubkey>` per node so that an external solver's answer can be mapped
//! back. `pay --plan-only --json` reports the optimal cost of the same problem as `"problem"`.

use crate::common::{graph_name, load_graph};
use crate::input;
use crate::options::{OracleOptions, RoutingOptions};
use anyhow::Context;
use pp_graph::Msat;
use pp_session::{FeeWeight, Session};
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `pickhardt mcf export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Channel graph (listchannels or describegraph JSON, plain or gzip; `-` for stdin)
    /// [default: the embedded default graph]
    #[arg(long, value_name = "FILE")]
    pub graph: Option<PathBuf>,
    #[command(flatten)]
    pub oracle: OracleOptions,
    /// Sender public key (hex)
    #[arg(long, value_name = "PUBKEY")]
    pub from: String,
    /// Receiver public key (hex)
    #[arg(long, value_name = "PUBKEY")]
    pub to: String,
    /// Amount: sat by default, or with a unit (`1000sat`, `250000msat`)
    #[arg(long, value_name = "AMOUNT", value_parser = input::amount, allow_hyphen_values = true)]
    pub amount: Msat,
    #[command(flatten)]
    pub pay: RoutingOptions,
    /// Output DIMACS file, or `-` for standard output
    #[arg(short = 'o', long = "output", value_name = "FILE.min")]
    pub output: PathBuf,
}

pub fn run(a: ExportArgs) -> anyhow::Result<()> {
    let amount = a.amount;
    let mut params = a.pay.params()?;
    // As `pay --plan-only`: without balances the sender's channels are not pinned.
    params.local_knowledge &= a.oracle.balances_known();
    let loaded = load_graph(a.graph.as_deref())?;
    let g = &loaded.graph;
    let source = input::node(g, &a.from, "--from")?;
    let target = input::node(g, &a.to, "--to")?;
    if source == target {
        anyhow::bail!("--from and --to are the same node {}", a.from);
    }
    let w = params.first_round_fee_weight;
    let mu_note = match params.fee_weight {
        FeeWeight::Mu(m) => format!(
            "mu {} (given {m}, times the first-round fee weight {w})",
            m * w
        ),
        FeeWeight::Frugality(f) => {
            let r = pp_uncertainty::mu_from_frugality(g, amount, f).context("computing mu")?;
            format!(
                "mu {} (frugality {f}: {}, median capacity {} msat, median fee {} ppm; times the first-round fee weight {w})",
                r.mu * w, r.mu, r.median_capacity_msat.0, r.median_fee_ppm.0
            )
        }
    };
    let oracle = a.oracle.oracle(g)?;
    let mut session = Session::new(g, oracle).with_params(params.clone());
    let (from, to) = (g.node_id(source), g.node_id(target));
    let planned = session
        .planned_problem(&from, &to, amount)
        .map_err(input::session_error)?;
    let lin = &planned.problem;

    let mut comments = vec![
        "pickhardt mcf export: the flow problem whose flow round 1 of pickhardt pay sends (docs/MODEL.md §3)".to_string(),
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
            "flow unit {} msat, demand {} units; pieces {}, slopes {:?}, base fee threshold {}, base fee in cost {}, prune {}, htlc_maximum_msat caps {}, sender's channels pinned {}",
            lin.quantum.0,
            lin.demand_units,
            params.shape.pieces,
            params.shape.slopes,
            if params.base_fee_threshold == Msat::MAX {
                "none".to_string()
            } else if planned.every_channel {
                format!(
                    "none (the fallback: {} msat left no plan)",
                    params.base_fee_threshold.0
                )
            } else {
                format!("{} msat", params.base_fee_threshold.0)
            },
            params.base_fee_in_cost,
            params.shape.prune,
            match (params.shape.htlc_max, planned.htlc_max_per_part) {
                (pp_session::HtlcMaxRule::PerPart, _) => "each part",
                (_, true) => "each part (the fallback: capping each direction left no plan)",
                (_, false) => "the direction",
            },
            params.local_knowledge
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
        pp_mcf::write_dimacs(stdout.lock(), &lin.problem, &comments)
            .context("cannot write DIMACS to stdout")?;
    } else {
        let file = std::fs::File::create(&a.output)
            .with_context(|| format!("cannot create {}", a.output.display()))?;
        pp_mcf::write_dimacs(file, &lin.problem, &comments)
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
