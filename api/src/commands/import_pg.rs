//! `neptu-api import-pg`: prints the per-table report; fails unless every row went in.

use std::time::Duration;

use neptu_shared::config::Settings;
use neptu_shared::db;

pub async fn run(
    settings: &Settings,
    from: &str,
    connect_timeout: Duration,
    truncate: bool,
    dry_run: bool,
) -> anyhow::Result<()> {
    let pool = db::pool(&settings.database, "neptu-api-import");
    if !dry_run {
        db::migrate_with_retry(&pool, settings.database.schema_wait).await?;
    }
    let report = crate::import::run_pg(
        &pool,
        crate::import::PgOptions {
            from,
            connect_timeout,
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
