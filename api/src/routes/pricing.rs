//! `/api/pricing/*`: the consumer plans, public reads and admin CRUD.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use neptu_http::auth::AdminCaller;
use neptu_http::{ApiResult, CheckedJson, Issue, Path, Rules};
use neptu_shared::db::pricing_plans::{PlanFields, PlanLimits, PlanUpdate, PricingPlan};
use neptu_shared::domain::pricing::{new_plan, plan_update};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::services::pricing;
use crate::state::AppState;

type ErrorBody = neptu_http::docs::ErrorBody;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_active))
        .routes(routes!(by_slug))
        .routes(routes!(seed))
        .routes(routes!(list_all))
        .routes(routes!(create))
        .routes(routes!(update, delete))
}

#[derive(Serialize, ToSchema)]
pub struct PlansResponse {
    success: bool,
    plans: Vec<PricingPlan>,
}

#[derive(Serialize, ToSchema)]
pub struct PlanResponse {
    success: bool,
    plan: PricingPlan,
}

/// The active plans in display order. Served from memory for a few seconds.
#[utoipa::path(get, path = "/api/pricing", tag = "pricing", responses((status = 200, body = PlansResponse)))]
async fn list_active(State(state): State<AppState>) -> ApiResult<Response> {
    let body = pricing::active_body(&state.db, &state.pricing, |plans| {
        serde_json::to_vec(&PlansResponse { success: true, plans })
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// One plan by slug, active or not.
#[utoipa::path(get, path = "/api/pricing/{slug}", tag = "pricing", params(("slug" = String, Path)), responses(
    (status = 200, body = PlanResponse),
    (status = 404, description = "Plan not found", body = ErrorBody),
))]
async fn by_slug(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> ApiResult<axum::Json<PlanResponse>> {
    let plan = pricing::by_slug(&state.db, &slug).await?;
    Ok(axum::Json(PlanResponse { success: true, plan }))
}

#[derive(Serialize, ToSchema)]
pub struct SeedResponse {
    success: bool,
    message: String,
    plans: Vec<PricingPlan>,
}

/// Inserts the three default plans when there are none.
#[utoipa::path(post, path = "/api/pricing/seed", tag = "pricing", security(("bearer" = [])), responses(
    (status = 200, body = SeedResponse),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
))]
async fn seed(State(state): State<AppState>, _: AdminCaller) -> ApiResult<axum::Json<SeedResponse>> {
    let plans = pricing::seed(&state.db, &state.pricing).await?;
    Ok(axum::Json(SeedResponse {
        success: true,
        message: "Plans seeded".into(),
        plans,
    }))
}

/// Every plan, inactive ones included.
#[utoipa::path(get, path = "/api/pricing/admin/all", tag = "pricing", security(("bearer" = [])), responses(
    (status = 200, body = PlansResponse),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
))]
async fn list_all(State(state): State<AppState>, _: AdminCaller) -> ApiResult<axum::Json<PlansResponse>> {
    let plans = pricing::all(&state.db).await?;
    Ok(axum::Json(PlansResponse { success: true, plans }))
}

/// A plan as sent by an admin. On create the optional flags take their defaults; on update
/// only the fields present change.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanBody {
    name: Option<String>,
    slug: Option<String>,
    description: Option<String>,
    #[schema(value_type = Option<f64>)]
    #[serde(default, with = "rust_decimal::serde::float_option")]
    price_usd: Option<Decimal>,
    #[schema(value_type = Option<f64>)]
    #[serde(default, with = "rust_decimal::serde::float_option")]
    price_sol: Option<Decimal>,
    #[schema(value_type = Option<f64>)]
    #[serde(default, with = "rust_decimal::serde::float_option")]
    price_neptu: Option<Decimal>,
    #[schema(value_type = Option<f64>)]
    #[serde(default, with = "rust_decimal::serde::float_option")]
    price_sudigital: Option<Decimal>,
    features: Option<Vec<String>>,
    limits: Option<PlanLimits>,
    is_active: Option<bool>,
    is_popular: Option<bool>,
    sort_order: Option<i32>,
}

impl From<PlanBody> for PlanUpdate {
    fn from(body: PlanBody) -> Self {
        Self {
            name: body.name,
            slug: body.slug,
            description: body.description,
            price_usd: body.price_usd,
            price_sol: body.price_sol,
            price_neptu: body.price_neptu,
            price_sudigital: body.price_sudigital,
            features: body.features,
            limits: body.limits,
            is_active: body.is_active,
            is_popular: body.is_popular,
            sort_order: body.sort_order,
        }
    }
}

/// A new plan: the domain's field rules, and the fields without a default.
pub struct NewPlan(PlanBody);

impl<'de> Deserialize<'de> for NewPlan {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        PlanBody::deserialize(d).map(Self)
    }
}

impl Rules for NewPlan {
    type Checked = PlanFields;

    fn check(self) -> Result<PlanFields, Vec<Issue>> {
        new_plan(self.0.into())
    }
}

impl Rules for PlanBody {
    type Checked = PlanUpdate;

    fn check(self) -> Result<PlanUpdate, Vec<Issue>> {
        plan_update(self.into())
    }
}

/// Creates a plan.
#[utoipa::path(post, path = "/api/pricing/admin", tag = "pricing", request_body = PlanBody, security(("bearer" = [])), responses(
    (status = 201, body = PlanResponse),
    (status = 400, description = "Invalid fields or slug taken", body = ErrorBody),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
))]
async fn create(
    State(state): State<AppState>,
    _: AdminCaller,
    CheckedJson(plan): CheckedJson<NewPlan>,
) -> ApiResult<Response> {
    let plan = pricing::create(&state.db, &state.pricing, plan).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(PlanResponse { success: true, plan }),
    )
        .into_response())
}

/// Changes the given fields of a plan.
#[utoipa::path(put, path = "/api/pricing/admin/{id}", tag = "pricing", params(("id" = Uuid, Path)), request_body = PlanBody,
    security(("bearer" = [])), responses(
    (status = 200, body = PlanResponse),
    (status = 400, description = "Invalid fields or slug taken", body = ErrorBody),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, description = "Plan not found", body = ErrorBody),
))]
async fn update(
    State(state): State<AppState>,
    _: AdminCaller,
    Path(id): Path<Uuid>,
    CheckedJson(changes): CheckedJson<PlanBody>,
) -> ApiResult<axum::Json<PlanResponse>> {
    let plan = pricing::update(&state.db, &state.pricing, id, changes).await?;
    Ok(axum::Json(PlanResponse { success: true, plan }))
}

#[derive(Serialize, ToSchema)]
pub struct DeletedResponse {
    success: bool,
    message: String,
}

/// Deletes a plan.
#[utoipa::path(delete, path = "/api/pricing/admin/{id}", tag = "pricing", params(("id" = Uuid, Path)),
    security(("bearer" = [])), responses(
    (status = 200, body = DeletedResponse),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, description = "Plan not found", body = ErrorBody),
))]
async fn delete(
    State(state): State<AppState>,
    _: AdminCaller,
    Path(id): Path<Uuid>,
) -> ApiResult<axum::Json<DeletedResponse>> {
    pricing::delete(&state.db, &state.pricing, id).await?;
    Ok(axum::Json(DeletedResponse {
        success: true,
        message: "Plan deleted".into(),
    }))
}
