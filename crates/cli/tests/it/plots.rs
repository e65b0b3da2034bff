//! The SVGs under docs/plots/ are what the commands in docs/plots/README.md write today.

use crate::common::{pickhardt, repo_file, stderr, temp_path};

const F: &str = "0200000072de2c57f8d2de9c8160e2c6f4fabe5bf0b393dd0f2d4615119cc22865";
const T: &str = "02000000bb998872f627c3f8de2ef409b05e35d32296a250489b02f9b27e68a69f";
const A: &str = "02aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const D: &str = "02dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd";

/// Runs `args` with `--plot <temp>/<name>` and compares the file with docs/plots/<name>.
fn same_plot(name: &str, args: &[&str]) {
    let out = temp_path("plots", name);
    let out_s = out.display().to_string();
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--plot", &out_s]);
    let o = pickhardt(&all);
    assert!(o.status.success(), "{}", stderr(&o));
    let now = std::fs::read(&out).expect("plot written");
    let committed = std::fs::read(repo_file(&format!("docs/plots/{name}"))).expect("committed");
    assert!(
        now == committed,
        "docs/plots/{name} is stale: rerun its command in docs/plots/README.md"
    );
}

#[test]
fn committed_plots_are_what_the_commands_draw() {
    let toy = repo_file("data/toy.listchannels.json");
    same_plot(
        "pay-toy.svg",
        &[
            "pay", "--graph", &toy, "--seed", "9", "--amount", "200000", "--from", A, "--to", D,
        ],
    );
    let pay = [
        "pay", "--seed", "1", "--amount", "1000000", "--from", F, "--to", T,
    ];
    same_plot("pay-default.svg", &pay);
    let mut plan = pay.to_vec();
    plan.push("--plan-only");
    same_plot("plan-default.svg", &plan);
    same_plot(
        "simulate-default.svg",
        &[
            "simulate",
            "--payments",
            "100",
            "--amount",
            "10000,100000,1000000",
            "--seed",
            "1",
        ],
    );
    same_plot(
        "tune-default.svg",
        &[
            "tune",
            "--payments",
            "100",
            "--amount",
            "10000,1000000",
            "--seed",
            "1",
        ],
    );
}
