//! Request limits shared by every replica (counted in the cache, fixed one-minute windows):
//! `/api/auth/refresh` per client address in its own bucket (a page that wakes up refreshes
//! from several tabs at once, and that must never use up the sign-in quota), the rest of
//! `/api/auth/*` per client address, signed-in callers per wallet, everyone else per client
//! address. Every counted response carries `X-RateLimit-Limit`, `-Remaining` and `-Reset`
//! (epoch seconds); over the limit the answer is a 429 with `Retry-After` and
//! `{"success": false, "error": "Rate limit exceeded", "retryAfter": seconds}`.
//!
//! When the cache cannot count, requests go through (fail open): a Redis outage must not
//! take the service down. Such requests are logged at debug level and counted in
//! `rate_limit_unavailable_total`.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use super::client_ip::client_ip;
use super::error::ApiError;
use neptu_shared::auth::{Auth, Caller};
use neptu_shared::cache::CacheStore;
use neptu_shared::config::RateLimitSettings;
use neptu_shared::domain::rate_limit::{self, Subject};

const WINDOW: Duration = Duration::from_secs(60);
/// Counted apart from the rest of `/api/auth/*`.
const REFRESH_ROUTE: &str = "/api/auth/refresh";

#[derive(Clone)]
pub struct RateLimiter {
    pub cache: Arc<dyn CacheStore>,
    pub auth: Arc<Auth>,
    pub settings: RateLimitSettings,
}

impl RateLimiter {
    /// Whether any of the per-minute limits is on.
    pub fn enabled(&self) -> bool {
        let s = &self.settings;
        s.auth_per_minute > 0
            || s.refresh_per_minute > 0
            || s.public_per_minute > 0
            || s.signed_in_per_minute > 0
    }

    /// Puts the limits on `routes` (all of a binary's API routes, not its probes); with every
    /// limit off, the routes are left as they are.
    pub fn apply<S: Clone + Send + Sync + 'static>(self, routes: Router<S>) -> Router<S> {
        if self.enabled() {
            routes.layer(axum::middleware::from_fn_with_state(self, limit))
        } else {
            routes
        }
    }
}

async fn limit(State(limiter): State<RateLimiter>, mut request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned());
    let s = limiter.settings;
    let ip = Subject::Ip(client_ip(request.headers(), request.extensions(), s.trust_proxy));
    let (scope, subject, limit) = if route.as_deref() == Some(REFRESH_ROUTE) {
        ("refresh", ip, s.refresh_per_minute)
    } else if route.as_deref().is_some_and(|r| r.starts_with("/api/auth/")) {
        ("auth", ip, s.auth_per_minute)
    } else if let Some(caller) = signed_in(&limiter.auth, request.headers()) {
        let subject = Subject::Wallet(caller.wallet.clone());
        // The handler's extractor reuses this instead of checking the token again.
        request.extensions_mut().insert(caller);
        ("user", subject, s.signed_in_per_minute)
    } else {
        ("public", ip, s.public_per_minute)
    };
    if limit == 0 {
        return next.run(request).await;
    }
    let (count, reset) = match count(&*limiter.cache, scope, &subject, limit, WINDOW).await {
        Counted::Within { count, reset } => (count, reset),
        Counted::Over { retry_after, reset } => {
            metrics::counter!("rate_limit_rejected_total", "tier" => scope).increment(1);
            let mut response =
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, "Rate limit exceeded").retry_after(retry_after);
            set_headers(response.headers_mut(), limit, 0, reset);
            return response;
        }
        Counted::Uncounted => {
            metrics::counter!("rate_limit_unavailable_total").increment(1);
            return next.run(request).await;
        }
    };
    let mut response = next.run(request).await;
    let remaining = u64::from(limit).saturating_sub(count);
    set_headers(response.headers_mut(), limit, remaining, reset);
    response
}

/// One request counted in a fixed window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// The `count`-th request of a window that ends at `reset` (epoch seconds).
    Within { count: u64, reset: u64 },
    /// Over the limit: the window ends in `retry_after` seconds, at `reset`.
    Over { retry_after: u64, reset: u64 },
    /// The cache could not count: the request goes through (fail open).
    Uncounted,
}

/// Counts one request of `subject` in `scope`'s fixed window of `length`, against `limit`
/// (callers skip counting when a limit is off). Shared by these per-minute limits and the
/// worker's per-route quotas, so every limit counts, keys and fails open the same way.
pub async fn count(
    cache: &dyn CacheStore,
    scope: &str,
    subject: &Subject,
    limit: u32,
    length: Duration,
) -> Counted {
    let now = chrono::Utc::now().timestamp().max(0) as u64;
    let window = rate_limit::window(scope, subject, now, length);
    let reset = now + window.retry_after;
    match cache.increment(&window.key, window.ttl).await {
        Ok(count) if rate_limit::allowed(count, limit) => Counted::Within { count, reset },
        Ok(_) => Counted::Over {
            retry_after: window.retry_after,
            reset,
        },
        Err(error) => {
            tracing::debug!(%error, "rate limit not counted (cache unavailable); letting the request through");
            Counted::Uncounted
        }
    }
}

/// The caller of a valid bearer token, if any (an invalid one is the handler's business).
fn signed_in(auth: &Auth, headers: &HeaderMap) -> Option<Caller> {
    let token = headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")?;
    auth.caller_of_token(token.trim()).ok()
}

fn set_headers(headers: &mut HeaderMap, limit: u32, remaining: u64, reset: u64) {
    insert(
        headers,
        header::HeaderName::from_static("x-ratelimit-limit"),
        u64::from(limit),
    );
    insert(
        headers,
        header::HeaderName::from_static("x-ratelimit-remaining"),
        remaining,
    );
    insert(
        headers,
        header::HeaderName::from_static("x-ratelimit-reset"),
        reset,
    );
}

fn insert(headers: &mut HeaderMap, name: header::HeaderName, value: u64) {
    headers.insert(name, HeaderValue::from(value));
}
