//! `api_payments`: the on-chain payments that bought a plan or a credit pack, one row per
//! transaction signature, so a signature buys one thing once.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::{FromRow, PgConnection, PgExecutor};
use uuid::Uuid;

use crate::domain::enums::{ApiPaymentKind, PaymentType};

#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct ApiPayment {
    pub tx_signature: String,
    pub user_id: Uuid,
    pub kind: ApiPaymentKind,
    pub plan_id: Option<Uuid>,
    pub pack_id: Option<Uuid>,
    pub subscription_id: Option<Uuid>,
    pub payment_method: PaymentType,
    pub amount: Decimal,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewApiPayment {
    pub tx_signature: String,
    pub user_id: Uuid,
    pub kind: ApiPaymentKind,
    pub plan_id: Option<Uuid>,
    pub pack_id: Option<Uuid>,
    pub payment_method: PaymentType,
    pub amount: Decimal,
}

pub async fn find(db: impl PgExecutor<'_>, tx_signature: &str) -> sqlx::Result<Option<ApiPayment>> {
    sqlx::query_as(
        "SELECT tx_signature, user_id, kind, plan_id, pack_id, subscription_id, payment_method, amount, created_at
         FROM api_payments WHERE tx_signature = $1",
    )
    .bind(tx_signature)
    .fetch_optional(db)
    .await
}

/// Serialises every recording of `tx_signature` (API payments and reading payments alike)
/// for the rest of the transaction, so a signature cannot be recorded twice by racing calls.
pub async fn lock_signature(tx: &mut PgConnection, tx_signature: &str) -> sqlx::Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 7201))")
        .bind(tx_signature)
        .execute(tx)
        .await?;
    Ok(())
}

/// Whether the signature already paid for anything: a plan, a pack or a reading.
pub async fn signature_used(db: impl PgExecutor<'_>, tx_signature: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM api_payments WHERE tx_signature = $1)
             OR EXISTS (SELECT 1 FROM token_transactions WHERE tx_signature = $1)
             OR EXISTS (SELECT 1 FROM payments WHERE tx_signature = $1)",
    )
    .bind(tx_signature)
    .fetch_one(db)
    .await
}

/// Records a payment (inside the transaction that holds [`lock_signature`]).
pub async fn insert(
    db: impl PgExecutor<'_>,
    new: &NewApiPayment,
    subscription_id: Option<Uuid>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO api_payments (tx_signature, user_id, kind, plan_id, pack_id, subscription_id,
                                   payment_method, amount)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&new.tx_signature)
    .bind(new.user_id)
    .bind(new.kind)
    .bind(new.plan_id)
    .bind(new.pack_id)
    .bind(subscription_id)
    .bind(new.payment_method)
    .bind(new.amount)
    .execute(db)
    .await?;
    Ok(())
}
