//! `GET /api/daily/{date}`: the stored daily reading, cached a day under `daily:{date}`.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use neptu_http::{ApiError, ApiResult, Path};
use neptu_shared::db::daily_readings;

use super::body::json_text;
use super::params;
use crate::jobs::daily::{CACHE_TTL, cache_key};
use crate::state::WorkerState;

pub fn routes() -> Router<WorkerState> {
    Router::new().route("/api/daily/{date}", get(daily))
}

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
