//! The oracle's and the chart proxy's own quotas, on top of the per-minute limits that
//! `neptu_http::RateLimiter` puts on every route: one per signed-in wallet, or per address for
//! anyone else (`ORACLE_RATE_LIMIT_PER_HOUR`, `CHART_RATE_LIMIT_PER_MINUTE`), and for the
//! oracle one per client address whoever is signed in (`ORACLE_RATE_LIMIT_PER_ADDRESS_PER_HOUR`).
//! Without that one, every fresh wallet signed in from one address would bring a full quota of
//! model calls of its own. The oracle counts only fresh answers, so the quotas are spent by the
//! handlers rather than by a layer. Counting is `neptu_http::rate_limit::count`, shared with
//! the per-minute limits: fixed windows in the cache, shared by every replica, failing open
//! when the cache cannot count (an outage of the cache must not take the oracle down with it).

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use neptu_http::auth::SignedIn;
use neptu_http::{ApiError, client_ip};
use neptu_shared::auth::Auth;
use neptu_shared::domain::rate_limit::Subject;

use crate::services::quota::count;
use crate::state::WorkerState;

const WINDOW: Duration = Duration::from_secs(3600);

/// Who is calling, for counting: the wallet of a valid token (if any) and the client address.
pub struct Caller {
    pub wallet: Option<String>,
    pub address: IpAddr,
}

impl Caller {
    /// Whose own quota a request is counted in: the wallet, else the address.
    pub fn subject(&self) -> Subject {
        match &self.wallet {
            Some(wallet) => Subject::Wallet(wallet.clone()),
            None => Subject::Ip(self.address),
        }
    }
}

impl FromRequestParts<WorkerState> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &WorkerState) -> Result<Self, Self::Rejection> {
        let address = client_ip::of_parts(parts, state.settings.rate_limit.trust_proxy);
        // A missing or invalid token is not an error here: the oracle is public.
        let mut wallet = None;
        if parts.headers.contains_key(header::AUTHORIZATION)
            && let Ok(SignedIn(caller)) =
                SignedIn::from_request_parts(parts, &Arc::<Auth>::clone(&state.auth)).await
        {
            wallet = Some(caller.wallet);
        }
        Ok(Caller { wallet, address })
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

/// Counts one request of `caller`, in its own quota and then in its address's; [`Limited`]
/// (a 429 with `Retry-After`) once either is spent this hour. A request refused by its own
/// quota is not counted against the address.
pub async fn check(state: &WorkerState, caller: &Caller) -> Result<(), Limited> {
    let limits = &state.settings.rate_limit;
    let cache = &*state.cache;
    count(cache, "oracle", &caller.subject(), limits.oracle_per_hour, WINDOW)
        .await
        .map_err(Limited)?;
    let address = Subject::Ip(caller.address);
    count(
        cache,
        "oracle-addr",
        &address,
        limits.oracle_per_address_per_hour,
        WINDOW,
    )
    .await
    .map_err(Limited)
}

fn too_many(retry_after: u64) -> Response {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "Too many oracle requests; try again later",
    )
    .retry_after(retry_after)
}
