//! `readings`: the readings a user asked for, with the full computed payload.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::{FromRow, PgExecutor, PgPool};
use uuid::Uuid;

use super::{Page, PageRequest};
use crate::domain::enums::ReadingKind;
use crate::wire;

/// A stored reading; serializes as the web app's `ReadingDTO`.
#[derive(Debug, Clone, PartialEq, FromRow, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Reading {
    pub id: Uuid,
    pub user_id: Uuid,
    #[sqlx(rename = "type")]
    #[serde(rename = "type")]
    pub kind: ReadingKind,
    pub target_date: NaiveDate,
    pub birth_date: Option<NaiveDate>,
    #[sqlx(rename = "birth_date_2")]
    pub birth_date2: Option<NaiveDate>,
    pub reading_data: serde_json::Value,
    pub tx_signature: Option<String>,
    #[serde(serialize_with = "wire::timestamp")]
    pub created_at: DateTime<Utc>,
}

macro_rules! columns {
    () => {
        "id, user_id, type, target_date, birth_date, birth_date_2, reading_data, tx_signature, created_at"
    };
}

#[derive(Debug, Clone)]
pub struct NewReading {
    pub user_id: Uuid,
    pub kind: ReadingKind,
    pub target_date: NaiveDate,
    pub birth_date: Option<NaiveDate>,
    pub birth_date2: Option<NaiveDate>,
    /// Must be a JSON object (the table CHECKs it).
    pub reading_data: serde_json::Value,
    pub tx_signature: Option<String>,
}

pub async fn insert(db: impl PgExecutor<'_>, new: &NewReading) -> sqlx::Result<Reading> {
    sqlx::query_as(concat!(
        "INSERT INTO readings (user_id, type, target_date, birth_date, birth_date_2, reading_data, tx_signature)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ",
        columns!()
    ))
    .bind(new.user_id)
    .bind(new.kind)
    .bind(new.target_date)
    .bind(new.birth_date)
    .bind(new.birth_date2)
    .bind(&new.reading_data)
    .bind(&new.tx_signature)
    .fetch_one(db)
    .await
}

/// Stores the reading a user viewed for a day: one row per user, kind and target date (a
/// second view replaces the payload, which changes if the birth date did).
pub async fn record_view(db: impl PgExecutor<'_>, new: &NewReading) -> sqlx::Result<Reading> {
    sqlx::query_as(concat!(
        "INSERT INTO readings (user_id, type, target_date, birth_date, birth_date_2, reading_data)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (user_id, type, target_date) WHERE tx_signature IS NULL
         DO UPDATE SET birth_date = EXCLUDED.birth_date, birth_date_2 = EXCLUDED.birth_date_2,
                       reading_data = EXCLUDED.reading_data
         RETURNING ",
        columns!()
    ))
    .bind(new.user_id)
    .bind(new.kind)
    .bind(new.target_date)
    .bind(new.birth_date)
    .bind(new.birth_date2)
    .bind(&new.reading_data)
    .fetch_one(db)
    .await
}

/// A user's readings, newest first.
pub async fn list_for_user(db: impl PgExecutor<'_>, user_id: Uuid, limit: i64) -> sqlx::Result<Vec<Reading>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM readings WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
    ))
    .bind(user_id)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// The admin list, newest first, optionally for one user.
pub async fn list(pool: &PgPool, user_id: Option<Uuid>, page: PageRequest) -> sqlx::Result<Page<Reading>> {
    let rows = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM readings WHERE ($1::uuid IS NULL OR user_id = $1)
          ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(user_id)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(pool)
    .await?;
    let total = sqlx::query_scalar("SELECT count(*) FROM readings WHERE ($1::uuid IS NULL OR user_id = $1)")
        .bind(user_id)
        .fetch_one(pool)
        .await?;
    Ok(Page::new(rows, total, page))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReadingStats {
    pub total: i64,
    pub potensi: i64,
    pub peluang: i64,
    pub compatibility: i64,
    pub today_new: i64,
}

/// Admin counters; "today" starts at 00:00 UTC.
pub async fn stats(db: impl PgExecutor<'_>) -> sqlx::Result<ReadingStats> {
    sqlx::query_as(
        "SELECT count(*) AS total,
                count(*) FILTER (WHERE type = 'potensi') AS potensi,
                count(*) FILTER (WHERE type = 'peluang') AS peluang,
                count(*) FILTER (WHERE type = 'compatibility') AS compatibility,
                count(*) FILTER (WHERE created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS today_new
         FROM readings",
    )
    .fetch_one(db)
    .await
}
