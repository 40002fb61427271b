//! `/api/pricing/*`: the consumer plans, public reads and admin CRUD.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use neptu_http::auth::AdminCaller;
use neptu_http::{ApiError, ApiResult, Issue, Json, Path};
use neptu_shared::db::is_unique_violation;
use neptu_shared::db::pricing_plans::{
    self, PlanFields, PlanLimits, PlanUpdate, PricingPlan, SLUG_CONSTRAINT,
};
use neptu_shared::domain::pricing::{check_limits, default_plans};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::support::finish;
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
    let body = match state.pricing.get() {
        Some(body) => body,
        None => {
            let plans = pricing_plans::list(&state.db, true).await?;
            let body = Bytes::from(
                serde_json::to_vec(&PlansResponse { success: true, plans }).map_err(ApiError::internal)?,
            );
            state.pricing.set(body.clone());
            body
        }
    };
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
    let plan = pricing_plans::find_by_slug(&state.db, &slug)
        .await?
        .ok_or_else(not_found)?;
    Ok(axum::Json(PlanResponse { success: true, plan }))
}

fn not_found() -> ApiError {
    ApiError::not_found("Plan not found")
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
    pricing_plans::seed_if_empty(&state.db, &default_plans()).await?;
    state.pricing.clear();
    let plans = pricing_plans::list(&state.db, false).await?;
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
    let plans = pricing_plans::list(&state.db, false).await?;
    Ok(axum::Json(PlansResponse { success: true, plans }))
}

/// A plan as sent by an admin. On create the optional flags take their defaults; on update
/// only the fields present change.
#[derive(Deserialize, ToSchema, Default)]
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

impl PlanBody {
    /// The field rules of the original validator, for whatever fields are present.
    fn check(&self, issues: &mut Vec<Issue>) {
        if let Some(name) = &self.name
            && !(1..=50).contains(&name.chars().count())
        {
            issues.push(Issue::new("name", "must be 1 to 50 characters"));
        }
        if let Some(slug) = &self.slug
            && !(slug.len() <= 50
                && !slug.is_empty()
                && slug
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'))
        {
            issues.push(Issue::new("slug", "must be 1 to 50 characters of a-z, 0-9 and -"));
        }
        if self.description.as_ref().is_some_and(|d| d.chars().count() > 500) {
            issues.push(Issue::new("description", "must be at most 500 characters"));
        }
        for (field, price) in [
            ("priceUsd", self.price_usd),
            ("priceSol", self.price_sol),
            ("priceNeptu", self.price_neptu),
            ("priceSudigital", self.price_sudigital),
        ] {
            if price.is_some_and(|p| p.is_sign_negative() && !p.is_zero()) {
                issues.push(Issue::new(field, "must be 0 or more"));
            }
        }
        if let Some(limits) = &self.limits {
            check_limits(limits, "limits", issues);
        }
    }
}

/// Maps a duplicate slug to the original's 400.
fn slug_taken(error: sqlx::Error) -> ApiError {
    if is_unique_violation(&error, SLUG_CONSTRAINT) {
        ApiError::bad_request("Plan with this slug already exists")
    } else {
        error.into()
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
    Json(body): Json<PlanBody>,
) -> ApiResult<Response> {
    let mut issues = Vec::new();
    body.check(&mut issues);
    for (field, missing) in [
        ("name", body.name.is_none()),
        ("slug", body.slug.is_none()),
        ("priceUsd", body.price_usd.is_none()),
        ("features", body.features.is_none()),
        ("limits", body.limits.is_none()),
    ] {
        if missing {
            issues.push(Issue::new(field, "is required"));
        }
    }
    finish(issues)?;
    let (Some(name), Some(slug), Some(price_usd), Some(features), Some(limits)) =
        (body.name, body.slug, body.price_usd, body.features, body.limits)
    else {
        return Err(ApiError::bad_request("missing fields"));
    };
    let fields = PlanFields {
        name,
        slug,
        description: body.description,
        price_usd,
        price_sol: body.price_sol,
        price_neptu: body.price_neptu,
        price_sudigital: body.price_sudigital,
        features,
        limits,
        is_active: body.is_active.unwrap_or(true),
        is_popular: body.is_popular.unwrap_or(false),
        sort_order: body.sort_order.unwrap_or(0),
    };
    let plan = pricing_plans::create(&state.db, &fields)
        .await
        .map_err(slug_taken)?;
    state.pricing.clear();
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
    Json(body): Json<PlanBody>,
) -> ApiResult<axum::Json<PlanResponse>> {
    let mut issues = Vec::new();
    body.check(&mut issues);
    finish(issues)?;
    let update = PlanUpdate {
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
    };
    let plan = pricing_plans::update(&state.db, id, &update)
        .await
        .map_err(slug_taken)?
        .ok_or_else(not_found)?;
    state.pricing.clear();
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
    if !pricing_plans::delete(&state.db, id).await? {
        return Err(not_found());
    }
    state.pricing.clear();
    Ok(axum::Json(DeletedResponse {
        success: true,
        message: "Plan deleted".into(),
    }))
}
