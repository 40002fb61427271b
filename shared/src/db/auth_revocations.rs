//! `auth_revocations`: revoked sessions and role changes, written by triggers on
//! `refresh_tokens` and `users` (see the migration), read by every replica's revocation sync
//! (`crate::auth::revocation`).

use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgExecutor};
use uuid::Uuid;

use crate::domain::enums::Role;

/// The channel the triggers notify on.
pub const CHANNEL: &str = "neptu_auth";

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Revocation {
    pub user_id: Uuid,
    /// A revoked session (refresh-token family)...
    pub family_id: Option<Uuid>,
    /// ...or the user's new role.
    pub role: Option<Role>,
    pub created_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct Row {
    user_id: Option<Uuid>,
    family_id: Option<Uuid>,
    role: Option<Role>,
    created_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
}

/// Rows written after `after` (or, without it, in the last `window_secs`), oldest first, and
/// the database's clock at the time of reading.
pub async fn after(
    db: impl PgExecutor<'_>,
    after: Option<DateTime<Utc>>,
    window_secs: i64,
) -> sqlx::Result<(Vec<Revocation>, DateTime<Utc>)> {
    // The outer join gives one row of NULLs when nothing is new, so `now` always comes back.
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.user_id, r.family_id, r.role, r.created_at, clock.now
         FROM (SELECT now() AS now) clock
         LEFT JOIN auth_revocations r
           ON r.created_at > COALESCE($1, clock.now - make_interval(secs => $2::double precision))
         ORDER BY r.created_at, r.id",
    )
    .bind(after)
    .bind(window_secs as f64)
    .fetch_all(db)
    .await?;
    let now = rows.first().map_or_else(Utc::now, |r| r.now);
    let revocations = rows
        .into_iter()
        .filter_map(|r| {
            Some(Revocation {
                user_id: r.user_id?,
                family_id: r.family_id,
                role: r.role,
                created_at: r.created_at?,
            })
        })
        .collect();
    Ok((revocations, now))
}

/// Deletes rows older than a day: by then every access token they could refuse has expired.
pub async fn delete_old(db: impl PgExecutor<'_>) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM auth_revocations WHERE created_at < now() - interval '1 day'")
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}
