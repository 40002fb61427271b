//! `/api/admin/*`: admin-only views of users and readings, and the dashboard's counts (the
//! developer platform's admin routes are in `admin_platform`).

use axum::extract::State;
use neptu_http::auth::AdminCaller;
use neptu_http::{ApiResult, CheckedJson, CheckedQuery, Issue, Path, Rules};
use neptu_shared::db::api_subscriptions::SubscriptionStats;
use neptu_shared::db::api_usage::UsageStats;
use neptu_shared::db::readings::{Reading, ReadingStats};
use neptu_shared::db::users::{AdminUpdate, ListQuery, User, UserStats};
use neptu_shared::db::{Page, PageRequest};
use neptu_shared::domain::admin::{self as rules, UserChanges, UserListQuery};
use neptu_shared::domain::enums::Role;
use neptu_shared::domain::paging::PageQuery;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::services::admin;
use crate::state::AppState;

type ErrorBody = neptu_http::docs::ErrorBody;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(stats))
        .routes(routes!(list_users))
        .routes(routes!(get_user, update_user))
        .routes(routes!(list_readings))
        .routes(routes!(settings))
}

#[derive(Serialize, ToSchema)]
pub struct AdminStats {
    users: UserStats,
    readings: ReadingStats,
    subscriptions: SubscriptionStats,
    usage: UsageStats,
}

#[derive(Serialize, ToSchema)]
pub struct AdminStatsResponse {
    success: bool,
    stats: AdminStats,
}

/// Counts of users, readings, API subscriptions and API usage ("today" starts at 00:00 UTC).
#[utoipa::path(get, path = "/api/admin/stats", tag = "admin", security(("bearer" = [])), responses(
    (status = 200, body = AdminStatsResponse),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
))]
async fn stats(State(state): State<AppState>, _: AdminCaller) -> ApiResult<axum::Json<AdminStatsResponse>> {
    let counts = admin::counts(&state.db).await?;
    Ok(axum::Json(AdminStatsResponse {
        success: true,
        stats: AdminStats {
            users: counts.users,
            readings: counts.readings,
            subscriptions: counts.subscriptions,
            usage: counts.usage,
        },
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct UsersQuery {
    page: Option<u32>,
    limit: Option<u32>,
    /// Case-insensitive substring of the wallet, display name or email.
    search: Option<String>,
    /// `createdAt` (default), `walletAddress` or `displayName`.
    sort_by: Option<String>,
    /// `asc` or `desc` (default).
    sort_order: Option<String>,
}

impl Rules for UsersQuery {
    type Checked = ListQuery;

    fn check(self) -> Result<ListQuery, Vec<Issue>> {
        rules::user_list(UserListQuery {
            page: PageQuery::new(self.page, self.limit),
            search: self.search,
            sort_by: self.sort_by,
            sort_order: self.sort_order,
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct UserPage {
    success: bool,
    #[serde(flatten)]
    page: Page<User>,
}

/// Users, paginated, searchable and sortable.
#[utoipa::path(get, path = "/api/admin/users", tag = "admin", params(UsersQuery), security(("bearer" = [])), responses(
    (status = 200, body = UserPage),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
))]
async fn list_users(
    State(state): State<AppState>,
    _: AdminCaller,
    CheckedQuery(query): CheckedQuery<UsersQuery>,
) -> ApiResult<axum::Json<UserPage>> {
    let page = admin::users(&state.db, &query).await?;
    Ok(axum::Json(UserPage { success: true, page }))
}

#[derive(Serialize, ToSchema)]
pub struct AdminUserResponse {
    success: bool,
    user: User,
}

/// One user by id.
#[utoipa::path(get, path = "/api/admin/users/{id}", tag = "admin", params(("id" = Uuid, Path)), security(("bearer" = [])), responses(
    (status = 200, body = AdminUserResponse),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, description = "User not found", body = ErrorBody),
))]
async fn get_user(
    State(state): State<AppState>,
    _: AdminCaller,
    Path(id): Path<Uuid>,
) -> ApiResult<axum::Json<AdminUserResponse>> {
    let user = admin::user(&state.db, id).await?;
    Ok(axum::Json(AdminUserResponse { success: true, user }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdminUserUpdate {
    role: Option<Role>,
    /// Older clients send this instead of `role`: true means admin, false means user.
    is_admin: Option<bool>,
    display_name: Option<String>,
    email: Option<String>,
}

impl Rules for AdminUserUpdate {
    type Checked = AdminUpdate;

    fn check(self) -> Result<AdminUpdate, Vec<Issue>> {
        rules::user_update(UserChanges {
            role: self.role,
            is_admin: self.is_admin,
            display_name: self.display_name,
            email: self.email,
        })
    }
}

/// Changes a user's role, name or email.
#[utoipa::path(put, path = "/api/admin/users/{id}", tag = "admin", params(("id" = Uuid, Path)), request_body = AdminUserUpdate,
    security(("bearer" = [])), responses(
    (status = 200, body = AdminUserResponse),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, description = "User not found", body = ErrorBody),
))]
async fn update_user(
    State(state): State<AppState>,
    _: AdminCaller,
    Path(id): Path<Uuid>,
    CheckedJson(update): CheckedJson<AdminUserUpdate>,
) -> ApiResult<axum::Json<AdminUserResponse>> {
    let user = admin::update_user(&state.db, id, &update).await?;
    Ok(axum::Json(AdminUserResponse { success: true, user }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct ReadingsQuery {
    page: Option<u32>,
    limit: Option<u32>,
    user_id: Option<Uuid>,
}

impl Rules for ReadingsQuery {
    type Checked = (Option<Uuid>, PageRequest);

    fn check(self) -> Result<Self::Checked, Vec<Issue>> {
        rules::reading_list(self.user_id, PageQuery::new(self.page, self.limit))
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReadingPage {
    success: bool,
    #[serde(flatten)]
    page: Page<Reading>,
}

/// Stored readings, newest first, optionally of one user.
#[utoipa::path(get, path = "/api/admin/readings", tag = "admin", params(ReadingsQuery), security(("bearer" = [])), responses(
    (status = 200, body = ReadingPage),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
))]
async fn list_readings(
    State(state): State<AppState>,
    _: AdminCaller,
    CheckedQuery((user_id, page)): CheckedQuery<ReadingsQuery>,
) -> ApiResult<axum::Json<ReadingPage>> {
    let page = admin::readings(&state.db, user_id, page).await?;
    Ok(axum::Json(ReadingPage { success: true, page }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Features {
    oracle_enabled: bool,
    p2p_enabled: bool,
    staking_enabled: bool,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    maintenance_mode: bool,
    api_version: &'static str,
    features: Features,
}

#[derive(Serialize, ToSchema)]
pub struct SettingsResponse {
    success: bool,
    settings: Settings,
}

/// Service settings the admin UI shows. The oracle is enabled when the worker has an Azure
/// OpenAI key configured (both services share the configuration).
#[utoipa::path(get, path = "/api/admin/settings", tag = "admin", security(("bearer" = [])), responses(
    (status = 200, body = SettingsResponse),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
))]
async fn settings(State(state): State<AppState>, _: AdminCaller) -> axum::Json<SettingsResponse> {
    axum::Json(SettingsResponse {
        success: true,
        settings: Settings {
            maintenance_mode: false,
            api_version: "v1",
            features: Features {
                oracle_enabled: state.settings.azure_openai.api_key.is_some(),
                p2p_enabled: false,
                staking_enabled: false,
            },
        },
    })
}
