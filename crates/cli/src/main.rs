//! The `pickhardt` command line.
fn main() {}
