//! `/api/developer/api-pricing/*`: the API plans and credit packs on sale (no sign-in).

use axum::extract::State;
use neptu_http::{ApiResult, Path};
use neptu_shared::db::api_packs::CreditPack;
use neptu_shared::db::api_plans::ApiPlan;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use crate::services::developer::catalog;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(plans))
        .routes(routes!(plan))
        .routes(routes!(packs))
        .routes(routes!(pack))
}

#[derive(Serialize, ToSchema)]
pub struct ApiPlansResponse {
    success: bool,
    plans: Vec<ApiPlan>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiPlanResponse {
    success: bool,
    plan: ApiPlan,
}

#[derive(Serialize, ToSchema)]
pub struct CreditPacksResponse {
    success: bool,
    packs: Vec<CreditPack>,
}

#[derive(Serialize, ToSchema)]
pub struct CreditPackResponse {
    success: bool,
    pack: CreditPack,
}

/// The active API plans in display order.
#[utoipa::path(get, path = "/api/developer/api-pricing/plans", tag = "developer", responses(
    (status = 200, body = ApiPlansResponse),
))]
async fn plans(State(state): State<AppState>) -> ApiResult<axum::Json<ApiPlansResponse>> {
    let plans = catalog::plans(&state.db, true).await?;
    Ok(axum::Json(ApiPlansResponse { success: true, plans }))
}

/// One active API plan by slug.
#[utoipa::path(get, path = "/api/developer/api-pricing/plans/{slug}", tag = "developer",
    params(("slug" = String, Path)), responses(
    (status = 200, body = ApiPlanResponse),
    (status = 404, description = "Plan not found", body = ErrorBody),
))]
async fn plan(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> ApiResult<axum::Json<ApiPlanResponse>> {
    let plan = catalog::plan_on_sale(&state.db, &slug).await?;
    Ok(axum::Json(ApiPlanResponse { success: true, plan }))
}

/// The active credit packs in display order.
#[utoipa::path(get, path = "/api/developer/api-pricing/credit-packs", tag = "developer", responses(
    (status = 200, body = CreditPacksResponse),
))]
async fn packs(State(state): State<AppState>) -> ApiResult<axum::Json<CreditPacksResponse>> {
    let packs = catalog::packs(&state.db, true).await?;
    Ok(axum::Json(CreditPacksResponse { success: true, packs }))
}

/// One active credit pack by slug.
#[utoipa::path(get, path = "/api/developer/api-pricing/credit-packs/{slug}", tag = "developer",
    params(("slug" = String, Path)), responses(
    (status = 200, body = CreditPackResponse),
    (status = 404, description = "Credit pack not found", body = ErrorBody),
))]
async fn pack(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> ApiResult<axum::Json<CreditPackResponse>> {
    let pack = catalog::pack_on_sale(&state.db, &slug).await?;
    Ok(axum::Json(CreditPackResponse { success: true, pack }))
}
