//! The `pickhardt` command line: glue over the library crates.
//!
//! Exit codes: 0 delivered (or a plan found, a problem solved); 1 the payment failed, there is
//! no plan, or the problem is infeasible (the output says why, `--json` alike); 2 bad input
//! (or another error), with a one-line `error: …` on stderr. Only this crate knows clap and
//! anyhow.

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
mod cmd_tune;
mod common;
mod input;
mod options;
mod plot;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// What every command's `--help` ends with.
pub(crate) const EXIT_CODES: &str = "\
Exit codes:
  0  delivered (pay), a plan found (pay --plan-only), solved (mcf solve), or done
  1  the payment failed, there is no plan, or the problem is infeasible (--json alike)
  2  bad input (or another error): one line `error: …` on stderr

Amounts are sat, or carry a unit: 1000, 1000sat, 1500msat.
The model behind the commands is docs/MODEL.md.";

/// Pickhardt payments on Lightning channel graphs: graph statistics, min-cost flows, simulated
/// payments.
#[derive(Debug, Parser)]
#[command(name = "pickhardt", version, about, after_help = EXIT_CODES)]
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
    #[command(after_help = EXIT_CODES)]
    Mu(cmd_mu::MuArgs),
    /// Deliver one payment on a simulated network.
    #[command(after_help = EXIT_CODES)]
    Pay(cmd_pay::PayArgs),
    /// Run many simulated payments and compare strategies.
    #[command(after_help = EXIT_CODES)]
    Simulate(cmd_simulate::SimulateArgs),
    /// Sweep the fee weight and print the success-versus-fee frontier per amount.
    #[command(after_help = EXIT_CODES)]
    Tune(cmd_tune::TuneArgs),
    /// Time graph loading, round-1 flow problems, solvers and whole payments on a graph.
    #[command(after_help = EXIT_CODES)]
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
        // A value our parsers refused: the flag, the value and why, in one line.
        Err(e) if e.kind() == clap::error::ErrorKind::ValueValidation => {
            eprintln!("{}", value_error_line(&e));
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("{}", usage_error_line(&e.render().to_string()));
            return ExitCode::from(2);
        }
    };
    use common::Outcome;
    let done = |r: anyhow::Result<()>| r.map(|()| Outcome::Done);
    let result = match cli.command {
        Command::Graph(c) => done(cmd_graph::run(c)),
        Command::Mcf(c) => cmd_mcf::run(c),
        Command::Mu(a) => done(cmd_mu::run(a)),
        Command::Pay(a) => cmd_pay::run(a),
        Command::Simulate(a) => done(cmd_simulate::run(a)),
        Command::Bench(a) => done(cmd_bench::run(a)),
        Command::Tune(a) => done(cmd_tune::run(a)),
    };
    match result {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Failed) => ExitCode::from(1),
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

/// A value a parser refused, as `error: --flag VALUE: why` (the flag as typed, without its
/// value name); falls back to clap's own first line.
fn value_error_line(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue};
    let flag = match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(s)) => s.split_whitespace().next().map(str::to_string),
        _ => None,
    };
    let value = match e.get(ContextKind::InvalidValue) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        _ => None,
    };
    let why = std::error::Error::source(e).map(|s| plain_parse_error(&s.to_string()));
    match (flag, value, why) {
        (Some(f), Some(v), Some(w)) => format!("error: {f} {v}: {}", w.replace('\n', " ")),
        _ => usage_error_line(&e.render().to_string()),
    }
}

/// The standard library's number-parsing messages in plain words (our own parsers' messages
/// pass through).
fn plain_parse_error(why: &str) -> String {
    match why {
        "invalid digit found in string" => "not a whole number".into(),
        "cannot parse integer from empty string" | "cannot parse float from empty string" => {
            "empty; give a number".into()
        }
        "number too large to fit in target type" => "too large".into(),
        "number too small to fit in target type" => "too small".into(),
        "invalid float literal" => "not a number".into(),
        _ => why.to_string(),
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
