//! Daily database backup (03:00 UTC by default): dump, check, store, prune old dumps.
//! Registered only when `BACKUP_TO` is set.

use std::time::Duration;

use async_trait::async_trait;
use neptu_shared::backup;
use neptu_shared::config::{BackupSettings, DatabaseSettings};
use neptu_shared::db::cron_runs;
use sqlx::PgPool;

use super::{Job, JobError, Outcome, RunContext};

pub const NAME: &str = "backup";

pub struct Backup {
    settings: BackupSettings,
    database: DatabaseSettings,
}

impl Backup {
    pub fn new(settings: BackupSettings, database: DatabaseSettings) -> Self {
        Self { settings, database }
    }
}

#[async_trait]
impl Job for Backup {
    fn name(&self) -> &'static str {
        NAME
    }

    /// A dump of a large database outlasts the usual job timeout; the backup has its own.
    fn timeout(&self) -> Option<Duration> {
        Some(self.settings.timeout + Duration::from_secs(30))
    }

    async fn run(&self, run: &RunContext) -> Result<Outcome, JobError> {
        // Named after the slot, so a retry of the same run writes the same file.
        let report = backup::run(&self.settings, &self.database, run.slot).await?;
        Ok(Outcome::Done(
            serde_json::to_value(&report).map_err(anyhow::Error::from)?,
        ))
    }
}

/// Sets `backup_last_success_timestamp_seconds` from the run history when the process starts.
/// The backup itself sets it only when it runs, so without this a restarted worker would show
/// no backup at all until the next one, and an alert on the backup's age could not fire while
/// the schedule keeps failing.
pub async fn publish_last_success(db: &PgPool) {
    match cron_runs::last_succeeded_slot(db, NAME).await {
        Ok(Some(slot)) => {
            metrics::gauge!("backup_last_success_timestamp_seconds").set(slot.timestamp() as f64);
        }
        Ok(None) => {}
        Err(error) => tracing::warn!(%error, "could not read the last backup from the run history"),
    }
}
