//! Shared plumbing of the examples in this folder; the examples themselves are the other `.rs`
//! files here (run one with `cargo run --example NAME`, list them in `examples/Cargo.toml`).
//!
//! Every example is a function `run(args, out)` that writes what it shows to `out`, and a
//! `main` that hands it the command-line arguments and standard output through [`main_with`].
//! Each example's own `#[test]`s call the same `run` through [`capture`] on the project's data
//! (`[[example]] ... test = true`), so `cargo test` proves the examples still work.
#![deny(missing_docs)]

use std::error::Error;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What every example's `run` looks like: command-line arguments (without the program name)
/// and where to write.
pub type Run = fn(&[String], &mut dyn Write) -> Result<(), Box<dyn Error>>;

/// A file of the project's `data/` folder (e.g. `"toy.listchannels.json"`), found from this
/// package's manifest directory (`env!("CARGO_MANIFEST_DIR")/../data`) so the examples work from
/// any current directory.
pub fn data_file(name: &str) -> PathBuf {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The repository root is this package's parent (`examples/..`).
    let root = examples.parent().unwrap_or(examples);
    root.join("data").join(name)
}

/// Runs an example with the process's arguments and standard output; on error prints
/// `error: ...` (with the chain of causes) to standard error and exits with status 1.
pub fn main_with(run: Run) -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let stdout = std::io::stdout();
    match run(&args, &mut stdout.lock()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let mut msg = format!("error: {e}");
            let mut source = e.source();
            while let Some(s) = source {
                msg.push_str(&format!(": {s}"));
                source = s.source();
            }
            eprintln!("{msg}");
            ExitCode::FAILURE
        }
    }
}

/// Runs an example with `args` and returns what it wrote (for the examples' tests).
///
/// # Errors
/// Whatever the example returns, or an error if its output is not UTF-8.
pub fn capture(run: Run, args: &[&str]) -> Result<String, Box<dyn Error>> {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let mut out = Vec::new();
    run(&args, &mut out)?;
    Ok(String::from_utf8(out)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_exist() {
        for name in ["toy.listchannels.json", "default.listchannels.json"] {
            assert!(data_file(name).is_file(), "{}", data_file(name).display());
        }
    }

    fn failing(_: &[String], out: &mut dyn Write) -> Result<(), Box<dyn Error>> {
        writeln!(out, "partial")?;
        Err("boom".into())
    }

    #[test]
    fn capture_returns_output_or_the_error() {
        let ok: Run = |args, out| Ok(writeln!(out, "{}", args.join(","))?);
        assert_eq!(capture(ok, &["a", "b"]).unwrap(), "a,b\n");
        assert_eq!(capture(failing, &[]).unwrap_err().to_string(), "boom");
    }
}
