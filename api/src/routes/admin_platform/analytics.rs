//! `/api/admin/analytics/*`: calls of every key over time, and the most called endpoints.

use axum::extract::State;
use chrono::NaiveDate;
use neptu_http::auth::AdminCaller;
use neptu_http::{ApiResult, CheckedQuery, Issue, Rules};
use neptu_shared::db::api_usage::{Bucket, EndpointUsage, UsageBucket};
use neptu_shared::domain::developer::analytics_query;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use crate::services::developer::usage;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(usage_over_time))
        .routes(routes!(endpoints))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct AdminAnalyticsQuery {
    /// First UTC day, `YYYY-MM-DD` (required).
    start_date: Option<String>,
    /// Last UTC day, included, `YYYY-MM-DD` (required).
    end_date: Option<String>,
    /// `day` (default), `week` (ISO weeks, from Monday) or `month`.
    group_by: Option<String>,
}

impl Rules for AdminAnalyticsQuery {
    type Checked = (NaiveDate, NaiveDate, Bucket);

    fn check(self) -> Result<Self::Checked, Vec<Issue>> {
        analytics_query(
            self.start_date.as_deref(),
            self.end_date.as_deref(),
            self.group_by.as_deref(),
        )
    }
}

#[derive(Serialize, ToSchema)]
pub struct AdminAnalyticsResponse {
    success: bool,
    /// Oldest first; buckets without calls are left out.
    analytics: Vec<UsageBucket>,
}

/// Calls, split into basic and AI, and credits spent, per day, week or month.
#[utoipa::path(get, path = "/api/admin/analytics/usage", tag = "admin", params(AdminAnalyticsQuery),
    security(("bearer" = [])), responses(
    (status = 200, body = AdminAnalyticsResponse),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
))]
async fn usage_over_time(
    State(state): State<AppState>,
    _: AdminCaller,
    CheckedQuery((first, last, bucket)): CheckedQuery<AdminAnalyticsQuery>,
) -> ApiResult<axum::Json<AdminAnalyticsResponse>> {
    let analytics = usage::analytics(&state.db, first, last, bucket).await?;
    Ok(axum::Json(AdminAnalyticsResponse {
        success: true,
        analytics,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct AdminEndpointsResponse {
    success: bool,
    endpoints: Vec<EndpointUsage>,
}

/// The ten most called endpoints, with their average response time in milliseconds.
#[utoipa::path(get, path = "/api/admin/analytics/endpoints", tag = "admin", security(("bearer" = [])), responses(
    (status = 200, body = AdminEndpointsResponse),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
))]
async fn endpoints(
    State(state): State<AppState>,
    _: AdminCaller,
) -> ApiResult<axum::Json<AdminEndpointsResponse>> {
    let endpoints = usage::top_endpoints(&state.db).await?;
    Ok(axum::Json(AdminEndpointsResponse {
        success: true,
        endpoints,
    }))
}
