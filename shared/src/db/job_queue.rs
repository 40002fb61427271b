//! Upkeep of the job queue's own table (`apalis.jobs`, created by the queue's migrations).

use sqlx::PgExecutor;

/// Deletes finished queue entries older than `days` (the queue keeps them forever; the run
/// history operators read is `cron_runs`). Returns how many went.
pub async fn prune_finished(db: impl PgExecutor<'_>, days: i32) -> sqlx::Result<u64> {
    let deleted = sqlx::query(
        "DELETE FROM apalis.jobs WHERE done_at < now() - make_interval(days => $1)
           AND (status IN ('Done', 'Killed') OR (status = 'Failed' AND attempts >= max_attempts))",
    )
    .bind(days)
    .execute(db)
    .await?
    .rows_affected();
    Ok(deleted)
}
