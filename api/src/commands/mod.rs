//! The non-serving subcommands.

pub mod backup;
pub mod dev_token;
pub mod import_pg;
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

/// `neptu-api import-d1`: prints the per-table report; fails unless every row went in.
pub async fn import_d1(
    settings: &Settings,
    from: &std::path::Path,
    truncate: bool,
    dry_run: bool,
) -> anyhow::Result<()> {
    let pool = db::pool(&settings.database, "neptu-api-import");
    if !dry_run {
        db::migrate_with_retry(&pool, settings.database.schema_wait).await?;
    }
    let report = crate::import::run(
        &pool,
        crate::import::Options {
            from,
            truncate,
            dry_run,
        },
    )
    .await?;
    print!("{}", report.render());
    pool.close().await;
    if report.complete() {
        Ok(())
    } else {
        anyhow::bail!("the import is incomplete (see the report)")
    }
}
