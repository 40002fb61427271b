//! `/api/developer/subscription(s)`: the caller's active subscription, their history, and
//! cancelling. Subscribing and buying credits are the payment routes.

use axum::extract::State;
use neptu_http::ApiResult;
use neptu_shared::db::api_subscriptions::Subscription;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{DevMessageResponse, Developer, ErrorBody, message};
use crate::services::developer::subscriptions;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(active))
        .routes(routes!(history))
        .routes(routes!(cancel))
}

#[derive(Serialize, ToSchema)]
pub struct DevSubscriptionResponse {
    /// False (with `subscription: null`) when the caller has no active subscription.
    success: bool,
    subscription: Option<Subscription>,
}

/// The caller's active subscription, or `{success: false, subscription: null}` (still 200).
#[utoipa::path(get, path = "/api/developer/subscription", tag = "developer", security(("bearer" = [])), responses(
    (status = 200, body = DevSubscriptionResponse),
    (status = 401, body = ErrorBody),
))]
async fn active(
    State(state): State<AppState>,
    Developer(user): Developer,
) -> ApiResult<axum::Json<DevSubscriptionResponse>> {
    let subscription = subscriptions::active(&state.db, user).await?;
    Ok(axum::Json(DevSubscriptionResponse {
        success: subscription.is_some(),
        subscription,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct DevSubscriptionsResponse {
    success: bool,
    subscriptions: Vec<Subscription>,
}

/// Every subscription of the caller, newest first.
#[utoipa::path(get, path = "/api/developer/subscriptions", tag = "developer", security(("bearer" = [])), responses(
    (status = 200, body = DevSubscriptionsResponse),
    (status = 401, body = ErrorBody),
))]
async fn history(
    State(state): State<AppState>,
    Developer(user): Developer,
) -> ApiResult<axum::Json<DevSubscriptionsResponse>> {
    let subscriptions = subscriptions::history(&state.db, user).await?;
    Ok(axum::Json(DevSubscriptionsResponse {
        success: true,
        subscriptions,
    }))
}

/// Cancels the caller's active subscription now; its keys stop being served with it.
#[utoipa::path(post, path = "/api/developer/subscription/cancel", tag = "developer", security(("bearer" = [])), responses(
    (status = 200, body = DevMessageResponse),
    (status = 401, body = ErrorBody),
    (status = 404, description = "No active subscription", body = ErrorBody),
))]
async fn cancel(
    State(state): State<AppState>,
    Developer(user): Developer,
) -> ApiResult<axum::Json<DevMessageResponse>> {
    subscriptions::cancel(&state.db, user).await?;
    Ok(message("Subscription cancelled"))
}
