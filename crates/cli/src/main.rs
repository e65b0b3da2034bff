//! The `pickhardt` command line: glue over the library crates.
//!
//! Every command exits 0 on success and 2 with a one-line `error: …` on stderr for bad input.
//! Only this crate knows clap and anyhow.

/// Like `println!`, but a closed stdout (`pickhardt … | head`) becomes an error that `main`
/// turns into a quiet exit instead of a panic.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::common::write_stdout(format_args!("{}\n", format_args!($($arg)*)))?
    };
}

/// Like `print!`, with the same handling of a closed stdout as [`outln!`].
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::common::write_stdout(format_args!($($arg)*))?
    };
}

mod cmd_bench;
mod cmd_convert;
mod cmd_export;
mod cmd_graph;
mod cmd_mcf;
mod cmd_mu;
mod cmd_pay;
mod cmd_simulate;
mod common;
mod plot;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Pickhardt payments on Lightning channel graphs: graph statistics, min-cost flows, simulated
/// payments.
#[derive(Debug, Parser)]
#[command(name = "pickhardt", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Inspect or generate channel graphs.
    #[command(subcommand)]
    Graph(cmd_graph::GraphCommand),
    /// Solve or export min-cost-flow instances (DIMACS).
    #[command(subcommand)]
    Mcf(cmd_mcf::McfCommand),
    /// Compute μ (fee weight) from a frugality factor.
    Mu(cmd_mu::MuArgs),
    /// Deliver one payment on a simulated network.
    Pay(cmd_pay::PayArgs),
    /// Run many simulated payments and compare strategies.
    Simulate(cmd_simulate::SimulateArgs),
    /// Time graph loading, round-1 flow problems, solvers and whole payments on a graph.
    Bench(cmd_bench::BenchArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version go to stdout with exit 0.
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        // No subcommand: the help, on stderr, with exit 2.
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::from(2);
        }
        // A usage error is bad input like any other: one `error: …` line and exit 2 (clap's
        // tips and usage block are left out; `--help` has them).
        Err(e) => {
            eprintln!("{}", usage_error_line(&e.render().to_string()));
            return ExitCode::from(2);
        }
    };
    let result = match cli.command {
        Command::Graph(c) => cmd_graph::run(c),
        Command::Mcf(c) => cmd_mcf::run(c),
        Command::Mu(a) => cmd_mu::run(a),
        Command::Pay(a) => cmd_pay::run(a),
        Command::Simulate(a) => cmd_simulate::run(a),
        Command::Bench(a) => cmd_bench::run(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // One line: the error and its causes joined.
            let msg = e
                .chain()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(": ");
            eprintln!("error: {}", msg.replace('\n', " "));
            ExitCode::from(2)
        }
    }
}

/// A rendered clap usage error as one line: its first paragraph (the message and, for missing
/// arguments, their list) joined, pointing at `--help`.
fn usage_error_line(rendered: &str) -> String {
    let first: Vec<&str> = rendered
        .lines()
        .map(str::trim)
        .skip_while(|l| l.is_empty())
        .take_while(|l| !l.is_empty())
        .collect();
    let text = if first.is_empty() {
        "error: invalid command line".to_string()
    } else {
        first.join(" ")
    };
    let text = if text.starts_with("error:") {
        text
    } else {
        format!("error: {text}")
    };
    format!("{text} (see --help)")
}

/// Whether the error is stdout being closed by the reader (e.g. `| head`): not a failure.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
