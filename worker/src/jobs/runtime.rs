//! The job runtime: the queue's own tables, one supervised cron worker per schedule (claims
//! slots), one supervised executor per queue (runs jobs), and an orderly stop.

use std::sync::Arc;
use std::time::Duration;

use apalis::layers::retry::HasherRng;
use apalis::layers::retry::backoff::{ExponentialBackoffMaker, MakeBackoff};
use apalis::prelude::{RetryPolicy, WorkerBuilder, WorkerBuilderExt, WorkerError};
use apalis_cron::CronScheduler;
use apalis_postgres::PostgresStorage;
use neptu_shared::config::Settings;
use sqlx::PgPool;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::claim::{Claimer, on_tick};
use super::execute::{Executor, execute};
use super::status::{RuntimeState, RuntimeStatus};
use super::supervise::Supervisor;
use super::{JobArgs, Queue, Registry};
use crate::schedule::ScheduleEntry;

/// Retries never wait longer than this.
const MAX_RETRY_BACKOFF: Duration = Duration::from_secs(60);
/// A replica silent for this many heartbeats has its running jobs re-queued.
const MISSED_HEARTBEATS: usize = 3;

#[derive(Debug, Clone)]
pub struct RuntimeConfig {
    /// This replica's name in `cron_runs` and the queue's worker table.
    pub replica: Arc<str>,
    pub max_attempts: u32,
    pub retry_backoff: Duration,
    pub timeout: Duration,
    pub concurrency: usize,
    pub heartbeat: Duration,
    pub restart_limit: u32,
    /// Longest wait for running jobs once the process is asked to stop.
    pub grace: Duration,
}

impl RuntimeConfig {
    pub fn from_settings(settings: &Settings, replica: Arc<str>) -> Self {
        let jobs = &settings.jobs;
        Self {
            replica,
            max_attempts: jobs.max_attempts,
            retry_backoff: jobs.retry_backoff,
            timeout: jobs.timeout,
            concurrency: jobs.concurrency,
            heartbeat: jobs.heartbeat,
            restart_limit: jobs.restart_limit,
            grace: settings.http.shutdown_grace,
        }
    }
}

/// A name for this process: host, pid and a random suffix, so a restarted process never
/// reuses the worker names of the one before it.
pub fn replica_name() -> Arc<str> {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "worker".to_owned());
    let suffix = &uuid::Uuid::new_v4().simple().to_string()[..6];
    format!("{host}-{}-{suffix}", std::process::id()).into()
}

/// Creates or updates the job queue's tables. They live in schema `apalis` under their own
/// migration history (our migrations created the `hstore` extension they need); several
/// replicas doing this at once is safe (the migrator takes an advisory lock).
pub async fn prepare_queue(pool: &PgPool) -> anyhow::Result<()> {
    PostgresStorage::setup(pool)
        .await
        .map_err(|e| anyhow::anyhow!("preparing the job queue tables: {e}"))
}

pub struct JobRuntime {
    status: RuntimeStatus,
    tasks: JoinSet<()>,
    shutdown: CancellationToken,
    fatal: CancellationToken,
    grace: Duration,
}

impl JobRuntime {
    /// Prepares the queue's tables and starts every worker. They run until `shutdown`.
    pub async fn start(
        config: RuntimeConfig,
        pool: PgPool,
        registry: Registry,
        schedules: Vec<ScheduleEntry>,
        status: RuntimeStatus,
        shutdown: CancellationToken,
    ) -> anyhow::Result<Self> {
        prepare_queue(&pool).await?;
        let fatal = CancellationToken::new();
        let supervisor = Arc::new(Supervisor {
            status: status.clone(),
            shutdown: shutdown.clone(),
            fatal: fatal.clone(),
            limit: config.restart_limit,
        });
        let executor = Arc::new(Executor {
            pool: pool.clone(),
            registry: registry.clone(),
            replica: Arc::clone(&config.replica),
            max_attempts: config.max_attempts,
            timeout: config.timeout,
        });
        let mut tasks = JoinSet::new();
        for queue in Queue::ALL {
            if registry
                .names()
                .any(|name| registry.get(name).is_some_and(|j| j.queue() == queue))
            {
                tasks.spawn(run_executor(
                    queue,
                    config.clone(),
                    pool.clone(),
                    Arc::clone(&executor),
                    Arc::clone(&supervisor),
                ));
            }
        }
        for entry in schedules {
            let claimer = Arc::new(Claimer {
                pool: pool.clone(),
                job: entry.job,
                queue: entry.queue,
                replica: Arc::clone(&config.replica),
                max_attempts: config.max_attempts,
            });
            tasks.spawn(run_scheduler(
                entry,
                claimer,
                Arc::clone(&config.replica),
                Arc::clone(&supervisor),
            ));
        }
        status.set(RuntimeState::Running);
        tracing::info!(replica = %config.replica, workers = tasks.len(), "job runtime started");
        Ok(Self {
            status,
            tasks,
            shutdown,
            fatal,
            grace: config.grace,
        })
    }

    /// Cancelled when a worker failed beyond its restart limit: the process should stop.
    pub fn fatal(&self) -> CancellationToken {
        self.fatal.clone()
    }

    /// Waits for the workers to stop (after shutdown was requested, or a fatal failure),
    /// giving running jobs at most the grace period. False when the runtime had failed.
    pub async fn stopped(mut self) -> bool {
        tokio::select! {
            () = self.shutdown.cancelled() => {}
            () = self.fatal.cancelled() => self.shutdown.cancel(),
        }
        let drained = tokio::time::timeout(self.grace, async {
            while self.tasks.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            tracing::warn!(
                "running jobs did not finish within the grace period; they will be re-run elsewhere"
            );
            self.tasks.abort_all();
        }
        let failed = self.fatal.is_cancelled();
        self.status.set(RuntimeState::Stopped);
        tracing::info!(failed, "job runtime stopped");
        !failed
    }
}

fn stop_signal(
    shutdown: &CancellationToken,
) -> impl Future<Output = Result<(), WorkerError>> + Send + 'static {
    let shutdown = shutdown.clone();
    async move {
        shutdown.cancelled().await;
        Ok(())
    }
}

async fn run_executor(
    queue: Queue,
    config: RuntimeConfig,
    pool: PgPool,
    executor: Arc<Executor>,
    supervisor: Arc<Supervisor>,
) {
    let name = format!("{}-executor", queue.name());
    let concurrency = match queue {
        // One forum phase at a time here; the advisory lock covers the other replicas.
        Queue::Forum => 1,
        Queue::General => config.concurrency,
    };
    supervisor
        .run(&name, |restart| {
            let storage = PostgresStorage::<JobArgs>::new(&pool)
                .with_config(
                    apalis_postgres::Config::default()
                        .queue(queue.name())
                        // Fetch only what can start now, so idle replicas share the work.
                        .batch_size(concurrency)
                        .heartbeat_interval(config.heartbeat)
                        .missed_heartbeats(MISSED_HEARTBEATS),
                )
                .with_pubsub();
            let worker = WorkerBuilder::new(format!("{}-{}-{restart}", config.replica, queue.name()))
                .backend(storage)
                .data(Arc::clone(&executor))
                .concurrency(concurrency)
                .retry(retry_policy(&config))
                .build(execute);
            worker.run_until(stop_signal(&supervisor.shutdown))
        })
        .await;
}

/// `max_attempts - 1` retries, waiting `retry_backoff`, then twice as long each time (with a
/// little jitter so replicas do not retry in lockstep), capped at a minute.
fn retry_policy(
    config: &RuntimeConfig,
) -> apalis::prelude::BackoffRetryPolicy<apalis::layers::retry::backoff::ExponentialBackoff<HasherRng>> {
    let min = config.retry_backoff.max(Duration::from_millis(1));
    let backoff = ExponentialBackoffMaker::new(min, MAX_RETRY_BACKOFF.max(min), 0.1, HasherRng::default())
        .map(|mut maker| maker.make_backoff())
        .unwrap_or_else(|_| {
            // Unreachable with min <= max and max > 0; fall back to the defaults.
            ExponentialBackoffMaker::default().make_backoff()
        });
    RetryPolicy::retries(config.max_attempts.saturating_sub(1) as usize).with_backoff(backoff)
}

async fn run_scheduler(
    entry: ScheduleEntry,
    claimer: Arc<Claimer>,
    replica: Arc<str>,
    supervisor: Arc<Supervisor>,
) {
    let name = format!("{}-scheduler", entry.job);
    supervisor
        .run(&name, |restart| {
            let worker = WorkerBuilder::new(format!("{replica}-{}-cron-{restart}", entry.job))
                .backend(CronScheduler::new(entry.schedule.clone()))
                .data(Arc::clone(&claimer))
                .build(on_tick);
            worker.run_until(stop_signal(&supervisor.shutdown))
        })
        .await;
}
