//! The oracle's and the chart proxy's rate limits: a fixed window per signed-in wallet, or
//! per address for anyone else, counted in the cache so every replica shares it. When the cache cannot
//! count, requests go through (fail open): an outage of the cache must not take the oracle
//! down with it.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use neptu_shared::auth::{Auth, SignedIn};
use neptu_shared::domain::rate_limit::{self, Subject};
use neptu_shared::http::client_ip;
use serde_json::json;

use crate::state::WorkerState;

const WINDOW: Duration = Duration::from_secs(3600);

/// Who is calling, for counting: the wallet of a valid token, else the client address.
pub struct Caller(pub Subject);

impl FromRequestParts<WorkerState> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &WorkerState) -> Result<Self, Self::Rejection> {
        // A missing or invalid token is not an error here: the oracle is public.
        if parts.headers.contains_key(header::AUTHORIZATION)
            && let Ok(SignedIn(caller)) =
                SignedIn::from_request_parts(parts, &Arc::<Auth>::clone(&state.auth)).await
        {
            return Ok(Caller(Subject::Wallet(caller.wallet)));
        }
        Ok(Caller(Subject::Ip(client_ip::of_parts(
            parts,
            state.settings.rate_limit.trust_proxy,
        ))))
    }
}

/// The hour's quota is spent; retry after this many seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limited(pub u64);

impl IntoResponse for Limited {
    fn into_response(self) -> Response {
        too_many(self.0)
    }
}

/// Counts one request of `caller`; [`Limited`] (a 429 with `Retry-After`) once the hour's
/// quota is spent.
pub async fn check(state: &WorkerState, caller: &Caller) -> Result<(), Limited> {
    let limit = state.settings.rate_limit.oracle_per_hour;
    within(state, caller, "oracle", limit, WINDOW)
        .await
        .map_err(Limited)
}

/// Counts one request of `caller` in `scope`'s fixed window of `length`; `Err(seconds until
/// the window ends)` past `limit` (0: no limit).
pub async fn within(
    state: &WorkerState,
    caller: &Caller,
    scope: &str,
    limit: u32,
    length: Duration,
) -> Result<(), u64> {
    if limit == 0 {
        return Ok(());
    }
    let now = chrono::Utc::now().timestamp().max(0) as u64;
    let window = rate_limit::window(scope, &caller.0, now, length);
    match state.cache.increment(&window.key, window.ttl).await {
        Ok(count) if rate_limit::allowed(count, limit) => Ok(()),
        Ok(_) => Err(window.retry_after),
        Err(error) => {
            tracing::debug!(%error, "rate limit not counted (cache unavailable); letting the request through");
            Ok(())
        }
    }
}

fn too_many(retry_after: u64) -> Response {
    let body = axum::Json(json!({
        "success": false,
        "error": "Too many oracle requests; try again later",
        "retryAfter": retry_after,
    }));
    let mut response = (StatusCode::TOO_MANY_REQUESTS, body).into_response();
    if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}
