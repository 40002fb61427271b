//! `/api/admin/plans` and `/api/admin/credit-packs`: every API plan and credit pack, active
//! or not, and their CRUD. A slug already taken, or deleting a plan that subscriptions use, is
//! a 409.

use axum::extract::State;
use axum::http::StatusCode;
use neptu_http::auth::AdminCaller;
use neptu_http::{ApiResult, CheckedJson, Issue, Path, Rules};
use neptu_shared::db::api_packs::{CreditPack, PackChanges};
use neptu_shared::db::api_plans::{ApiPlan, ApiPlanLimits, OverageRates, PlanChanges};
use neptu_shared::domain::developer::{check_pack, check_plan};
use neptu_shared::domain::enums::{ApiTier, BillingPeriod};
use neptu_shared::domain::validation::outcome;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::{AdminDoneResponse, ErrorBody, done};
use crate::services::developer::catalog;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_plans, create_plan))
        .routes(routes!(update_plan, delete_plan))
        .routes(routes!(list_packs, create_pack))
        .routes(routes!(update_pack, delete_pack))
}

#[derive(Serialize, ToSchema)]
pub struct AdminApiPlansResponse {
    success: bool,
    plans: Vec<ApiPlan>,
}

#[derive(Serialize, ToSchema)]
pub struct AdminApiPlanResponse {
    success: bool,
    plan: ApiPlan,
}

/// An API plan as an admin sends it. A create needs name, slug, tier, priceUsd, features,
/// limits and overageRates (the rest have defaults); an update changes only what is present.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdminApiPlanBody {
    name: Option<String>,
    slug: Option<String>,
    description: Option<String>,
    tier: Option<ApiTier>,
    #[schema(value_type = Option<f64>)]
    #[serde(default, with = "rust_decimal::serde::float_option")]
    price_usd: Option<Decimal>,
    #[schema(value_type = Option<f64>)]
    #[serde(default, with = "rust_decimal::serde::float_option")]
    price_sol: Option<Decimal>,
    #[schema(value_type = Option<f64>)]
    #[serde(default, with = "rust_decimal::serde::float_option")]
    price_neptu: Option<Decimal>,
    billing_period: Option<BillingPeriod>,
    features: Option<Vec<String>>,
    limits: Option<ApiPlanLimits>,
    overage_rates: Option<OverageRates>,
    discount_percent: Option<i32>,
    is_active: Option<bool>,
    is_popular: Option<bool>,
    sort_order: Option<i32>,
}

impl From<AdminApiPlanBody> for PlanChanges {
    fn from(b: AdminApiPlanBody) -> Self {
        Self {
            name: b.name,
            slug: b.slug,
            description: b.description,
            tier: b.tier,
            price_usd: b.price_usd,
            price_sol: b.price_sol,
            price_neptu: b.price_neptu,
            billing_period: b.billing_period,
            features: b.features,
            limits: b.limits,
            overage_rates: b.overage_rates,
            discount_percent: b.discount_percent,
            is_active: b.is_active,
            is_popular: b.is_popular,
            sort_order: b.sort_order,
        }
    }
}

/// A new plan: the body, with the fields a create needs checked as required.
pub struct NewApiPlan(AdminApiPlanBody);

impl<'de> Deserialize<'de> for NewApiPlan {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        AdminApiPlanBody::deserialize(d).map(Self)
    }
}

impl Rules for NewApiPlan {
    type Checked = PlanChanges;

    fn check(self) -> Result<PlanChanges, Vec<Issue>> {
        let plan = PlanChanges::from(self.0);
        let mut issues = Vec::new();
        check_plan(&plan, true, &mut issues);
        outcome(issues, plan)
    }
}

impl Rules for AdminApiPlanBody {
    type Checked = PlanChanges;

    fn check(self) -> Result<PlanChanges, Vec<Issue>> {
        let changes = PlanChanges::from(self);
        let mut issues = Vec::new();
        check_plan(&changes, false, &mut issues);
        outcome(issues, changes)
    }
}

/// Every API plan, inactive ones included, in display order.
#[utoipa::path(get, path = "/api/admin/plans", tag = "admin", security(("bearer" = [])), responses(
    (status = 200, body = AdminApiPlansResponse),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
))]
async fn list_plans(
    State(state): State<AppState>,
    _: AdminCaller,
) -> ApiResult<axum::Json<AdminApiPlansResponse>> {
    let plans = catalog::plans(&state.db, false).await?;
    Ok(axum::Json(AdminApiPlansResponse { success: true, plans }))
}

/// Creates an API plan.
#[utoipa::path(post, path = "/api/admin/plans", tag = "admin", request_body = AdminApiPlanBody,
    security(("bearer" = [])), responses(
    (status = 201, body = AdminApiPlanResponse),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 409, description = "Plan with this slug already exists", body = ErrorBody),
))]
async fn create_plan(
    State(state): State<AppState>,
    _: AdminCaller,
    CheckedJson(plan): CheckedJson<NewApiPlan>,
) -> ApiResult<(StatusCode, axum::Json<AdminApiPlanResponse>)> {
    let plan = catalog::create_plan(&state.db, plan).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(AdminApiPlanResponse { success: true, plan }),
    ))
}

/// Changes the given fields of an API plan.
#[utoipa::path(put, path = "/api/admin/plans/{id}", tag = "admin", params(("id" = Uuid, Path)),
    request_body = AdminApiPlanBody, security(("bearer" = [])), responses(
    (status = 200, body = AdminApiPlanResponse),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, description = "Plan not found", body = ErrorBody),
    (status = 409, description = "Plan with this slug already exists", body = ErrorBody),
))]
async fn update_plan(
    State(state): State<AppState>,
    _: AdminCaller,
    Path(id): Path<Uuid>,
    CheckedJson(changes): CheckedJson<AdminApiPlanBody>,
) -> ApiResult<axum::Json<AdminApiPlanResponse>> {
    let plan = catalog::update_plan(&state.db, id, changes).await?;
    Ok(axum::Json(AdminApiPlanResponse { success: true, plan }))
}

/// Deletes an API plan that no subscription uses (switch a used one off instead).
#[utoipa::path(delete, path = "/api/admin/plans/{id}", tag = "admin", params(("id" = Uuid, Path)),
    security(("bearer" = [])), responses(
    (status = 200, body = AdminDoneResponse),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, description = "Plan not found", body = ErrorBody),
    (status = 409, description = "The plan has subscriptions", body = ErrorBody),
))]
async fn delete_plan(
    State(state): State<AppState>,
    _: AdminCaller,
    Path(id): Path<Uuid>,
) -> ApiResult<axum::Json<AdminDoneResponse>> {
    catalog::delete_plan(&state.db, id).await?;
    Ok(done())
}

#[derive(Serialize, ToSchema)]
pub struct AdminCreditPacksResponse {
    success: bool,
    packs: Vec<CreditPack>,
}

#[derive(Serialize, ToSchema)]
pub struct AdminCreditPackResponse {
    success: bool,
    pack: CreditPack,
}

/// A credit pack as an admin sends it. A create needs name, slug, credits and priceUsd; an
/// update changes only what is present.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdminCreditPackBody {
    name: Option<String>,
    slug: Option<String>,
    description: Option<String>,
    credits: Option<i32>,
    ai_credits: Option<i32>,
    #[schema(value_type = Option<f64>)]
    #[serde(default, with = "rust_decimal::serde::float_option")]
    price_usd: Option<Decimal>,
    #[schema(value_type = Option<f64>)]
    #[serde(default, with = "rust_decimal::serde::float_option")]
    price_sol: Option<Decimal>,
    #[schema(value_type = Option<f64>)]
    #[serde(default, with = "rust_decimal::serde::float_option")]
    price_neptu: Option<Decimal>,
    bonus_percent: Option<i32>,
    is_active: Option<bool>,
    sort_order: Option<i32>,
}

impl From<AdminCreditPackBody> for PackChanges {
    fn from(b: AdminCreditPackBody) -> Self {
        Self {
            name: b.name,
            slug: b.slug,
            description: b.description,
            credits: b.credits,
            ai_credits: b.ai_credits,
            price_usd: b.price_usd,
            price_sol: b.price_sol,
            price_neptu: b.price_neptu,
            bonus_percent: b.bonus_percent,
            is_active: b.is_active,
            sort_order: b.sort_order,
        }
    }
}

/// A new pack: the body, with the fields a create needs checked as required.
pub struct NewCreditPack(AdminCreditPackBody);

impl<'de> Deserialize<'de> for NewCreditPack {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        AdminCreditPackBody::deserialize(d).map(Self)
    }
}

impl Rules for NewCreditPack {
    type Checked = PackChanges;

    fn check(self) -> Result<PackChanges, Vec<Issue>> {
        let pack = PackChanges::from(self.0);
        let mut issues = Vec::new();
        check_pack(&pack, true, &mut issues);
        outcome(issues, pack)
    }
}

impl Rules for AdminCreditPackBody {
    type Checked = PackChanges;

    fn check(self) -> Result<PackChanges, Vec<Issue>> {
        let changes = PackChanges::from(self);
        let mut issues = Vec::new();
        check_pack(&changes, false, &mut issues);
        outcome(issues, changes)
    }
}

/// Every credit pack, inactive ones included, in display order.
#[utoipa::path(get, path = "/api/admin/credit-packs", tag = "admin", security(("bearer" = [])), responses(
    (status = 200, body = AdminCreditPacksResponse),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
))]
async fn list_packs(
    State(state): State<AppState>,
    _: AdminCaller,
) -> ApiResult<axum::Json<AdminCreditPacksResponse>> {
    let packs = catalog::packs(&state.db, false).await?;
    Ok(axum::Json(AdminCreditPacksResponse { success: true, packs }))
}

/// Creates a credit pack.
#[utoipa::path(post, path = "/api/admin/credit-packs", tag = "admin", request_body = AdminCreditPackBody,
    security(("bearer" = [])), responses(
    (status = 201, body = AdminCreditPackResponse),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 409, description = "Credit pack with this slug already exists", body = ErrorBody),
))]
async fn create_pack(
    State(state): State<AppState>,
    _: AdminCaller,
    CheckedJson(pack): CheckedJson<NewCreditPack>,
) -> ApiResult<(StatusCode, axum::Json<AdminCreditPackResponse>)> {
    let pack = catalog::create_pack(&state.db, pack).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(AdminCreditPackResponse { success: true, pack }),
    ))
}

/// Changes the given fields of a credit pack.
#[utoipa::path(put, path = "/api/admin/credit-packs/{id}", tag = "admin", params(("id" = Uuid, Path)),
    request_body = AdminCreditPackBody, security(("bearer" = [])), responses(
    (status = 200, body = AdminCreditPackResponse),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, description = "Pack not found", body = ErrorBody),
    (status = 409, description = "Credit pack with this slug already exists", body = ErrorBody),
))]
async fn update_pack(
    State(state): State<AppState>,
    _: AdminCaller,
    Path(id): Path<Uuid>,
    CheckedJson(changes): CheckedJson<AdminCreditPackBody>,
) -> ApiResult<axum::Json<AdminCreditPackResponse>> {
    let pack = catalog::update_pack(&state.db, id, changes).await?;
    Ok(axum::Json(AdminCreditPackResponse { success: true, pack }))
}

/// Deletes a credit pack (payments that bought it keep their records).
#[utoipa::path(delete, path = "/api/admin/credit-packs/{id}", tag = "admin", params(("id" = Uuid, Path)),
    security(("bearer" = [])), responses(
    (status = 200, body = AdminDoneResponse),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, description = "Pack not found", body = ErrorBody),
))]
async fn delete_pack(
    State(state): State<AppState>,
    _: AdminCaller,
    Path(id): Path<Uuid>,
) -> ApiResult<axum::Json<AdminDoneResponse>> {
    catalog::delete_pack(&state.db, id).await?;
    Ok(done())
}
