//! Usage of the metered API: a key's recent calls and its totals over a period for its owner,
//! and the admin analytics over every key.

use chrono::{DateTime, NaiveDate, Utc};
use neptu_shared::db::api_usage::{self, ApiUsage, Bucket, EndpointUsage, UsageBucket, UsageSummary};
use neptu_shared::domain::developer::{check_period, month_of};
use sqlx::PgPool;
use uuid::Uuid;

use super::{DeveloperError, keys};

/// The key's latest calls, newest first (`limit` already checked: `check_usage_limit`).
pub async fn recent(
    db: &PgPool,
    user_id: Uuid,
    key_id: Uuid,
    limit: i64,
) -> Result<Vec<ApiUsage>, DeveloperError> {
    keys::owned(db, user_id, key_id).await?;
    Ok(api_usage::list_for_key(db, key_id, limit).await?)
}

/// The key's totals over the current UTC calendar month.
pub async fn this_month(
    db: &PgPool,
    user_id: Uuid,
    key_id: Uuid,
    now: DateTime<Utc>,
) -> Result<UsageSummary, DeveloperError> {
    keys::owned(db, user_id, key_id).await?;
    let (start, end) = month_of(now);
    Ok(api_usage::summary(db, key_id, start, end).await?)
}

/// The key's totals over `[start, end)` (see `check_period` for the accepted forms).
pub async fn over_period(
    db: &PgPool,
    user_id: Uuid,
    key_id: Uuid,
    start: Option<&str>,
    end: Option<&str>,
) -> Result<UsageSummary, DeveloperError> {
    let (Some(start), Some(end)) = (start.filter(|s| !s.is_empty()), end.filter(|e| !e.is_empty())) else {
        return Err(DeveloperError::BadRequest("Start and end dates required".into()));
    };
    let mut issues = Vec::new();
    let period = check_period(start, end, &mut issues);
    DeveloperError::check(issues)?;
    let Some((start, end)) = period else {
        return Err(DeveloperError::BadRequest("Invalid period".into()));
    };
    keys::owned(db, user_id, key_id).await?;
    Ok(api_usage::summary(db, key_id, start, end).await?)
}

/// Calls of every key per day, ISO week or month over the UTC days `first..=last` (checked by
/// `domain::developer::analytics_query`).
pub async fn analytics(
    db: &PgPool,
    first: NaiveDate,
    last: NaiveDate,
    bucket: Bucket,
) -> Result<Vec<UsageBucket>, DeveloperError> {
    Ok(api_usage::analytics(db, first, last, bucket).await?)
}

/// The ten most called endpoints.
pub async fn top_endpoints(db: &PgPool) -> Result<Vec<EndpointUsage>, DeveloperError> {
    Ok(api_usage::top_endpoints(db).await?)
}
