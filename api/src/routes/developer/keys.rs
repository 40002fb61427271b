//! `/api/developer/keys`: list, create (the secret is shown once), rename or switch off, revoke.

use axum::extract::State;
use chrono::{DateTime, Utc};
use neptu_http::{ApiResult, CheckedJson, Issue, Path, Rules};
use neptu_shared::db::api_keys::ApiKey;
use neptu_shared::domain::developer::{check_expiry, check_key_name, check_origins};
use neptu_shared::domain::enums::ApiScope;
use neptu_shared::domain::validation::outcome;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::{DevMessageResponse, Developer, ErrorBody, message};
use crate::services::developer::keys::{self, KeyRequest};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(update, revoke))
}

#[derive(Serialize, ToSchema)]
pub struct DevKeysResponse {
    success: bool,
    keys: Vec<ApiKey>,
}

/// The caller's keys, newest first (never their secrets).
#[utoipa::path(get, path = "/api/developer/keys", tag = "developer", security(("bearer" = [])), responses(
    (status = 200, body = DevKeysResponse),
    (status = 401, body = ErrorBody),
))]
async fn list(
    State(state): State<AppState>,
    Developer(user): Developer,
) -> ApiResult<axum::Json<DevKeysResponse>> {
    let keys = keys::list(&state.db, user).await?;
    Ok(axum::Json(DevKeysResponse { success: true, keys }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DevKeyRequest {
    /// 1 to 100 characters.
    name: String,
    /// What the key may call (`neptu:read` for readings, `neptu:ai` for the oracle); may be empty.
    scopes: Vec<ApiScope>,
    /// Browser origins allowed to use the key (`https://app.example.com`); absent or empty: any.
    allowed_origins: Option<Vec<String>>,
    /// When the key stops working; must be in the future.
    expires_at: Option<DateTime<Utc>>,
}

impl Rules for DevKeyRequest {
    type Checked = KeyRequest;

    fn check(self) -> Result<KeyRequest, Vec<Issue>> {
        let mut issues = Vec::new();
        check_key_name(&self.name, &mut issues);
        // An empty list restricts nothing, like an absent one.
        let allowed_origins = self.allowed_origins.filter(|o| !o.is_empty());
        if let Some(origins) = &allowed_origins {
            check_origins(origins, &mut issues);
        }
        check_expiry(self.expires_at, Utc::now(), &mut issues);
        outcome(
            issues,
            KeyRequest {
                name: self.name,
                scopes: self.scopes,
                allowed_origins,
                expires_at: self.expires_at,
            },
        )
    }
}

/// A key with its full secret (`nptu_…`), returned only when it is created.
#[derive(Serialize, ToSchema)]
pub struct DevKeyWithSecret {
    #[serde(flatten)]
    key: ApiKey,
    secret: String,
}

#[derive(Serialize, ToSchema)]
pub struct DevKeyCreatedResponse {
    success: bool,
    key: DevKeyWithSecret,
    warning: &'static str,
}

/// Creates a key under the caller's active subscription. The secret is in the answer and
/// nowhere else: only a keyed hash of it is stored.
#[utoipa::path(post, path = "/api/developer/keys", tag = "developer", request_body = DevKeyRequest,
    security(("bearer" = [])), responses(
    (status = 200, body = DevKeyCreatedResponse),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, description = "Active API subscription required", body = ErrorBody),
))]
async fn create(
    State(state): State<AppState>,
    Developer(user): Developer,
    CheckedJson(request): CheckedJson<DevKeyRequest>,
) -> ApiResult<axum::Json<DevKeyCreatedResponse>> {
    let created = keys::create(&state.db, &state.key_hasher, user, request, Utc::now()).await?;
    Ok(axum::Json(DevKeyCreatedResponse {
        success: true,
        key: DevKeyWithSecret {
            key: created.key,
            secret: created.secret,
        },
        warning: "Store the secret securely. It will not be shown again.",
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DevKeyUpdate {
    name: Option<String>,
    /// False switches the key off; true switches it back on.
    is_active: Option<bool>,
}

impl Rules for DevKeyUpdate {
    type Checked = Self;

    fn check(self) -> Result<Self, Vec<Issue>> {
        let mut issues = Vec::new();
        if let Some(name) = &self.name {
            check_key_name(name, &mut issues);
        }
        outcome(issues, self)
    }
}

#[derive(Serialize, ToSchema)]
pub struct DevKeyResponse {
    success: bool,
    key: ApiKey,
}

/// Renames the caller's key and/or switches it off or on.
#[utoipa::path(put, path = "/api/developer/keys/{keyId}", tag = "developer", params(("keyId" = Uuid, Path)),
    request_body = DevKeyUpdate, security(("bearer" = [])), responses(
    (status = 200, body = DevKeyResponse),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 404, description = "API key not found", body = ErrorBody),
))]
async fn update(
    State(state): State<AppState>,
    Developer(user): Developer,
    Path(id): Path<Uuid>,
    CheckedJson(body): CheckedJson<DevKeyUpdate>,
) -> ApiResult<axum::Json<DevKeyResponse>> {
    let key = keys::update(&state.db, user, id, body.name.as_deref(), body.is_active).await?;
    Ok(axum::Json(DevKeyResponse { success: true, key }))
}

/// Revokes the caller's key. The key stops working; its usage history stays.
#[utoipa::path(delete, path = "/api/developer/keys/{keyId}", tag = "developer", params(("keyId" = Uuid, Path)),
    security(("bearer" = [])), responses(
    (status = 200, body = DevMessageResponse),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 404, description = "API key not found", body = ErrorBody),
))]
async fn revoke(
    State(state): State<AppState>,
    Developer(user): Developer,
    Path(id): Path<Uuid>,
) -> ApiResult<axum::Json<DevMessageResponse>> {
    keys::revoke(&state.db, Some(user), id).await?;
    Ok(message("API key revoked"))
}
