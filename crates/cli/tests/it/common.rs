//! Helpers shared by the CLI test modules: run the built binary, read its output, check the
//! bad-input contract (exit code 2, one `error: …` line, no panic), find the repository's files.

#![allow(dead_code)] // each test module uses a different subset

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// Runs `pickhardt ARGS…` and returns its output.
pub fn pickhardt(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pickhardt"))
        .args(args)
        .output()
        .expect("the pickhardt binary runs")
}

/// Runs `pickhardt ARGS…` with `input` on stdin.
pub fn pickhardt_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pickhardt"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the pickhardt binary runs");
    let mut stdin = child.stdin.take().expect("piped stdin");
    stdin.write_all(input).expect("write stdin");
    drop(stdin);
    child.wait_with_output().expect("the binary finishes")
}

/// Stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts success and parses stdout as one JSON document.
pub fn json(o: &Output) -> serde_json::Value {
    assert!(
        o.status.success(),
        "exit {:?}, stderr: {}",
        o.status.code(),
        stderr(o)
    );
    serde_json::from_slice(&o.stdout).expect("stdout is one JSON document")
}

/// A bad-input run: exit code 2 and exactly one `error: …` line mentioning `needle`, no panic.
pub fn assert_bad(o: &Output, needle: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.starts_with("error: "), "{err:?}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err:?}");
    assert!(err.contains(needle), "{err:?} lacks {needle:?}");
    assert!(!err.contains("panicked"), "{err}");
}

/// A file of the repository, by its path relative to the repository root.
pub fn repo_file(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
        .display()
        .to_string()
}

/// A path in a per-process temporary folder of the test module `module`.
pub fn temp_path(module: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pickhardt-cli-{module}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}
