//! `/api/crypto/*`: the tracked coins with market data and cosmic readings, the chart proxy,
//! and the (admin-only) manual refresh.

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use neptu_http::auth::AdminCaller;
use neptu_http::{ApiResult, Path, Query};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::body::Sorted;
use super::limit::Caller;
use super::params::DatePath;
use crate::chart::{Chart, ChartError};
use crate::services::crypto::{self, BirthdaysResponse, CosmicResponse, MarketResponse, RefreshResponse};
use crate::state::WorkerState;

pub fn routes() -> OpenApiRouter<WorkerState> {
    OpenApiRouter::new()
        .routes(routes!(market))
        .routes(routes!(birthdays))
        .routes(routes!(refresh))
        .routes(routes!(chart))
        .routes(routes!(cosmic))
}

/// Every tracked coin with its stored market data and its cosmic readings.
#[utoipa::path(get, path = "/api/crypto/market", tag = "crypto", responses((status = 200, body = MarketResponse)))]
async fn market(State(state): State<WorkerState>) -> ApiResult<Sorted<MarketResponse>> {
    Ok(Sorted(crypto::market(&state.db).await?))
}

/// The tracked coins and their genesis days.
#[utoipa::path(get, path = "/api/crypto/birthdays", tag = "crypto", responses((status = 200, body = BirthdaysResponse)))]
async fn birthdays() -> Sorted<BirthdaysResponse> {
    Sorted(crypto::birthdays())
}

/// Fetches and stores the market now (admin only: it spends the CoinGecko quota).
#[utoipa::path(post, path = "/api/crypto/refresh", tag = "crypto", security(("bearer" = [])), responses(
    (status = 200, body = RefreshResponse),
    (status = 401, body = ErrorBody),
    (status = 403, description = "Admin access required", body = ErrorBody),
    (status = 502, description = "CoinGecko failed; `error` says how", body = RefreshResponse),
))]
async fn refresh(State(state): State<WorkerState>, AdminCaller(admin): AdminCaller) -> Response {
    match state.services.market_refresh.refresh(&state.db, None).await {
        Ok(coins) => {
            tracing::info!(admin = %admin.wallet, coins, "market refreshed by hand");
            Sorted(RefreshResponse {
                success: true,
                coins_updated: coins,
                error: None,
            })
            .into_response()
        }
        Err(error) => {
            let body = RefreshResponse {
                success: false,
                coins_updated: 0,
                error: Some(error.to_string()),
            };
            (StatusCode::BAD_GATEWAY, Sorted(body)).into_response()
        }
    }
}

/// The chart body with `X-Cache: HIT` or `MISS`, as the original sent.
fn chart_response(chart: Chart) -> Response {
    let cache = if chart.cached { "HIT" } else { "MISS" };
    let mut response = ([(CONTENT_TYPE, "application/json")], chart.body).into_response();
    response
        .headers_mut()
        .insert("x-cache", axum::http::HeaderValue::from_static(cache));
    response
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ChartQuery {
    /// Days of history, 1 to 365 (default 365).
    days: Option<String>,
}

/// CoinGecko's `market_chart` through our cache (`chart:{id}:{days}`, 10 min to 6 h by range),
/// limited per caller; see [`crate::chart`] for what protects the CoinGecko quota.
#[utoipa::path(get, path = "/api/crypto/chart/{id}", tag = "crypto", security((), ("bearer" = [])),
    params(("id" = String, Path, description = "A CoinGecko coin id"), ChartQuery), responses(
    (status = 200, description = "CoinGecko's `market_chart` as it came; `X-Cache: HIT` or `MISS`",
        body = serde_json::Value, headers(("x-cache" = String))),
    (status = 400, description = "Invalid id or days", body = ErrorBody),
    (status = 404, description = "CoinGecko does not know the coin", body = ErrorBody),
    (status = 429, description = "The caller's chart requests per minute are spent; `retryAfter` seconds", body = ErrorBody),
    (status = 502, description = "CoinGecko failed", body = ErrorBody),
    (status = 503, description = "CoinGecko is rate-limiting us or the hour's budget for untracked coins is spent; `retryAfter` seconds", body = ErrorBody),
))]
async fn chart(
    State(state): State<WorkerState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<ChartQuery>,
) -> Result<Response, ChartError> {
    let chart = crypto::chart(
        &*state.cache,
        &state.services.chart,
        &caller.subject(),
        state.settings.rate_limit.chart_per_minute,
        &id,
        query.days.as_deref(),
    )
    .await?;
    Ok(chart_response(chart))
}

/// How every tracked coin aligns with a birth date today, best first.
#[utoipa::path(get, path = "/api/crypto/cosmic/{birthDate}", tag = "crypto",
    params(("birthDate" = String, Path, description = "`YYYY-MM-DD`")), responses(
    (status = 200, body = CosmicResponse),
    (status = 400, description = "Not a `YYYY-MM-DD` date in the calendar's range", body = ErrorBody),
))]
async fn cosmic(
    State(state): State<WorkerState>,
    DatePath(birth): DatePath,
) -> ApiResult<Sorted<CosmicResponse>> {
    Ok(Sorted(crypto::cosmic(&state.db, birth).await?))
}
