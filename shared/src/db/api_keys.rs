//! `api_keys`: developers' keys for the public `/api/v1`. Only a keyed hash of each key is
//! stored (see `domain::api_keys`); the row is found by the key's public prefix.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{FromRow, PgExecutor, PgPool};
use uuid::Uuid;

use super::{Page, PageRequest};
use crate::domain::enums::ApiScope;
use crate::wire;

/// Serializes as the web app's `ApiKeyDTO` (never with a hash).
#[derive(Debug, Clone, PartialEq, FromRow, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiKey {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub key_prefix: String,
    pub plan_id: Option<Uuid>,
    pub scopes: Vec<ApiScope>,
    pub allowed_origins: Option<Vec<String>>,
    pub allowed_ips: Option<Vec<String>>,
    pub is_active: bool,
    #[serde(serialize_with = "wire::timestamp_opt")]
    pub last_used_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "wire::timestamp_opt")]
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "wire::timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "wire::timestamp")]
    pub updated_at: DateTime<Utc>,
}

macro_rules! columns {
    () => {
        "id, user_id, name, key_prefix, plan_id, scopes, allowed_origins, allowed_ips, is_active, \
         last_used_at, expires_at, created_at, updated_at"
    };
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewApiKey {
    pub user_id: Uuid,
    pub name: String,
    pub key_prefix: String,
    pub key_hash: [u8; 32],
    pub plan_id: Option<Uuid>,
    pub scopes: Vec<ApiScope>,
    pub allowed_origins: Option<Vec<String>>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// The unique constraint a (rare) prefix collision violates; the caller draws a new key.
pub const PREFIX_CONSTRAINT: &str = "api_keys_key_prefix_key";

pub async fn insert(db: impl PgExecutor<'_>, new: &NewApiKey) -> sqlx::Result<ApiKey> {
    sqlx::query_as(concat!(
        "INSERT INTO api_keys (user_id, name, key_prefix, key_hash, plan_id, scopes, allowed_origins, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ",
        columns!()
    ))
    .bind(new.user_id)
    .bind(&new.name)
    .bind(&new.key_prefix)
    .bind(&new.key_hash[..])
    .bind(new.plan_id)
    .bind(&new.scopes)
    .bind(&new.allowed_origins)
    .bind(new.expires_at)
    .fetch_one(db)
    .await
}

/// A user's keys, newest first.
pub async fn list_for_user(db: impl PgExecutor<'_>, user_id: Uuid) -> sqlx::Result<Vec<ApiKey>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM api_keys WHERE user_id = $1 ORDER BY created_at DESC, id"
    ))
    .bind(user_id)
    .fetch_all(db)
    .await
}

/// The key, only if `user_id` owns it.
pub async fn find_owned(db: impl PgExecutor<'_>, id: Uuid, user_id: Uuid) -> sqlx::Result<Option<ApiKey>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM api_keys WHERE id = $1 AND user_id = $2"
    ))
    .bind(id)
    .bind(user_id)
    .fetch_optional(db)
    .await
}

/// Renames and/or (de)activates the owner's key; `None` when it is not theirs.
pub async fn update_owned(
    db: impl PgExecutor<'_>,
    id: Uuid,
    user_id: Uuid,
    name: Option<&str>,
    is_active: Option<bool>,
) -> sqlx::Result<Option<ApiKey>> {
    sqlx::query_as(concat!(
        "UPDATE api_keys SET name = COALESCE($3, name), is_active = COALESCE($4, is_active), updated_at = now()
         WHERE id = $1 AND user_id = $2 RETURNING ",
        columns!()
    ))
    .bind(id)
    .bind(user_id)
    .bind(name)
    .bind(is_active)
    .fetch_optional(db)
    .await
}

/// Switches a key off (revocation keeps the row for its usage history); `owner` limits it
/// to that user's keys. False when there is no such key.
pub async fn deactivate(db: impl PgExecutor<'_>, id: Uuid, owner: Option<Uuid>) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE api_keys SET is_active = false, updated_at = now()
         WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2)",
    )
    .bind(id)
    .bind(owner)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Admin filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdminFilter {
    pub user_id: Option<Uuid>,
    pub is_active: Option<bool>,
}

/// Every key, newest first, filtered and paginated.
pub async fn list(db: &PgPool, filter: AdminFilter, page: PageRequest) -> sqlx::Result<Page<ApiKey>> {
    let rows = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM api_keys WHERE ($1::uuid IS NULL OR user_id = $1) AND ($2::boolean IS NULL OR is_active = $2)
          ORDER BY created_at DESC, id LIMIT $3 OFFSET $4"
    ))
    .bind(filter.user_id)
    .bind(filter.is_active)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(db);
    let total = sqlx::query_scalar(
        "SELECT count(*) FROM api_keys
         WHERE ($1::uuid IS NULL OR user_id = $1) AND ($2::boolean IS NULL OR is_active = $2)",
    )
    .bind(filter.user_id)
    .bind(filter.is_active)
    .fetch_one(db);
    let (rows, total) = tokio::try_join!(rows, total)?;
    Ok(Page::new(rows, total, page))
}

/// What authenticating a presented key needs: its hashes and rules, and its owner's active
/// subscription with the plan's rate limit (absent when the owner has none), in one read.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct KeyGrant {
    pub id: Uuid,
    pub user_id: Uuid,
    pub key_hash: Option<Vec<u8>>,
    pub legacy_hash: Option<String>,
    pub scopes: Vec<ApiScope>,
    pub allowed_origins: Option<Vec<String>>,
    pub is_active: bool,
    pub expires_at: Option<DateTime<Utc>>,
    pub subscription_id: Option<Uuid>,
    pub unlimited_basic: Option<bool>,
    pub unlimited_ai: Option<bool>,
    pub rate_limit: Option<i32>,
}

pub async fn grant_by_prefix(db: impl PgExecutor<'_>, prefix: &str) -> sqlx::Result<Option<KeyGrant>> {
    sqlx::query_as(
        "SELECT k.id, k.user_id, k.key_hash, k.legacy_hash, k.scopes, k.allowed_origins, k.is_active,
                k.expires_at, s.id AS subscription_id, s.credits_remaining = -1 AS unlimited_basic,
                s.ai_credits_remaining = -1 AS unlimited_ai, p.rate_limit
         FROM api_keys k
         LEFT JOIN api_subscriptions s ON s.user_id = k.user_id AND s.status = 'active'
                                      AND s.billing_cycle_end > now()
         LEFT JOIN api_pricing_plans p ON p.id = s.plan_id
         WHERE k.key_prefix = $1",
    )
    .bind(prefix)
    .fetch_optional(db)
    .await
}

/// Replaces an imported key's legacy hash with the strong one, once.
pub async fn upgrade_hash(db: impl PgExecutor<'_>, id: Uuid, key_hash: &[u8; 32]) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE api_keys SET key_hash = $2, legacy_hash = NULL, updated_at = now()
         WHERE id = $1 AND legacy_hash IS NOT NULL",
    )
    .bind(id)
    .bind(&key_hash[..])
    .execute(db)
    .await?;
    Ok(())
}

/// Moves `last_used_at` forward for many keys in one statement.
pub async fn touch(db: impl PgExecutor<'_>, ids: &[Uuid], used_at: &[DateTime<Utc>]) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE api_keys k SET last_used_at = GREATEST(k.last_used_at, u.at)
         FROM (SELECT id, max(at) AS at FROM UNNEST($1::uuid[], $2::timestamptz[]) AS t(id, at) GROUP BY id) u
         WHERE k.id = u.id",
    )
    .bind(ids)
    .bind(used_at)
    .execute(db)
    .await?;
    Ok(())
}
