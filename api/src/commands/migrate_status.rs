//! `neptu-api migrate status`: which migrations are applied and which are pending, checked
//! against the ones built into this binary, changing nothing.
//!
//! stdout has one line per migration (`applied  20261125000001  initial schema`) and a
//! summary; stderr one line per problem. Exit 0 when every embedded migration is applied with
//! the file's checksum and the database has none this binary does not know, 1 otherwise (and
//! when the database cannot be read), 2 for a configuration error. Before a deploy it says
//! what `migrate` will apply; after one, that the schema is the binary's.

use std::process::ExitCode;

use neptu_shared::config::{Service, Settings};
use neptu_shared::db::schema_status;
use sqlx::Connection;

pub fn main() -> ExitCode {
    let settings = match Settings::load(Service::Api) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("neptu-api: configuration error: {error}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("neptu-api: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let statuses = match runtime.block_on(read(&settings)) {
        Ok(statuses) => statuses,
        Err(error) => {
            // One line whatever the driver's message holds.
            let error = error.replace('\n', " ");
            eprintln!("neptu-api: migrate status: {error}");
            return ExitCode::FAILURE;
        }
    };
    let width = statuses.iter().map(|s| s.state.label().len()).max().unwrap_or(0);
    for s in &statuses {
        println!("{:width$}  {}  {}", s.state.label(), s.version, s.description);
    }
    let problems: Vec<String> = statuses.iter().filter_map(|s| s.problem()).collect();
    let applied = statuses.len() - problems.len();
    println!("{applied} applied, {} problem(s)", problems.len());
    for line in &problems {
        eprintln!("neptu-api: {line}");
    }
    if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// One connection rather than a pool: a pool reports only that it timed out, a connection
/// says why (refused, authentication, unknown database, TLS).
async fn read(settings: &Settings) -> Result<Vec<schema_status::MigrationStatus>, String> {
    let options = settings.database.connect_options("neptu-api-migrate-status");
    let limit = settings.database.acquire_timeout;
    let mut conn = tokio::time::timeout(limit, sqlx::PgConnection::connect_with(&options))
        .await
        .map_err(|_| format!("cannot connect to the database: no answer within {limit:?}"))?
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    let statuses = schema_status::status(&mut conn)
        .await
        .map_err(|e| format!("cannot read the migrations table: {e}"))?;
    let _ = conn.close().await;
    Ok(statuses)
}
