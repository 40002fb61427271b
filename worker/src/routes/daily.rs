//! `GET /api/daily/{date}`: the stored daily reading, cached a day under `daily:{date}`.

use axum::extract::State;
use axum::response::Response;
use neptu_http::{ApiError, ApiResult, Path};
use neptu_shared::db::daily_readings::{self, DailyReading};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::body::json_text;
use super::params;
use crate::jobs::daily::{CACHE_TTL, cache_key};
use crate::state::WorkerState;

pub fn routes() -> OpenApiRouter<WorkerState> {
    OpenApiRouter::new().routes(routes!(daily))
}

/// The stored reading of a day (the daily job writes it), from the cache when it can.
#[utoipa::path(get, path = "/api/daily/{date}", tag = "daily",
    params(("date" = String, Path, description = "`YYYY-MM-DD`")), responses(
    (status = 200, body = DailyReading),
    (status = 400, description = "Not a `YYYY-MM-DD` date in the calendar's range", body = ErrorBody),
    (status = 404, description = "No reading stored for that day", body = ErrorBody),
))]
async fn daily(State(state): State<WorkerState>, Path(date): Path<String>) -> ApiResult<Response> {
    let date = params::date(&date)?.naive();
    let key = cache_key(date);
    if let Some(cached) = state.cache.get(&key).await {
        return Ok(json_text(cached));
    }
    let reading = daily_readings::find(&state.db, date)
        .await?
        .ok_or_else(|| ApiError::not_found("Daily reading not found"))?;
    let body = serde_json::to_string(&reading).map_err(ApiError::internal)?;
    let _ = state.cache.put(&key, &body, Some(CACHE_TTL)).await;
    Ok(json_text(body))
}
