//! Database backups: a `pg_dump` custom-format dump, checked with `pg_restore --list` before
//! it is stored, written to a directory or an S3-compatible bucket, then dumps older than the
//! retention are deleted.
//!
//! Used by `neptu-api backup` and by the worker's daily backup job. A dump is only ever
//! visible under its final name once complete: directories get a rename, S3 a single PUT.

mod names;
mod pg;
mod store;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{DateTime, Utc};

use crate::config::{BackupSettings, DatabaseSettings};
pub use names::{dump_name, dump_time, expired};
pub use pg::{DumpContents, list_contents};
pub use store::Store;

/// What one backup did.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupReport {
    /// Where the dump is, e.g. `s3://bucket/prefix/neptu-20261125T030000Z.dump`.
    pub location: String,
    pub bytes: u64,
    /// Entries in the dump's table of contents, and how many of them hold table data.
    pub entries: usize,
    pub tables_with_data: usize,
    /// Older dumps deleted by the retention rule.
    pub pruned: Vec<String>,
    pub duration_ms: u64,
}

/// Takes a backup to `settings.to`, checks it and prunes old dumps.
pub async fn run(
    settings: &BackupSettings,
    database: &DatabaseSettings,
    now: DateTime<Utc>,
) -> anyhow::Result<BackupReport> {
    let target = settings
        .to
        .clone()
        .context("no backup target: pass --to or set BACKUP_TO")?;
    let started = Instant::now();
    let store = Store::new(&target, settings.s3.as_ref())?;
    let name = dump_name(now);
    let staging = Staging::new(&store, &name).await?;

    let work = async {
        pg::dump(database, settings.pg_bin_dir.as_deref(), staging.path()).await?;
        let contents = pg::list_contents(settings.pg_bin_dir.as_deref(), staging.path()).await?;
        if contents.tables_with_data == 0 {
            anyhow::bail!("the dump holds no table data; not storing it");
        }
        let bytes = tokio::fs::metadata(staging.path()).await?.len();
        let location = store.put(staging.path(), &name, bytes).await?;
        anyhow::Ok((contents, bytes, location))
    };
    let (contents, bytes, location) = tokio::time::timeout(settings.timeout, work)
        .await
        .map_err(|_| anyhow::anyhow!("backup timed out after {:?}", settings.timeout))??;
    staging.finish().await;

    let pruned = prune(&store, now, settings.keep_days, &name).await;
    let report = BackupReport {
        location,
        bytes,
        entries: contents.entries,
        tables_with_data: contents.tables_with_data,
        pruned,
        duration_ms: started.elapsed().as_millis() as u64,
    };
    metrics::gauge!("backup_last_success_timestamp_seconds").set(now.timestamp() as f64);
    metrics::gauge!("backup_size_bytes").set(bytes as f64);
    tracing::info!(
        location = %report.location,
        bytes,
        tables = report.tables_with_data,
        pruned = report.pruned.len(),
        duration_ms = report.duration_ms,
        "backup stored"
    );
    Ok(report)
}

/// Deletes expired dumps. A failure here does not fail the backup (the new dump is stored);
/// it is logged and counted so an alert can catch a store that keeps growing.
async fn prune(store: &Store, now: DateTime<Utc>, keep_days: u32, keep: &str) -> Vec<String> {
    let names = match store.list().await {
        Ok(names) => names,
        Err(error) => {
            tracing::warn!(error = %format!("{error:#}"), "could not list old backups");
            metrics::counter!("backup_prune_failures_total").increment(1);
            return Vec::new();
        }
    };
    let mut pruned = Vec::new();
    for name in expired(&names, now, keep_days).into_iter().filter(|n| n != keep) {
        match store.delete(&name).await {
            Ok(()) => pruned.push(name),
            Err(error) => {
                tracing::warn!(%name, error = %format!("{error:#}"), "could not delete an old backup");
                metrics::counter!("backup_prune_failures_total").increment(1);
            }
        }
    }
    pruned
}

/// Where the dump is written before it is stored: beside the final file for a directory
/// (so the rename is atomic), in the temp directory for S3. Removed on every path out.
struct Staging {
    path: PathBuf,
}

impl Staging {
    async fn new(store: &Store, name: &str) -> anyhow::Result<Self> {
        let dir = match store {
            Store::Dir(dir) => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .with_context(|| format!("creating {}", dir.display()))?;
                dir.clone()
            }
            Store::S3(_) => std::env::temp_dir(),
        };
        Ok(Self {
            path: dir.join(format!(".{name}.{}.partial", std::process::id())),
        })
    }

    fn path(&self) -> &Path {
        &self.path
    }

    async fn finish(self) {
        let _ = tokio::fs::remove_file(&self.path).await;
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // Errors and timeouts leave here without `finish`; a renamed file is already gone.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Checks a dump file, for `neptu-api backup-verify`.
pub async fn verify(pg_bin_dir: Option<&Path>, file: &Path) -> anyhow::Result<DumpContents> {
    let contents = tokio::time::timeout(Duration::from_secs(300), list_contents(pg_bin_dir, file))
        .await
        .context("pg_restore --list timed out")??;
    if contents.tables_with_data == 0 {
        anyhow::bail!("{} holds no table data", file.display());
    }
    Ok(contents)
}
