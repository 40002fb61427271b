//! One behaviour suite run against both cache implementations, plus Redis failure tests.
//! Each test uses its own key prefix in the shared Redis.

mod contract;
mod redis_failures;
mod tls;

use std::sync::Arc;
use std::time::Duration;

use neptu_shared::cache::{CacheStore, MemoryCache, RedisCache};
use neptu_shared::testing::{redis_url, unique_prefix};
use secrecy::SecretString;

pub const TIMEOUT: Duration = Duration::from_millis(200);

pub fn redis_at(url: &str, prefix: &str) -> RedisCache {
    RedisCache::new(&SecretString::from(url.to_owned()), prefix, TIMEOUT).unwrap()
}

/// Both implementations, each with a fresh prefix.
pub fn stores() -> Vec<(&'static str, Arc<dyn CacheStore>)> {
    vec![
        ("memory", Arc::new(MemoryCache::new(&unique_prefix(), 10_000))),
        ("redis", Arc::new(redis_at(&redis_url(), &unique_prefix()))),
    ]
}
