//! Postgres access: the pool, the embedded migrations, and one repository module per table.
//!
//! Repositories are plain async functions over any executor (`&PgPool`, a transaction, a
//! connection), return typed rows, and use runtime-checked queries: the integration tests
//! run every query against a real, migrated database, so builds need no live database or
//! prepared query cache.

pub mod api_keys;
pub mod api_packs;
pub mod api_payments;
pub mod api_plans;
pub mod api_subscriptions;
pub mod api_usage;
pub mod auth_revocations;
pub mod cron_runs;
pub mod crypto_market;
pub mod daily_readings;
pub mod job_queue;
pub mod locks;
pub mod payments;
pub mod pricing_plans;
pub mod readings;
pub mod referrals;
pub mod refresh_tokens;
pub mod schema_status;
pub mod sign_in_nonces;
pub mod token_transactions;
pub mod user_rewards;
pub mod user_streaks;
pub mod users;

mod catalog_writes;
mod page;

use std::time::{Duration, Instant};

use sqlx::PgPool;
use sqlx::migrate::Migrator;
use sqlx::postgres::PgPoolOptions;

use crate::config::DatabaseSettings;

pub use page::{Page, PageRequest};

/// The schema, embedded at compile time from `migrations/` at the workspace root.
pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations");

/// A connection idle longer than this is checked with a round trip before it is handed out.
const CHECK_IF_IDLE_FOR: Duration = Duration::from_secs(1);

/// Builds the pool without connecting, so a process starts (and answers `/health`) while
/// Postgres is down; `/ready` reports it. Short acquire timeouts make requests fail fast
/// with a 503 during an outage instead of queueing.
///
/// sqlx checks every connection with a round trip when it is released. Checking it again on
/// every checkout would add a second round trip to each query, so only connections that sat
/// idle (and may have been closed by a server restart meanwhile) are checked on checkout. A
/// connection that breaks between release and reuse fails that one query, which is then a
/// 503, and is discarded.
pub fn pool(settings: &DatabaseSettings, application_name: &str) -> PgPool {
    PgPoolOptions::new()
        .max_connections(settings.max_connections)
        .acquire_timeout(settings.acquire_timeout)
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for > CHECK_IF_IDLE_FOR {
                    sqlx::Connection::ping(conn).await?;
                }
                Ok(true)
            })
        })
        .idle_timeout(Duration::from_secs(300))
        .max_lifetime(Duration::from_secs(1800))
        .connect_lazy_with(settings.connect_options(application_name))
}

/// Applies pending migrations. Safe to run from several processes at once: the migrator
/// holds a Postgres advisory lock while it works, so the others wait and then find nothing
/// left to do.
pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await
}

/// [`migrate`], retried while the database is unreachable (it may still be starting) for up
/// to `limit`. Errors in the migrations themselves are returned at once.
pub async fn migrate_with_retry(pool: &PgPool, limit: Duration) -> anyhow::Result<()> {
    let started = Instant::now();
    loop {
        match migrate(pool).await {
            Ok(()) => return Ok(()),
            Err(sqlx::migrate::MigrateError::Execute(e))
                if is_unavailable(&e) && started.elapsed() < limit =>
            {
                tracing::warn!(error = %e, "database unreachable; retrying migrations");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Err(e) => return Err(anyhow::Error::new(e).context("applying migrations")),
        }
    }
}

/// Whether every embedded migration has been applied successfully.
pub async fn schema_is_current(pool: &PgPool) -> Result<bool, sqlx::Error> {
    let Some(latest) = MIGRATOR.iter().map(|m| m.version).max() else {
        return Ok(true);
    };
    let applied: Option<bool> = sqlx::query_scalar("SELECT success FROM _sqlx_migrations WHERE version = $1")
        .bind(latest)
        .fetch_optional(pool)
        .await
        .or_else(|e| match &e {
            // The bookkeeping table does not exist yet: nothing applied.
            sqlx::Error::Database(db) if db.code().as_deref() == Some("42P01") => Ok(None),
            _ => Err(e),
        })?;
    Ok(applied == Some(true))
}

#[derive(Debug, thiserror::Error)]
#[error("the database schema was not current after {waited:?}: {last}")]
pub struct SchemaWaitError {
    pub waited: Duration,
    pub last: String,
}

/// Waits until the schema is current (the API migrates; the worker waits for it). Polls
/// every `interval`, logging each miss, and gives up after `limit`.
pub async fn wait_for_schema(
    pool: &PgPool,
    limit: Duration,
    interval: Duration,
) -> Result<(), SchemaWaitError> {
    let started = Instant::now();
    loop {
        let last = match schema_is_current(pool).await {
            Ok(true) => return Ok(()),
            Ok(false) => "migrations pending".to_owned(),
            Err(e) => e.to_string(),
        };
        let waited = started.elapsed();
        if waited >= limit {
            return Err(SchemaWaitError { waited, last });
        }
        tracing::info!(reason = %last, waited_secs = waited.as_secs(), "waiting for the database schema");
        tokio::time::sleep(interval.min(limit.saturating_sub(waited))).await;
    }
}

/// Round-trips `SELECT 1` within `timeout`, for readiness checks.
pub async fn ping(pool: &PgPool, timeout: Duration) -> Result<(), String> {
    match tokio::time::timeout(timeout, sqlx::query("SELECT 1").execute(pool)).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("no answer within {timeout:?}")),
    }
}

/// True for errors that mean "the database is unreachable or overloaded", which callers
/// report as 503 rather than 500.
pub fn is_unavailable(error: &sqlx::Error) -> bool {
    matches!(
        error,
        sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::WorkerCrashed
            // A peer that closes the connection mid-handshake (a proxy or load balancer in
            // front of a database that is down) reads as garbage: "unexpected response from
            // SSLRequest: 0x00".
            | sqlx::Error::Protocol(_)
    ) || matches!(error, sqlx::Error::Database(db) if db.code().is_some_and(|c| {
        // 57P01..03: admin shutdown / crash shutdown / cannot connect now; 53300: too many connections.
        c.starts_with("57P") || c == "53300"
    }))
}

/// True for errors Postgres raises about the value a client sent (SQLSTATE class 22, "data
/// exception": a NUL byte in text (22021), an unsupported `\u0000` in JSON (22P05), text
/// that is not a number (22P02), a value out of range...). Callers report them as 400.
pub fn is_invalid_input(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.code().is_some_and(|c| c.starts_with("22")))
}

/// True when the error is a violation of the named unique constraint.
pub fn is_unique_violation(error: &sqlx::Error, constraint: &str) -> bool {
    matches!(error, sqlx::Error::Database(db)
        if db.code().as_deref() == Some("23505") && db.constraint() == Some(constraint))
}

/// True when the error is a violation of the named foreign key (a row still referenced).
pub fn is_foreign_key_violation(error: &sqlx::Error, constraint: &str) -> bool {
    matches!(error, sqlx::Error::Database(db)
        if db.code().as_deref() == Some("23503") && db.constraint() == Some(constraint))
}
