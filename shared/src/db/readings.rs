//! `readings`: the readings a user asked for, with the full computed payload.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::value::RawValue;
use sqlx::types::Json;
use sqlx::{FromRow, PgExecutor, PgPool};
use uuid::Uuid;

use super::{Page, PageRequest};
use crate::domain::enums::ReadingKind;
use crate::wire;

/// A stored reading; serializes as the web app's `ReadingDTO`.
#[derive(Debug, Clone, FromRow, Serialize, utoipa::ToSchema)]
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
    /// The stored payload, passed through as it is (never parsed on the way out).
    #[sqlx(json)]
    #[schema(value_type = Object)]
    pub reading_data: Box<RawValue>,
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
        "INSERT INTO readings (user_id, type, target_date, birth_date, birth_date_2, reading_data, daily_view)
         VALUES ($1, $2, $3, $4, $5, $6, true)
         ON CONFLICT (user_id, type, target_date) WHERE daily_view
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

/// A reading row as the outer side of a left join: every column may be null.
#[derive(FromRow)]
struct MaybeReading {
    id: Option<Uuid>,
    user_id: Option<Uuid>,
    #[sqlx(rename = "type")]
    kind: Option<ReadingKind>,
    target_date: Option<NaiveDate>,
    birth_date: Option<NaiveDate>,
    birth_date_2: Option<NaiveDate>,
    reading_data: Option<Json<Box<RawValue>>>,
    tx_signature: Option<String>,
    created_at: Option<DateTime<Utc>>,
}

impl MaybeReading {
    fn into_reading(self) -> Option<Reading> {
        Some(Reading {
            id: self.id?,
            user_id: self.user_id?,
            kind: self.kind?,
            target_date: self.target_date?,
            birth_date: self.birth_date,
            birth_date2: self.birth_date_2,
            reading_data: self.reading_data?.0,
            tx_signature: self.tx_signature,
            created_at: self.created_at?,
        })
    }
}

/// The readings of the user of `wallet`, newest first, in one round trip; `None` when no
/// user has this wallet.
pub async fn list_for_wallet(
    db: impl PgExecutor<'_>,
    wallet: &str,
    limit: i64,
) -> sqlx::Result<Option<Vec<Reading>>> {
    let rows: Vec<MaybeReading> = sqlx::query_as(
        "SELECT r.id, r.user_id, r.type, r.target_date, r.birth_date, r.birth_date_2, r.reading_data,
                r.tx_signature, r.created_at
         FROM users u
         LEFT JOIN LATERAL (
             SELECT * FROM readings WHERE user_id = u.id ORDER BY created_at DESC, id DESC LIMIT $2
         ) r ON true
         WHERE u.wallet_address = $1",
    )
    .bind(wallet)
    .bind(limit)
    .fetch_all(db)
    .await?;
    if rows.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        rows.into_iter().filter_map(MaybeReading::into_reading).collect(),
    ))
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
