//! Daily tasks (00:00 UTC): the readings of the slot's day and the next six, stored and
//! cached; then a market refresh; then housekeeping: old run history and queue entries,
//! expired sign-in nonces and refresh tokens.
//!
//! Each day stores the engine's daily reading: the date-only Peluang the original stored,
//! with its keys at the top level exactly as before, plus the day's full Pawukon,
//! paringkelan and holy days (extra keys an old reader ignores).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{Days, NaiveDate};
use neptu_shared::cache::CacheStore;
use neptu_shared::db::{cron_runs, daily_readings, job_queue, refresh_tokens, sign_in_nonces};
use neptu_wariga::{self as wariga, CivilDate};
use serde_json::json;
use sqlx::PgPool;

use super::market::MarketRefresh;
use super::{Job, JobError, Outcome, RunContext};

pub const NAME: &str = "daily_tasks";
/// Today and the six days after it.
pub const DAYS_AHEAD: u64 = 7;
/// `daily:{date}` lives a day, as the original's route cache.
pub const CACHE_TTL: Duration = Duration::from_secs(86_400);
/// Run history older than this is deleted.
const KEEP_RUNS_DAYS: i32 = 30;
/// Finished queue entries are kept a week (the run history above is what operators read).
const KEEP_QUEUE_DAYS: i32 = 7;

pub fn cache_key(date: NaiveDate) -> String {
    format!("daily:{date}")
}

pub struct DailyTasks {
    cache: Arc<dyn CacheStore>,
    market: Arc<MarketRefresh>,
}

impl DailyTasks {
    pub fn new(cache: Arc<dyn CacheStore>, market: Arc<MarketRefresh>) -> Self {
        Self { cache, market }
    }
}

/// Upserts the readings of `first` and the following days and refreshes their cache entries.
pub async fn store_readings(
    db: &PgPool,
    cache: &dyn CacheStore,
    first: NaiveDate,
    days: u64,
) -> Result<u64, JobError> {
    for offset in 0..days {
        let date = first
            .checked_add_days(Days::new(offset))
            .ok_or_else(|| anyhow::anyhow!("no date {offset} days after {first}"))?;
        let day = CivilDate::new(date).map_err(|e| anyhow::anyhow!("{date}: {e}"))?;
        let reading = serde_json::to_value(wariga::daily_reading(day)).map_err(anyhow::Error::from)?;
        let row = daily_readings::upsert(db, date, &reading).await?;
        let dto = serde_json::to_string(&row).map_err(anyhow::Error::from)?;
        // The cache is a copy: a failed put costs a miss on the route, nothing else.
        let _ = cache.put(&cache_key(date), &dto, Some(CACHE_TTL)).await;
    }
    Ok(days)
}

#[async_trait]
impl Job for DailyTasks {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn run(&self, run: &RunContext) -> Result<Outcome, JobError> {
        // The slot's day, not the day the run happens to start on.
        let first = run.slot.date_naive();
        let readings = store_readings(&run.db, self.cache.as_ref(), first, DAYS_AHEAD).await?;
        let coins = self
            .market
            .refresh(&run.db, None)
            .await
            .map_err(|e| anyhow::anyhow!("market refresh: {e}"))?;
        let pruned = cron_runs::prune(&run.db, KEEP_RUNS_DAYS).await?;
        let pruned_jobs = job_queue::prune_finished(&run.db, KEEP_QUEUE_DAYS).await?;
        // Expired rows are ignored by sign-in anyway; this only keeps the tables small.
        let pruned_nonces = sign_in_nonces::delete_expired(&run.db).await?;
        let pruned_refresh_tokens = refresh_tokens::delete_expired(&run.db).await?;
        Ok(Outcome::Done(json!({
            "readings": readings,
            "firstDate": first.to_string(),
            "coinsUpdated": coins,
            "prunedRuns": pruned,
            "prunedQueueJobs": pruned_jobs,
            "prunedNonces": pruned_nonces,
            "prunedRefreshTokens": pruned_refresh_tokens,
        })))
    }
}
