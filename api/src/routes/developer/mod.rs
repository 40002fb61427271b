//! `/api/developer/*`: a developer's API keys, subscriptions and usage, and the public
//! catalogue of API plans and credit packs. Everything but the catalogue acts for the
//! signed-in wallet (`Authorization: Bearer <accessToken>`); another user's key is "not found".

mod catalog;
mod keys;
mod subscriptions;
mod usage;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use neptu_http::ApiError;
use neptu_http::auth::SignedIn;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use uuid::Uuid;

use crate::services::developer;
use crate::state::AppState;

type ErrorBody = neptu_http::docs::ErrorBody;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(keys::routes())
        .merge(subscriptions::routes())
        .merge(usage::routes())
        .merge(catalog::routes())
}

/// The signed-in developer's user id: from the access token, or, in the development-only
/// wallet-header mode (which carries no id), looked up by wallet (404 "User not found").
pub(crate) struct Developer(pub Uuid);

impl FromRequestParts<AppState> for Developer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let SignedIn(caller) = SignedIn::from_request_parts(parts, state).await?;
        if let Some(id) = caller.user_id {
            return Ok(Self(id));
        }
        Ok(Self(developer::user_of_wallet(&state.db, &caller.wallet).await?))
    }
}

/// `{success, message}`.
#[derive(Serialize, ToSchema)]
pub struct DevMessageResponse {
    success: bool,
    message: &'static str,
}

fn message(message: &'static str) -> axum::Json<DevMessageResponse> {
    axum::Json(DevMessageResponse {
        success: true,
        message,
    })
}
