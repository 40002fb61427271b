//! The admin's view of the job side: every schedule with its next fire times and recent runs,
//! the runtime's health, and the outside clients' counters.

use std::collections::BTreeMap;

use chrono::Utc;
use neptu_http::ApiError;
use neptu_shared::cache::CacheStore;
use neptu_shared::clients::ClientStats;
use neptu_shared::db::cron_runs;
use neptu_shared::wire;
use serde::Serialize;
use sqlx::PgPool;
use utoipa::ToSchema;

pub use neptu_shared::db::cron_runs::CronRun;

use super::Services;
use crate::state::JobsView;

/// Next fire times shown per scheduled job.
const NEXT_FIRES: usize = 3;

/// What the jobs view can fail with.
#[derive(Debug, thiserror::Error)]
pub enum JobsError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<JobsError> for ApiError {
    fn from(error: JobsError) -> Self {
        match error {
            JobsError::Database(error) => error.into(),
        }
    }
}

/// One job: its schedule and next fire times when scheduled, why not when disabled, and its
/// recent runs (newest first).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobView {
    job: String,
    enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    queue: Option<&'static str>,
    /// The cron expression.
    #[serde(skip_serializing_if = "Option::is_none")]
    schedule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disabled_reason: Option<String>,
    /// RFC 3339 UTC with milliseconds.
    next_fires: Vec<String>,
    recent_runs: Vec<CronRun>,
}

/// The outside clients' counters since this process started.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClientCounters {
    coingecko: ClientStats,
    coingecko_chart: ClientStats,
    /// Null without an Azure OpenAI configuration.
    azure_open_ai: Option<ClientStats>,
    colosseum: ClientStats,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobsResponse {
    success: bool,
    replica: String,
    /// `starting`, `running`, `degraded`, `stopped` or `failed`.
    runtime: &'static str,
    /// Job workers restarting now, with their last failure.
    restarting: BTreeMap<String, String>,
    jobs: Vec<JobView>,
    clients: ClientCounters,
    cache_errors: u64,
}

/// Every job with its `limit` most recent runs, then the runtime and the clients.
pub async fn overview(
    db: &PgPool,
    cache: &dyn CacheStore,
    view: &JobsView,
    services: &Services,
    limit: i64,
) -> Result<JobsResponse, JobsError> {
    let mut runs: BTreeMap<String, Vec<CronRun>> = BTreeMap::new();
    for run in cron_runs::recent(db, limit).await? {
        runs.entry(run.job.clone()).or_default().push(run);
    }
    let now = Utc::now();
    let mut jobs = Vec::new();
    for entry in view.schedules.iter() {
        let next: Vec<String> = entry
            .next_fires(now, NEXT_FIRES)
            .iter()
            .map(wire::format_timestamp)
            .collect();
        jobs.push(JobView {
            job: entry.job.to_owned(),
            enabled: true,
            queue: Some(entry.queue.name()),
            schedule: Some(entry.expression.clone()),
            disabled_reason: None,
            next_fires: next,
            recent_runs: runs.remove(entry.job).unwrap_or_default(),
        });
    }
    for off in view.disabled.iter() {
        jobs.push(JobView {
            job: off.job.to_owned(),
            enabled: false,
            queue: None,
            schedule: None,
            disabled_reason: Some(off.reason.clone()),
            next_fires: Vec::new(),
            recent_runs: runs.remove(off.job).unwrap_or_default(),
        });
    }
    // Runs of jobs no longer scheduled (or run by hand) are still shown.
    for (job, recent) in runs {
        jobs.push(JobView {
            job,
            enabled: false,
            queue: None,
            schedule: None,
            disabled_reason: None,
            next_fires: Vec::new(),
            recent_runs: recent,
        });
    }
    Ok(JobsResponse {
        success: true,
        replica: view.replica.to_string(),
        runtime: view.status.describe(),
        restarting: view.status.restarting_workers(),
        jobs,
        clients: ClientCounters {
            coingecko: services.market_data.stats(),
            coingecko_chart: services.market_data.chart_stats(),
            azure_open_ai: services.model.as_ref().map(|m| m.stats()),
            colosseum: services.forum.stats(),
        },
        cache_errors: cache.stats().errors,
    })
}
