//! `api_pricing_plans`: the developer API tiers (Starter, Pro, Business, Enterprise) and their
//! admin CRUD.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use sqlx::{FromRow, PgExecutor};
use uuid::Uuid;

use crate::domain::enums::{ApiTier, BillingPeriod};
use crate::wire;

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
    sqlx::query_as(concat!(
        "INSERT INTO api_pricing_plans (name, slug, description, tier, price_usd, price_sol, price_neptu,
            billing_period, features, basic_calls, ai_calls, rate_limit, overage_basic_neptu,
            overage_basic_sol, overage_ai_neptu, overage_ai_sol, discount_percent, is_active, is_popular,
            sort_order)
         VALUES ($1, $2, $3, $4, $5, $6, $7, COALESCE($8, 'monthly'), COALESCE($9, '[]'), $10, $11, $12,
            COALESCE($13, 0), COALESCE($14, 0), COALESCE($15, 0), COALESCE($16, 0), COALESCE($17, 0),
            COALESCE($18, true), COALESCE($19, false), COALESCE($20, 0))
         RETURNING ",
        columns!()
    ))
    .bind(&plan.name)
    .bind(&plan.slug)
    .bind(&plan.description)
    .bind(plan.tier)
    .bind(plan.price_usd)
    .bind(plan.price_sol)
    .bind(plan.price_neptu)
    .bind(plan.billing_period)
    .bind(plan.features.as_ref().map(Json))
    .bind(plan.limits.map(|l| l.basic_calls))
    .bind(plan.limits.map(|l| l.ai_calls))
    .bind(plan.limits.map(|l| l.rate_limit))
    .bind(plan.overage_rates.map(|o| o.basic_call_neptu))
    .bind(plan.overage_rates.map(|o| o.basic_call_sol))
    .bind(plan.overage_rates.map(|o| o.ai_call_neptu))
    .bind(plan.overage_rates.map(|o| o.ai_call_sol))
    .bind(plan.discount_percent)
    .bind(plan.is_active)
    .bind(plan.is_popular)
    .bind(plan.sort_order)
    .fetch_one(db)
    .await
}

/// Applies a partial update; `None` when no plan has this id.
pub async fn update(db: impl PgExecutor<'_>, id: Uuid, up: &PlanChanges) -> sqlx::Result<Option<ApiPlan>> {
    sqlx::query_as(concat!(
        "UPDATE api_pricing_plans SET
            name = COALESCE($2, name), slug = COALESCE($3, slug), description = COALESCE($4, description),
            tier = COALESCE($5, tier), price_usd = COALESCE($6, price_usd),
            price_sol = COALESCE($7, price_sol), price_neptu = COALESCE($8, price_neptu),
            billing_period = COALESCE($9, billing_period), features = COALESCE($10, features),
            basic_calls = COALESCE($11, basic_calls), ai_calls = COALESCE($12, ai_calls),
            rate_limit = COALESCE($13, rate_limit),
            overage_basic_neptu = COALESCE($14, overage_basic_neptu),
            overage_basic_sol = COALESCE($15, overage_basic_sol),
            overage_ai_neptu = COALESCE($16, overage_ai_neptu), overage_ai_sol = COALESCE($17, overage_ai_sol),
            discount_percent = COALESCE($18, discount_percent), is_active = COALESCE($19, is_active),
            is_popular = COALESCE($20, is_popular), sort_order = COALESCE($21, sort_order),
            updated_at = now()
         WHERE id = $1 RETURNING ",
        columns!()
    ))
    .bind(id)
    .bind(&up.name)
    .bind(&up.slug)
    .bind(&up.description)
    .bind(up.tier)
    .bind(up.price_usd)
    .bind(up.price_sol)
    .bind(up.price_neptu)
    .bind(up.billing_period)
    .bind(up.features.as_ref().map(Json))
    .bind(up.limits.map(|l| l.basic_calls))
    .bind(up.limits.map(|l| l.ai_calls))
    .bind(up.limits.map(|l| l.rate_limit))
    .bind(up.overage_rates.map(|o| o.basic_call_neptu))
    .bind(up.overage_rates.map(|o| o.basic_call_sol))
    .bind(up.overage_rates.map(|o| o.ai_call_neptu))
    .bind(up.overage_rates.map(|o| o.ai_call_sol))
    .bind(up.discount_percent)
    .bind(up.is_active)
    .bind(up.is_popular)
    .bind(up.sort_order)
    .fetch_optional(db)
    .await
}

/// Deletes a plan; false when there was none. A plan with subscriptions violates
/// [`IN_USE_CONSTRAINT`].
pub async fn delete(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM api_pricing_plans WHERE id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}
