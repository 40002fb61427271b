//! `GET /api/jobs` (admin): every schedule with its next fire times and recent runs, the
//! runtime's health, and the outside clients' counters.

use std::collections::BTreeMap;

use axum::extract::State;
use chrono::Utc;
use neptu_http::auth::AdminCaller;
use neptu_http::{ApiError, ApiResult, Query};
use neptu_shared::clients::ClientStats;
use neptu_shared::db::cron_runs::{self, CronRun};
use neptu_shared::wire;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::body::Sorted;

use crate::state::WorkerState;

const DEFAULT_RUNS: i64 = 10;
const MAX_RUNS: i64 = 100;
const NEXT_FIRES: usize = 3;

pub fn routes() -> OpenApiRouter<WorkerState> {
    OpenApiRouter::new().routes(routes!(jobs))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct JobsQuery {
    /// Recent runs shown per job: 1 to 100, default 10.
    limit: Option<i64>,
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

/// Every schedule with its next fire times and recent runs, the runtime's health, and the
/// outside clients' counters.
#[utoipa::path(get, path = "/api/jobs", tag = "jobs", params(JobsQuery), security(("bearer" = [])), responses(
    (status = 200, body = JobsResponse),
    (status = 400, description = "`limit` out of range", body = ErrorBody),
    (status = 401, body = ErrorBody),
    (status = 403, description = "Admin access required", body = ErrorBody),
))]
async fn jobs(
    State(state): State<WorkerState>,
    _admin: AdminCaller,
    Query(query): Query<JobsQuery>,
) -> ApiResult<Sorted<JobsResponse>> {
    let limit = query.limit.unwrap_or(DEFAULT_RUNS);
    if !(1..=MAX_RUNS).contains(&limit) {
        return Err(ApiError::bad_request(format!(
            "limit must be between 1 and {MAX_RUNS}"
        )));
    }
    let mut runs: BTreeMap<String, Vec<CronRun>> = BTreeMap::new();
    for run in cron_runs::recent(&state.db, limit).await? {
        runs.entry(run.job.clone()).or_default().push(run);
    }
    let now = Utc::now();
    let view = &state.jobs;
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
    let services = &state.services;
    Ok(Sorted(JobsResponse {
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
        cache_errors: state.cache.stats().errors,
    }))
}
