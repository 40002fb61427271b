//! `cron_runs`: the claim that makes each schedule slot run exactly once across replicas,
//! and the history of every run (status, attempts, duration, error).
//!
//! Life of a row: [`claim`] inserts it (`queued`) — only one replica's insert lands per
//! `(job, slot)` — then each attempt calls [`start_attempt`] (`running`, attempts + 1) and
//! ends with [`succeed`] or [`fail`] (`retrying` while attempts remain, else `failed`).
//! A job that writes to the database can call [`succeed`] inside its own transaction, so its
//! effects and the `succeeded` mark commit together: a repeated delivery then finds the run
//! done and skips it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{FromRow, PgExecutor};

use crate::wire;

/// Status values (CHECKed by the table).
pub mod status {
    pub const QUEUED: &str = "queued";
    pub const RUNNING: &str = "running";
    pub const RETRYING: &str = "retrying";
    pub const SUCCEEDED: &str = "succeeded";
    pub const FAILED: &str = "failed";
    pub const SKIPPED: &str = "skipped";
}

/// One run, as `/api/jobs` shows it.
#[derive(Debug, Clone, PartialEq, FromRow, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CronRun {
    pub job: String,
    #[serde(serialize_with = "wire::timestamp")]
    pub slot: DateTime<Utc>,
    pub status: String,
    pub attempts: i32,
    pub claimed_by: String,
    pub ran_by: Option<String>,
    #[serde(serialize_with = "wire::timestamp")]
    pub claimed_at: DateTime<Utc>,
    #[serde(serialize_with = "wire::timestamp_opt")]
    pub started_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "wire::timestamp_opt")]
    pub finished_at: Option<DateTime<Utc>>,
    pub duration_ms: Option<i64>,
    pub error: Option<String>,
    pub outcome: Option<serde_json::Value>,
}

macro_rules! columns {
    () => {
        "job, slot, status, attempts, claimed_by, ran_by, claimed_at, started_at, finished_at, \
         duration_ms, error, outcome"
    };
}

/// Claims `(job, slot)` for `by`. True only for the one caller whose insert landed; every
/// other replica firing the same tick gets false and must do nothing.
pub async fn claim(db: impl PgExecutor<'_>, job: &str, slot: DateTime<Utc>, by: &str) -> sqlx::Result<bool> {
    let inserted = sqlx::query(
        "INSERT INTO cron_runs (job, slot, claimed_by) VALUES ($1, $2, $3)
         ON CONFLICT (job, slot) DO NOTHING",
    )
    .bind(job)
    .bind(slot)
    .bind(by)
    .execute(db)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}

/// What an attempt found when it started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptStart {
    /// Go ahead; this is attempt number `n` (1-based).
    Run(i32),
    /// The run already finished (a repeated delivery after a crash): do nothing.
    AlreadyFinished,
    /// No such run was claimed.
    Unknown,
}

/// Marks the run `running` and counts the attempt. Runs already `succeeded`, `failed` or
/// `skipped` are left alone.
pub async fn start_attempt(
    db: impl PgExecutor<'_>,
    job: &str,
    slot: DateTime<Utc>,
    by: &str,
) -> sqlx::Result<AttemptStart> {
    // The CTE reads the row before the update so a finished run can be told from a missing one.
    let row: Option<(Option<i32>, String)> = sqlx::query_as(
        "WITH current AS (SELECT status FROM cron_runs WHERE job = $1 AND slot = $2),
              updated AS (
                  UPDATE cron_runs SET status = 'running', attempts = attempts + 1, ran_by = $3,
                         started_at = coalesce(started_at, now())
                  WHERE job = $1 AND slot = $2 AND status IN ('queued', 'running', 'retrying')
                  RETURNING attempts)
         SELECT (SELECT attempts FROM updated), status FROM current",
    )
    .bind(job)
    .bind(slot)
    .bind(by)
    .fetch_optional(db)
    .await?;
    Ok(match row {
        None => AttemptStart::Unknown,
        Some((Some(attempt), _)) => AttemptStart::Run(attempt),
        Some((None, _)) => AttemptStart::AlreadyFinished,
    })
}

/// Records success. Returns false when the run was already finished (for instance by the
/// job itself, inside its transaction).
pub async fn succeed(
    db: impl PgExecutor<'_>,
    job: &str,
    slot: DateTime<Utc>,
    duration_ms: i64,
    outcome: &serde_json::Value,
) -> sqlx::Result<bool> {
    let updated = sqlx::query(
        "UPDATE cron_runs SET status = 'succeeded', finished_at = now(), duration_ms = $3, outcome = $4
         WHERE job = $1 AND slot = $2 AND status NOT IN ('succeeded', 'failed', 'skipped')",
    )
    .bind(job)
    .bind(slot)
    .bind(duration_ms)
    .bind(outcome)
    .execute(db)
    .await?
    .rows_affected();
    Ok(updated == 1)
}

/// Records a failed attempt: `retrying` when `final_attempt` is false, else `failed`.
pub async fn fail(
    db: impl PgExecutor<'_>,
    job: &str,
    slot: DateTime<Utc>,
    duration_ms: i64,
    error: &str,
    final_attempt: bool,
) -> sqlx::Result<()> {
    let next = if final_attempt {
        status::FAILED
    } else {
        status::RETRYING
    };
    sqlx::query(
        "UPDATE cron_runs SET status = $3, finished_at = now(), duration_ms = $4, error = $5
         WHERE job = $1 AND slot = $2 AND status NOT IN ('succeeded', 'failed', 'skipped')",
    )
    .bind(job)
    .bind(slot)
    .bind(next)
    .bind(duration_ms)
    .bind(error)
    .execute(db)
    .await?;
    Ok(())
}

/// Records that the run decided not to act (an outside service not configured).
pub async fn skip(db: impl PgExecutor<'_>, job: &str, slot: DateTime<Utc>, reason: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE cron_runs SET status = 'skipped', finished_at = now(), outcome = jsonb_build_object('skipped', $3::text)
         WHERE job = $1 AND slot = $2 AND status NOT IN ('succeeded', 'failed', 'skipped')",
    )
    .bind(job)
    .bind(slot)
    .bind(reason)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn find(db: impl PgExecutor<'_>, job: &str, slot: DateTime<Utc>) -> sqlx::Result<Option<CronRun>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM cron_runs WHERE job = $1 AND slot = $2"
    ))
    .bind(job)
    .bind(slot)
    .fetch_optional(db)
    .await
}

/// The slot of the job's newest succeeded run, if any.
pub async fn last_succeeded_slot(db: impl PgExecutor<'_>, job: &str) -> sqlx::Result<Option<DateTime<Utc>>> {
    sqlx::query_scalar("SELECT max(slot) FROM cron_runs WHERE job = $1 AND status = 'succeeded'")
        .bind(job)
        .fetch_one(db)
        .await
}

/// The newest `per_job` runs of every job, newest first within each job.
pub async fn recent(db: impl PgExecutor<'_>, per_job: i64) -> sqlx::Result<Vec<CronRun>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM (SELECT *, row_number() OVER (PARTITION BY job ORDER BY slot DESC) AS n FROM cron_runs) ranked
         WHERE n <= $1 ORDER BY job, slot DESC"
    ))
    .bind(per_job)
    .fetch_all(db)
    .await
}

/// All runs of one job between two slots (inclusive), oldest first.
pub async fn between(
    db: impl PgExecutor<'_>,
    job: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> sqlx::Result<Vec<CronRun>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM cron_runs WHERE job = $1 AND slot BETWEEN $2 AND $3 ORDER BY slot"
    ))
    .bind(job)
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
}

/// Deletes runs older than `days`; returns how many.
pub async fn prune(db: impl PgExecutor<'_>, days: i32) -> sqlx::Result<u64> {
    Ok(
        sqlx::query("DELETE FROM cron_runs WHERE slot < now() - make_interval(days => $1)")
            .bind(days)
            .execute(db)
            .await?
            .rows_affected(),
    )
}
