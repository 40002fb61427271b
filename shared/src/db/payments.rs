//! `payments`: a reading paid for on chain, one row per transaction signature.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::{FromRow, PgExecutor};
use uuid::Uuid;

use crate::domain::enums::{PaymentStatus, PaymentType};
use crate::wire;

#[derive(Debug, Clone, PartialEq, FromRow, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    pub id: Uuid,
    pub user_id: Uuid,
    pub reading_id: Option<Uuid>,
    pub payment_type: PaymentType,
    #[serde(with = "rust_decimal::serde::float")]
    pub amount: Decimal,
    #[serde(with = "rust_decimal::serde::float_option")]
    pub neptu_reward: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::float_option")]
    pub neptu_burned: Option<Decimal>,
    pub tx_signature: String,
    pub status: PaymentStatus,
    #[serde(serialize_with = "wire::timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "wire::timestamp_opt")]
    pub confirmed_at: Option<DateTime<Utc>>,
}

macro_rules! columns {
    () => {
        "id, user_id, reading_id, payment_type, amount, neptu_reward, neptu_burned, tx_signature, \
         status, created_at, confirmed_at"
    };
}

#[derive(Debug, Clone)]
pub struct NewPayment {
    pub user_id: Uuid,
    pub reading_id: Option<Uuid>,
    pub payment_type: PaymentType,
    pub amount: Decimal,
    pub neptu_reward: Option<Decimal>,
    pub neptu_burned: Option<Decimal>,
    pub tx_signature: String,
    pub status: PaymentStatus,
}

/// Records a payment once per signature: `None` when the signature was already recorded
/// (by this or a concurrent call), so a replay can never create a second row.
pub async fn insert_once(db: impl PgExecutor<'_>, new: &NewPayment) -> sqlx::Result<Option<Payment>> {
    sqlx::query_as(concat!(
        "INSERT INTO payments (user_id, reading_id, payment_type, amount, neptu_reward, neptu_burned,
                               tx_signature, status, confirmed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $8 = 'confirmed' THEN now() END)
         ON CONFLICT (tx_signature) DO NOTHING RETURNING ",
        columns!()
    ))
    .bind(new.user_id)
    .bind(new.reading_id)
    .bind(new.payment_type)
    .bind(new.amount)
    .bind(new.neptu_reward)
    .bind(new.neptu_burned)
    .bind(&new.tx_signature)
    .bind(new.status)
    .fetch_optional(db)
    .await
}

pub async fn find_by_signature(db: impl PgExecutor<'_>, signature: &str) -> sqlx::Result<Option<Payment>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM payments WHERE tx_signature = $1"
    ))
    .bind(signature)
    .fetch_optional(db)
    .await
}

pub async fn list_for_user(db: impl PgExecutor<'_>, user_id: Uuid, limit: i64) -> sqlx::Result<Vec<Payment>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM payments WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
    ))
    .bind(user_id)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Moves a pending payment to `confirmed` or `failed`; `None` if it was not pending.
pub async fn settle(
    db: impl PgExecutor<'_>,
    id: Uuid,
    status: PaymentStatus,
) -> sqlx::Result<Option<Payment>> {
    sqlx::query_as(concat!(
        "UPDATE payments SET status = $2, confirmed_at = CASE WHEN $2 = 'confirmed' THEN now() END
         WHERE id = $1 AND status = 'pending' RETURNING ",
        columns!()
    ))
    .bind(id)
    .bind(status)
    .fetch_optional(db)
    .await
}
