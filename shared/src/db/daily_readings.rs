//! `daily_readings`: the generic reading of each day, written by the worker ahead of time.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::{FromRow, PgExecutor};

use crate::wire;

/// Serializes as the worker's `DailyReadingDTO` (`{date, type, readingData, createdAt}`).
#[derive(Debug, Clone, PartialEq, FromRow, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DailyReading {
    pub date: NaiveDate,
    #[sqlx(rename = "type")]
    #[serde(rename = "type")]
    pub kind: String,
    pub reading_data: serde_json::Value,
    #[serde(serialize_with = "wire::timestamp")]
    pub created_at: DateTime<Utc>,
}

/// The only kind the product generates.
pub const PELUANG: &str = "peluang";

/// Inserts or replaces the day's reading; `created_at` keeps the first generation time.
/// One statement, so concurrent generators of the same day cannot collide.
pub async fn upsert(
    db: impl PgExecutor<'_>,
    date: NaiveDate,
    reading_data: &serde_json::Value,
) -> sqlx::Result<DailyReading> {
    sqlx::query_as(
        "INSERT INTO daily_readings (date, type, reading_data) VALUES ($1, $2, $3)
         ON CONFLICT (date, type) DO UPDATE SET reading_data = EXCLUDED.reading_data
         RETURNING date, type, reading_data, created_at",
    )
    .bind(date)
    .bind(PELUANG)
    .bind(reading_data)
    .fetch_one(db)
    .await
}

pub async fn find(db: impl PgExecutor<'_>, date: NaiveDate) -> sqlx::Result<Option<DailyReading>> {
    sqlx::query_as(
        "SELECT date, type, reading_data, created_at FROM daily_readings WHERE date = $1 AND type = $2",
    )
    .bind(date)
    .bind(PELUANG)
    .fetch_optional(db)
    .await
}
