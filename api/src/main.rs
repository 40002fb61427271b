//! `neptu-api`: serve the API (default), apply migrations, seed demo data, import a D1
//! database or the original's Postgres database, take or check a backup, check health, or
//! mint a development token.

use std::process::ExitCode;

use clap::Parser;
use neptu_api::cli::{Cli, Command};
use neptu_shared::config::Service;
use neptu_shared::startup;

fn main() -> ExitCode {
    let command = Cli::parse().command.unwrap_or(Command::Serve);
    if let Command::Healthcheck = command {
        return startup::healthcheck(Service::Api);
    }
    if let Command::BackupVerify { file } = &command {
        return startup::run(Service::Api, neptu_api::commands::backup::verify(file));
    }
    if let Command::DevToken { wallet } = &command {
        // Without logging, so stdout is the token alone: `TOKEN=$(neptu-api dev-token …)`.
        return neptu_api::commands::dev_token::main(wallet);
    }
    let (settings, _log) = match startup::load(Service::Api) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    startup::run(Service::Api, async move {
        match command {
            Command::Serve => neptu_api::app::run(settings).await,
            Command::Migrate { create_database } => {
                neptu_api::commands::migrate(&settings, create_database).await
            }
            Command::SeedDemo => neptu_api::commands::seed_demo(&settings).await,
            Command::ImportD1 {
                from,
                truncate,
                dry_run,
            } => neptu_api::commands::import_d1(&settings, &from, truncate, dry_run).await,
            Command::ImportPg {
                from,
                connect_timeout_secs,
                truncate,
                dry_run,
            } => {
                let timeout = std::time::Duration::from_secs(connect_timeout_secs);
                neptu_api::commands::import_pg::run(&settings, &from, timeout, truncate, dry_run).await
            }
            Command::Backup { to } => neptu_api::commands::backup::run(&settings, to.as_deref()).await,
            Command::Healthcheck | Command::BackupVerify { .. } | Command::DevToken { .. } => Ok(()),
        }
    })
}
