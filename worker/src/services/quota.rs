//! Counting one request against a quota of the worker's own (the oracle's hourly ones, the
//! chart proxy's per-minute one; `routes::limit` says who is counted). Counting is
//! `neptu_http::rate_limit::count`: fixed windows in the cache, shared by every replica,
//! failing open when the cache cannot count.

use std::time::Duration;

use neptu_http::rate_limit::{self, Counted};
use neptu_shared::cache::CacheStore;
use neptu_shared::domain::rate_limit::Subject;

/// Counts one request of `subject` in `scope`'s fixed window of `length`; `Err(seconds until
/// the window ends)` past `limit` (0: no limit).
pub async fn count(
    cache: &dyn CacheStore,
    scope: &str,
    subject: &Subject,
    limit: u32,
    length: Duration,
) -> Result<(), u64> {
    if limit == 0 {
        return Ok(());
    }
    match rate_limit::count(cache, scope, subject, limit, length).await {
        Counted::Over { retry_after, .. } => Err(retry_after),
        Counted::Within { .. } | Counted::Uncounted => Ok(()),
    }
}
