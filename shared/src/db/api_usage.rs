//! `api_usage`: one row per metered `/api/v1` call, partitioned by month, written in batches
//! by the usage recorder and read by the developer and admin analytics.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::{FromRow, PgExecutor};
use uuid::Uuid;

use crate::wire;

/// Serializes as the web app's `ApiUsageDTO`.
#[derive(Debug, Clone, PartialEq, FromRow, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiUsage {
    pub id: Uuid,
    pub api_key_id: Uuid,
    pub endpoint: String,
    pub method: String,
    pub credits_used: i32,
    pub is_ai_endpoint: bool,
    pub response_status: Option<i16>,
    pub response_time_ms: Option<i32>,
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
    pub metadata: Option<serde_json::Value>,
    #[serde(serialize_with = "wire::timestamp")]
    pub created_at: DateTime<Utc>,
}

/// One call, as the recorder writes it. The id is chosen by the recorder so a retried batch
/// inserts nothing twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageRecord {
    pub id: Uuid,
    pub api_key_id: Uuid,
    /// The route template (`/api/v1/reading/potensi`), never the raw path.
    pub endpoint: String,
    pub method: String,
    pub credits_used: i32,
    pub is_ai_endpoint: bool,
    pub response_status: i16,
    pub response_time_ms: i32,
    pub ip_address: Option<std::net::IpAddr>,
    pub user_agent: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Inserts a batch in one statement; rows already there (a retry) and rows of keys deleted
/// meanwhile are skipped. Returns how many were inserted.
pub async fn insert_batch(db: impl PgExecutor<'_>, rows: &[UsageRecord]) -> sqlx::Result<u64> {
    let mut ids = Vec::with_capacity(rows.len());
    let mut keys = Vec::with_capacity(rows.len());
    let mut endpoints = Vec::with_capacity(rows.len());
    let mut methods = Vec::with_capacity(rows.len());
    let mut credits = Vec::with_capacity(rows.len());
    let mut ai = Vec::with_capacity(rows.len());
    let mut statuses = Vec::with_capacity(rows.len());
    let mut times = Vec::with_capacity(rows.len());
    let mut ips = Vec::with_capacity(rows.len());
    let mut agents = Vec::with_capacity(rows.len());
    let mut created = Vec::with_capacity(rows.len());
    for r in rows {
        ids.push(r.id);
        keys.push(r.api_key_id);
        endpoints.push(r.endpoint.as_str());
        methods.push(r.method.as_str());
        credits.push(r.credits_used);
        ai.push(r.is_ai_endpoint);
        statuses.push(r.response_status);
        times.push(r.response_time_ms);
        ips.push(r.ip_address.map(|ip| ip.to_string()));
        agents.push(r.user_agent.as_deref());
        created.push(r.created_at);
    }
    let done = sqlx::query(
        "INSERT INTO api_usage (id, api_key_id, endpoint, method, credits_used, is_ai_endpoint,
                               response_status, response_time_ms, ip_address, user_agent, created_at)
         SELECT u.id, u.key, u.endpoint, u.method, u.credits, u.ai, u.status, u.ms, u.ip::inet, u.agent, u.at
         FROM UNNEST($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::bool[], $7::smallint[],
                     $8::int[], $9::text[], $10::text[], $11::timestamptz[])
              AS u(id, key, endpoint, method, credits, ai, status, ms, ip, agent, at)
         WHERE EXISTS (SELECT 1 FROM api_keys k WHERE k.id = u.key)
         ON CONFLICT (id, created_at) DO NOTHING",
    )
    .bind(&ids)
    .bind(&keys)
    .bind(&endpoints)
    .bind(&methods)
    .bind(&credits)
    .bind(&ai)
    .bind(&statuses)
    .bind(&times)
    .bind(&ips)
    .bind(&agents)
    .bind(&created)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// A key's latest calls, newest first.
pub async fn list_for_key(db: impl PgExecutor<'_>, key_id: Uuid, limit: i64) -> sqlx::Result<Vec<ApiUsage>> {
    sqlx::query_as(
        "SELECT id, api_key_id, endpoint, method, credits_used, is_ai_endpoint, response_status,
                response_time_ms, host(ip_address) AS ip_address, user_agent, metadata, created_at
         FROM api_usage WHERE api_key_id = $1 ORDER BY created_at DESC, id LIMIT $2",
    )
    .bind(key_id)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Serializes as the web app's `ApiUsageSummaryDTO`.
#[derive(Debug, Clone, PartialEq, FromRow, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UsageSummary {
    pub total_calls: i64,
    pub basic_calls: i64,
    pub ai_calls: i64,
    pub total_credits_used: i64,
    pub average_response_time_ms: i64,
    #[serde(serialize_with = "wire::timestamp")]
    pub period_start: DateTime<Utc>,
    #[serde(serialize_with = "wire::timestamp")]
    pub period_end: DateTime<Utc>,
}

/// A key's totals over `[start, end)`.
pub async fn summary(
    db: impl PgExecutor<'_>,
    key_id: Uuid,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> sqlx::Result<UsageSummary> {
    sqlx::query_as(
        "SELECT count(*) AS total_calls,
                count(*) FILTER (WHERE NOT is_ai_endpoint) AS basic_calls,
                count(*) FILTER (WHERE is_ai_endpoint) AS ai_calls,
                COALESCE(sum(credits_used), 0)::bigint AS total_credits_used,
                COALESCE(round(avg(response_time_ms)), 0)::bigint AS average_response_time_ms,
                $2::timestamptz AS period_start, $3::timestamptz AS period_end
         FROM api_usage WHERE api_key_id = $1 AND created_at >= $2 AND created_at < $3",
    )
    .bind(key_id)
    .bind(start)
    .bind(end)
    .fetch_one(db)
    .await
}

/// How admin analytics buckets calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    Day,
    /// Weeks start on Monday (ISO weeks).
    Week,
    Month,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UsageBucket {
    /// `YYYY-MM-DD` (the bucket's first day), or `YYYY-MM` for months.
    pub date: String,
    pub total_calls: i64,
    pub basic_calls: i64,
    pub ai_calls: i64,
    pub credits_used: i64,
}

/// Calls per bucket over the UTC days `first..=last`, oldest first; empty buckets are left out.
pub async fn analytics(
    db: impl PgExecutor<'_>,
    first: NaiveDate,
    last: NaiveDate,
    bucket: Bucket,
) -> sqlx::Result<Vec<UsageBucket>> {
    let (unit, format) = match bucket {
        Bucket::Day => ("day", "YYYY-MM-DD"),
        Bucket::Week => ("week", "YYYY-MM-DD"),
        Bucket::Month => ("month", "YYYY-MM"),
    };
    sqlx::query_as(
        "SELECT to_char(b.start, $4) AS date, b.total_calls, b.basic_calls, b.ai_calls, b.credits_used
         FROM (SELECT date_trunc($3, created_at AT TIME ZONE 'UTC') AS start,
                      count(*) AS total_calls,
                      count(*) FILTER (WHERE NOT is_ai_endpoint) AS basic_calls,
                      count(*) FILTER (WHERE is_ai_endpoint) AS ai_calls,
                      COALESCE(sum(credits_used), 0)::bigint AS credits_used
               FROM api_usage
               WHERE created_at >= ($1::date)::timestamp AT TIME ZONE 'UTC'
                 AND created_at < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'
               GROUP BY 1) b
         ORDER BY b.start",
    )
    .bind(first)
    .bind(last)
    .bind(unit)
    .bind(format)
    .fetch_all(db)
    .await
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EndpointUsage {
    pub endpoint: String,
    pub method: String,
    pub total_calls: i64,
    pub avg_response_time: i64,
}

/// The ten most called endpoints of all time.
pub async fn top_endpoints(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<EndpointUsage>> {
    sqlx::query_as(
        "SELECT endpoint, method, count(*) AS total_calls,
                COALESCE(round(avg(response_time_ms)), 0)::bigint AS avg_response_time
         FROM api_usage GROUP BY endpoint, method ORDER BY count(*) DESC, endpoint, method LIMIT 10",
    )
    .fetch_all(db)
    .await
}

/// The admin dashboard's usage counts ("today" starts at 00:00 UTC).
#[derive(Debug, Clone, PartialEq, Eq, FromRow, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UsageStats {
    pub total_calls: i64,
    pub today_calls: i64,
    pub total_credits_used: i64,
    pub avg_response_time: i64,
}

pub async fn stats(db: impl PgExecutor<'_>) -> sqlx::Result<UsageStats> {
    sqlx::query_as(
        "SELECT count(*) AS total_calls,
                count(*) FILTER (WHERE created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
                    AS today_calls,
                COALESCE(sum(credits_used), 0)::bigint AS total_credits_used,
                COALESCE(round(avg(response_time_ms)), 0)::bigint AS avg_response_time
         FROM api_usage",
    )
    .fetch_one(db)
    .await
}

/// Bounds how long the rest of the transaction waits for any lock. Creating or dropping a
/// partition waits for every statement running on `api_usage`, and new ones queue behind it
/// meanwhile: better to fail (and retry later) than to stall the usage writes.
pub async fn bound_lock_wait(tx: &mut sqlx::PgConnection, wait: std::time::Duration) -> sqlx::Result<()> {
    sqlx::query("SELECT set_config('lock_timeout', $1, true)")
        .bind(format!("{}ms", wait.as_millis()))
        .execute(tx)
        .await?;
    Ok(())
}

/// Creates the monthly partition holding `at` if it is missing; returns its name.
pub async fn ensure_partition(db: impl PgExecutor<'_>, at: DateTime<Utc>) -> sqlx::Result<String> {
    sqlx::query_scalar("SELECT api_usage_ensure_partition($1)")
        .bind(at)
        .fetch_one(db)
        .await
}

/// The monthly partitions and the instant each one ends, oldest first.
pub async fn partitions(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<(String, DateTime<Utc>)>> {
    sqlx::query_as(
        "SELECT c.relname::text,
                (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'api_usage'::regclass
         ORDER BY 2",
    )
    .fetch_all(db)
    .await
}

/// Drops the partition `name` (one returned by [`partitions`]).
pub async fn drop_partition(db: impl PgExecutor<'_>, name: &str) -> sqlx::Result<()> {
    // Partition names come from the catalog and match api_usage_YYYY_MM; anything else is refused
    // so the dynamic statement can only ever drop one of ours.
    let valid = name.len() == "api_usage_0000_00".len()
        && name.starts_with("api_usage_")
        && name["api_usage_".len()..]
            .bytes()
            .enumerate()
            .all(|(i, b)| if i == 4 { b == b'_' } else { b.is_ascii_digit() });
    if !valid {
        return Err(sqlx::Error::InvalidArgument(format!(
            "not a usage partition: {name}"
        )));
    }
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP TABLE IF EXISTS {name}")))
        .execute(db)
        .await?;
    Ok(())
}
