//! The stored daily reading, cached a day under `daily:{date}` (the daily job writes both).

use chrono::NaiveDate;
use neptu_http::ApiError;
use neptu_shared::cache::CacheStore;
use neptu_shared::db::daily_readings;
use sqlx::PgPool;

pub use neptu_shared::db::daily_readings::DailyReading;

use crate::jobs::daily::{CACHE_TTL, cache_key};

/// What reading a day can fail with.
#[derive(Debug, thiserror::Error)]
pub enum DailyError {
    /// No reading stored for the day: 404.
    #[error("Daily reading not found")]
    NotFound,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Encoding(#[from] serde_json::Error),
}

impl From<DailyError> for ApiError {
    fn from(error: DailyError) -> Self {
        match error {
            DailyError::NotFound => ApiError::not_found("Daily reading not found"),
            DailyError::Database(error) => error.into(),
            DailyError::Encoding(error) => ApiError::internal(error),
        }
    }
}

/// The day's reading as JSON text: from the cache when it can, else from the store (and then
/// cached; a cache that cannot write is no failure).
pub async fn reading(db: &PgPool, cache: &dyn CacheStore, date: NaiveDate) -> Result<String, DailyError> {
    let key = cache_key(date);
    if let Some(cached) = cache.get(&key).await {
        return Ok(cached);
    }
    let reading = daily_readings::find(db, date)
        .await?
        .ok_or(DailyError::NotFound)?;
    let body = serde_json::to_string(&reading)?;
    let _ = cache.put(&key, &body, Some(CACHE_TTL)).await;
    Ok(body)
}
