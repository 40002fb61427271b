//! The executors' handler: one attempt of one run, recorded on its `cron_runs` row.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};

use apalis::prelude::{AbortError, BoxDynError, Data};
use chrono::{TimeZone, Utc};
use futures::FutureExt;
use neptu_shared::db::cron_runs::{self, AttemptStart};
use sqlx::PgPool;

use super::{JobArgs, Outcome, Queue, Registry, RunContext, forum_lock};

/// What the executors share.
pub struct Executor {
    pub pool: PgPool,
    pub registry: Registry,
    /// This replica's name, recorded as `ran_by`.
    pub replica: Arc<str>,
    pub max_attempts: u32,
    /// Longest one attempt may take (waiting for the forum lock included).
    pub timeout: Duration,
}

/// Runs one attempt. An `Err` is retried (with backoff) by the worker's retry layer while
/// attempts remain; the row says `retrying` until the last one, then `failed`.
pub async fn execute(args: JobArgs, executor: Data<Arc<Executor>>) -> Result<(), BoxDynError> {
    let executor: &Executor = &executor;
    let Some(job) = executor.registry.get(&args.job).cloned() else {
        tracing::error!(job = %args.job, "queued job is unknown to this worker");
        return Err(AbortError::new(format!("unknown job {}", args.job)).into());
    };
    let name = job.name();
    let Some(slot) = Utc.timestamp_opt(args.slot, 0).single() else {
        return Err(AbortError::new(format!("bad slot {}", args.slot)).into());
    };
    let pool = &executor.pool;
    let attempt = match cron_runs::start_attempt(pool, name, slot, &executor.replica).await? {
        AttemptStart::Run(attempt) => attempt,
        AttemptStart::AlreadyFinished => {
            // Delivered again after its effects were committed (a crash before the queue
            // heard back): nothing left to do.
            tracing::info!(job = name, %slot, "run already finished; skipping the repeat delivery");
            return Ok(());
        }
        AttemptStart::Unknown => {
            return Err(AbortError::new(format!("{name} {slot} was queued without a claim")).into());
        }
    };
    let final_attempt = attempt >= executor.max_attempts as i32;
    if attempt > executor.max_attempts as i32 {
        // Killed mid-run more often than it may be tried: stop here.
        cron_runs::fail(
            pool,
            name,
            slot,
            0,
            "no attempts left after interrupted runs",
            true,
        )
        .await?;
        return Err(AbortError::new("no attempts left").into());
    }

    let started = Instant::now();
    let context = RunContext {
        job: name,
        slot,
        attempt,
        db: pool.clone(),
        started,
    };
    let timeout = job.timeout().unwrap_or(executor.timeout);
    let work = AssertUnwindSafe(tokio::time::timeout(timeout, job.run(&context))).catch_unwind();
    let result = match job.queue() {
        Queue::Forum => forum_lock::exclusive(pool, timeout, work).await,
        Queue::General => Ok(work.await),
    };
    let elapsed = started.elapsed();
    let duration_ms = elapsed.as_millis() as i64;
    metrics::histogram!("job_run_duration_seconds", "job" => name).record(elapsed.as_secs_f64());
    let error = match result {
        Ok(Ok(Ok(Ok(outcome)))) => {
            let label = match &outcome {
                Outcome::Skipped(_) => "skipped",
                Outcome::Done(_) | Outcome::Recorded => "done",
            };
            metrics::counter!("job_runs_total", "job" => name, "outcome" => label).increment(1);
            match outcome {
                Outcome::Done(value) => {
                    cron_runs::succeed(pool, name, slot, duration_ms, &value).await?;
                }
                Outcome::Recorded => {}
                Outcome::Skipped(reason) => {
                    tracing::info!(job = name, %slot, %reason, "run skipped");
                    cron_runs::skip(pool, name, slot, &reason).await?;
                }
            }
            tracing::info!(job = name, %slot, attempt, duration_ms, "run finished");
            return Ok(());
        }
        Ok(Ok(Ok(Err(error)))) => error.to_string(),
        Ok(Ok(Err(_elapsed))) => format!("timed out after {timeout:?}"),
        Ok(Err(_panic)) => "the job panicked".to_owned(),
        Err(lock) => lock.to_string(),
    };
    metrics::counter!("job_runs_total", "job" => name, "outcome" => "failed").increment(1);
    metrics::counter!("job_failures_total", "job" => name).increment(1);
    tracing::warn!(job = name, %slot, attempt, final_attempt, %error, "run attempt failed");
    if let Err(record) = cron_runs::fail(pool, name, slot, duration_ms, &error, final_attempt).await {
        tracing::warn!(job = name, %slot, error = %record, "could not record the failure");
    }
    Err(error.into())
}
