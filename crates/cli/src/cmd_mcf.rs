//! `pickhardt mcf …`: solve DIMACS min-cost-flow files, export a payment round's problem
//! (`export`, implemented in `cmd_export`) and generate random convex benchmark instances.

use crate::common::Outcome;
use anyhow::Context;
use pp_mcf::{convex_network, instance_pairs, ConvexNetworkSpec};
use pp_mcf::{read_dimacs, solver_by_name, write_dimacs, McfError};
use serde::Serialize;
use std::path::PathBuf;
use std::time::Instant;

/// Subcommands of `pickhardt mcf`.
#[derive(Debug, clap::Subcommand)]
pub enum McfCommand {
    /// Solve a DIMACS min-cost-flow file; print status, cost, flow value, parse and solve time.
    #[command(after_help = crate::EXIT_CODES)]
    Solve(SolveArgs),
    /// Export the min-cost-flow problem of a payment round as a DIMACS file.
    Export(Box<crate::cmd_export::ExportArgs>),
    /// Write random convex single-pair instances (benchmark inputs) as DIMACS files.
    Generate(GenerateArgs),
}

/// Arguments of `pickhardt mcf solve`.
#[derive(Debug, clap::Args)]
pub struct SolveArgs {
    /// The DIMACS min-cost-flow file (`p min`, plain or gzip), or `-` for standard input.
    pub file: PathBuf,
    /// Backend: `native` (default), `ssp` (textbook baseline) or `lp` (builds with the `lp`
    /// feature).
    #[arg(long, default_value = "native")]
    pub solver: String,
    /// Print one JSON object with the keys status, cost, flow, parse_ms, solve_ms.
    #[arg(long)]
    pub json: bool,
    /// Solve this many times and report the median solve time.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub repeat: u32,
    /// Verify the optimal solution with the independent optimality checker (backends that return
    /// potentials only).
    #[arg(long)]
    pub check: bool,
}

/// Arguments of `pickhardt mcf generate`.
#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// Output directory (created if missing). Files are named `gen-s<seed>-a<amount>-<pair>.min`.
    #[arg(long)]
    pub out: PathBuf,
    /// Number of nodes.
    #[arg(long, default_value_t = 6_000)]
    pub nodes: usize,
    /// Number of links (each gives two directions).
    #[arg(long, default_value_t = 30_000)]
    pub links: usize,
    /// Convex pieces (parallel arcs) per direction.
    #[arg(long, default_value_t = 5)]
    pub pieces: usize,
    /// Median link capacity in flow units.
    #[arg(long, default_value_t = 3_000_000)]
    pub median_capacity: i64,
    /// Seed of the network and of the pairs.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Number of (source, sink) pairs per amount.
    #[arg(long, default_value_t = 20)]
    pub pairs: usize,
    /// Amounts to send, comma separated.
    #[arg(long, value_delimiter = ',', default_value = "100000,1000000")]
    pub amounts: Vec<i64>,
}

/// Runs the command.
pub fn run(c: McfCommand) -> anyhow::Result<Outcome> {
    match c {
        McfCommand::Solve(a) => solve(a),
        McfCommand::Export(a) => crate::cmd_export::run(*a).map(|()| Outcome::Done),
        McfCommand::Generate(a) => generate(a).map(|()| Outcome::Done),
    }
}

/// Reads a DIMACS problem, gunzipping it when it starts with gzip's magic bytes (as the graph
/// loaders do).
fn read_maybe_gzip(r: impl std::io::Read) -> Result<pp_mcf::DimacsFile, McfError> {
    use std::io::BufRead;
    let mut buf = std::io::BufReader::with_capacity(1 << 16, r);
    let gz = buf
        .fill_buf()
        .map_err(McfError::from)?
        .starts_with(&[0x1f, 0x8b]);
    if gz {
        read_dimacs(flate2::bufread::MultiGzDecoder::new(buf))
    } else {
        read_dimacs(buf)
    }
}

/// What `mcf solve --json` prints; these keys and no others.
#[derive(Debug, Serialize)]
struct SolveReport {
    /// `OPTIMAL` or `INFEASIBLE`.
    status: &'static str,
    /// Total cost of the optimal flow; `null` when infeasible.
    cost: Option<i128>,
    /// Flow value: the supply routed (the maximum flow when infeasible).
    flow: i64,
    parse_ms: f64,
    solve_ms: f64,
}

fn solve(a: SolveArgs) -> anyhow::Result<Outcome> {
    // Resolve the backend first so a typo fails before reading a large file.
    let mut solver = solver_by_name(&a.solver)?;
    let t0 = Instant::now();
    let file = if a.file.as_os_str() == "-" {
        read_maybe_gzip(std::io::stdin().lock())
    } else {
        let f = std::fs::File::open(&a.file)
            .with_context(|| format!("cannot open {}", a.file.display()))?;
        read_maybe_gzip(f)
    }
    .with_context(|| format!("reading {}", a.file.display()))?;
    let parse_ms = t0.elapsed().as_secs_f64() * 1e3;
    let problem = file.problem;

    let mut times = Vec::with_capacity(a.repeat as usize);
    let mut result = None;
    for _ in 0..a.repeat {
        let t = Instant::now();
        let r = solver.solve(&problem);
        times.push(t.elapsed().as_secs_f64() * 1e3);
        result = Some(r);
    }
    times.sort_by(|x, y| x.total_cmp(y));
    let solve_ms = times[times.len() / 2];
    let report = match result.expect("repeat >= 1") {
        Ok(solution) => {
            if a.check {
                if solution.potentials.is_none() {
                    anyhow::bail!(
                        "--check needs potentials, which the {} backend does not return",
                        solver.name()
                    );
                }
                pp_mcf::check_optimality(&problem, &solution)
                    .context("the solution failed the optimality check")?;
            }
            SolveReport {
                status: "OPTIMAL",
                cost: Some(solution.cost),
                flow: problem.total_supply(),
                parse_ms,
                solve_ms,
            }
        }
        Err(McfError::Infeasible { max_flow, .. }) => SolveReport {
            status: "INFEASIBLE",
            cost: None,
            flow: max_flow,
            parse_ms,
            solve_ms,
        },
        Err(e) => return Err(e).with_context(|| format!("solving {}", a.file.display())),
    };
    if a.json {
        outln!("{}", serde_json::to_string(&report)?);
    } else {
        outln!("solver:   {}", solver.name());
        outln!(
            "problem:  {} nodes, {} arcs, supply {}",
            problem.num_nodes,
            problem.num_arcs(),
            problem.total_supply()
        );
        outln!("status:   {}", report.status);
        match report.cost {
            Some(c) => outln!("cost:     {c}"),
            None => outln!("cost:     - (infeasible)"),
        }
        outln!("flow:     {}", report.flow);
        outln!("parse_ms: {:.3}", report.parse_ms);
        outln!("solve_ms: {:.3}", report.solve_ms);
        if a.check {
            outln!("check:    optimal (reduced-cost certificate verified)");
        }
    }
    Ok(Outcome::from_success(report.cost.is_some()))
}

fn generate(a: GenerateArgs) -> anyhow::Result<()> {
    anyhow::ensure!(a.nodes >= 2, "--nodes must be at least 2");
    anyhow::ensure!(a.pieces >= 1, "--pieces must be at least 1");
    anyhow::ensure!(
        a.amounts.iter().all(|&x| x > 0),
        "--amounts must be positive"
    );
    let spec = ConvexNetworkSpec {
        nodes: a.nodes,
        links: a.links,
        pieces: a.pieces,
        median_capacity: a.median_capacity,
        seed: a.seed,
    };
    let mut problem = convex_network(&spec);
    std::fs::create_dir_all(&a.out)
        .with_context(|| format!("cannot create {}", a.out.display()))?;
    for &amount in &a.amounts {
        for (i, (s, t)) in instance_pairs(&problem, a.pairs, amount, a.seed)
            .into_iter()
            .enumerate()
        {
            problem.clear_supplies();
            problem.set_single_pair(s, t, amount);
            let path = a.out.join(format!("gen-s{}-a{amount}-{i:02}.min", a.seed));
            let comments = [
                format!(
                    "generated by pickhardt mcf generate --nodes {} --links {} --pieces {} \
                     --median-capacity {} --seed {}",
                    a.nodes, a.links, a.pieces, a.median_capacity, a.seed
                ),
                format!(
                    "pair {i}: source {} sink {} amount {amount} (1-based ids)",
                    s + 1,
                    t + 1
                ),
            ];
            let f = std::fs::File::create(&path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            write_dimacs(f, &problem, &comments)
                .with_context(|| format!("cannot write {}", path.display()))?;
            outln!("{}", path.display());
        }
    }
    Ok(())
}
