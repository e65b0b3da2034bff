//! The README's commands still work: every `pickhardt …` line in a `sh` code block of
//! README.md is run with the built binary and must exit 0 and print something.
//!
//! Commands that read `$PP_DATA_DIR` run only when it is set (CI sets it). Paths under `data/`
//! are resolved against the repository; commands run in a temporary folder, so files they write
//! (`-o pay.min`, `--plot …`) land there.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The `pickhardt …` command lines of the README's `sh` blocks, continuation lines joined, each
/// with the number of its block (commands of one block may depend on each other's files).
fn readme_commands() -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(repo().join("README.md")).expect("README.md is readable");
    let mut out = Vec::new();
    let mut in_sh = false;
    let mut block = 0;
    let mut pending = String::new();
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            in_sh = t == "```sh";
            block += 1;
            continue;
        }
        if !in_sh {
            continue;
        }
        if !pending.is_empty() || t.starts_with("pickhardt ") {
            let (body, cont) = match t.strip_suffix('\\') {
                Some(b) => (b.trim_end(), true),
                None => (t, false),
            };
            pending.push_str(body);
            pending.push(' ');
            if !cont {
                out.push((block, pending.trim().to_string()));
                pending.clear();
            }
        }
    }
    out
}

#[test]
fn every_readme_command_runs() {
    let commands = readme_commands();
    assert!(
        commands.len() >= 6,
        "expected the README tour's commands, found {commands:?}"
    );
    let data_dir = std::env::var("PP_DATA_DIR").ok();
    let work = std::env::temp_dir().join(format!("pp-readme-{}", std::process::id()));
    std::fs::create_dir_all(&work).expect("temp dir");
    let repo_data = repo().join("data");
    let mut ran = 0;
    let mut skipped_block = None;
    for (block, cmd) in &commands {
        if cmd.contains("$PP_DATA_DIR") && data_dir.is_none() {
            eprintln!("skipped (PP_DATA_DIR not set): {cmd}");
            skipped_block = Some(*block);
            continue;
        }
        if skipped_block == Some(*block) {
            eprintln!("skipped (needs the output of a skipped command): {cmd}");
            continue;
        }
        let mut args: Vec<String> = Vec::new();
        for word in cmd.split_whitespace().skip(1) {
            let mut w = word.to_string();
            if let Some(d) = &data_dir {
                w = w.replace("$PP_DATA_DIR", d);
            }
            if let Some(rest) = w.strip_prefix("data/") {
                w = repo_data.join(rest).display().to_string();
            }
            args.push(w);
        }
        let out = Command::new(env!("CARGO_BIN_EXE_pickhardt"))
            .args(&args)
            .current_dir(&work)
            .output()
            .expect("the binary runs");
        assert!(
            out.status.success(),
            "README command failed: {cmd}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !(out.stdout.is_empty() && out.stderr.is_empty()),
            "README command printed nothing: {cmd}"
        );
        ran += 1;
    }
    let _ = std::fs::remove_dir_all(&work);
    eprintln!("ran {ran} of {} README commands", commands.len());
}
