//! `/api/admin/*`: admin-only views of users and readings, and the dashboard's counts (the
//! developer platform's admin routes are in `admin_platform`).

use axum::extract::State;
use neptu_http::auth::AdminCaller;
use neptu_http::{ApiError, ApiResult, Issue, Json, Path, Query};
use neptu_shared::db::Page;
use neptu_shared::db::api_subscriptions::{self, SubscriptionStats};
use neptu_shared::db::api_usage::{self, UsageStats};
use neptu_shared::db::readings::{self, Reading, ReadingStats};
use neptu_shared::db::users::{self, AdminUpdate, ListQuery, SortBy, User, UserStats};
use neptu_shared::domain::enums::Role;
use neptu_shared::domain::profile;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::support::{finish, page};
use crate::services::session;
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
    let (users, readings, subscriptions, usage) = tokio::try_join!(
        users::stats(&state.db),
        readings::stats(&state.db),
        api_subscriptions::stats(&state.db),
        api_usage::stats(&state.db),
    )?;
    Ok(axum::Json(AdminStatsResponse {
        success: true,
        stats: AdminStats {
            users,
            readings,
            subscriptions,
            usage,
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
    Query(q): Query<UsersQuery>,
) -> ApiResult<axum::Json<UserPage>> {
    let mut issues = Vec::new();
    let page = page(q.page, q.limit, &mut issues);
    let sort_by = match q.sort_by.as_deref() {
        None | Some("createdAt") => SortBy::CreatedAt,
        Some("walletAddress") => SortBy::WalletAddress,
        Some("displayName") => SortBy::DisplayName,
        Some(_) => {
            issues.push(Issue::new(
                "sortBy",
                "must be createdAt, walletAddress or displayName",
            ));
            SortBy::CreatedAt
        }
    };
    let descending = match q.sort_order.as_deref() {
        None | Some("desc") => true,
        Some("asc") => false,
        Some(_) => {
            issues.push(Issue::new("sortOrder", "must be asc or desc"));
            true
        }
    };
    finish(issues)?;
    let search = q.search.filter(|s| !s.trim().is_empty());
    let page = users::list(
        &state.db,
        &ListQuery {
            page,
            search,
            sort_by,
            descending,
        },
    )
    .await?;
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
    let user = users::find_by_id(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("User not found"))?;
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
    Json(body): Json<AdminUserUpdate>,
) -> ApiResult<axum::Json<AdminUserResponse>> {
    let mut issues = Vec::new();
    if let Some(name) = &body.display_name {
        profile::check_display_name(name, &mut issues);
    }
    if let Some(email) = &body.email {
        profile::check_email(email, &mut issues);
    }
    finish(issues)?;
    let role = body.role.or(body
        .is_admin
        .map(|admin| if admin { Role::Admin } else { Role::User }));
    let update = AdminUpdate {
        role,
        display_name: body.display_name.map(|n| n.trim().to_owned()),
        email: body.email,
    };
    let user = session::admin_update_user(&state.db, id, &update)
        .await?
        .ok_or_else(|| ApiError::not_found("User not found"))?;
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
    Query(q): Query<ReadingsQuery>,
) -> ApiResult<axum::Json<ReadingPage>> {
    let mut issues = Vec::new();
    let page = page(q.page, q.limit, &mut issues);
    finish(issues)?;
    let page = readings::list(&state.db, q.user_id, page).await?;
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
