//! `GET /api/jobs` (admin): every schedule with its next fire times and recent runs, the
//! runtime's health, and the outside clients' counters.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use chrono::Utc;
use neptu_http::auth::AdminCaller;
use neptu_http::{ApiError, ApiResult, Query};
use neptu_shared::db::cron_runs::{self, CronRun};
use neptu_shared::wire;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::state::WorkerState;

const DEFAULT_RUNS: i64 = 10;
const MAX_RUNS: i64 = 100;
const NEXT_FIRES: usize = 3;

pub fn routes() -> Router<WorkerState> {
    Router::new().route("/api/jobs", get(jobs))
}

#[derive(Deserialize)]
struct JobsQuery {
    limit: Option<i64>,
}

async fn jobs(
    State(state): State<WorkerState>,
    _admin: AdminCaller,
    Query(query): Query<JobsQuery>,
) -> ApiResult<axum::Json<Value>> {
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
        jobs.push(json!({
            "job": entry.job,
            "enabled": true,
            "queue": entry.queue.name(),
            "schedule": entry.expression,
            "nextFires": next,
            "recentRuns": runs.remove(entry.job).unwrap_or_default(),
        }));
    }
    for off in view.disabled.iter() {
        jobs.push(json!({
            "job": off.job,
            "enabled": false,
            "disabledReason": off.reason,
            "nextFires": [],
            "recentRuns": runs.remove(off.job).unwrap_or_default(),
        }));
    }
    // Runs of jobs no longer scheduled (or run by hand) are still shown.
    for (job, recent) in runs {
        jobs.push(json!({ "job": job, "enabled": false, "nextFires": [], "recentRuns": recent }));
    }
    let services = &state.services;
    Ok(axum::Json(json!({
        "success": true,
        "replica": view.replica.as_ref(),
        "runtime": view.status.describe(),
        "restarting": view.status.restarting_workers(),
        "jobs": jobs,
        "clients": {
            "coingecko": services.market_data.stats(),
            "coingeckoChart": services.market_data.chart_stats(),
            "azureOpenAi": services.model.as_ref().map(|m| m.stats()),
            "colosseum": services.forum.stats(),
        },
        "cacheErrors": state.cache.stats().errors,
    })))
}
