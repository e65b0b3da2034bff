//! The README's commands still work: every `pickhardt …` line in a `sh` code block of
//! README.md is run with the built binary and must exit 0 and print something. When the `sh`
//! block is directly followed by a `text` block, that block is the pasted output of its
//! commands (stdout, then stderr, of each in turn), and it must match what they print now up to
//! timings (a number before `ms`, after `parse_ms:`/`solve_ms:`, and the two time columns of
//! `simulate`'s table), runs of spaces and the snapshot folder (pasted as `…`).
//!
//! Blocks with a command that reads `$PP_DATA_DIR` run in their own test, ignored unless run
//! with `--include-ignored` (as `.ci/test` does when `PP_DATA_DIR` is set; a relative value is
//! taken from the repository root, see pp-testdata). Paths under `data/` are resolved against
//! the repository; commands run in a temporary folder with an `out/` folder (the tour's
//! `mkdir -p out`), so files they write (`-o out/pay.min`, `--plot out/pay.svg`) land there.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// One `sh` code block of the README: its `pickhardt …` command lines (continuation lines
/// joined) and the `text` block right after it, if any (the pasted output).
struct ShBlock {
    commands: Vec<String>,
    expected: Option<String>,
}

/// The README's code blocks as (language, body).
fn code_blocks() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(repo().join("README.md")).expect("README.md is readable");
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        let t = line.trim();
        if let Some(lang) = t.strip_prefix("```") {
            match current.take() {
                Some(block) => out.push(block),
                None => current = Some((lang.to_string(), String::new())),
            }
            continue;
        }
        if let Some((_, body)) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

/// The `sh` blocks that run `pickhardt`, with the output pasted after them.
fn readme_blocks() -> Vec<ShBlock> {
    let blocks = code_blocks();
    let mut out = Vec::new();
    for (i, (lang, body)) in blocks.iter().enumerate() {
        if lang != "sh" {
            continue;
        }
        let mut commands = Vec::new();
        let mut pending = String::new();
        for line in body.lines() {
            let t = line.trim();
            if !pending.is_empty() || t.starts_with("pickhardt ") {
                let (part, cont) = match t.strip_suffix('\\') {
                    Some(b) => (b.trim_end(), true),
                    None => (t, false),
                };
                pending.push_str(part);
                pending.push(' ');
                if !cont {
                    commands.push(pending.trim().to_string());
                    pending.clear();
                }
            }
        }
        if commands.is_empty() {
            continue;
        }
        let expected = blocks
            .get(i + 1)
            .filter(|(lang, _)| lang == "text")
            .map(|(_, body)| body.clone());
        out.push(ShBlock { commands, expected });
    }
    out
}

/// Output reduced to what does not depend on the machine: whitespace runs collapsed, timings
/// and the snapshot folder replaced by placeholders.
fn normalize(text: &str, data_dir: Option<&str>) -> Vec<String> {
    let mut lines = Vec::new();
    for line in text.lines() {
        let line = match data_dir {
            Some(d) => line.replace(d, "…"),
            None => line.to_string(),
        };
        let mut words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        if words.is_empty() {
            continue;
        }
        for i in 0..words.len() {
            let timed = words
                .get(i + 1)
                .is_some_and(|w| w == "ms" || w.starts_with("ms,"))
                || (i > 0 && (words[i - 1] == "parse_ms:" || words[i - 1] == "solve_ms:"));
            if timed && words[i].parse::<f64>().is_ok() {
                words[i] = "<t>".to_string();
            }
        }
        if ["mcf", "cheapest", "probable"].contains(&words[0].as_str()) && words.len() > 2 {
            let n = words.len();
            words[n - 2] = "<t>".to_string();
            words[n - 1] = "<t>".to_string();
        }
        lines.push(words.join(" "));
    }
    lines
}

#[test]
fn every_readme_command_runs() {
    run_readme_commands(false);
}

#[test]
#[ignore = "needs PP_DATA_DIR (real snapshots)"]
fn every_readme_command_on_real_data_runs() {
    run_readme_commands(true);
}

/// Runs the blocks without `$PP_DATA_DIR` commands, or (`with_data`) those with them.
fn run_readme_commands(with_data: bool) {
    let blocks = readme_blocks();
    let count: usize = blocks.iter().map(|b| b.commands.len()).sum();
    assert!(
        count >= 6,
        "expected the README tour's commands, found {count}"
    );
    assert!(
        blocks.iter().filter(|b| b.expected.is_some()).count() >= 5,
        "expected pasted output after most of the README's commands"
    );
    let data_dir = with_data.then(|| pp_testdata::require_data_dir().display().to_string());
    // One folder per test: the two tests run in parallel in one process.
    let work = std::env::temp_dir().join(format!(
        "pp-readme-{}-{}",
        std::process::id(),
        if with_data { "data" } else { "plain" }
    ));
    // The tour's `mkdir -p out`: its commands write their files into `out/`.
    std::fs::create_dir_all(work.join("out")).expect("temp dir");
    let repo_data = repo().join("data");
    let (mut ran, mut compared) = (0, 0);
    for block in &blocks {
        let needs_data = block.commands.iter().any(|c| c.contains("$PP_DATA_DIR"));
        if needs_data != with_data {
            continue;
        }
        let mut printed = String::new();
        for cmd in &block.commands {
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
            printed.push_str(&String::from_utf8_lossy(&out.stdout));
            printed.push_str(&String::from_utf8_lossy(&out.stderr));
            ran += 1;
        }
        if let Some(expected) = &block.expected {
            let want = normalize(expected, None);
            let got = normalize(&printed, data_dir.as_deref());
            for (i, (w, g)) in want.iter().zip(&got).enumerate() {
                assert_eq!(
                    w,
                    g,
                    "line {} of the output pasted after `{}` differs from what it prints now \
                     (update README.md):\n{printed}",
                    i + 1,
                    block.commands[0]
                );
            }
            assert_eq!(
                want.len(),
                got.len(),
                "the output pasted after `{}` has {} lines, the command prints {}:\n{printed}",
                block.commands[0],
                want.len(),
                got.len()
            );
            compared += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    let which = if with_data { "with" } else { "without" };
    eprintln!(
        "ran {ran} of {count} README commands (the blocks {which} $PP_DATA_DIR), compared \
         {compared} pasted outputs"
    );
}
