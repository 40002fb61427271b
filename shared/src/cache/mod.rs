//! The cache: a key-value store with Workers KV semantics, backed by Redis or by memory.
//!
//! Rules every implementation keeps:
//! - a value put without a TTL never expires;
//! - every key is namespaced by the configured prefix (the Redis may be shared);
//! - the cache is never the only copy of anything that matters, so a failing or slow store
//!   costs only hits: reads become misses and writes are dropped, logged and counted, and no
//!   call takes longer than the configured bound (≈200 ms).

mod memory;
mod redis;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;

pub use self::memory::MemoryCache;
pub use self::redis::RedisCache;
use crate::config::CacheSettings;

/// Longest key accepted (before the prefix); longer keys are a programming error.
pub const MAX_KEY_LEN: usize = 512;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CacheError {
    /// The key is empty or longer than [`MAX_KEY_LEN`].
    #[error("invalid cache key")]
    InvalidKey,
    /// The store could not answer; only returned where the caller must decide what that
    /// means ([`CacheStore::put_if_absent`]).
    #[error("cache unavailable")]
    Unavailable,
}

/// Which store answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Redis,
    Memory,
}

#[async_trait]
pub trait CacheStore: Send + Sync + 'static {
    /// The value, or `None` when absent, expired, or the store failed.
    async fn get(&self, key: &str) -> Option<String>;

    /// Stores a value; `ttl: None` means no expiry. A store failure drops the write and
    /// still returns `Ok`: only an invalid key is an error.
    async fn put(&self, key: &str, value: &str, ttl: Option<Duration>) -> Result<(), CacheError>;

    /// Removes a key (absent is fine). Failures are dropped like writes.
    async fn delete(&self, key: &str) -> Result<(), CacheError>;

    /// Reads and removes a key atomically, so a single-use value (a sign-in nonce) can be
    /// consumed by one caller only.
    async fn take(&self, key: &str) -> Option<String>;

    /// Stores the value only if the key is absent; `Ok(true)` when this call stored it.
    /// Atomic, for locks and dedup markers. `Err(Unavailable)` when the store failed, so the
    /// caller chooses between failing open and failing closed.
    async fn put_if_absent(&self, key: &str, value: &str, ttl: Option<Duration>) -> Result<bool, CacheError>;

    /// Adds one to a counter and returns the new value; the first increment creates the key
    /// with `ttl` (later ones leave the expiry alone, so the window is fixed). Atomic, for rate
    /// limits. `Err(Unavailable)` when the store failed: the caller decides whether to fail
    /// open or closed.
    async fn increment(&self, key: &str, ttl: Duration) -> Result<u64, CacheError> {
        self.increment_by(key, 1, ttl).await
    }

    /// Adds `by` to a counter and returns the new value, as [`CacheStore::increment`] does:
    /// for limits counted in slices (a replica reserves several calls at once).
    async fn increment_by(&self, key: &str, by: u64, ttl: Duration) -> Result<u64, CacheError>;

    /// Round-trips to the store within the timeout, for readiness checks.
    async fn ping(&self) -> Result<(), String>;

    fn backend(&self) -> Backend;

    fn stats(&self) -> CacheStats;
}

/// Counters since start, for metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    /// Failed or timed-out calls, and calls skipped while the store was known to be down.
    pub errors: u64,
}

#[derive(Debug, Default)]
struct Counters {
    hits: AtomicU64,
    misses: AtomicU64,
    errors: AtomicU64,
}

impl Counters {
    fn lookup(&self, found: bool) {
        let counter = if found { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    fn error(&self) {
        self.errors.fetch_add(1, Ordering::Relaxed);
    }

    fn snapshot(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            errors: self.errors.load(Ordering::Relaxed),
        }
    }
}

/// Prefixes a key after checking it.
fn namespaced(prefix: &str, key: &str) -> Result<String, CacheError> {
    if key.is_empty() || key.len() > MAX_KEY_LEN {
        return Err(CacheError::InvalidKey);
    }
    let mut full = String::with_capacity(prefix.len() + key.len());
    full.push_str(prefix);
    full.push_str(key);
    Ok(full)
}

/// Builds the configured cache: Redis when `REDIS_URL` is set, memory otherwise. Never
/// connects here, so start-up does not depend on Redis.
pub fn from_settings(settings: &CacheSettings) -> anyhow::Result<Arc<dyn CacheStore>> {
    Ok(match &settings.redis_url {
        Some(url) => Arc::new(RedisCache::with_tls_roots(
            url,
            &settings.prefix,
            settings.timeout,
            settings.redis_ca_file.as_ref().map(|ca| ca.pem()),
        )?),
        None => Arc::new(MemoryCache::new(&settings.prefix, memory::DEFAULT_CAPACITY)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked_and_prefixed() {
        assert_eq!(
            namespaced("neptu:", "daily:2026-01-01").unwrap(),
            "neptu:daily:2026-01-01"
        );
        assert_eq!(namespaced("p:", ""), Err(CacheError::InvalidKey));
        assert_eq!(
            namespaced("p:", &"k".repeat(MAX_KEY_LEN + 1)),
            Err(CacheError::InvalidKey)
        );
    }
}
