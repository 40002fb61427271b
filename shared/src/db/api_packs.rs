//! `api_credit_packs`: one-off bundles of API credits added to an active subscription.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::{FromRow, PgExecutor};
use uuid::Uuid;

use crate::wire;

/// Serializes as the web app's `ApiCreditPackDTO`.
#[derive(Debug, Clone, PartialEq, FromRow, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreditPack {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub description: Option<String>,
    pub credits: i32,
    pub ai_credits: i32,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    pub price_usd: Decimal,
    #[schema(value_type = Option<f64>)]
    #[serde(with = "rust_decimal::serde::float_option")]
    pub price_sol: Option<Decimal>,
    #[schema(value_type = Option<f64>)]
    #[serde(with = "rust_decimal::serde::float_option")]
    pub price_neptu: Option<Decimal>,
    pub bonus_percent: i32,
    pub is_active: bool,
    pub sort_order: i32,
    #[serde(serialize_with = "wire::timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "wire::timestamp")]
    pub updated_at: DateTime<Utc>,
}

macro_rules! columns {
    () => {
        "id, name, slug, description, credits, ai_credits, price_usd, price_sol, price_neptu, \
         bonus_percent, is_active, sort_order, created_at, updated_at"
    };
}

/// The fields of a pack: a complete create (the service fills the defaults) or a partial
/// update where `None` keeps the stored value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PackChanges {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub description: Option<String>,
    pub credits: Option<i32>,
    pub ai_credits: Option<i32>,
    pub price_usd: Option<Decimal>,
    pub price_sol: Option<Decimal>,
    pub price_neptu: Option<Decimal>,
    pub bonus_percent: Option<i32>,
    pub is_active: Option<bool>,
    pub sort_order: Option<i32>,
}

/// The unique constraint a duplicate slug violates.
pub const SLUG_CONSTRAINT: &str = "api_credit_packs_slug_key";

/// Packs in display order; `active_only` hides switched-off packs.
pub async fn list(db: impl PgExecutor<'_>, active_only: bool) -> sqlx::Result<Vec<CreditPack>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM api_credit_packs WHERE is_active OR NOT $1 ORDER BY sort_order, created_at"
    ))
    .bind(active_only)
    .fetch_all(db)
    .await
}

pub async fn find_by_slug(db: impl PgExecutor<'_>, slug: &str) -> sqlx::Result<Option<CreditPack>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM api_credit_packs WHERE slug = $1"
    ))
    .bind(slug)
    .fetch_optional(db)
    .await
}

/// Creates a pack. A duplicate slug is a unique violation of [`SLUG_CONSTRAINT`].
pub async fn create(db: impl PgExecutor<'_>, pack: &PackChanges) -> sqlx::Result<CreditPack> {
    sqlx::query_as(concat!(
        "INSERT INTO api_credit_packs (name, slug, description, credits, ai_credits, price_usd, price_sol,
            price_neptu, bonus_percent, is_active, sort_order)
         VALUES ($1, $2, $3, $4, COALESCE($5, 0), $6, $7, $8, COALESCE($9, 0), COALESCE($10, true),
            COALESCE($11, 0))
         RETURNING ",
        columns!()
    ))
    .bind(&pack.name)
    .bind(&pack.slug)
    .bind(&pack.description)
    .bind(pack.credits)
    .bind(pack.ai_credits)
    .bind(pack.price_usd)
    .bind(pack.price_sol)
    .bind(pack.price_neptu)
    .bind(pack.bonus_percent)
    .bind(pack.is_active)
    .bind(pack.sort_order)
    .fetch_one(db)
    .await
}

/// Applies a partial update; `None` when no pack has this id.
pub async fn update(db: impl PgExecutor<'_>, id: Uuid, up: &PackChanges) -> sqlx::Result<Option<CreditPack>> {
    sqlx::query_as(concat!(
        "UPDATE api_credit_packs SET
            name = COALESCE($2, name), slug = COALESCE($3, slug), description = COALESCE($4, description),
            credits = COALESCE($5, credits), ai_credits = COALESCE($6, ai_credits),
            price_usd = COALESCE($7, price_usd), price_sol = COALESCE($8, price_sol),
            price_neptu = COALESCE($9, price_neptu), bonus_percent = COALESCE($10, bonus_percent),
            is_active = COALESCE($11, is_active), sort_order = COALESCE($12, sort_order), updated_at = now()
         WHERE id = $1 RETURNING ",
        columns!()
    ))
    .bind(id)
    .bind(&up.name)
    .bind(&up.slug)
    .bind(&up.description)
    .bind(up.credits)
    .bind(up.ai_credits)
    .bind(up.price_usd)
    .bind(up.price_sol)
    .bind(up.price_neptu)
    .bind(up.bonus_percent)
    .bind(up.is_active)
    .bind(up.sort_order)
    .fetch_optional(db)
    .await
}

/// Deletes a pack; false when there was none. Payments that bought it keep their rows.
pub async fn delete(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM api_credit_packs WHERE id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}
