//! `/api/developer/keys/{keyId}/usage|summary|usage/range`: a key's calls, for its owner.

use axum::extract::State;
use chrono::Utc;
use neptu_http::{ApiResult, CheckedQuery, Issue, Path, Query, Rules};
use neptu_shared::db::api_usage::{ApiUsage, UsageSummary};
use neptu_shared::domain::developer::check_usage_limit;
use neptu_shared::domain::validation::outcome;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::{Developer, ErrorBody};
use crate::services::developer::usage;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(recent))
        .routes(routes!(summary))
        .routes(routes!(range))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DevUsageQuery {
    /// 1 to 1000 (default 100).
    limit: Option<i64>,
}

impl Rules for DevUsageQuery {
    type Checked = i64;

    fn check(self) -> Result<i64, Vec<Issue>> {
        let mut issues = Vec::new();
        let limit = check_usage_limit(self.limit, &mut issues);
        outcome(issues, limit)
    }
}

#[derive(Serialize, ToSchema)]
pub struct DevUsageResponse {
    success: bool,
    usage: Vec<ApiUsage>,
}

/// The key's latest calls, newest first.
#[utoipa::path(get, path = "/api/developer/keys/{keyId}/usage", tag = "developer",
    params(("keyId" = Uuid, Path), DevUsageQuery), security(("bearer" = [])), responses(
    (status = 200, body = DevUsageResponse),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 404, description = "API key not found", body = ErrorBody),
))]
async fn recent(
    State(state): State<AppState>,
    Developer(user): Developer,
    Path(key): Path<Uuid>,
    CheckedQuery(limit): CheckedQuery<DevUsageQuery>,
) -> ApiResult<axum::Json<DevUsageResponse>> {
    let usage = usage::recent(&state.db, user, key, limit).await?;
    Ok(axum::Json(DevUsageResponse { success: true, usage }))
}

#[derive(Serialize, ToSchema)]
pub struct DevUsageSummaryResponse {
    success: bool,
    summary: UsageSummary,
}

/// The key's totals for the current calendar month (UTC, the whole month).
#[utoipa::path(get, path = "/api/developer/keys/{keyId}/summary", tag = "developer",
    params(("keyId" = Uuid, Path)), security(("bearer" = [])), responses(
    (status = 200, body = DevUsageSummaryResponse),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 404, description = "API key not found", body = ErrorBody),
))]
async fn summary(
    State(state): State<AppState>,
    Developer(user): Developer,
    Path(key): Path<Uuid>,
) -> ApiResult<axum::Json<DevUsageSummaryResponse>> {
    let summary = usage::this_month(&state.db, user, key, Utc::now()).await?;
    Ok(axum::Json(DevUsageSummaryResponse {
        success: true,
        summary,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DevUsageRangeQuery {
    /// An ISO 8601 date-time, or a date (from the start of that UTC day).
    start: Option<String>,
    /// An ISO 8601 date-time (excluded), or a date (through the end of that UTC day).
    end: Option<String>,
}

/// The key's totals over a period.
#[utoipa::path(get, path = "/api/developer/keys/{keyId}/usage/range", tag = "developer",
    params(("keyId" = Uuid, Path), DevUsageRangeQuery), security(("bearer" = [])), responses(
    (status = 200, body = DevUsageSummaryResponse),
    (status = 400, description = "Start and end dates required, or malformed", body = ErrorBody),
    (status = 401, body = ErrorBody),
    (status = 404, description = "API key not found", body = ErrorBody),
))]
async fn range(
    State(state): State<AppState>,
    Developer(user): Developer,
    Path(key): Path<Uuid>,
    Query(q): Query<DevUsageRangeQuery>,
) -> ApiResult<axum::Json<DevUsageSummaryResponse>> {
    let summary = usage::over_period(&state.db, user, key, q.start.as_deref(), q.end.as_deref()).await?;
    Ok(axum::Json(DevUsageSummaryResponse {
        success: true,
        summary,
    }))
}
