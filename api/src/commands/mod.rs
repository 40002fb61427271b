//! The non-serving subcommands.

mod seed;

use neptu_shared::config::Settings;
use neptu_shared::db;

pub use seed::{DEMO_WALLET, seed, seed_demo};

/// `neptu-api migrate`: apply pending migrations and exit.
pub async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let pool = db::pool(&settings.database, "neptu-api-migrate");
    db::migrate_with_retry(&pool, settings.database.schema_wait).await?;
    tracing::info!("database schema is current");
    pool.close().await;
    Ok(())
}
