//! Command-line interface.

use clap::{Parser, Subcommand};

/// The Neptu worker. Configuration comes from the environment (see the README).
#[derive(Debug, Parser)]
#[command(name = "neptu-worker", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, Subcommand)]
pub enum Command {
    /// Run jobs and serve HTTP (the default). Waits for the API to migrate the schema.
    Serve,
    /// Exit 0 when the local server answers `GET /health` with 200 (container HEALTHCHECK).
    Healthcheck,
}
