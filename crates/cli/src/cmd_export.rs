//! `pickhardt export` (placeholder until implemented).

/// Arguments of `pickhardt export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {}

/// Runs the command.
pub fn run(_a: ExportArgs) -> anyhow::Result<()> {
    anyhow::bail!("not implemented yet")
}
