//! `pickhardt graph …` (placeholder until implemented).

/// Subcommands of `pickhardt graph`.
#[derive(Debug, clap::Subcommand)]
pub enum GraphCommand {
    /// Not implemented yet.
    Todo,
}

/// Runs the command.
pub fn run(_c: GraphCommand) -> anyhow::Result<()> {
    anyhow::bail!("not implemented yet")
}
