//! The admin views of users and readings, an admin's change of a user, and the dashboard's
//! counts. Input arrives checked by the domain's rules (`domain::admin`, `domain::paging`).

use neptu_http::ApiError;
use neptu_shared::db::api_subscriptions::{self, SubscriptionStats};
use neptu_shared::db::api_usage::{self, UsageStats};
use neptu_shared::db::readings::{self, Reading, ReadingStats};
use neptu_shared::db::users::{self, AdminUpdate, ListQuery, User, UserStats};
use neptu_shared::db::{Page, PageRequest, refresh_tokens};
use neptu_shared::domain::enums::Role;
use sqlx::PgPool;
use uuid::Uuid;

const USER_NOT_FOUND: &str = "User not found";

/// What the admin services can fail with; its one mapping to HTTP is below.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// 404 with the thing's name (`"User not found"`).
    #[error("{0}")]
    NotFound(&'static str),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<AdminError> for ApiError {
    fn from(error: AdminError) -> Self {
        match error {
            AdminError::NotFound(message) => ApiError::not_found(message),
            AdminError::Database(error) => error.into(),
        }
    }
}

/// The dashboard's counts ("today" starts at 00:00 UTC).
pub struct Counts {
    pub users: UserStats,
    pub readings: ReadingStats,
    pub subscriptions: SubscriptionStats,
    pub usage: UsageStats,
}

pub async fn counts(db: &PgPool) -> Result<Counts, AdminError> {
    let (users, readings, subscriptions, usage) = tokio::try_join!(
        users::stats(db),
        readings::stats(db),
        api_subscriptions::stats(db),
        api_usage::stats(db),
    )?;
    Ok(Counts {
        users,
        readings,
        subscriptions,
        usage,
    })
}

pub async fn users(db: &PgPool, query: &ListQuery) -> Result<Page<User>, AdminError> {
    Ok(users::list(db, query).await?)
}

pub async fn user(db: &PgPool, id: Uuid) -> Result<User, AdminError> {
    users::find_by_id(db, id)
        .await?
        .ok_or(AdminError::NotFound(USER_NOT_FOUND))
}

/// An admin's update of a user. Taking the admin role away also ends the user's sessions,
/// so their refresh tokens cannot outlive the demotion; the role change itself reaches every
/// replica's token checks at once (through the `users` trigger), whatever tokens they hold.
pub async fn update_user(db: &PgPool, id: Uuid, update: &AdminUpdate) -> Result<User, AdminError> {
    let mut tx = db.begin().await?;
    let Some(before) = users::lock_role(&mut tx, id).await? else {
        return Err(AdminError::NotFound(USER_NOT_FOUND));
    };
    let user = users::admin_update(&mut *tx, id, update)
        .await?
        .ok_or(AdminError::NotFound(USER_NOT_FOUND))?;
    if before == Role::Admin && user.role != Role::Admin {
        let ended = refresh_tokens::revoke_all_of_user(&mut *tx, id).await?;
        tracing::info!(user = %id, sessions = ended, "admin role removed; sessions revoked");
    }
    tx.commit().await?;
    Ok(user)
}

/// Stored readings, newest first, optionally of one user.
pub async fn readings(
    db: &PgPool,
    user_id: Option<Uuid>,
    page: PageRequest,
) -> Result<Page<Reading>, AdminError> {
    Ok(readings::list(db, user_id, page).await?)
}
