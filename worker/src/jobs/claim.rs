//! Claiming a slot: the one thing every replica does on every tick.
//!
//! apalis fires each cron tick in every replica (it does not deduplicate across processes).
//! The tick inserts `(job, slot)` into `cron_runs` with `ON CONFLICT DO NOTHING` and, only
//! when that insert landed, pushes the job into the Postgres queue — in the same transaction,
//! so a crash between the two can neither lose the slot (claimed, never queued) nor run it
//! twice (queued by two replicas).

use std::sync::Arc;

use apalis::prelude::{BoxDynError, Data, TaskBuilder};
use apalis_cron::Tick;
use chrono::{DateTime, TimeZone, Utc};
use neptu_shared::db::cron_runs;
use sqlx::PgPool;

use super::{JobArgs, Queue};

/// What a cron worker needs to claim its job's slots.
pub struct Claimer {
    pub pool: PgPool,
    pub job: &'static str,
    pub queue: Queue,
    /// This replica's name, recorded as `claimed_by`.
    pub replica: Arc<str>,
    pub max_attempts: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum ClaimError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("job queue: {0}")]
    Queue(#[from] apalis_postgres::Error),
    #[error("encoding the job: {0}")]
    Encode(#[from] serde_json::Error),
}

/// Claims `(job, slot)` and enqueues the run. True when this call claimed it; false when
/// another replica (or an earlier call) already had.
pub async fn claim_and_enqueue(
    pool: &PgPool,
    job: &str,
    queue: Queue,
    slot: DateTime<Utc>,
    replica: &str,
    max_attempts: u32,
) -> Result<bool, ClaimError> {
    let mut tx = pool.begin().await?;
    if !cron_runs::claim(&mut *tx, job, slot, replica).await? {
        tx.rollback().await?;
        return Ok(false);
    }
    let args = serde_json::to_vec(&JobArgs {
        job: job.to_owned(),
        slot: slot.timestamp(),
    })?;
    let task = TaskBuilder::new(args)
        .max_attempts(max_attempts as usize)
        // A second line of defence: the queue refuses a second task for the same slot.
        .idempotency_key(format!("{job}:{}", slot.timestamp()))
        .build();
    apalis_postgres::queries::push_tasks(&mut *tx, queue.name(), vec![task]).await?;
    tx.commit().await?;
    Ok(true)
}

/// The cron workers' handler: claim the tick's slot.
pub async fn on_tick(tick: Tick, claimer: Data<Arc<Claimer>>) -> Result<(), BoxDynError> {
    let Some(slot) = Utc.timestamp_opt(tick.get_timestamp() as i64, 0).single() else {
        return Err(format!("tick {} is not a time", tick.get_timestamp()).into());
    };
    let lateness_ms = (Utc::now() - slot).num_milliseconds();
    match claim_and_enqueue(
        &claimer.pool,
        claimer.job,
        claimer.queue,
        slot,
        &claimer.replica,
        claimer.max_attempts,
    )
    .await
    {
        Ok(true) => {
            tracing::debug!(job = claimer.job, %slot, lateness_ms, "slot claimed and queued");
            Ok(())
        }
        Ok(false) => {
            tracing::trace!(job = claimer.job, %slot, "slot already claimed by another replica");
            Ok(())
        }
        Err(error) => {
            // Another replica may still claim it; if none can (the database is down), the
            // slot is lost and the next one runs as usual.
            tracing::warn!(job = claimer.job, %slot, %error, "could not claim the slot");
            Err(error.into())
        }
    }
}
