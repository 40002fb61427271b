//! `token_transactions`: token movements (payments, rewards, burns), one per signature.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::{FromRow, PgExecutor};
use uuid::Uuid;

use crate::domain::enums::{PaymentStatus, ReadingType, TransactionType};
use crate::wire;

/// Serializes as the web app's `TokenTransactionDTO`.
#[derive(Debug, Clone, PartialEq, FromRow, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenTransaction {
    pub id: Uuid,
    pub user_id: Uuid,
    pub tx_signature: String,
    pub transaction_type: TransactionType,
    pub reading_type: Option<ReadingType>,
    #[serde(with = "rust_decimal::serde::float_option")]
    pub sol_amount: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::float_option")]
    pub neptu_amount: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::float_option")]
    pub sudigital_amount: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::float_option")]
    pub neptu_burned: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::float_option")]
    pub neptu_rewarded: Option<Decimal>,
    pub status: PaymentStatus,
    #[serde(serialize_with = "wire::timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "wire::timestamp_opt")]
    pub confirmed_at: Option<DateTime<Utc>>,
}

macro_rules! columns {
    () => {
        "id, user_id, tx_signature, transaction_type, reading_type, sol_amount, neptu_amount, \
         sudigital_amount, neptu_burned, neptu_rewarded, status, created_at, confirmed_at"
    };
}

#[derive(Debug, Clone)]
pub struct NewTokenTransaction {
    pub user_id: Uuid,
    pub tx_signature: String,
    pub transaction_type: TransactionType,
    pub reading_type: Option<ReadingType>,
    pub sol_amount: Option<Decimal>,
    pub neptu_amount: Option<Decimal>,
    pub sudigital_amount: Option<Decimal>,
    pub neptu_burned: Option<Decimal>,
    pub neptu_rewarded: Option<Decimal>,
}

/// Records a confirmed transaction once per signature; `None` when the signature is already
/// recorded (so concurrent verifications of one signature store one row).
pub async fn insert_confirmed_once(
    db: impl PgExecutor<'_>,
    new: &NewTokenTransaction,
) -> sqlx::Result<Option<TokenTransaction>> {
    sqlx::query_as(concat!(
        "INSERT INTO token_transactions (user_id, tx_signature, transaction_type, reading_type, sol_amount,
             neptu_amount, sudigital_amount, neptu_burned, neptu_rewarded, status, confirmed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'confirmed', now())
         ON CONFLICT (tx_signature) DO NOTHING RETURNING ",
        columns!()
    ))
    .bind(new.user_id)
    .bind(&new.tx_signature)
    .bind(new.transaction_type)
    .bind(new.reading_type)
    .bind(new.sol_amount)
    .bind(new.neptu_amount)
    .bind(new.sudigital_amount)
    .bind(new.neptu_burned)
    .bind(new.neptu_rewarded)
    .fetch_optional(db)
    .await
}

pub async fn find_by_signature(
    db: impl PgExecutor<'_>,
    signature: &str,
) -> sqlx::Result<Option<TokenTransaction>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM token_transactions WHERE tx_signature = $1"
    ))
    .bind(signature)
    .fetch_optional(db)
    .await
}

/// A user's transactions, newest first, optionally of one type.
pub async fn list_for_user(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    kind: Option<TransactionType>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<TokenTransaction>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM token_transactions WHERE user_id = $1 AND ($2::text IS NULL OR transaction_type = $2)
          ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4"
    ))
    .bind(user_id)
    .bind(kind)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await
}

/// A user's token statistics, each amount counted once: NEPTU earned is the rewards paid with
/// payments plus every off-chain reward (pending or claimed); `neptu_reward` transactions
/// only mirror claims of those rewards, so they are not added again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow)]
pub struct TokenStats {
    pub payment_rewards: Decimal,
    pub neptu_burned: Decimal,
    pub sol_spent: Decimal,
    pub transaction_count: i64,
    pub pending_rewards: Decimal,
    pub claimed_rewards: Decimal,
}

impl TokenStats {
    pub fn total_neptu_rewarded(&self) -> Decimal {
        self.payment_rewards + self.pending_rewards + self.claimed_rewards
    }
}

/// [`TokenStats`] of the user of `wallet` in one round trip; `None` when no user has it.
pub async fn stats_for_wallet(db: impl PgExecutor<'_>, wallet: &str) -> sqlx::Result<Option<TokenStats>> {
    sqlx::query_as(
        "SELECT t.payment_rewards, t.neptu_burned, t.sol_spent, t.transaction_count,
                r.pending_rewards, r.claimed_rewards
         FROM users u,
         LATERAL (SELECT COALESCE(sum(neptu_rewarded) FILTER (WHERE transaction_type <> 'neptu_reward'), 0) AS payment_rewards,
                         COALESCE(sum(neptu_burned), 0) AS neptu_burned,
                         COALESCE(sum(sol_amount) FILTER (WHERE transaction_type = 'sol_payment'), 0) AS sol_spent,
                         count(*) AS transaction_count
                  FROM token_transactions WHERE user_id = u.id AND status = 'confirmed') t,
         LATERAL (SELECT COALESCE(sum(neptu_amount) FILTER (WHERE status = 'pending'), 0) AS pending_rewards,
                         COALESCE(sum(neptu_amount) FILTER (WHERE status = 'claimed'), 0) AS claimed_rewards
                  FROM user_rewards WHERE user_id = u.id) r
         WHERE u.wallet_address = $1",
    )
    .bind(wallet)
    .fetch_optional(db)
    .await
}

/// Sums over a user's confirmed transactions, each row counted once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow)]
pub struct TransactionTotals {
    pub neptu_rewarded: Decimal,
    pub neptu_burned: Decimal,
    pub sol_spent: Decimal,
    pub count: i64,
}

pub async fn totals_for_user(db: impl PgExecutor<'_>, user_id: Uuid) -> sqlx::Result<TransactionTotals> {
    sqlx::query_as(
        "SELECT COALESCE(sum(neptu_rewarded), 0) AS neptu_rewarded,
                COALESCE(sum(neptu_burned), 0) AS neptu_burned,
                COALESCE(sum(sol_amount) FILTER (WHERE transaction_type = 'sol_payment'), 0) AS sol_spent,
                count(*) AS count
         FROM token_transactions WHERE user_id = $1 AND status = 'confirmed'",
    )
    .bind(user_id)
    .fetch_one(db)
    .await
}
