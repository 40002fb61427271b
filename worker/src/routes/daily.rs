//! `GET /api/daily/{date}`: the stored daily reading, cached a day under `daily:{date}`.

use axum::extract::State;
use axum::response::Response;
use neptu_http::ApiResult;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::body::json_text;
use super::params::DatePath;
use crate::services::daily::{self, DailyReading};
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
async fn daily(State(state): State<WorkerState>, DatePath(date): DatePath) -> ApiResult<Response> {
    let body = daily::reading(&state.db, &*state.cache, date.naive()).await?;
    Ok(json_text(body))
}
