//! `neptu-api`: serve the API (default), apply migrations, seed demo data, import a D1
//! database or the original's Postgres database, take or check a backup, check health, or
//! mint a development token.

use std::process::ExitCode;

use clap::Parser;
use neptu_api::cli::{Cli, Command, MigrateAction};
use neptu_http::startup;
use neptu_shared::config::Service;

fn main() -> ExitCode {
    let command = Cli::parse().command.unwrap_or(Command::Serve);
    if let Command::Healthcheck = command {
        return startup::healthcheck(Service::Api);
    }
    if let Command::BackupVerify { file } = &command {
        return startup::run(Service::Api, neptu_api::commands::backup::verify(file));
    }
    if let Command::Migrate {
        action: Some(MigrateAction::Status),
        ..
    } = &command
    {
        return neptu_api::commands::migrate_status::main();
    }
    if let Command::ImportD1 {
        from,
        dry_run: true,
        allow_partial,
        expect,
        ..
    } = &command
    {
        // A dry run writes nothing, so it needs no database and no configuration.
        let options = neptu_api::import::Options {
            dry_run: true,
            allow_partial: *allow_partial,
            expect: expect.as_deref(),
            ..neptu_api::import::Options::new(from)
        };
        return startup::run(Service::Api, neptu_api::commands::import_d1(None, options));
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
            Command::Migrate { create_database, .. } => {
                neptu_api::commands::migrate(&settings, create_database).await
            }
            Command::SeedDemo => neptu_api::commands::seed_demo(&settings).await,
            Command::ImportD1 {
                from,
                truncate,
                dry_run,
                allow_partial,
                expect,
            } => {
                let options = neptu_api::import::Options {
                    from: &from,
                    truncate,
                    dry_run,
                    allow_partial,
                    expect: expect.as_deref(),
                };
                neptu_api::commands::import_d1(Some(&settings), options).await
            }
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
