//! `/api/admin/subscriptions`: everyone's API subscriptions, one by id, and an admin's change
//! of status or credits.

use axum::extract::State;
use neptu_http::auth::AdminCaller;
use neptu_http::{ApiResult, CheckedJson, CheckedQuery, Issue, Path, Rules};
use neptu_shared::db::api_subscriptions::{AdminFilter, Subscription};
use neptu_shared::db::{Page, PageRequest};
use neptu_shared::domain::developer::check_credits;
use neptu_shared::domain::enums::SubscriptionStatus;
use neptu_shared::domain::paging::PageQuery;
use neptu_shared::domain::validation::outcome;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::ErrorBody;
use crate::services::developer::subscriptions;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(get, update))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct AdminSubscriptionsQuery {
    page: Option<u32>,
    limit: Option<u32>,
    #[param(value_type = Option<String>)]
    status: Option<SubscriptionStatus>,
    plan_id: Option<Uuid>,
}

impl Rules for AdminSubscriptionsQuery {
    type Checked = (AdminFilter, PageRequest);

    fn check(self) -> Result<Self::Checked, Vec<Issue>> {
        let page = PageQuery::new(self.page, self.limit).request()?;
        let filter = AdminFilter {
            status: self.status,
            plan_id: self.plan_id,
        };
        Ok((filter, page))
    }
}

#[derive(Serialize, ToSchema)]
pub struct AdminSubscriptionPage {
    success: bool,
    #[serde(flatten)]
    page: Page<Subscription>,
}

/// API subscriptions, newest first, optionally of one status or plan.
#[utoipa::path(get, path = "/api/admin/subscriptions", tag = "admin", params(AdminSubscriptionsQuery),
    security(("bearer" = [])), responses(
    (status = 200, body = AdminSubscriptionPage),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
))]
async fn list(
    State(state): State<AppState>,
    _: AdminCaller,
    CheckedQuery((filter, request)): CheckedQuery<AdminSubscriptionsQuery>,
) -> ApiResult<axum::Json<AdminSubscriptionPage>> {
    let page = subscriptions::admin_list(&state.db, filter, request).await?;
    Ok(axum::Json(AdminSubscriptionPage { success: true, page }))
}

#[derive(Serialize, ToSchema)]
pub struct AdminSubscriptionResponse {
    success: bool,
    subscription: Subscription,
}

/// One API subscription by id.
#[utoipa::path(get, path = "/api/admin/subscriptions/{id}", tag = "admin", params(("id" = Uuid, Path)),
    security(("bearer" = [])), responses(
    (status = 200, body = AdminSubscriptionResponse),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, description = "Subscription not found", body = ErrorBody),
))]
async fn get(
    State(state): State<AppState>,
    _: AdminCaller,
    Path(id): Path<Uuid>,
) -> ApiResult<axum::Json<AdminSubscriptionResponse>> {
    let subscription = subscriptions::admin_get(&state.db, id).await?;
    Ok(axum::Json(AdminSubscriptionResponse {
        success: true,
        subscription,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdminSubscriptionUpdate {
    status: Option<SubscriptionStatus>,
    /// Basic credits left, 0 or more.
    credits_remaining: Option<i64>,
}

impl Rules for AdminSubscriptionUpdate {
    type Checked = Self;

    fn check(self) -> Result<Self, Vec<Issue>> {
        let mut issues = Vec::new();
        check_credits("creditsRemaining", self.credits_remaining, &mut issues);
        outcome(issues, self)
    }
}

/// Changes a subscription's status and/or basic credits. Reactivating one while the user has
/// another active subscription is a 409.
#[utoipa::path(put, path = "/api/admin/subscriptions/{id}", tag = "admin", params(("id" = Uuid, Path)),
    request_body = AdminSubscriptionUpdate, security(("bearer" = [])), responses(
    (status = 200, body = AdminSubscriptionResponse),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, description = "Subscription not found", body = ErrorBody),
    (status = 409, description = "The user already has another active subscription", body = ErrorBody),
))]
async fn update(
    State(state): State<AppState>,
    _: AdminCaller,
    Path(id): Path<Uuid>,
    CheckedJson(body): CheckedJson<AdminSubscriptionUpdate>,
) -> ApiResult<axum::Json<AdminSubscriptionResponse>> {
    let subscription =
        subscriptions::admin_update(&state.db, id, body.status, body.credits_remaining).await?;
    Ok(axum::Json(AdminSubscriptionResponse {
        success: true,
        subscription,
    }))
}
