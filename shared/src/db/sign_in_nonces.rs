//! `sign_in_nonces`: the outstanding sign-in nonces of each wallet. Times are the database's
//! clock, so every replica agrees on what has expired.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection, PgExecutor};

/// One nonce and whether it can still be used.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SignInNonce {
    pub nonce: String,
    pub expires_at: DateTime<Utc>,
    /// Not yet expired (by the database's clock).
    pub live: bool,
}

macro_rules! columns {
    () => {
        "nonce, expires_at, expires_at > now() AS live"
    };
}

/// Serialises the nonce requests of one wallet until the transaction ends, so the cap on
/// outstanding nonces holds under concurrent requests.
pub async fn lock_wallet(tx: &mut PgConnection, wallet: &str) -> sqlx::Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('sign_in_nonces:' || $1, 0))")
        .bind(wallet)
        .execute(tx)
        .await?;
    Ok(())
}

/// Every stored nonce of the wallet, expired ones included, newest first.
pub async fn for_wallet(db: impl PgExecutor<'_>, wallet: &str) -> sqlx::Result<Vec<SignInNonce>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM sign_in_nonces WHERE wallet_address = $1 ORDER BY created_at DESC, nonce"
    ))
    .bind(wallet)
    .fetch_all(db)
    .await
}

/// Stores a nonce for the wallet, usable for `ttl`.
pub async fn insert(
    db: impl PgExecutor<'_>,
    wallet: &str,
    nonce: &str,
    ttl: Duration,
) -> sqlx::Result<SignInNonce> {
    sqlx::query_as(concat!(
        "INSERT INTO sign_in_nonces (nonce, wallet_address, expires_at)
         VALUES ($1, $2, now() + make_interval(secs => $3)) RETURNING ",
        columns!()
    ))
    .bind(nonce)
    .bind(wallet)
    .bind(ttl.as_secs_f64())
    .fetch_one(db)
    .await
}

/// Uses up a live nonce of the wallet; false when it is gone (already used, or expired).
/// Exactly one of several concurrent calls for the same nonce gets true.
pub async fn consume(db: impl PgExecutor<'_>, wallet: &str, nonce: &str) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "DELETE FROM sign_in_nonces WHERE nonce = $1 AND wallet_address = $2 AND expires_at > now()",
    )
    .bind(nonce)
    .bind(wallet)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes the wallet's expired nonces.
pub async fn delete_expired_of(db: impl PgExecutor<'_>, wallet: &str) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM sign_in_nonces WHERE wallet_address = $1 AND expires_at <= now()")
        .bind(wallet)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

/// Deletes every expired nonce (the worker's daily housekeeping).
pub async fn delete_expired(db: impl PgExecutor<'_>) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM sign_in_nonces WHERE expires_at <= now()")
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}
