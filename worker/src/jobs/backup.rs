//! Daily database backup (03:00 UTC by default): dump, check, store, prune old dumps.
//! Registered only when `BACKUP_TO` is set.

use std::time::Duration;

use async_trait::async_trait;
use neptu_shared::backup;
use neptu_shared::config::{BackupSettings, DatabaseSettings};

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
