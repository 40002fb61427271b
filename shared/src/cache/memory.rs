//! In-process cache for runs without Redis and for tests: bounded, TTL-aware, per process
//! (so not shared between replicas).

use std::time::{Duration, Instant};

use async_trait::async_trait;
use moka::Expiry;
use moka::sync::Cache;

use super::{Backend, CacheError, CacheStats, CacheStore, Counters, namespaced};

/// Entries kept before the least useful ones are evicted.
pub const DEFAULT_CAPACITY: u64 = 100_000;

#[derive(Clone)]
struct Entry {
    value: String,
    ttl: Option<Duration>,
    /// Checked on removal too, since an expired entry may still sit in the map.
    expires_at: Option<Instant>,
}

impl Entry {
    fn new(value: &str, ttl: Option<Duration>) -> Self {
        Self {
            value: value.to_owned(),
            ttl,
            expires_at: ttl.map(|ttl| Instant::now() + ttl),
        }
    }

    fn live(self) -> Option<String> {
        match self.expires_at {
            Some(at) if at <= Instant::now() => None,
            _ => Some(self.value),
        }
    }
}

/// Each entry expires after its own TTL; none means never.
struct PerEntryTtl;

impl Expiry<String, Entry> for PerEntryTtl {
    fn expire_after_create(&self, _: &String, entry: &Entry, _: Instant) -> Option<Duration> {
        entry.ttl
    }

    fn expire_after_update(
        &self,
        _: &String,
        entry: &Entry,
        _: Instant,
        _: Option<Duration>,
    ) -> Option<Duration> {
        entry.ttl
    }
}

pub struct MemoryCache {
    prefix: String,
    entries: Cache<String, Entry>,
    counters: Counters,
}

impl MemoryCache {
    pub fn new(prefix: &str, capacity: u64) -> Self {
        Self {
            prefix: prefix.to_owned(),
            entries: Cache::builder()
                .max_capacity(capacity)
                .expire_after(PerEntryTtl)
                .build(),
            counters: Counters::default(),
        }
    }
}

#[async_trait]
impl CacheStore for MemoryCache {
    async fn get(&self, key: &str) -> Option<String> {
        let key = namespaced(&self.prefix, key).ok()?;
        let value = self.entries.get(&key).and_then(Entry::live);
        self.counters.lookup(value.is_some());
        value
    }

    async fn put(&self, key: &str, value: &str, ttl: Option<Duration>) -> Result<(), CacheError> {
        let key = namespaced(&self.prefix, key)?;
        if ttl == Some(Duration::ZERO) {
            self.entries.invalidate(&key);
        } else {
            self.entries.insert(key, Entry::new(value, ttl));
        }
        Ok(())
    }

    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        self.entries.invalidate(&namespaced(&self.prefix, key)?);
        Ok(())
    }

    async fn take(&self, key: &str) -> Option<String> {
        let key = namespaced(&self.prefix, key).ok()?;
        let value = self.entries.remove(&key).and_then(Entry::live);
        self.counters.lookup(value.is_some());
        value
    }

    async fn put_if_absent(&self, key: &str, value: &str, ttl: Option<Duration>) -> Result<bool, CacheError> {
        let key = namespaced(&self.prefix, key)?;
        let entry = self.entries.entry(key).or_insert_with(|| Entry::new(value, ttl));
        Ok(entry.is_fresh())
    }

    async fn increment_by(&self, key: &str, by: u64, ttl: Duration) -> Result<u64, CacheError> {
        let key = namespaced(&self.prefix, key)?;
        // `and_compute_with` runs under the entry's lock, so concurrent increments serialise.
        let entry = self.entries.entry(key).and_compute_with(|current| {
            let live = current
                .map(|e| e.into_value())
                .filter(|e| e.expires_at.is_none_or(|at| at > Instant::now()));
            let next = match live {
                Some(mut entry) => {
                    let count = entry.value.parse::<u64>().unwrap_or(0) + by;
                    entry.value = count.to_string();
                    // Keep the window's end: the remaining time becomes the entry's TTL.
                    entry.ttl = entry
                        .expires_at
                        .map(|at| at.saturating_duration_since(Instant::now()));
                    entry
                }
                None => Entry::new(&by.to_string(), Some(ttl)),
            };
            moka::ops::compute::Op::Put(next)
        });
        let value = match entry {
            moka::ops::compute::CompResult::Inserted(e) | moka::ops::compute::CompResult::ReplacedWith(e) => {
                e.into_value().value
            }
            _ => return Err(CacheError::Unavailable),
        };
        Ok(value.parse().unwrap_or(by))
    }

    async fn ping(&self) -> Result<(), String> {
        Ok(())
    }

    fn backend(&self) -> Backend {
        Backend::Memory
    }

    fn stats(&self) -> CacheStats {
        self.counters.snapshot()
    }
}
