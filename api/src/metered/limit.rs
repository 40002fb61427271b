//! The plan's per-minute limit of one key, counted in the cache so every replica shares it
//! (fixed one-minute windows, as the other limits).
//!
//! A replica does not ask the cache on every call: it reserves a *slice* of the window's
//! calls at once (one `INCRBY`) and spends it from memory. A slice is a fiftieth of the limit
//! (at most [`SLICE_MAX`]), so a key with a small limit is still counted call by call, and a
//! busy key costs one round trip per slice. The count in the cache includes every slice
//! reserved, spent or not, so the limit is never exceeded across replicas; the price is that
//! calls reserved by one replica and not made before the window ends are lost to the others
//! (at most one slice per replica and window).
//!
//! When the cache cannot count, the call goes through (fail open, counted in
//! `rate_limit_unavailable_total`); credits still hold, since they are not kept in the cache.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use neptu_shared::cache::CacheStore;
use neptu_shared::domain::rate_limit::{self, Subject};
use uuid::Uuid;

const WINDOW: Duration = Duration::from_secs(60);
/// Share of a key's limit reserved at once (1/50).
const SLICE_SHARE: u32 = 50;
/// Most calls reserved at once.
const SLICE_MAX: u32 = 500;
/// Keys tracked before stale windows are dropped.
const MAX_KEYS: usize = 100_000;

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

/// A key's reserved calls in one window on this replica.
#[derive(Default)]
struct Slice {
    /// Start (epoch seconds) of the window the slice belongs to.
    window: u64,
    /// Reserved and not yet spent.
    left: u64,
    /// The cache's count after the last reservation (all replicas' reservations).
    reserved: u64,
}

/// The per-key limits of this replica.
#[derive(Default)]
pub struct Limiter {
    slices: RwLock<HashMap<Uuid, Arc<Mutex<Slice>>>>,
}

impl Limiter {
    fn slice(&self, key: Uuid, window: u64) -> Arc<Mutex<Slice>> {
        if let Some(slice) = self.slices.read().ok().and_then(|s| s.get(&key).cloned()) {
            return slice;
        }
        let mut slices = self.slices.write().unwrap_or_else(|e| e.into_inner());
        if slices.len() >= MAX_KEYS {
            slices.retain(|_, s| s.lock().is_ok_and(|s| s.window >= window));
        }
        Arc::clone(slices.entry(key).or_default())
    }

    /// Counts one call of `key`; `None` when it was not counted (the cache is down).
    pub async fn count(&self, cache: &dyn CacheStore, key: Uuid, limit: u32) -> Option<Standing> {
        let now = chrono::Utc::now().timestamp().max(0) as u64;
        let window = rate_limit::window("v1", &Subject::Key(key), now, WINDOW);
        let start = now - now % WINDOW.as_secs();
        let standing = |remaining: u64, over: bool| Standing {
            limit,
            remaining,
            reset: now + window.retry_after,
            retry_after: over.then_some(window.retry_after),
        };
        let slice = self.slice(key, start);
        {
            let mut s = slice.lock().unwrap_or_else(|e| e.into_inner());
            if s.window == start && s.left > 0 {
                s.left -= 1;
                return Some(standing(unspent(limit, &s), false));
            }
        }
        let size = slice_size(limit);
        match cache.increment_by(&window.key, size, window.ttl).await {
            Ok(count) => {
                // This reservation covers the counts (count - size, count]; those within the
                // limit may be spent.
                let granted = u64::from(limit).saturating_sub(count - size).min(size);
                let mut s = slice.lock().unwrap_or_else(|e| e.into_inner());
                if s.window != start {
                    *s = Slice {
                        window: start,
                        ..Slice::default()
                    };
                }
                s.reserved = s.reserved.max(count);
                if granted == 0 {
                    return Some(standing(unspent(limit, &s), true));
                }
                s.left += granted - 1;
                Some(standing(unspent(limit, &s), false))
            }
            Err(error) => {
                metrics::counter!("rate_limit_unavailable_total").increment(1);
                tracing::debug!(%error, "API key rate limit not counted (cache unavailable); letting the call through");
                None
            }
        }
    }

    /// Forgets keys whose window is over (run now and then).
    pub fn sweep(&self) {
        let now = chrono::Utc::now().timestamp().max(0) as u64;
        let start = now - now % WINDOW.as_secs();
        let mut slices = self.slices.write().unwrap_or_else(|e| e.into_inner());
        slices.retain(|_, s| Arc::strong_count(s) > 1 || s.lock().is_ok_and(|s| s.window >= start));
    }
}

/// Calls reserved at once for a key allowed `limit` a minute.
fn slice_size(limit: u32) -> u64 {
    u64::from((limit / SLICE_SHARE).clamp(1, SLICE_MAX))
}

/// What the key has left in the window: not yet reserved by anyone, plus this replica's
/// unspent slice.
fn unspent(limit: u32, slice: &Slice) -> u64 {
    u64::from(limit).saturating_sub(slice.reserved) + slice.left
}

#[cfg(test)]
mod tests {
    use neptu_shared::cache::MemoryCache;

    use super::*;

    #[test]
    fn small_limits_are_counted_call_by_call() {
        assert_eq!(slice_size(1), 1);
        assert_eq!(slice_size(60), 1);
        assert_eq!(slice_size(1_000), 20);
        assert_eq!(slice_size(u32::MAX), u64::from(SLICE_MAX));
    }

    #[tokio::test]
    async fn two_replicas_never_exceed_the_limit_together() {
        let cache = MemoryCache::new("limit-test:", 1_000);
        let (a, b) = (Limiter::default(), Limiter::default());
        let key = Uuid::new_v4();
        let mut allowed = 0;
        for i in 0..2_000 {
            let replica = if i % 3 == 0 { &a } else { &b };
            let standing = replica.count(&cache, key, 1_000).await.unwrap();
            if standing.retry_after.is_none() {
                allowed += 1;
            }
        }
        assert!(allowed <= 1_000, "{allowed} calls allowed over a limit of 1000");
        // Each replica may strand at most one slice.
        assert!(allowed >= 1_000 - 2 * slice_size(1_000), "{allowed} allowed");
    }

    #[tokio::test]
    async fn the_call_over_the_limit_is_refused_with_retry_after() {
        let cache = MemoryCache::new("limit-test:", 1_000);
        let limiter = Limiter::default();
        let key = Uuid::new_v4();
        for left in (0..3).rev() {
            let standing = limiter.count(&cache, key, 3).await.unwrap();
            assert_eq!((standing.remaining, standing.retry_after), (left, None));
        }
        let over = limiter.count(&cache, key, 3).await.unwrap();
        assert_eq!(over.remaining, 0);
        assert!(over.retry_after.is_some_and(|s| s <= 60));
    }
}
