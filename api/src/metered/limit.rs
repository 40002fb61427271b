//! The plan's per-minute limit of one key, counted in the cache so every replica shares it
//! (fixed one-minute windows, as the other limits). When the cache cannot count, the call goes
//! through (fail open, counted in `rate_limit_unavailable_total`); credits still hold, since
//! they are not kept in the cache.

use std::time::Duration;

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use neptu_shared::cache::CacheStore;
use neptu_shared::domain::rate_limit::{self, Subject};
use uuid::Uuid;

const WINDOW: Duration = Duration::from_secs(60);

/// Where a key stands in its window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub limit: u32,
    pub remaining: u64,
    /// Epoch seconds the window ends.
    pub reset: u64,
    /// `Some(seconds)` when the call is over the limit.
    pub retry_after: Option<u64>,
}

impl Standing {
    pub fn set_headers(&self, headers: &mut HeaderMap) {
        let mut put = |name: &'static str, value: u64| {
            headers.insert(HeaderName::from_static(name), HeaderValue::from(value));
        };
        put("x-ratelimit-limit", u64::from(self.limit));
        put("x-ratelimit-remaining", self.remaining);
        put("x-ratelimit-reset", self.reset);
    }
}

/// Counts one call of `key`; `None` when it was not counted (the cache is down).
pub async fn count(cache: &dyn CacheStore, key: Uuid, limit: u32) -> Option<Standing> {
    let now = chrono::Utc::now().timestamp().max(0) as u64;
    let window = rate_limit::window("v1", &Subject::Key(key), now, WINDOW);
    match cache.increment(&window.key, window.ttl).await {
        Ok(count) => Some(Standing {
            limit,
            remaining: u64::from(limit).saturating_sub(count),
            reset: now + window.retry_after,
            retry_after: (!rate_limit::allowed(count, limit)).then_some(window.retry_after),
        }),
        Err(error) => {
            metrics::counter!("rate_limit_unavailable_total").increment(1);
            tracing::debug!(%error, "API key rate limit not counted (cache unavailable); letting the call through");
            None
        }
    }
}
