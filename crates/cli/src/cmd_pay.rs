//! `pickhardt pay` (placeholder until implemented).

/// Arguments of `pickhardt pay`.
#[derive(Debug, clap::Args)]
pub struct PayArgs {}

/// Runs the command.
pub fn run(_a: PayArgs) -> anyhow::Result<()> {
    anyhow::bail!("not implemented yet")
}
