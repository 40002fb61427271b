//! `user_streaks`: one row per user with the daily check-in streak.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{FromRow, PgConnection, PgExecutor};
use uuid::Uuid;

use crate::wire;

/// Serializes as the web app's `UserStreakDTO`.
#[derive(Debug, Clone, PartialEq, FromRow, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserStreak {
    pub id: Uuid,
    pub user_id: Uuid,
    pub current_streak: i32,
    pub longest_streak: i32,
    #[serde(serialize_with = "wire::timestamp_opt")]
    pub last_check_in: Option<DateTime<Utc>>,
    pub total_check_ins: i32,
    #[serde(serialize_with = "wire::timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "wire::timestamp")]
    pub updated_at: DateTime<Utc>,
}

macro_rules! columns {
    () => {
        "id, user_id, current_streak, longest_streak, last_check_in, total_check_ins, created_at, updated_at"
    };
}

pub async fn find(db: impl PgExecutor<'_>, user_id: Uuid) -> sqlx::Result<Option<UserStreak>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM user_streaks WHERE user_id = $1"
    ))
    .bind(user_id)
    .fetch_optional(db)
    .await
}

/// Returns the user's streak row locked for the rest of the transaction, creating an empty
/// one first if needed. Check-ins of one user therefore run one after another.
pub async fn lock_or_create(tx: &mut PgConnection, user_id: Uuid) -> sqlx::Result<UserStreak> {
    sqlx::query("INSERT INTO user_streaks (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM user_streaks WHERE user_id = $1 FOR UPDATE"
    ))
    .bind(user_id)
    .fetch_one(&mut *tx)
    .await
}

/// Writes the counters computed by the streak rules.
pub async fn save(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    current_streak: i32,
    longest_streak: i32,
    total_check_ins: i32,
    last_check_in: DateTime<Utc>,
) -> sqlx::Result<UserStreak> {
    sqlx::query_as(concat!(
        "UPDATE user_streaks SET current_streak = $2, longest_streak = $3, total_check_ins = $4,
                last_check_in = $5, updated_at = now()
         WHERE user_id = $1 RETURNING ",
        columns!()
    ))
    .bind(user_id)
    .bind(current_streak)
    .bind(longest_streak)
    .bind(total_check_ins)
    .bind(last_check_in)
    .fetch_one(db)
    .await
}
