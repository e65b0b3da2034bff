//! `pickhardt mcf …` (placeholder until implemented).

/// Subcommands of `pickhardt mcf`.
#[derive(Debug, clap::Subcommand)]
pub enum McfCommand {
    /// Not implemented yet.
    Todo,
}

/// Runs the command.
pub fn run(_c: McfCommand) -> anyhow::Result<()> {
    anyhow::bail!("not implemented yet")
}
