//! `users`: one row per wallet.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::{FromRow, PgExecutor, PgPool};
use uuid::Uuid;

use super::{Page, PageRequest};
use crate::domain::enums::{Interest, Role};
use crate::wire;

/// A user row; serializes as the web app's `UserDTO` (plus `role` and `preferredLanguage`).
#[derive(Debug, Clone, PartialEq, FromRow, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: Uuid,
    pub wallet_address: String,
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    #[sqlx(json)]
    pub interests: Vec<Interest>,
    pub onboarded: bool,
    pub is_admin: bool,
    pub role: Role,
    pub preferred_language: String,
    /// The code others enter to be referred by this user.
    pub referral_code: String,
    #[serde(serialize_with = "wire::timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "wire::timestamp")]
    pub updated_at: DateTime<Utc>,
}

/// The selected columns, as a macro so every query stays a `&'static str`.
macro_rules! columns {
    () => {
        "id, wallet_address, email, display_name, birth_date, interests, onboarded, \
         is_admin, role, preferred_language, referral_code, created_at, updated_at"
    };
}

pub async fn find_by_wallet(db: impl PgExecutor<'_>, wallet: &str) -> sqlx::Result<Option<User>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM users WHERE wallet_address = $1"
    ))
    .bind(wallet)
    .fetch_optional(db)
    .await
}

pub async fn find_by_id(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<User>> {
    sqlx::query_as(concat!("SELECT ", columns!(), " FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Returns the wallet's user, creating it if needed, and whether it was created.
///
/// Race-free: concurrent calls for one wallet all get the same row. The insert skips on the
/// unique constraint; if another transaction won, the follow-up read (a new statement, so a
/// new snapshot) sees its row.
pub async fn get_or_create(pool: &PgPool, wallet: &str) -> sqlx::Result<(User, bool)> {
    let insert = || {
        sqlx::query_as(concat!(
            "INSERT INTO users (wallet_address) VALUES ($1) \
             ON CONFLICT (wallet_address) DO NOTHING RETURNING ",
            columns!()
        ))
        .bind(wallet)
        .fetch_optional(pool)
    };
    // The random referral code may (very rarely) collide; a second draw will not.
    let inserted: Option<User> = match insert().await {
        Err(e) if super::is_unique_violation(&e, REFERRAL_CODE_CONSTRAINT) => insert().await?,
        other => other?,
    };
    if let Some(user) = inserted {
        return Ok((user, true));
    }
    let existing = find_by_wallet(pool, wallet).await?;
    existing.map(|u| (u, false)).ok_or(sqlx::Error::RowNotFound)
}

/// The unique constraint on referral codes.
pub const REFERRAL_CODE_CONSTRAINT: &str = "users_referral_code_key";

pub async fn find_by_referral_code(db: impl PgExecutor<'_>, code: &str) -> sqlx::Result<Option<User>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM users WHERE referral_code = $1"
    ))
    .bind(code)
    .fetch_optional(db)
    .await
}

/// Fields a profile update may change; `None` leaves a column as it is.
#[derive(Debug, Clone, Default)]
pub struct ProfileUpdate {
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub interests: Option<Vec<Interest>>,
    pub birth_date: Option<NaiveDate>,
    pub preferred_language: Option<String>,
    /// `Some(true)` marks the user onboarded; never un-onboards.
    pub onboarded: Option<bool>,
}

/// Applies a partial update in one statement and returns the new row (`None`: no such user).
pub async fn update_profile(
    db: impl PgExecutor<'_>,
    wallet: &str,
    update: &ProfileUpdate,
) -> sqlx::Result<Option<User>> {
    sqlx::query_as(concat!(
        "UPDATE users SET
            display_name = COALESCE($2, display_name),
            email = COALESCE($3, email),
            interests = COALESCE($4, interests),
            birth_date = COALESCE($5, birth_date),
            preferred_language = COALESCE($6, preferred_language),
            onboarded = onboarded OR COALESCE($7, false),
            updated_at = now()
         WHERE wallet_address = $1
         RETURNING ",
        columns!()
    ))
    .bind(wallet)
    .bind(&update.display_name)
    .bind(&update.email)
    .bind(update.interests.as_ref().map(sqlx::types::Json))
    .bind(update.birth_date)
    .bind(&update.preferred_language)
    .bind(update.onboarded)
    .fetch_optional(db)
    .await
}

/// Sets the role; returns the updated row, `None` when the user does not exist.
pub async fn set_role(db: impl PgExecutor<'_>, id: Uuid, role: Role) -> sqlx::Result<Option<User>> {
    sqlx::query_as(concat!(
        "UPDATE users SET role = $2, updated_at = now() WHERE id = $1 RETURNING ",
        columns!()
    ))
    .bind(id)
    .bind(role)
    .fetch_optional(db)
    .await
}

/// Sort keys the admin list accepts; the column names are fixed here, never taken from input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    CreatedAt,
    WalletAddress,
    DisplayName,
}

#[derive(Debug, Clone)]
pub struct ListQuery {
    pub page: PageRequest,
    /// Case-insensitive substring of wallet, display name or email.
    pub search: Option<String>,
    pub sort_by: SortBy,
    pub descending: bool,
}

/// The admin user list with its total count.
pub async fn list(pool: &PgPool, query: &ListQuery) -> sqlx::Result<Page<User>> {
    let column = match query.sort_by {
        SortBy::CreatedAt => "created_at",
        SortBy::WalletAddress => "wallet_address",
        SortBy::DisplayName => "display_name",
    };
    let direction = if query.descending { "DESC" } else { "ASC" };
    let pattern = query.search.as_deref().map(like_pattern);
    let filter = "($1::text IS NULL OR wallet_address ILIKE $1 OR display_name ILIKE $1 OR email ILIKE $1)";
    // Only fixed identifiers from the match above are interpolated; the search is bound.
    let users: Vec<User> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {} FROM users WHERE {filter}
         ORDER BY {column} {direction} NULLS LAST, id {direction} LIMIT $2 OFFSET $3",
        columns!()
    )))
    .bind(&pattern)
    .bind(query.page.limit())
    .bind(query.page.offset())
    .fetch_all(pool)
    .await?;
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM users WHERE {filter}"
    )))
    .bind(&pattern)
    .fetch_one(pool)
    .await?;
    Ok(Page::new(users, total, query.page))
}

/// Fields an admin may change on a user; `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct AdminUpdate {
    pub role: Option<Role>,
    pub display_name: Option<String>,
    pub email: Option<String>,
}

/// The user's role, locking the row for the rest of the transaction; `None` when no such user.
pub async fn lock_role(tx: &mut sqlx::PgConnection, id: Uuid) -> sqlx::Result<Option<Role>> {
    sqlx::query_scalar("SELECT role FROM users WHERE id = $1 FOR UPDATE")
        .bind(id)
        .fetch_optional(tx)
        .await
}

/// Applies an admin's update in one statement; `None` when no user has this id.
pub async fn admin_update(
    db: impl PgExecutor<'_>,
    id: Uuid,
    update: &AdminUpdate,
) -> sqlx::Result<Option<User>> {
    sqlx::query_as(concat!(
        "UPDATE users SET role = COALESCE($2, role), display_name = COALESCE($3, display_name),
                email = COALESCE($4, email), updated_at = now()
         WHERE id = $1 RETURNING ",
        columns!()
    ))
    .bind(id)
    .bind(update.role)
    .bind(&update.display_name)
    .bind(&update.email)
    .fetch_optional(db)
    .await
}

/// `%term%` with LIKE's wildcards in the term escaped, so a search for `50%` means the text.
fn like_pattern(term: &str) -> String {
    let escaped = term.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserStats {
    pub total: i64,
    pub onboarded: i64,
    pub admins: i64,
    pub developers: i64,
    pub today_new: i64,
}

/// Admin counters; "today" starts at 00:00 UTC.
pub async fn stats(db: impl PgExecutor<'_>) -> sqlx::Result<UserStats> {
    sqlx::query_as(
        "SELECT count(*) AS total,
                count(*) FILTER (WHERE onboarded) AS onboarded,
                count(*) FILTER (WHERE role = 'admin') AS admins,
                count(*) FILTER (WHERE role = 'developer') AS developers,
                count(*) FILTER (WHERE created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS today_new
         FROM users",
    )
    .fetch_one(db)
    .await
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(like_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }
}
