//! The non-serving subcommands.

pub mod backup;
pub mod dev_token;
pub mod import_pg;
pub mod migrate_status;
mod seed;

use neptu_shared::config::Settings;
use neptu_shared::db;
use secrecy::ExposeSecret;
use sqlx::migrate::MigrateDatabase;

pub use seed::{DEMO_WALLET, seed, seed_demo};

/// `neptu-api migrate`: apply pending migrations and exit, creating the database first when
/// asked (local setups).
pub async fn migrate(settings: &Settings, create_database: bool) -> anyhow::Result<()> {
    if create_database {
        let url = settings.database.url.expose_secret();
        if !sqlx::Postgres::database_exists(url).await? {
            sqlx::Postgres::create_database(url).await?;
            tracing::info!("database created");
        }
    }
    let pool = db::pool(&settings.database, "neptu-api-migrate");
    db::migrate_with_retry(&pool, settings.database.schema_wait).await?;
    tracing::info!("database schema is current");
    pool.close().await;
    Ok(())
}

/// `neptu-api import-d1`: prints the per-table report; fails unless every row went in. A
/// refusal (an unusable source, a non-empty target) is one line on stderr. `settings` is
/// `None` for a dry run, which touches no database.
pub async fn import_d1(
    settings: Option<&Settings>,
    options: crate::import::Options<'_>,
) -> anyhow::Result<()> {
    let pool = match settings {
        Some(settings) if !options.dry_run => {
            let pool = db::pool(&settings.database, "neptu-api-import");
            db::migrate_with_retry(&pool, settings.database.schema_wait).await?;
            Some(pool)
        }
        _ => None,
    };
    let result = crate::import::run(pool.as_ref(), &options).await;
    if let Some(pool) = pool {
        pool.close().await;
    }
    let report = match result {
        Ok(report) => report,
        Err(error) => {
            let message = format!("{error:#}")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            eprintln!("neptu-api import-d1: {}: {message}", options.from.display());
            return Err(error);
        }
    };
    print!("{}", report.render());
    if report.complete() {
        Ok(())
    } else {
        eprintln!("neptu-api import-d1: the import is incomplete (see the report)");
        anyhow::bail!("the import is incomplete (see the report)")
    }
}
