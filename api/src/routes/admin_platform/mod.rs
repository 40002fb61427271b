//! `/api/admin/*` over the developer platform: subscriptions, usage analytics, API plans,
//! credit packs and API keys. Admin only (401 without a token, 403 for other users).

mod analytics;
mod catalog;
mod keys;
mod subscriptions;

use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

type ErrorBody = neptu_http::docs::ErrorBody;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(subscriptions::routes())
        .merge(analytics::routes())
        .merge(catalog::routes())
        .merge(keys::routes())
}

/// `{success: true}`.
#[derive(Serialize, ToSchema)]
pub struct AdminDoneResponse {
    success: bool,
}

fn done() -> axum::Json<AdminDoneResponse> {
    axum::Json(AdminDoneResponse { success: true })
}
