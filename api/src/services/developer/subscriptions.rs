//! A developer's subscriptions (the active one, the history, cancelling), and the admin
//! views and changes of everyone's.

use neptu_shared::db::api_subscriptions::{self, AdminFilter, ONE_ACTIVE_CONSTRAINT, Subscription};
use neptu_shared::db::{Page, PageRequest, is_unique_violation};
use neptu_shared::domain::enums::SubscriptionStatus;
use sqlx::PgPool;
use uuid::Uuid;

use super::DeveloperError;

const NOT_FOUND: &str = "Subscription not found";

/// The user's active subscription, if any.
pub async fn active(db: &PgPool, user_id: Uuid) -> Result<Option<Subscription>, DeveloperError> {
    Ok(api_subscriptions::find_active(db, user_id).await?)
}

/// Every subscription of the user, newest first.
pub async fn history(db: &PgPool, user_id: Uuid) -> Result<Vec<Subscription>, DeveloperError> {
    Ok(api_subscriptions::list_for_user(db, user_id).await?)
}

/// Cancels the user's active subscription at once (its keys stop working with it).
pub async fn cancel(db: &PgPool, user_id: Uuid) -> Result<Subscription, DeveloperError> {
    api_subscriptions::cancel_active(db, user_id)
        .await?
        .ok_or(DeveloperError::NotFound("No active subscription"))
}

pub async fn admin_list(
    db: &PgPool,
    filter: AdminFilter,
    page: PageRequest,
) -> Result<Page<Subscription>, DeveloperError> {
    Ok(api_subscriptions::list(db, filter, page).await?)
}

pub async fn admin_get(db: &PgPool, id: Uuid) -> Result<Subscription, DeveloperError> {
    api_subscriptions::find_by_id(db, id)
        .await?
        .ok_or(DeveloperError::NotFound(NOT_FOUND))
}

/// An admin's change of status and/or basic credits. A user keeps at most one active
/// subscription, so reactivating one while another is active is a conflict. The credits are
/// already checked (`domain::developer::check_credits`).
pub async fn admin_update(
    db: &PgPool,
    id: Uuid,
    status: Option<SubscriptionStatus>,
    credits_remaining: Option<i64>,
) -> Result<Subscription, DeveloperError> {
    api_subscriptions::admin_update(db, id, status, credits_remaining)
        .await
        .map_err(|error| {
            if is_unique_violation(&error, ONE_ACTIVE_CONSTRAINT) {
                DeveloperError::Conflict("The user already has another active subscription")
            } else {
                error.into()
            }
        })?
        .ok_or(DeveloperError::NotFound(NOT_FOUND))
}
