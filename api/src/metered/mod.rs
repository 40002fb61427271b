//! The metered public API (`/api/v1`): developer keys, credits, per-key rate limits and
//! usage rows, kept off Postgres on the hot path.
//!
//! A call with `Authorization: Bearer nptu_…` goes through [`layer::meter`]:
//!
//! 1. **Key** ([`keys`]): the key's shape is checked, its row found by prefix through an
//!    in-process cache (about 2 s, absent prefixes too, one load at a time per prefix), its
//!    HMAC compared in constant time; inactive, expired, unknown keys and browser origins the
//!    key does not list are all "Invalid or expired API key". A key imported with the
//!    original's legacy hash is accepted only while it has no strong hash and gets one on
//!    first use. A revoked key is refused by every replica within about 2 s.
//! 2. **Scope and subscription**: the route's scope (`neptu:read`, `neptu:ai`) and an active
//!    subscription in its current cycle (403 otherwise).
//! 3. **Rate limit** ([`limit`]): the plan's calls per minute per key, counted in Redis so it
//!    holds across replicas, in slices of up to a fiftieth of the limit reserved at once;
//!    `X-RateLimit-*` headers, 429 with `Retry-After`. Fails open.
//! 4. **Credit** ([`credits`]): one credit (an AI credit on the oracle), unless the balance is
//!    unlimited (`-1`). Credits live only in Postgres and are *leased*: per replica, per
//!    subscription and kind, a block of up to `API_CREDIT_LEASE` credits is taken with one
//!    guarded `UPDATE` (never below zero, whatever runs concurrently) and then spent from an
//!    atomic counter in memory. A counter down to a quarter of its lease is topped up in the
//!    background, and the lease grows (up to 64 × `API_CREDIT_LEASE`) while leases go fast,
//!    so a busy subscription's calls do not wait for Postgres; an empty counter is refilled
//!    by one caller at a time (an async mutex per subscription and kind; the others wait and
//!    re-check). A lease takes at most a
//!    quarter of what is left, so when the balance is small it is spread over the replicas
//!    instead of stranded on one. An empty balance is remembered for 250 ms, so a flood of
//!    calls without credits is refused from memory (402 with what is left). Leases unused for
//!    3 s are given back, and every lease is given back at shutdown. A call answered 5xx, or
//!    dropped before its answer (the client hung up), gets its credit back (into the lease). So a credit is never spent that is not in Postgres,
//!    and never twice: each is moved out of the row once, into one counter, and taken from it
//!    by one compare-and-swap.
//! 5. **Usage** ([`usage`]): one row per call that got past the credit check (route template,
//!    method, status, time, credits, AI flag, address, user agent), queued in memory and
//!    written in batches by one task — with retries while Postgres is away, bounded memory,
//!    and a flush during the shutdown drain.
//!
//! The hot path therefore costs no Postgres statement and, for a busy key, no Redis round
//! trip either: the rate limit is counted in slices reserved from Redis, the key is looked
//! up again in the background about every second, and leases are taken ahead of need. [`Metering::shutdown`]
//! runs after the server has stopped and its in-flight requests are done: leases go back,
//! then the usage rows are written, both within the time left of the shutdown grace.

pub mod credits;
pub mod keys;
pub mod layer;
pub mod limit;
pub mod usage;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use neptu_http::ApiError;
use neptu_shared::cache::CacheStore;
use neptu_shared::config::Settings;
use neptu_shared::domain::api_keys::KeyHasher;
use serde_json::json;
use sqlx::PgPool;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use self::credits::{Ledger, Remaining};
use self::keys::KeyCache;
use self::usage::{Recorder, Writer};

/// How often idle leases are returned and stale key entries dropped.
const SWEEP_EVERY: Duration = Duration::from_secs(1);

/// Why a metered call is refused.
#[derive(Debug)]
pub enum MeterError {
    Unauthorized(&'static str),
    Forbidden(String),
    NoSubscription,
    InsufficientCredits(Remaining),
    RateLimited { retry_after: u64 },
    Database(sqlx::Error),
}

impl IntoResponse for MeterError {
    fn into_response(self) -> Response {
        match self {
            Self::Unauthorized(message) => ApiError::unauthorized(message).into_response(),
            Self::Forbidden(message) => ApiError::forbidden(message).into_response(),
            Self::NoSubscription => ApiError::forbidden("Active API subscription required").into_response(),
            Self::InsufficientCredits(remaining) => {
                ApiError::new(StatusCode::PAYMENT_REQUIRED, "Insufficient credits")
                    .with_field(
                        "remaining",
                        json!({ "basic": remaining.basic, "ai": remaining.ai }),
                    )
                    .into_response()
            }
            Self::RateLimited { retry_after } => {
                let mut response = ApiError::new(StatusCode::TOO_MANY_REQUESTS, "Rate limit exceeded")
                    .with_field("retryAfter", retry_after)
                    .into_response();
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, retry_after.into());
                response
            }
            Self::Database(error) => {
                tracing::warn!(%error, "metered call refused: database unavailable");
                ApiError::unavailable("Service temporarily unavailable").into_response()
            }
        }
    }
}

pub struct Inner {
    pub db: PgPool,
    pub cache: Arc<dyn CacheStore>,
    pub hasher: Arc<KeyHasher>,
    pub keys: KeyCache,
    pub credits: Arc<Ledger>,
    pub limits: limit::Limiter,
    pub usage: Recorder,
    pub trust_proxy: bool,
    background: Mutex<Option<Background>>,
}

struct Background {
    stop: CancellationToken,
    sweeper: JoinHandle<()>,
    writer: Writer,
}

/// The metering of `/api/v1`, shared by its routes; cheap to clone.
#[derive(Clone)]
pub struct Metering(Arc<Inner>);

impl std::ops::Deref for Metering {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl Metering {
    /// Starts the usage writer and the lease sweeper.
    pub fn start(
        settings: &Settings,
        db: PgPool,
        cache: Arc<dyn CacheStore>,
        hasher: Arc<KeyHasher>,
    ) -> Self {
        let (usage, writer) = Recorder::start(db.clone(), settings.developer.usage_buffer);
        let inner = Arc::new(Inner {
            credits: Arc::new(Ledger::new(db.clone(), settings.developer.credit_lease)),
            db,
            cache,
            hasher,
            keys: KeyCache::default(),
            limits: limit::Limiter::default(),
            usage,
            trust_proxy: settings.rate_limit.trust_proxy,
            background: Mutex::new(None),
        });
        let stop = CancellationToken::new();
        let sweeper = tokio::spawn(sweep(Arc::downgrade(&inner), stop.clone()));
        *inner.background.lock().unwrap_or_else(|e| e.into_inner()) = Some(Background {
            stop,
            sweeper,
            writer,
        });
        Self(inner)
    }

    /// After the server stopped: returns every lease, then writes every queued usage row,
    /// retrying both until `budget` is spent.
    pub async fn shutdown(&self, budget: Duration) {
        let deadline = tokio::time::Instant::now() + budget;
        let background = self.background.lock().unwrap_or_else(|e| e.into_inner()).take();
        let Some(background) = background else { return };
        background.stop.cancel();
        let _ = background.sweeper.await;
        self.credits.close();
        let returning = async {
            while self.credits.give_back_idle(Duration::ZERO).await > 0 {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        };
        if tokio::time::timeout_at(deadline, returning).await.is_err() {
            tracing::warn!("shutdown grace over with credits still leased");
        }
        background.writer.finish(deadline).await;
        tracing::info!("metering stopped: leases returned, usage written");
    }
}

async fn sweep(inner: std::sync::Weak<Inner>, stop: CancellationToken) {
    let mut tick = tokio::time::interval(SWEEP_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            () = stop.cancelled() => return,
        }
        let Some(inner) = inner.upgrade() else { return };
        inner.keys.sweep();
        inner.limits.sweep();
        inner.credits.give_back_idle(credits::IDLE_RETURN).await;
    }
}
