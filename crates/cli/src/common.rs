//! Helpers shared by the commands: loading graphs (file, stdin or the embedded default).
