//! `pricing_plans`: the consumer plans (Free, Basic, Premium) and their admin CRUD.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use sqlx::{FromRow, PgExecutor};
use uuid::Uuid;

use super::catalog_writes::{self, Insert, Update};
use crate::wire;

const TABLE: &str = "pricing_plans";
/// The columns a create writes, in the order of its values.
const COLUMNS: [&str; 12] = [
    "name",
    "slug",
    "description",
    "price_usd",
    "price_sol",
    "price_neptu",
    "price_sudigital",
    "features",
    "limits",
    "is_active",
    "is_popular",
    "sort_order",
];

/// Usage limits of a plan; `-1` means unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanLimits {
    pub daily_readings: i32,
    pub oracle_chats: i32,
    pub custom_readings: i32,
    pub advanced_insights: bool,
    pub priority_support: bool,
}

/// Serializes as the web app's `PricingPlanDTO`.
#[derive(Debug, Clone, PartialEq, FromRow, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PricingPlan {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub description: Option<String>,
    #[serde(with = "rust_decimal::serde::float")]
    pub price_usd: Decimal,
    #[serde(with = "rust_decimal::serde::float_option")]
    pub price_sol: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::float_option")]
    pub price_neptu: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::float_option")]
    pub price_sudigital: Option<Decimal>,
    #[sqlx(json)]
    pub features: Vec<String>,
    #[sqlx(json)]
    pub limits: PlanLimits,
    pub is_active: bool,
    pub is_popular: bool,
    pub sort_order: i32,
    #[serde(serialize_with = "wire::timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "wire::timestamp")]
    pub updated_at: DateTime<Utc>,
}

macro_rules! columns {
    () => {
        "id, name, slug, description, price_usd, price_sol, price_neptu, price_sudigital, features, \
         limits, is_active, is_popular, sort_order, created_at, updated_at"
    };
}

/// Every field of a plan; also the body of a create.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanFields {
    pub name: String,
    pub slug: String,
    pub description: Option<String>,
    pub price_usd: Decimal,
    pub price_sol: Option<Decimal>,
    pub price_neptu: Option<Decimal>,
    pub price_sudigital: Option<Decimal>,
    pub features: Vec<String>,
    pub limits: PlanLimits,
    pub is_active: bool,
    pub is_popular: bool,
    pub sort_order: i32,
}

/// A partial update: `None` keeps the stored value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanUpdate {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub description: Option<String>,
    pub price_usd: Option<Decimal>,
    pub price_sol: Option<Decimal>,
    pub price_neptu: Option<Decimal>,
    pub price_sudigital: Option<Decimal>,
    pub features: Option<Vec<String>>,
    pub limits: Option<PlanLimits>,
    pub is_active: Option<bool>,
    pub is_popular: Option<bool>,
    pub sort_order: Option<i32>,
}

/// The unique constraint a duplicate slug violates.
pub const SLUG_CONSTRAINT: &str = "pricing_plans_slug_key";

/// Plans in display order; `active_only` hides switched-off plans.
pub async fn list(db: impl PgExecutor<'_>, active_only: bool) -> sqlx::Result<Vec<PricingPlan>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM pricing_plans WHERE is_active OR NOT $1 ORDER BY sort_order, created_at"
    ))
    .bind(active_only)
    .fetch_all(db)
    .await
}

pub async fn find_by_slug(db: impl PgExecutor<'_>, slug: &str) -> sqlx::Result<Option<PricingPlan>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM pricing_plans WHERE slug = $1"
    ))
    .bind(slug)
    .fetch_optional(db)
    .await
}

pub async fn find_by_id(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<PricingPlan>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM pricing_plans WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Creates a plan. A duplicate slug is a unique violation of [`SLUG_CONSTRAINT`].
pub async fn create(db: impl PgExecutor<'_>, plan: &PlanFields) -> sqlx::Result<PricingPlan> {
    Insert::into(TABLE, &COLUMNS)
        .value(&plan.name)
        .value(&plan.slug)
        .value(&plan.description)
        .value(plan.price_usd)
        .value(plan.price_sol)
        .value(plan.price_neptu)
        .value(plan.price_sudigital)
        .value(Json(&plan.features))
        .value(Json(plan.limits))
        .value(plan.is_active)
        .value(plan.is_popular)
        .value(plan.sort_order)
        .returning(columns!())
        .build_query_as()
        .fetch_one(db)
        .await
}

/// Applies a partial update; `None` when no plan has this id.
pub async fn update(db: impl PgExecutor<'_>, id: Uuid, up: &PlanUpdate) -> sqlx::Result<Option<PricingPlan>> {
    Update::table(TABLE)
        .set("name", up.name.as_ref())
        .set("slug", up.slug.as_ref())
        .set("description", up.description.as_ref())
        .set("price_usd", up.price_usd)
        .set("price_sol", up.price_sol)
        .set("price_neptu", up.price_neptu)
        .set("price_sudigital", up.price_sudigital)
        .set("features", up.features.as_ref().map(Json))
        .set("limits", up.limits.map(Json))
        .set("is_active", up.is_active)
        .set("is_popular", up.is_popular)
        .set("sort_order", up.sort_order)
        .of(id, columns!())
        .build_query_as()
        .fetch_optional(db)
        .await
}

/// Deletes a plan; false when there was none.
pub async fn delete(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<bool> {
    catalog_writes::delete(db, TABLE, id).await
}

/// Inserts the given plans only when the table is empty, in one statement, so concurrent
/// seeding cannot double them. Returns how many were inserted.
pub async fn seed_if_empty(db: impl PgExecutor<'_>, plans: &[PlanFields]) -> sqlx::Result<u64> {
    let json = serde_json::to_value(plans.iter().map(seed_row).collect::<Vec<_>>())
        .map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let done = sqlx::query(
        "INSERT INTO pricing_plans (name, slug, description, price_usd, price_sol, price_neptu, price_sudigital,
                                    features, limits, is_active, is_popular, sort_order)
         SELECT p.name, p.slug, p.description, p.price_usd, p.price_sol, p.price_neptu, p.price_sudigital,
                p.features, p.limits, p.is_active, p.is_popular, p.sort_order
         FROM jsonb_to_recordset($1) AS p(name text, slug text, description text, price_usd numeric,
              price_sol numeric, price_neptu numeric, price_sudigital numeric, features jsonb, limits jsonb,
              is_active boolean, is_popular boolean, sort_order integer)
         WHERE NOT EXISTS (SELECT 1 FROM pricing_plans)
         ON CONFLICT (slug) DO NOTHING",
    )
    .bind(json)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

fn seed_row(p: &PlanFields) -> serde_json::Value {
    serde_json::json!({
        "name": p.name, "slug": p.slug, "description": p.description,
        "price_usd": p.price_usd.to_string(),
        "price_sol": p.price_sol.map(|d| d.to_string()),
        "price_neptu": p.price_neptu.map(|d| d.to_string()),
        "price_sudigital": p.price_sudigital.map(|d| d.to_string()),
        "features": p.features, "limits": p.limits,
        "is_active": p.is_active, "is_popular": p.is_popular, "sort_order": p.sort_order,
    })
}
