//! `referrals`: who brought whom; each user can be referred once.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::{FromRow, PgExecutor};
use uuid::Uuid;

use crate::domain::enums::PayoutStatus;
use crate::wire;

#[derive(Debug, Clone, PartialEq, FromRow, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Referral {
    pub id: Uuid,
    pub referrer_id: Uuid,
    pub referee_id: Uuid,
    #[serde(with = "rust_decimal::serde::float_option")]
    pub referrer_reward_amount: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::float_option")]
    pub referee_reward_amount: Option<Decimal>,
    pub referrer_reward_paid: PayoutStatus,
    pub referee_reward_paid: PayoutStatus,
    pub referrer_reward_tx_signature: Option<String>,
    pub referee_reward_tx_signature: Option<String>,
    #[serde(serialize_with = "wire::timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "wire::timestamp_opt")]
    pub completed_at: Option<DateTime<Utc>>,
    /// When both rewards were granted; `None` while the referee has not qualified yet.
    #[serde(serialize_with = "wire::timestamp_opt")]
    pub rewarded_at: Option<DateTime<Utc>>,
}

macro_rules! columns {
    () => {
        "id, referrer_id, referee_id, referrer_reward_amount, referee_reward_amount, referrer_reward_paid, \
         referee_reward_paid, referrer_reward_tx_signature, referee_reward_tx_signature, created_at, completed_at, \
         rewarded_at"
    };
}

/// Records a referral with the reward amounts, not rewarded yet; `None` if the referee was
/// already referred (the unique constraint decides, so concurrent attempts give one row).
pub async fn create_once(
    db: impl PgExecutor<'_>,
    referrer_id: Uuid,
    referee_id: Uuid,
    referrer_reward: Decimal,
    referee_reward: Decimal,
) -> sqlx::Result<Option<Referral>> {
    sqlx::query_as(concat!(
        "INSERT INTO referrals (referrer_id, referee_id, referrer_reward_amount, referee_reward_amount, rewarded_at)
         VALUES ($1, $2, $3, $4, NULL) ON CONFLICT (referee_id) DO NOTHING RETURNING ",
        columns!()
    ))
    .bind(referrer_id)
    .bind(referee_id)
    .bind(referrer_reward)
    .bind(referee_reward)
    .fetch_optional(db)
    .await
}

pub async fn find_by_referee(db: impl PgExecutor<'_>, referee_id: Uuid) -> sqlx::Result<Option<Referral>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM referrals WHERE referee_id = $1"
    ))
    .bind(referee_id)
    .fetch_optional(db)
    .await
}

/// Marks the referral of `referee_id` rewarded, if it is still waiting: `Some` for exactly
/// one caller, however many race, so its rewards are granted once.
pub async fn mark_rewarded(db: impl PgExecutor<'_>, referee_id: Uuid) -> sqlx::Result<Option<Referral>> {
    sqlx::query_as(concat!(
        "UPDATE referrals SET rewarded_at = now() WHERE referee_id = $1 AND rewarded_at IS NULL RETURNING ",
        columns!()
    ))
    .bind(referee_id)
    .fetch_optional(db)
    .await
}

/// Locks both users' rows (in id order, so two opposite referrals cannot deadlock), so that
/// two users applying each other's codes at once are decided one after the other.
pub async fn lock_pair(tx: &mut sqlx::PgConnection, a: Uuid, b: Uuid) -> sqlx::Result<()> {
    sqlx::query("SELECT id FROM users WHERE id = ANY($1) ORDER BY id FOR UPDATE")
        .bind(vec![a, b])
        .fetch_all(tx)
        .await
        .map(|_| ())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow)]
pub struct ReferrerStats {
    pub total: i64,
    /// Referrals whose referrer reward was paid.
    pub successful: i64,
    /// Referrals whose referrer reward is still pending.
    pub pending: i64,
    /// Sum of the referrer rewards granted (referees that have qualified).
    pub earned: Decimal,
}

pub async fn stats_for_referrer(db: impl PgExecutor<'_>, referrer_id: Uuid) -> sqlx::Result<ReferrerStats> {
    sqlx::query_as(
        "SELECT count(*) AS total,
                count(*) FILTER (WHERE referrer_reward_paid = 'paid') AS successful,
                count(*) FILTER (WHERE referrer_reward_paid = 'pending') AS pending,
                COALESCE(sum(referrer_reward_amount) FILTER (WHERE rewarded_at IS NOT NULL), 0) AS earned
         FROM referrals WHERE referrer_id = $1",
    )
    .bind(referrer_id)
    .fetch_one(db)
    .await
}

/// Marks the referrer's and the referee's rewards paid with their signatures.
pub async fn mark_paid(
    db: impl PgExecutor<'_>,
    id: Uuid,
    referrer_signature: &str,
    referee_signature: &str,
) -> sqlx::Result<Option<Referral>> {
    sqlx::query_as(concat!(
        "UPDATE referrals SET referrer_reward_paid = 'paid', referee_reward_paid = 'paid',
                referrer_reward_tx_signature = $2, referee_reward_tx_signature = $3, completed_at = now()
         WHERE id = $1 RETURNING ",
        columns!()
    ))
    .bind(id)
    .bind(referrer_signature)
    .bind(referee_signature)
    .fetch_optional(db)
    .await
}
