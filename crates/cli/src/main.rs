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
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout with exit 0, usage errors with exit 2.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match cli.command {
        Command::Graph(c) => cmd_graph::run(c),
        Command::Mcf(c) => cmd_mcf::run(c),
        Command::Mu(a) => cmd_mu::run(a),
        Command::Pay(a) => cmd_pay::run(a),
        Command::Simulate(a) => cmd_simulate::run(a),
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

/// Whether the error is stdout being closed by the reader (e.g. `| head`): not a failure.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
