//! `GET /api/jobs` (admin): every schedule with its next fire times and recent runs, the
//! runtime's health, and the outside clients' counters.

use axum::extract::State;
use neptu_http::ApiResult;
use neptu_http::auth::AdminCaller;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::body::Sorted;
use super::params::{JobsQuery, RunsLimit};
use crate::services::jobs::{self, JobsResponse};
use crate::state::WorkerState;

pub fn routes() -> OpenApiRouter<WorkerState> {
    OpenApiRouter::new().routes(routes!(jobs))
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
    RunsLimit(limit): RunsLimit,
) -> ApiResult<Sorted<JobsResponse>> {
    let view = jobs::overview(&state.db, &*state.cache, &state.jobs, &state.services, limit).await?;
    Ok(Sorted(view))
}
