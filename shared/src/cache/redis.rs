//! Redis-backed cache on a deadpool-redis pool.
//!
//! Every call runs under one deadline (the configured timeout, ≈200 ms) covering the pool
//! wait, connecting, the health check deadpool does on checkout, and the command. A circuit
//! breaker skips Redis for a short while after repeated failures, so an outage costs a few
//! timeouts rather than one per request; its transitions are the (naturally rate-limited)
//! log lines.
//!
//! `rediss://` URLs connect over TLS (rustls, ring): the server's certificate must chain to the
//! built-in Mozilla roots, or to the configured CA bundle instead, and name the URL's host.

use std::future::Future;
use std::time::Duration;

use async_trait::async_trait;
use deadpool_redis::redis::{
    self, AsyncConnectionConfig, ConnectionInfo, ExistenceCheck, IntoConnectionInfo, SetExpiry, SetOptions,
    TlsCertificates,
};
use deadpool_redis::{Manager, Pool, Runtime, Timeouts};
use secrecy::{ExposeSecret, SecretString};

use super::{Backend, CacheError, CacheStats, CacheStore, Counters, namespaced};
use crate::breaker::{BreakerState, CircuitBreaker, Transition};

/// Consecutive failures that open the breaker, and how long it then stays open. Short: the
/// cache should come back quickly once Redis does.
const BREAKER_THRESHOLD: u32 = 3;
const BREAKER_COOLDOWN: Duration = Duration::from_secs(2);

/// `increment`: count, and give a new counter its expiry.
const INCREMENT_SCRIPT: &str = "local n = redis.call('INCRBY', KEYS[1], ARGV[2]) \
    if n == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n";

pub struct RedisCache {
    pool: Pool,
    prefix: String,
    timeout: Duration,
    breaker: CircuitBreaker,
    counters: Counters,
}

impl RedisCache {
    /// Builds the pool; no connection is made until the first call. A `rediss://` URL trusts
    /// the built-in roots.
    pub fn new(url: &SecretString, prefix: &str, timeout: Duration) -> anyhow::Result<Self> {
        Self::with_tls_roots(url, prefix, timeout, None)
    }

    /// Like [`RedisCache::new`]; `roots` (PEM certificates) replace the built-in roots for a
    /// `rediss://` URL, and are refused for any other.
    pub fn with_tls_roots(
        url: &SecretString,
        prefix: &str,
        timeout: Duration,
        roots: Option<&[u8]>,
    ) -> anyhow::Result<Self> {
        // rustls uses the process-wide provider; ring must be chosen before the first handshake.
        crate::clients::install_crypto_provider();
        let connection = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(timeout))
            .set_response_timeout(Some(timeout));
        let manager = Manager::new_with_config(connection_info(url, roots)?, connection)
            .map_err(|_| anyhow::anyhow!("REDIS_URL is not a usable Redis URL"))?;
        let pool = Pool::builder(manager)
            .max_size(16)
            .timeouts(Timeouts {
                wait: Some(timeout),
                create: Some(timeout),
                recycle: Some(timeout),
            })
            .runtime(Runtime::Tokio1)
            .build()?;
        Ok(Self {
            pool,
            prefix: prefix.to_owned(),
            timeout,
            breaker: CircuitBreaker::new(BREAKER_THRESHOLD, BREAKER_COOLDOWN),
            counters: Counters::default(),
        })
    }

    pub fn breaker_state(&self) -> BreakerState {
        self.breaker.state()
    }

    /// Runs one command under the deadline and the breaker. `None` means it failed, timed
    /// out, or was skipped; the failure is counted and fed to the breaker.
    async fn run<T, F, Fut>(&self, op: &'static str, command: F) -> Option<T>
    where
        F: FnOnce(deadpool_redis::Connection) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        if !self.breaker.allow() {
            self.counters.error();
            return None;
        }
        let attempt = async {
            let conn = self.pool.get().await.map_err(|e| e.to_string())?;
            command(conn).await.map_err(|e| e.to_string())
        };
        let outcome = match tokio::time::timeout(self.timeout, attempt).await {
            Ok(result) => result,
            Err(_) => Err(format!("no answer within {:?}", self.timeout)),
        };
        match outcome {
            Ok(value) => {
                if self.breaker.record_success() == Transition::Closed {
                    tracing::info!("cache: Redis answers again");
                }
                Some(value)
            }
            Err(error) => {
                self.counters.error();
                tracing::debug!(op, %error, "cache call failed");
                if self.breaker.record_failure() == Transition::Opened {
                    tracing::warn!(op, %error, cooldown = ?BREAKER_COOLDOWN,
                        "cache: Redis is failing; serving without it");
                }
                None
            }
        }
    }
}

/// The URL's connection settings, with the CA bundle attached. Errors never repeat the URL,
/// which may hold a password.
fn connection_info(url: &SecretString, roots: Option<&[u8]>) -> anyhow::Result<ConnectionInfo> {
    let Some(roots) = roots else {
        return url
            .expose_secret()
            .into_connection_info()
            .map_err(|_| anyhow::anyhow!("REDIS_URL is not a usable Redis URL"));
    };
    let certificates = TlsCertificates {
        client_tls: None,
        root_cert: Some(roots.to_vec()),
    };
    let client = redis::Client::build_with_tls(url.expose_secret(), certificates).map_err(|e| {
        anyhow::anyhow!(
            "REDIS_URL with REDIS_CA_FILE: a rediss:// URL and a PEM CA bundle are needed ({})",
            e.category()
        )
    })?;
    Ok(client.get_connection_info().clone())
}

/// `SET` options for a TTL; `None` means no expiry. Sub-millisecond TTLs round up to 1 ms.
fn expiry(ttl: Option<Duration>) -> SetOptions {
    let options = SetOptions::default();
    match ttl {
        Some(ttl) => options.with_expiration(SetExpiry::PX(ttl.as_millis().max(1) as u64)),
        None => options,
    }
}

#[async_trait]
impl CacheStore for RedisCache {
    async fn get(&self, key: &str) -> Option<String> {
        let key = namespaced(&self.prefix, key).ok()?;
        let value = self
            .run("get", |mut c| async move {
                redis::cmd("GET")
                    .arg(&key)
                    .query_async::<Option<String>>(&mut c)
                    .await
            })
            .await
            .flatten();
        self.counters.lookup(value.is_some());
        value
    }

    async fn put(&self, key: &str, value: &str, ttl: Option<Duration>) -> Result<(), CacheError> {
        let key = namespaced(&self.prefix, key)?;
        if ttl == Some(Duration::ZERO) {
            return self.delete_namespaced(key).await;
        }
        self.run("put", |mut c| async move {
            redis::cmd("SET")
                .arg(&key)
                .arg(value)
                .arg(expiry(ttl))
                .query_async::<()>(&mut c)
                .await
        })
        .await;
        Ok(())
    }

    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        let key = namespaced(&self.prefix, key)?;
        self.delete_namespaced(key).await
    }

    async fn take(&self, key: &str) -> Option<String> {
        let key = namespaced(&self.prefix, key).ok()?;
        let value = self
            .run("take", |mut c| async move {
                redis::cmd("GETDEL")
                    .arg(&key)
                    .query_async::<Option<String>>(&mut c)
                    .await
            })
            .await
            .flatten();
        self.counters.lookup(value.is_some());
        value
    }

    async fn put_if_absent(&self, key: &str, value: &str, ttl: Option<Duration>) -> Result<bool, CacheError> {
        let key = namespaced(&self.prefix, key)?;
        let options = expiry(ttl).conditional_set(ExistenceCheck::NX);
        // `SET … NX` answers OK when it stored the value and nil when the key existed.
        self.run("put_if_absent", |mut c| async move {
            redis::cmd("SET")
                .arg(&key)
                .arg(value)
                .arg(options)
                .query_async::<Option<String>>(&mut c)
                .await
        })
        .await
        .map(|reply| reply.is_some())
        .ok_or(CacheError::Unavailable)
    }

    async fn increment_by(&self, key: &str, by: u64, ttl: Duration) -> Result<u64, CacheError> {
        let key = namespaced(&self.prefix, key)?;
        let ttl_ms = ttl.as_millis().max(1) as u64;
        // One atomic round trip: INCR, and on the counter's creation its expiry, so every
        // window has a fixed end. A script rather than `PEXPIRE … NX`, which needs Redis 7.
        self.run("increment", |mut c| async move {
            redis::cmd("EVAL")
                .arg(INCREMENT_SCRIPT)
                .arg(1)
                .arg(&key)
                .arg(ttl_ms)
                .arg(by)
                .query_async::<u64>(&mut c)
                .await
        })
        .await
        .ok_or(CacheError::Unavailable)
    }

    async fn ping(&self) -> Result<(), String> {
        let attempt = async {
            let mut conn = self.pool.get().await.map_err(|e| e.to_string())?;
            redis::cmd("PING")
                .query_async::<String>(&mut conn)
                .await
                .map_err(|e| e.to_string())
        };
        match tokio::time::timeout(self.timeout, attempt).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(format!("no answer within {:?}", self.timeout)),
        }
    }

    fn backend(&self) -> Backend {
        Backend::Redis
    }

    fn stats(&self) -> CacheStats {
        self.counters.snapshot()
    }
}

impl RedisCache {
    async fn delete_namespaced(&self, key: String) -> Result<(), CacheError> {
        self.run("delete", |mut c| async move {
            redis::cmd("DEL").arg(&key).query_async::<()>(&mut c).await
        })
        .await;
        Ok(())
    }
}
