//! `pickhardt mu` (placeholder until implemented).

/// Arguments of `pickhardt mu`.
#[derive(Debug, clap::Args)]
pub struct MuArgs {}

/// Runs the command.
pub fn run(_a: MuArgs) -> anyhow::Result<()> {
    anyhow::bail!("not implemented yet")
}
