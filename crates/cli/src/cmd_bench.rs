//! `pickhardt bench`: the CLI's own benchmark on any graph, without external tools. For seeded
//! (sender, receiver) pairs of the largest strongly connected component and each amount it
//! measures, as medians:
//!
//! - loading the graph (`--repeat` times);
//! - building the round-1 flow problem from the prior belief (`Session::first_round_problem`,
//!   exactly the problem `pay` solves first and `pickhardt mcf export` writes with the same
//!   routing flags; the session's linearization is warm, as in a node that has paid before);
//! - solving it with every backend of `--solvers`, checking that all reach the same cost;
//! - one whole payment with the flow strategy on a simulated network (`--balances` or `--seed`),
//!   from the prior belief and the original balances each time: in the bench's session (warm:
//!   linearizer and solver kept from the previous payment) and in a new session (cold: one
//!   payment per process, graph load excluded).
//!
//! The routing flags are `pay`'s ([`RoutingOptions`]), so a bench measures the problems and
//! payments of any setting.
//!
//! Per pair the median over `--repeat` runs is taken, then the median over the pairs. Timing
//! runs in this process on whatever else the machine is doing: compare numbers taken in one
//! run, and quote medians, not single runs.

use crate::common;
use crate::input;
use crate::options::{OracleOptions, RoutingOptions};
use anyhow::Context;
use pp_graph::largest_scc;
use pp_graph::Msat;
use pp_session::random_pairs;
use pp_session::{Oracle, Session};
use serde::Serialize;
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of `pickhardt bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Channel graph (listchannels or describegraph JSON, plain or gzip) [default: the embedded
    /// graph]. Stdin (`-`) is refused: the load is timed several times.
    #[arg(long, value_name = "FILE")]
    pub graph: Option<PathBuf>,
    #[command(flatten)]
    pub oracle: OracleOptions,
    #[command(flatten)]
    pub routing: RoutingOptions,
    /// Seeded (sender, receiver) pairs per amount.
    #[arg(long, default_value_t = 20)]
    pub pairs: usize,
    /// Seed of the pairs.
    #[arg(long, default_value_t = 1)]
    pub pair_seed: u64,
    /// Amounts, comma separated: sat, or with a unit (`1000sat`, `1500msat`).
    #[arg(
        long,
        value_name = "AMOUNT[,…]",
        value_delimiter = ',',
        default_value = "100000,1000000",
        value_parser = input::amount,
        allow_hyphen_values = true
    )]
    pub amount: Vec<Msat>,
    /// Runs per measurement (the median is kept).
    #[arg(long, default_value_t = 5)]
    pub repeat: usize,
    /// Min-cost-flow backends to time, comma separated (`lp` needs the `lp` feature and takes
    /// about half a second per ln-2026 problem).
    #[arg(long, value_delimiter = ',', default_value = "native,ssp")]
    pub solvers: Vec<String>,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    pub json: bool,
}

/// The measurements of one amount.
#[derive(Debug, Serialize)]
struct AmountRow {
    amount_sat: u64,
    pairs: usize,
    /// Median arcs of the round-1 problems.
    median_arcs: usize,
    /// Median time to build a round-1 problem (ms).
    build_ms: f64,
    /// Per solver, the median solve time (ms), in the order of `--solvers`.
    solve_ms: Vec<(String, f64)>,
    /// Whether every solver reached the same cost on every feasible problem.
    costs_identical: bool,
    /// Median time of a whole payment (ms) in the bench's warm session, and how many were
    /// delivered.
    pay_ms: f64,
    delivered: usize,
    /// Median time of the same payment in a new session (ms): `Session::new` and the payment,
    /// what one payment per process costs once the graph is loaded.
    pay_cold_ms: f64,
}

/// The whole report (`--json`).
#[derive(Debug, Serialize)]
struct BenchReport {
    graph: String,
    nodes: usize,
    directions: usize,
    load_ms: f64,
    repeat: usize,
    /// Candidate pairs drawn and rejected because their round-1 problem was infeasible.
    rejected_pairs: usize,
    amounts: Vec<AmountRow>,
}

/// The median, or NaN (`null` in JSON) for no values.
fn median(v: Vec<f64>) -> f64 {
    pp_session::median(v).unwrap_or(f64::NAN)
}

/// Median wall time of `repeat` calls of `f` (ms), and the last result.
fn timed<T>(repeat: usize, mut f: impl FnMut() -> anyhow::Result<T>) -> anyhow::Result<(f64, T)> {
    let mut times = Vec::with_capacity(repeat);
    let mut last = None;
    for _ in 0..repeat.max(1) {
        let t = Instant::now();
        let r = f()?;
        times.push(t.elapsed().as_secs_f64() * 1e3);
        last = Some(r);
    }
    Ok((median(times), last.expect("at least one run")))
}

/// Up to `want` seeded pairs of the largest strongly connected component whose round-1 problem
/// at `amount` is feasible (with a base-fee threshold some pairs are only connected through
/// channels the problem leaves out), drawn from at most 50 × `want` candidates; also returns how
/// many candidates were rejected.
fn feasible_pairs(
    session: &mut Session<'_, Oracle<'_>>,
    want: usize,
    seed: u64,
    amount: Msat,
) -> anyhow::Result<(Vec<(pp_graph::NodeIdx, pp_graph::NodeIdx)>, usize)> {
    let g = session.graph();
    let mut solver = pp_mcf::NativeSolver::new();
    let mut kept = Vec::new();
    let mut rejected = 0;
    for (s, t) in random_pairs(&largest_scc(g), want.saturating_mul(50), seed) {
        if kept.len() == want {
            break;
        }
        let lin = session
            .first_round_problem(&g.node_id(s), &g.node_id(t), amount)
            .context("building a problem")?;
        match pp_mcf::McfSolver::solve(&mut solver, &lin.problem) {
            Ok(_) => kept.push((s, t)),
            Err(pp_mcf::McfError::Infeasible { .. }) => rejected += 1,
            Err(e) => return Err(e).context("checking a pair"),
        }
    }
    Ok((kept, rejected))
}

/// Runs the command.
pub fn run(a: BenchArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        a.graph.as_deref().is_none_or(|p| p.as_os_str() != "-"),
        "--graph -: the load is timed several times, so bench needs a file"
    );
    anyhow::ensure!(a.pairs > 0, "--pairs must be at least 1");
    anyhow::ensure!(
        (1..=1000).contains(&a.repeat),
        "--repeat {} is not in 1..=1000",
        a.repeat
    );
    anyhow::ensure!(
        !a.solvers.is_empty(),
        "--solvers: name at least one backend"
    );
    let mut solvers = Vec::new();
    for name in &a.solvers {
        solvers.push(pp_mcf::solver_by_name(name).map_err(|e| anyhow::anyhow!("--solvers: {e}"))?);
    }
    let amounts: Vec<Msat> = a.amount.clone();

    // Loaded once the usual way (errors and skipped-record warnings reported once), then timed
    // without the reporting.
    let loaded = common::load_graph(a.graph.as_deref())?;
    let (load_ms, _) = timed(a.repeat, || {
        Ok(match a.graph.as_deref() {
            None => pp_graph::load_bytes(common::DEFAULT_GRAPH)?,
            Some(p) => pp_graph::load_path(p)?,
        })
    })?;
    let g = &loaded.graph;
    let oracle = a.oracle.oracle(g)?;
    let params = a.routing.params()?;
    let mut session = Session::new(g, oracle.clone()).with_params(params);
    session.warm_up();
    let largest = *amounts.iter().max().expect("at least one amount");
    let (pairs, rejected) = feasible_pairs(&mut session, a.pairs, a.pair_seed, largest)?;
    anyhow::ensure!(
        !pairs.is_empty(),
        "no seeded pair has a feasible round-1 problem at {} sat",
        largest.0 / 1000
    );

    let mut rows = Vec::new();
    for &amount in &amounts {
        let (mut build, mut arcs, mut pay, mut delivered) = (Vec::new(), Vec::new(), Vec::new(), 0);
        let mut pay_cold = Vec::new();
        let mut solve: Vec<Vec<f64>> = vec![Vec::new(); solvers.len()];
        let mut identical = true;
        for &(s, t) in &pairs {
            let (from, to) = (g.node_id(s), g.node_id(t));
            let (ms, lin) = timed(a.repeat, || {
                session.belief_mut().forget();
                session.network_mut().restore_from(&oracle)?;
                session
                    .first_round_problem(&from, &to, amount)
                    .context("building the flow problem")
            })?;
            build.push(ms);
            arcs.push(lin.problem.num_arcs() as f64);
            let mut cost = None;
            for (k, solver) in solvers.iter_mut().enumerate() {
                let (ms, result) = timed(a.repeat, || Ok(solver.solve(&lin.problem)))?;
                match result {
                    Ok(sol) => {
                        solve[k].push(ms);
                        identical &= *cost.get_or_insert(sol.cost) == sol.cost;
                    }
                    // Feasible at the largest amount, so at every smaller one: a backend
                    // that says otherwise disagrees.
                    Err(pp_mcf::McfError::Infeasible { .. }) => identical = false,
                    Err(e) => return Err(e).context(format!("solver {}", a.solvers[k])),
                }
            }
            let mut pay_runs = Vec::with_capacity(a.repeat);
            for _ in 0..a.repeat {
                session.belief_mut().forget();
                session.network_mut().restore_from(&oracle)?;
                let r = session.pay_nodes(pp_session::Strategy::Mcf, s, t, amount)?;
                pay_runs.push(r.total_ms);
                delivered += usize::from(r.success);
            }
            pay.push(median(pay_runs));
            let mut cold_runs = Vec::with_capacity(a.repeat);
            for _ in 0..a.repeat {
                let network = oracle.clone();
                let start = Instant::now();
                let mut cold = Session::new(g, network).with_params(session.params().clone());
                cold.pay_nodes(pp_session::Strategy::Mcf, s, t, amount)?;
                cold_runs.push(start.elapsed().as_secs_f64() * 1e3);
            }
            pay_cold.push(median(cold_runs));
        }
        rows.push(AmountRow {
            amount_sat: amount.0 / 1000,
            pairs: pairs.len(),
            median_arcs: median(arcs) as usize,
            build_ms: median(build),
            solve_ms: a
                .solvers
                .iter()
                .cloned()
                .zip(solve.into_iter().map(median))
                .collect(),
            costs_identical: identical,
            pay_ms: median(pay),
            // Every repeat of a pair runs the same payment; count pairs.
            delivered: delivered / a.repeat,
            pay_cold_ms: median(pay_cold),
        });
    }
    let report = BenchReport {
        graph: common::graph_name(a.graph.as_deref()),
        nodes: g.node_count(),
        directions: g.direction_count(),
        load_ms,
        repeat: a.repeat,
        rejected_pairs: rejected,
        amounts: rows,
    };
    if a.json {
        outln!("{}", serde_json::to_string(&report)?);
    } else {
        out!("{}", table(&report));
    }
    Ok(())
}

/// The readable report: one line about the graph, then one row per amount.
fn table(r: &BenchReport) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "graph {}: {} nodes, {} directions; load {:.1} ms (median of {})",
        r.graph, r.nodes, r.directions, r.load_ms, r.repeat
    );
    let mut head = format!(
        "{:>10} {:>5} {:>7} {:>9}",
        "amount_sat", "pairs", "arcs", "build_ms"
    );
    if let Some(first) = r.amounts.first() {
        for (name, _) in &first.solve_ms {
            let _ = write!(head, " {:>10}", format!("{name}_ms"));
        }
    }
    let _ = writeln!(
        s,
        "{head} {:>8} {:>9} {:>9} {:>12}",
        "costs", "pay_ms", "delivered", "pay_cold_ms"
    );
    for row in &r.amounts {
        let mut line = format!(
            "{:>10} {:>5} {:>7} {:>9.2}",
            row.amount_sat, row.pairs, row.median_arcs, row.build_ms
        );
        for (_, ms) in &row.solve_ms {
            let _ = write!(line, " {:>10.2}", ms);
        }
        let _ = writeln!(
            s,
            "{line} {:>8} {:>9.2} {:>9} {:>12.2}",
            if row.costs_identical {
                "same"
            } else {
                "DIFFER"
            },
            row.pay_ms,
            format!("{}/{}", row.delivered, row.pairs),
            row.pay_cold_ms
        );
    }
    let _ = writeln!(
        s,
        "(medians over the pairs of the median of {} runs; build/solve: round 1's flow problem from the prior belief, as `mcf export` writes it ({} drawn pairs were skipped because it is infeasible for them); pay: a whole payment from the prior belief in the bench's warm session, delivered counted per pair; pay_cold: the same payment in a new session, as one payment per process)",
        r.repeat, r.rejected_pairs
    );
    s
}
