//! `api_pricing_plans`: the developer API tiers (Starter, Pro, Business, Enterprise) and their
//! admin CRUD.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use sqlx::{FromRow, PgExecutor};
use uuid::Uuid;

use super::catalog_writes::{self, Insert, Update};
use crate::domain::enums::{ApiTier, BillingPeriod};
use crate::wire;

const TABLE: &str = "api_pricing_plans";

/// Calls included per billing cycle (`-1`: unlimited) and requests allowed per minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiPlanLimits {
    pub basic_calls: i32,
    pub ai_calls: i32,
    pub rate_limit: i32,
}

/// Prices of calls beyond the included ones.
#[derive(Debug, Clone, Copy, PartialEq, FromRow, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OverageRates {
    #[sqlx(rename = "overage_basic_neptu")]
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    pub basic_call_neptu: Decimal,
    #[sqlx(rename = "overage_basic_sol")]
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    pub basic_call_sol: Decimal,
    #[sqlx(rename = "overage_ai_neptu")]
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    pub ai_call_neptu: Decimal,
    #[sqlx(rename = "overage_ai_sol")]
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    pub ai_call_sol: Decimal,
}

/// Serializes as the web app's `ApiPricingPlanDTO`.
#[derive(Debug, Clone, PartialEq, FromRow, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiPlan {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub description: Option<String>,
    pub tier: ApiTier,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    pub price_usd: Decimal,
    #[schema(value_type = Option<f64>)]
    #[serde(with = "rust_decimal::serde::float_option")]
    pub price_sol: Option<Decimal>,
    #[schema(value_type = Option<f64>)]
    #[serde(with = "rust_decimal::serde::float_option")]
    pub price_neptu: Option<Decimal>,
    pub billing_period: BillingPeriod,
    #[sqlx(json)]
    pub features: Vec<String>,
    #[sqlx(flatten)]
    pub limits: ApiPlanLimits,
    #[sqlx(flatten)]
    pub overage_rates: OverageRates,
    pub discount_percent: i32,
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
        "id, name, slug, description, tier, price_usd, price_sol, price_neptu, billing_period, features, \
         basic_calls, ai_calls, rate_limit, overage_basic_neptu, overage_basic_sol, overage_ai_neptu, \
         overage_ai_sol, discount_percent, is_active, is_popular, sort_order, created_at, updated_at"
    };
}

/// Every field of a plan: the body of a create, or a partial update where `None` keeps the
/// stored value (`Option` fields of the plan itself cannot be cleared by an update).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanChanges {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub description: Option<String>,
    pub tier: Option<ApiTier>,
    pub price_usd: Option<Decimal>,
    pub price_sol: Option<Decimal>,
    pub price_neptu: Option<Decimal>,
    pub billing_period: Option<BillingPeriod>,
    pub features: Option<Vec<String>>,
    pub limits: Option<ApiPlanLimits>,
    pub overage_rates: Option<OverageRates>,
    pub discount_percent: Option<i32>,
    pub is_active: Option<bool>,
    pub is_popular: Option<bool>,
    pub sort_order: Option<i32>,
}

/// The unique constraint a duplicate slug violates.
pub const SLUG_CONSTRAINT: &str = "api_pricing_plans_slug_key";
/// The foreign key that keeps a plan with subscriptions from being deleted.
pub const IN_USE_CONSTRAINT: &str = "api_subscriptions_plan_id_fkey";

/// Plans in display order; `active_only` hides switched-off plans.
pub async fn list(db: impl PgExecutor<'_>, active_only: bool) -> sqlx::Result<Vec<ApiPlan>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM api_pricing_plans WHERE is_active OR NOT $1 ORDER BY sort_order, created_at"
    ))
    .bind(active_only)
    .fetch_all(db)
    .await
}

pub async fn find_by_slug(db: impl PgExecutor<'_>, slug: &str) -> sqlx::Result<Option<ApiPlan>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM api_pricing_plans WHERE slug = $1"
    ))
    .bind(slug)
    .fetch_optional(db)
    .await
}

pub async fn find_by_id(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<ApiPlan>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM api_pricing_plans WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Creates a plan from complete changes (the service fills the defaults). A duplicate slug is
/// a unique violation of [`SLUG_CONSTRAINT`].
pub async fn create(db: impl PgExecutor<'_>, plan: &PlanChanges) -> sqlx::Result<ApiPlan> {
    let columns = [
        "name",
        "slug",
        "description",
        "tier",
        "price_usd",
        "price_sol",
        "price_neptu",
        "billing_period",
        "features",
        "basic_calls",
        "ai_calls",
        "rate_limit",
        "overage_basic_neptu",
        "overage_basic_sol",
        "overage_ai_neptu",
        "overage_ai_sol",
        "discount_percent",
        "is_active",
        "is_popular",
        "sort_order",
    ];
    Insert::into(TABLE, &columns)
        .value(&plan.name)
        .value(&plan.slug)
        .value(&plan.description)
        .value(plan.tier)
        .value(plan.price_usd)
        .value(plan.price_sol)
        .value(plan.price_neptu)
        .value_or(plan.billing_period, "'monthly'")
        .value_or(plan.features.as_ref().map(Json), "'[]'")
        .value(plan.limits.map(|l| l.basic_calls))
        .value(plan.limits.map(|l| l.ai_calls))
        .value(plan.limits.map(|l| l.rate_limit))
        .value_or(plan.overage_rates.map(|o| o.basic_call_neptu), "0")
        .value_or(plan.overage_rates.map(|o| o.basic_call_sol), "0")
        .value_or(plan.overage_rates.map(|o| o.ai_call_neptu), "0")
        .value_or(plan.overage_rates.map(|o| o.ai_call_sol), "0")
        .value_or(plan.discount_percent, "0")
        .value_or(plan.is_active, "true")
        .value_or(plan.is_popular, "false")
        .value_or(plan.sort_order, "0")
        .returning(columns!())
        .build_query_as()
        .fetch_one(db)
        .await
}

/// Applies a partial update; `None` when no plan has this id.
pub async fn update(db: impl PgExecutor<'_>, id: Uuid, up: &PlanChanges) -> sqlx::Result<Option<ApiPlan>> {
    Update::table(TABLE)
        .set("name", up.name.as_ref())
        .set("slug", up.slug.as_ref())
        .set("description", up.description.as_ref())
        .set("tier", up.tier)
        .set("price_usd", up.price_usd)
        .set("price_sol", up.price_sol)
        .set("price_neptu", up.price_neptu)
        .set("billing_period", up.billing_period)
        .set("features", up.features.as_ref().map(Json))
        .set("basic_calls", up.limits.map(|l| l.basic_calls))
        .set("ai_calls", up.limits.map(|l| l.ai_calls))
        .set("rate_limit", up.limits.map(|l| l.rate_limit))
        .set(
            "overage_basic_neptu",
            up.overage_rates.map(|o| o.basic_call_neptu),
        )
        .set("overage_basic_sol", up.overage_rates.map(|o| o.basic_call_sol))
        .set("overage_ai_neptu", up.overage_rates.map(|o| o.ai_call_neptu))
        .set("overage_ai_sol", up.overage_rates.map(|o| o.ai_call_sol))
        .set("discount_percent", up.discount_percent)
        .set("is_active", up.is_active)
        .set("is_popular", up.is_popular)
        .set("sort_order", up.sort_order)
        .of(id, columns!())
        .build_query_as()
        .fetch_optional(db)
        .await
}

/// Deletes a plan; false when there was none. A plan with subscriptions violates
/// [`IN_USE_CONSTRAINT`].
pub async fn delete(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<bool> {
    catalog_writes::delete(db, TABLE, id).await
}
