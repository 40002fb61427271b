//! A developer's API keys: drawn, stored as a keyed hash and shown once; renamed, switched
//! off and revoked by their owner; listed and revoked by admins.

use chrono::{DateTime, Utc};
use neptu_shared::db::api_keys::{self, AdminFilter, ApiKey, NewApiKey, PREFIX_CONSTRAINT};
use neptu_shared::db::{Page, PageRequest, api_subscriptions, is_unique_violation};
use neptu_shared::domain::api_keys::{KeyHasher, generate};
use neptu_shared::domain::enums::ApiScope;
use sqlx::PgPool;
use uuid::Uuid;

use super::DeveloperError;

/// Prefixes are 8 random characters of 62 (about 2^47), so a collision is already unlikely
/// once; five in a row means something else is wrong.
const DRAWS: usize = 5;

const NOT_FOUND: &str = "API key not found";

/// What a developer asks for when creating a key, its fields already checked
/// (`domain::developer`: name, origins, expiry); an empty origin list is `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyRequest {
    pub name: String,
    pub scopes: Vec<ApiScope>,
    pub allowed_origins: Option<Vec<String>>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A new key and its secret, which exists only in this value: it is not stored.
pub struct CreatedKey {
    pub key: ApiKey,
    pub secret: String,
}

pub async fn list(db: &PgPool, user_id: Uuid) -> Result<Vec<ApiKey>, DeveloperError> {
    Ok(api_keys::list_for_user(db, user_id).await?)
}

/// Creates a key under the caller's active subscription (its plan is recorded on the key).
pub async fn create(
    db: &PgPool,
    hasher: &KeyHasher,
    user_id: Uuid,
    request: KeyRequest,
    now: DateTime<Utc>,
) -> Result<CreatedKey, DeveloperError> {
    let subscription = api_subscriptions::find_active(db, user_id)
        .await?
        .filter(|s| s.billing_cycle_end > now)
        .ok_or(DeveloperError::Forbidden("Active API subscription required"))?;
    let mut scopes = request.scopes;
    scopes.sort_by_key(|s| ApiScope::ALL.iter().position(|a| a == s));
    scopes.dedup();

    for _ in 0..DRAWS {
        let drawn = generate(hasher).map_err(|_| anyhow::anyhow!("the system random source failed"))?;
        let new = NewApiKey {
            user_id,
            name: request.name.trim().to_owned(),
            key_prefix: drawn.prefix,
            key_hash: drawn.hash,
            plan_id: Some(subscription.plan_id),
            scopes: scopes.clone(),
            allowed_origins: request.allowed_origins.clone(),
            expires_at: request.expires_at,
        };
        match api_keys::insert(db, &new).await {
            Ok(key) => {
                return Ok(CreatedKey {
                    key,
                    secret: drawn.secret,
                });
            }
            Err(error) if is_unique_violation(&error, PREFIX_CONSTRAINT) => continue,
            Err(error) => return Err(error.into()),
        }
    }
    Err(anyhow::anyhow!("{DRAWS} key prefixes in a row were taken").into())
}

/// Renames and/or switches the owner's key on or off (a new name already checked).
pub async fn update(
    db: &PgPool,
    user_id: Uuid,
    id: Uuid,
    name: Option<&str>,
    is_active: Option<bool>,
) -> Result<ApiKey, DeveloperError> {
    api_keys::update_owned(db, id, user_id, name.map(str::trim), is_active)
        .await?
        .ok_or(DeveloperError::NotFound(NOT_FOUND))
}

/// Revokes the owner's key (`owner`), or any key for an admin (`None`). The row stays, with
/// its usage history.
pub async fn revoke(db: &PgPool, owner: Option<Uuid>, id: Uuid) -> Result<(), DeveloperError> {
    if api_keys::deactivate(db, id, owner).await? {
        Ok(())
    } else {
        Err(DeveloperError::NotFound(NOT_FOUND))
    }
}

/// The owner's key, for the usage views.
pub async fn owned(db: &PgPool, user_id: Uuid, id: Uuid) -> Result<ApiKey, DeveloperError> {
    api_keys::find_owned(db, id, user_id)
        .await?
        .ok_or(DeveloperError::NotFound(NOT_FOUND))
}

/// Every key, for admins.
pub async fn admin_list(
    db: &PgPool,
    filter: AdminFilter,
    page: PageRequest,
) -> Result<Page<ApiKey>, DeveloperError> {
    Ok(api_keys::list(db, filter, page).await?)
}
