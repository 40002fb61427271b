//! `user_rewards`: NEPTU a user earned off chain, pending until claimed on chain.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::{FromRow, PgExecutor};
use uuid::Uuid;

use crate::domain::enums::{RewardStatus, RewardType};
use crate::wire;

/// Serializes as the web app's `UserRewardDTO`.
#[derive(Debug, Clone, PartialEq, FromRow, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserReward {
    pub id: Uuid,
    pub user_id: Uuid,
    pub reward_type: RewardType,
    #[serde(with = "rust_decimal::serde::float")]
    pub neptu_amount: Decimal,
    pub status: RewardStatus,
    pub description: Option<String>,
    pub claim_tx_signature: Option<String>,
    #[serde(serialize_with = "wire::timestamp_opt")]
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "wire::timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "wire::timestamp_opt")]
    pub claimed_at: Option<DateTime<Utc>>,
}

macro_rules! columns {
    () => {
        "id, user_id, reward_type, neptu_amount, status, description, claim_tx_signature, \
         expires_at, created_at, claimed_at"
    };
}

#[derive(Debug, Clone)]
pub struct NewReward {
    pub user_id: Uuid,
    pub reward_type: RewardType,
    pub neptu_amount: Decimal,
    pub description: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Grants a pending reward.
pub async fn grant(db: impl PgExecutor<'_>, new: &NewReward) -> sqlx::Result<UserReward> {
    sqlx::query_as(concat!(
        "INSERT INTO user_rewards (user_id, reward_type, neptu_amount, description, expires_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING ",
        columns!()
    ))
    .bind(new.user_id)
    .bind(new.reward_type)
    .bind(new.neptu_amount)
    .bind(&new.description)
    .bind(new.expires_at)
    .fetch_one(db)
    .await
}

/// A user's rewards in one status (or all), newest first.
pub async fn list_for_user(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    status: Option<RewardStatus>,
    limit: i64,
) -> sqlx::Result<Vec<UserReward>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM user_rewards WHERE user_id = $1 AND ($2::text IS NULL OR status = $2)
          ORDER BY created_at DESC, id DESC LIMIT $3"
    ))
    .bind(user_id)
    .bind(status)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Sum of a user's rewards per status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow)]
pub struct RewardTotals {
    pub pending: Decimal,
    pub claimed: Decimal,
}

pub async fn totals_for_user(db: impl PgExecutor<'_>, user_id: Uuid) -> sqlx::Result<RewardTotals> {
    sqlx::query_as(
        "SELECT COALESCE(sum(neptu_amount) FILTER (WHERE status = 'pending'), 0) AS pending,
                COALESCE(sum(neptu_amount) FILTER (WHERE status = 'claimed'), 0) AS claimed
         FROM user_rewards WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_one(db)
    .await
}

/// Marks the given pending rewards of this user claimed under one signature. Rewards that
/// belong to someone else or are no longer pending are left alone; the claimed rows are
/// returned, so a repeated call claims nothing twice.
pub async fn claim(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    reward_ids: &[Uuid],
    claim_tx_signature: &str,
) -> sqlx::Result<Vec<UserReward>> {
    sqlx::query_as(concat!(
        "UPDATE user_rewards SET status = 'claimed', claim_tx_signature = $3, claimed_at = now()
         WHERE user_id = $1 AND id = ANY($2) AND status = 'pending' RETURNING ",
        columns!()
    ))
    .bind(user_id)
    .bind(reward_ids)
    .bind(claim_tx_signature)
    .fetch_all(db)
    .await
}

/// Puts claimed rewards back to pending (their claim transaction failed on chain).
pub async fn revert_claims(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    reward_ids: &[Uuid],
) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar(
        "UPDATE user_rewards SET status = 'pending', claim_tx_signature = NULL, claimed_at = NULL
         WHERE user_id = $1 AND id = ANY($2) AND status = 'claimed' RETURNING id",
    )
    .bind(user_id)
    .bind(reward_ids)
    .fetch_all(db)
    .await
}

/// Serialises every claim under one transaction signature until the surrounding
/// transaction ends, so two claims cannot both spend the same on-chain amount.
pub async fn lock_claim_signature(db: impl PgExecutor<'_>, signature: &str) -> sqlx::Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind(signature)
        .execute(db)
        .await
        .map(|_| ())
}

/// What is already claimed under a signature: the NEPTU sum, and whether any of it belongs
/// to a user other than `user_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow)]
pub struct ClaimedUnder {
    pub amount: Decimal,
    pub other_user: bool,
}

pub async fn claimed_under(
    db: impl PgExecutor<'_>,
    signature: &str,
    user_id: Uuid,
) -> sqlx::Result<ClaimedUnder> {
    sqlx::query_as(
        "SELECT COALESCE(sum(neptu_amount), 0) AS amount, COALESCE(bool_or(user_id <> $2), false) AS other_user
         FROM user_rewards WHERE claim_tx_signature = $1 AND status = 'claimed'",
    )
    .bind(signature)
    .bind(user_id)
    .fetch_one(db)
    .await
}

/// One of the user's pending rewards, locked for the rest of the transaction.
pub async fn pending_for_update(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    reward_id: Uuid,
) -> sqlx::Result<Option<UserReward>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM user_rewards WHERE id = $1 AND user_id = $2 AND status = 'pending' FOR UPDATE"
    ))
    .bind(reward_id)
    .bind(user_id)
    .fetch_optional(db)
    .await
}

/// The user's claimed rewards and their claim signatures (`None` for claims imported
/// without one).
pub async fn claimed_signatures(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
) -> sqlx::Result<Vec<(Uuid, Option<String>)>> {
    sqlx::query_as(
        "SELECT id, claim_tx_signature FROM user_rewards WHERE user_id = $1 AND status = 'claimed'",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}
