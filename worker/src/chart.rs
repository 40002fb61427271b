//! The chart proxy: CoinGecko's `market_chart` through the cache, spending as little of the
//! shared CoinGecko quota as it can.
//!
//! Anyone can ask for any coin id, so without care every unknown id costs an upstream call
//! and CoinGecko's 429s would stop the market refresh too. Hence: tracked coins always go
//! through; other ids draw on an hourly budget shared by every caller and replica; an id
//! CoinGecko does not know is remembered for a day; an upstream 429 stops chart calls (and
//! only chart calls: they have their own client and breaker) for its `Retry-After`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use neptu_http::ApiError;
use neptu_shared::cache::CacheStore;
use neptu_shared::clients::ClientError;
use neptu_shared::clients::coingecko::MarketData;
use neptu_shared::domain::crypto;

/// How long an id CoinGecko answered 404 for is answered 404 without asking again: a day for
/// an untracked id, 10 minutes for a tracked one (a 404 there is CoinGecko's passing trouble).
const MISS_TTL: Duration = Duration::from_secs(24 * 3600);
const TRACKED_MISS_TTL: Duration = Duration::from_secs(600);
/// The wait after an upstream 429 without a usable `Retry-After`, and the longest honoured.
const DEFAULT_BACKOFF_SECS: u64 = 60;
const MAX_BACKOFF_SECS: u64 = 3600;
/// What a caller is told to wait while the chart breaker is open (its cool-down is 5 min).
const BREAKER_RETRY_SECS: u64 = 60;
const HOUR: u64 = 3600;
/// Shared by the replicas: until when (Unix seconds) chart calls are held back.
const BACKOFF_KEY: &str = "chart:backoff";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChartError {
    Invalid,
    /// CoinGecko does not know the id (now or within the last day).
    UnknownCoin,
    /// The caller's per-minute quota is spent.
    Limited(u64),
    /// CoinGecko rate-limited us, or this hour's budget for untracked ids is spent, or the
    /// chart breaker is open: try again after this many seconds.
    Busy {
        message: &'static str,
        retry_after: u64,
    },
    /// CoinGecko failed otherwise.
    Upstream(String),
}

impl IntoResponse for ChartError {
    fn into_response(self) -> Response {
        let (error, retry_after) = match self {
            ChartError::Invalid => (ApiError::bad_request("Invalid id or days param"), None),
            ChartError::UnknownCoin => (ApiError::not_found("Unknown coin"), None),
            ChartError::Limited(secs) => (
                ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Too many chart requests; try again later",
                ),
                Some(secs),
            ),
            ChartError::Busy { message, retry_after } => (ApiError::unavailable(message), Some(retry_after)),
            ChartError::Upstream(message) => (ApiError::new(StatusCode::BAD_GATEWAY, message), None),
        };
        match retry_after {
            Some(secs) => error.retry_after(secs),
            None => error.into_response(),
        }
    }
}

/// A chart body and whether it came from the cache.
pub struct Chart {
    pub body: String,
    pub cached: bool,
}

pub struct ChartProxy {
    market_data: Arc<dyn MarketData>,
    untracked_per_hour: u32,
    /// This replica's copy of the backoff (Unix seconds), for when the cache is away.
    backoff_until: AtomicU64,
}

fn now_secs() -> u64 {
    chrono::Utc::now().timestamp().max(0) as u64
}

impl ChartProxy {
    pub fn new(market_data: Arc<dyn MarketData>, untracked_per_hour: u32) -> Self {
        Self {
            market_data,
            untracked_per_hour,
            backoff_until: AtomicU64::new(0),
        }
    }

    /// The chart of `id` over `days` (`None`: a year).
    pub async fn chart(
        &self,
        cache: &dyn CacheStore,
        id: &str,
        days: Option<&str>,
    ) -> Result<Chart, ChartError> {
        let days = days
            .unwrap_or("365")
            .parse::<u32>()
            .map_err(|_| ChartError::Invalid)?;
        let ttl = crypto::chart_ttl(days).ok_or(ChartError::Invalid)?;
        if !crypto::valid_chart_id(id) {
            return Err(ChartError::Invalid);
        }
        let key = format!("chart:{id}:{days}");
        if let Some(body) = cache.get(&key).await {
            return Ok(Chart { body, cached: true });
        }
        let miss_key = format!("chart-miss:{id}");
        if cache.get(&miss_key).await.is_some() {
            return Err(ChartError::UnknownCoin);
        }
        self.backing_off(cache).await?;
        if !crypto::is_tracked(id) {
            self.spend_untracked(cache).await?;
        }
        match self.market_data.market_chart(id, days).await {
            Ok(chart) => {
                let body = chart.to_string();
                let _ = cache.put(&key, &body, Some(ttl)).await;
                Ok(Chart { body, cached: false })
            }
            Err(error) => Err(self.failed(cache, id, &miss_key, error).await),
        }
    }

    /// Refuses while an upstream 429's `Retry-After` runs (this replica's or another's).
    async fn backing_off(&self, cache: &dyn CacheStore) -> Result<(), ChartError> {
        let now = now_secs();
        let shared = cache
            .get(BACKOFF_KEY)
            .await
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0);
        let until = shared.max(self.backoff_until.load(Ordering::Relaxed));
        if until > now {
            return Err(ChartError::Busy {
                message: "CoinGecko is rate-limiting chart requests; try again later",
                retry_after: until - now,
            });
        }
        Ok(())
    }

    /// One upstream lookup of an untracked id from this hour's budget. Fails closed: without
    /// the cache to count, untracked ids are not looked up at all.
    async fn spend_untracked(&self, cache: &dyn CacheStore) -> Result<(), ChartError> {
        if self.untracked_per_hour == 0 {
            return Err(ChartError::UnknownCoin);
        }
        let now = now_secs();
        let start = now - now % HOUR;
        let retry_after = start + HOUR - now;
        let spent = ChartError::Busy {
            message: "Chart lookups for untracked coins are used up; try again later",
            retry_after,
        };
        let key = format!("chart:untracked:{start}");
        match cache.increment(&key, Duration::from_secs(retry_after)).await {
            Ok(count) if count <= u64::from(self.untracked_per_hour) => Ok(()),
            Ok(_) => Err(spent),
            Err(error) => {
                tracing::debug!(%error, "untracked chart lookups cannot be counted; refusing");
                Err(spent)
            }
        }
    }

    async fn failed(
        &self,
        cache: &dyn CacheStore,
        id: &str,
        miss_key: &str,
        error: ClientError,
    ) -> ChartError {
        tracing::warn!(%error, coin = %id, "chart proxy failed");
        match error {
            ClientError::Status { status: 404, .. } => {
                let ttl = if crypto::is_tracked(id) {
                    TRACKED_MISS_TTL
                } else {
                    MISS_TTL
                };
                let _ = cache.put(miss_key, "1", Some(ttl)).await;
                ChartError::UnknownCoin
            }
            ClientError::Status {
                status: 429,
                retry_after,
                ..
            } => {
                let secs = retry_after
                    .filter(|s| *s > 0)
                    .unwrap_or(DEFAULT_BACKOFF_SECS)
                    .min(MAX_BACKOFF_SECS);
                let until = now_secs() + secs;
                self.backoff_until.fetch_max(until, Ordering::Relaxed);
                let _ = cache
                    .put(BACKOFF_KEY, &until.to_string(), Some(Duration::from_secs(secs)))
                    .await;
                ChartError::Busy {
                    message: "CoinGecko is rate-limiting chart requests; try again later",
                    retry_after: secs,
                }
            }
            ClientError::Status { status, .. } => {
                ChartError::Upstream(format!("CoinGecko returned {status}"))
            }
            ClientError::CircuitOpen(_) => ChartError::Busy {
                message: "CoinGecko unavailable",
                retry_after: BREAKER_RETRY_SECS,
            },
            _ => ChartError::Upstream("CoinGecko unavailable".into()),
        }
    }
}
