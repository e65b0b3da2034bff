//! `pickhardt simulate` (placeholder until implemented).

/// Arguments of `pickhardt simulate`.
#[derive(Debug, clap::Args)]
pub struct SimulateArgs {}

/// Runs the command.
pub fn run(_a: SimulateArgs) -> anyhow::Result<()> {
    anyhow::bail!("not implemented yet")
}
