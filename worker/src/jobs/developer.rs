//! Developer platform upkeep (00:05 UTC): subscriptions whose billing cycle ended by the slot
//! are marked `expired`; the usage partitions of the slot's month and the next one are
//! created; partitions that ended more than `API_USAGE_RETENTION_DAYS` before the slot are
//! dropped with their rows.
//!
//! Everything is decided by the slot, and done in one transaction together with the run's
//! `succeeded` mark: a repeated delivery of the slot finds the run finished and does nothing,
//! and the counts recorded with the run are exactly what it changed.
//!
//! A job of its own rather than a step of `daily_tasks`: that one depends on CoinGecko, and a
//! market outage must hold back neither expiry nor next month's partition (without it, usage
//! rows of the new month could not be written).

use std::time::Duration;

use async_trait::async_trait;
use neptu_shared::db::{api_subscriptions, api_usage, cron_runs};
use neptu_shared::domain::developer::month_of;
use serde_json::json;

use super::{Job, JobError, Outcome, RunContext};

pub const NAME: &str = "developer_maintenance";
/// Longest the run waits for a lock (partition changes queue every usage write behind them).
const LOCK_WAIT: Duration = Duration::from_secs(5);

pub struct DeveloperMaintenance {
    retention_days: u32,
}

impl DeveloperMaintenance {
    pub fn new(retention_days: u32) -> Self {
        Self { retention_days }
    }
}

#[async_trait]
impl Job for DeveloperMaintenance {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn run(&self, run: &RunContext) -> Result<Outcome, JobError> {
        let slot = run.slot;
        let (_, next_month) = month_of(slot);
        let cutoff = slot - chrono::Duration::days(i64::from(self.retention_days));
        let mut tx = run.db.begin().await?;
        api_usage::bound_lock_wait(&mut tx, LOCK_WAIT).await?;
        let expired = api_subscriptions::expire_ended(&mut *tx, slot).await?;
        let ensured = [
            api_usage::ensure_partition(&mut *tx, slot).await?,
            api_usage::ensure_partition(&mut *tx, next_month).await?,
        ];
        let mut dropped = Vec::new();
        for (name, ends) in api_usage::partitions(&mut *tx).await? {
            if ends < cutoff {
                api_usage::drop_partition(&mut *tx, &name).await?;
                dropped.push(name);
            }
        }
        let outcome = json!({
            "subscriptionsExpired": expired,
            "partitionsEnsured": ensured,
            "partitionsDropped": dropped,
            "retentionDays": self.retention_days,
        });
        let duration_ms = run.started.elapsed().as_millis() as i64;
        if !cron_runs::succeed(&mut *tx, run.job, slot, duration_ms, &outcome).await? {
            // A second delivery of the slot ran alongside the first, which finished first:
            // its changes are the ones that count.
            tx.rollback().await?;
            tracing::info!(%slot, "developer platform upkeep already done for this slot");
            return Ok(Outcome::Recorded);
        }
        tx.commit().await?;
        tracing::info!(expired, dropped = dropped.len(), "developer platform upkeep done");
        Ok(Outcome::Recorded)
    }
}
