//! `/api/admin/api-keys`: every developer's keys, and revoking one.

use axum::extract::State;
use neptu_http::auth::AdminCaller;
use neptu_http::{ApiResult, CheckedQuery, Issue, Path, Rules};
use neptu_shared::db::api_keys::{AdminFilter, ApiKey};
use neptu_shared::db::{Page, PageRequest};
use neptu_shared::domain::paging::PageQuery;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::{AdminDoneResponse, ErrorBody, done};
use crate::services::developer::keys;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(revoke))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct AdminKeysQuery {
    page: Option<u32>,
    limit: Option<u32>,
    user_id: Option<Uuid>,
    /// `true` or `false`; absent: both.
    is_active: Option<bool>,
}

impl Rules for AdminKeysQuery {
    type Checked = (AdminFilter, PageRequest);

    fn check(self) -> Result<Self::Checked, Vec<Issue>> {
        let page = PageQuery::new(self.page, self.limit).request()?;
        let filter = AdminFilter {
            user_id: self.user_id,
            is_active: self.is_active,
        };
        Ok((filter, page))
    }
}

#[derive(Serialize, ToSchema)]
pub struct AdminKeyPage {
    success: bool,
    #[serde(flatten)]
    page: Page<ApiKey>,
}

/// API keys, newest first, optionally of one user and/or only (in)active ones.
#[utoipa::path(get, path = "/api/admin/api-keys", tag = "admin", params(AdminKeysQuery), security(("bearer" = [])), responses(
    (status = 200, body = AdminKeyPage),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
))]
async fn list(
    State(state): State<AppState>,
    _: AdminCaller,
    CheckedQuery((filter, request)): CheckedQuery<AdminKeysQuery>,
) -> ApiResult<axum::Json<AdminKeyPage>> {
    let page = keys::admin_list(&state.db, filter, request).await?;
    Ok(axum::Json(AdminKeyPage { success: true, page }))
}

/// Revokes any key (it stops working; its usage history stays).
#[utoipa::path(put, path = "/api/admin/api-keys/{id}/revoke", tag = "admin", params(("id" = Uuid, Path)),
    security(("bearer" = [])), responses(
    (status = 200, body = AdminDoneResponse),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, description = "API key not found", body = ErrorBody),
))]
async fn revoke(
    State(state): State<AppState>,
    _: AdminCaller,
    Path(id): Path<Uuid>,
) -> ApiResult<axum::Json<AdminDoneResponse>> {
    keys::revoke(&state.db, None, id).await?;
    Ok(done())
}
