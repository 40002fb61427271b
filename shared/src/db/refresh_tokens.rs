//! `refresh_tokens`: sign-in sessions. Only a SHA-256 of each token is stored.
//!
//! `used_at` is the moment a token was exchanged, in whole seconds: it is also the issue time
//! of the access token handed out with its successor, so a repeated exchange within the reuse
//! window can rebuild that exact pair (see the API's `services::session`).

use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection, PgExecutor};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct RefreshToken {
    pub id: Uuid,
    pub user_id: Uuid,
    pub family_id: Uuid,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

macro_rules! columns {
    () => {
        "id, user_id, family_id, expires_at, used_at, revoked_at"
    };
}

/// Stores a new token of `family`.
pub async fn insert(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    family_id: Uuid,
    token_hash: &[u8; 32],
    expires_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(family_id)
    .bind(&token_hash[..])
    .bind(expires_at)
    .execute(db)
    .await?;
    Ok(())
}

/// Finds a token by its hash and locks it for the rest of the transaction, so two refreshes
/// with the same token run one after the other.
pub async fn lock_by_hash(
    tx: &mut PgConnection,
    token_hash: &[u8; 32],
) -> sqlx::Result<Option<RefreshToken>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE"
    ))
    .bind(&token_hash[..])
    .fetch_optional(tx)
    .await
}

/// Finds a token by its hash, without locking it.
pub async fn find_by_hash(
    db: impl PgExecutor<'_>,
    token_hash: &[u8; 32],
) -> sqlx::Result<Option<RefreshToken>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM refresh_tokens WHERE token_hash = $1"
    ))
    .bind(&token_hash[..])
    .fetch_optional(db)
    .await
}

/// Records that the token was exchanged at `at`.
pub async fn mark_used(db: impl PgExecutor<'_>, id: Uuid, at: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query("UPDATE refresh_tokens SET used_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(db)
        .await?;
    Ok(())
}

/// Revokes every token of a family (logout, or a used token presented again).
pub async fn revoke_family(db: impl PgExecutor<'_>, family_id: Uuid) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL",
    )
    .bind(family_id)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Revokes the family of the token with this hash; false when no such token exists.
pub async fn revoke_family_of(db: impl PgExecutor<'_>, token_hash: &[u8; 32]) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = now()
         WHERE revoked_at IS NULL AND family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)",
    )
    .bind(&token_hash[..])
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Deletes tokens that expired more than a day ago.
pub async fn delete_expired(db: impl PgExecutor<'_>) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM refresh_tokens WHERE expires_at < now() - interval '1 day'")
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

/// Revokes every session of a user (their role was taken away).
pub async fn revoke_all_of_user(db: impl PgExecutor<'_>, user_id: Uuid) -> sqlx::Result<u64> {
    let done =
        sqlx::query("UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL")
            .bind(user_id)
            .execute(db)
            .await?;
    Ok(done.rows_affected())
}
