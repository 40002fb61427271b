//! `api_credit_packs`: one-off bundles of API credits added to an active subscription.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::{FromRow, PgExecutor};
use uuid::Uuid;

use super::catalog_writes::{self, Insert, Update};
use crate::wire;

const TABLE: &str = "api_credit_packs";

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
    let columns = [
        "name",
        "slug",
        "description",
        "credits",
        "ai_credits",
        "price_usd",
        "price_sol",
        "price_neptu",
        "bonus_percent",
        "is_active",
        "sort_order",
    ];
    Insert::into(TABLE, &columns)
        .value(&pack.name)
        .value(&pack.slug)
        .value(&pack.description)
        .value(pack.credits)
        .value_or(pack.ai_credits, "0")
        .value(pack.price_usd)
        .value(pack.price_sol)
        .value(pack.price_neptu)
        .value_or(pack.bonus_percent, "0")
        .value_or(pack.is_active, "true")
        .value_or(pack.sort_order, "0")
        .returning(columns!())
        .build_query_as()
        .fetch_one(db)
        .await
}

/// Applies a partial update; `None` when no pack has this id.
pub async fn update(db: impl PgExecutor<'_>, id: Uuid, up: &PackChanges) -> sqlx::Result<Option<CreditPack>> {
    Update::table(TABLE)
        .set("name", up.name.as_ref())
        .set("slug", up.slug.as_ref())
        .set("description", up.description.as_ref())
        .set("credits", up.credits)
        .set("ai_credits", up.ai_credits)
        .set("price_usd", up.price_usd)
        .set("price_sol", up.price_sol)
        .set("price_neptu", up.price_neptu)
        .set("bonus_percent", up.bonus_percent)
        .set("is_active", up.is_active)
        .set("sort_order", up.sort_order)
        .of(id, columns!())
        .build_query_as()
        .fetch_optional(db)
        .await
}

/// Deletes a pack; false when there was none. Payments that bought it keep their rows.
pub async fn delete(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<bool> {
    catalog_writes::delete(db, TABLE, id).await
}
