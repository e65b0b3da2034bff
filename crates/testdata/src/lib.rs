//! # pp-testdata
//!
//! Where the real snapshots are, for the tests and benches of every crate of the workspace (a
//! dev-dependency only; nothing here ships).
//!
//! The folder is `$PP_DATA_DIR`. A relative value is taken relative to the repository root, not
//! to the current directory: cargo runs each test binary from its own crate's folder, so
//! `PP_DATA_DIR=../shared/data cargo test` typed at the root must mean `<root>/../shared/data`
//! in every crate.
//!
//! Tests that need the snapshots are marked `#[ignore = "needs PP_DATA_DIR (real snapshots)"]`
//! so that the runner's summary counts them as ignored when they do not run; `.ci/test` runs
//! them with `-- --include-ignored` when `PP_DATA_DIR` is set. Inside such a test,
//! [`snapshot`] and [`upstream`] fail with a message saying what to set when the data is not
//! there, instead of passing silently.
#![deny(missing_docs)]

use std::path::{Path, PathBuf};

/// The repository (workspace) root.
pub fn repo_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent()
        .and_then(Path::parent)
        .expect("crates/testdata lies two levels below the repository root")
        .to_path_buf()
}

/// `$PP_DATA_DIR`, a relative value resolved against [`repo_root`]; `None` when unset or empty.
pub fn data_dir() -> Option<PathBuf> {
    let v = std::env::var_os("PP_DATA_DIR").filter(|v| !v.is_empty())?;
    Some(resolve(Path::new(&v)))
}

/// `p` if absolute, else `p` relative to the repository root.
pub fn resolve(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        repo_root().join(p)
    }
}

/// The snapshot folder; panics with what to do when `PP_DATA_DIR` is unset or not a folder
/// (for tests marked `#[ignore = "needs PP_DATA_DIR …"]`, run with `--include-ignored`).
pub fn require_data_dir() -> PathBuf {
    let Some(dir) = data_dir() else {
        panic!(
            "this test needs the real snapshots: set PP_DATA_DIR to their folder \
             (data/fetch.sh makes data/snapshots; see the README, \"Real data in two lines\")"
        );
    };
    assert!(
        dir.is_dir(),
        "PP_DATA_DIR={} is not a folder (relative values are taken from the repository root {})",
        dir.display(),
        repo_root().display()
    );
    dir
}

/// The snapshot file `name` in the snapshot folder; panics naming it when it is missing.
pub fn snapshot(name: &str) -> PathBuf {
    let p = require_data_dir().join(name);
    assert!(p.is_file(), "{} is missing", p.display());
    p
}

/// The upstream original `rel` (for example `cloth-2020`) under `upstream/` in the snapshot
/// folder; panics naming it when it is missing.
pub fn upstream(rel: &str) -> PathBuf {
    let p = require_data_dir().join("upstream").join(rel);
    assert!(
        p.exists(),
        "{} is missing (data/fetch.sh keeps the upstream originals there)",
        p.display()
    );
    p
}

/// The decompressed content of the gzip file `p` (to compare outputs with the shared copies,
/// whose compressed bytes differ); panics naming the file when it cannot be read.
pub fn gunzip(p: &Path) -> Vec<u8> {
    use std::io::Read;
    let f = std::fs::File::open(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(f)
        .read_to_end(&mut out)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_resolve_against_the_repository_root() {
        let root = repo_root();
        assert!(root.join("Cargo.toml").is_file(), "{}", root.display());
        assert!(root.join("crates/testdata").is_dir());
        assert_eq!(resolve(Path::new("../x")), root.join("../x"));
        assert_eq!(resolve(Path::new("/abs")), PathBuf::from("/abs"));
    }

    /// Not ignored: when `PP_DATA_DIR` is set it must point at the snapshots, so that a run
    /// that forgets `--include-ignored` still checks the setting (and says what it skipped).
    #[test]
    fn pp_data_dir_when_set_points_at_the_snapshots() {
        let Some(dir) = data_dir() else {
            return;
        };
        for name in [
            "ln-2020-cloth.listchannels.json.gz",
            "ln-2026.listchannels.json.gz",
        ] {
            assert!(
                dir.join(name).is_file(),
                "PP_DATA_DIR resolves to {} which lacks {name}",
                dir.display()
            );
        }
        eprintln!(
            "PP_DATA_DIR = {}; the snapshot tests are #[ignore]d: run them with \
             `cargo test -- --include-ignored` (as .ci/test does)",
            dir.display()
        );
    }
}
