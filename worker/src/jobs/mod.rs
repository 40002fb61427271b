//! Scheduled jobs: what a job is, how the runtime finds it, and the runtime itself.
//!
//! The flow of one slot (see README, "Jobs"): every replica's cron worker fires the tick;
//! [`claim`] inserts the `(job, slot)` row in `cron_runs` and, in the same transaction,
//! enqueues the job in the Postgres job queue — only the replica whose insert landed does;
//! an executor ([`execute`]) takes the job from the queue, records each attempt on the row,
//! runs the job under a timeout and retries failures with exponential backoff. A job killed
//! with its process is re-queued by the queue's heartbeat check and run again elsewhere.

pub mod backup;
pub mod claim;
pub mod daily;
pub mod developer;
pub mod execute;
pub mod forum;
mod forum_lock;
pub mod market;
pub mod runtime;
mod status;
mod supervise;

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

pub use runtime::{JobRuntime, RuntimeConfig};
pub use status::{RuntimeState, RuntimeStatus};

/// The two job queues. Forum phases have their own, worked one at a time, so a slow heartbeat
/// never holds up the market refresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Queue {
    General,
    Forum,
}

impl Queue {
    pub const ALL: [Queue; 2] = [Queue::General, Queue::Forum];

    /// The queue's name in the job storage (`apalis.jobs.job_type`).
    pub fn name(self) -> &'static str {
        match self {
            Queue::General => "neptu.jobs",
            Queue::Forum => "neptu.forum",
        }
    }
}

/// What travels through the queue: which job, for which slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobArgs {
    pub job: String,
    /// Unix seconds of the scheduled slot.
    pub slot: i64,
}

/// One attempt of one run, as a job sees it.
#[derive(Debug, Clone)]
pub struct RunContext {
    pub job: &'static str,
    /// The slot the run was scheduled for: jobs decide by it, never by the clock.
    pub slot: DateTime<Utc>,
    /// 1 for the first attempt.
    pub attempt: i32,
    pub db: PgPool,
    /// When this attempt began (for durations recorded by the job itself).
    pub started: std::time::Instant,
}

/// How a run ended well.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Done; the value (counts) is stored with the run.
    Done(serde_json::Value),
    /// Done, and the job already marked the run `succeeded` in its own transaction, together
    /// with its effects.
    Recorded,
    /// Nothing to do (an outside service is not configured).
    Skipped(String),
}

/// A failed attempt; it is retried while attempts remain.
#[derive(Debug, thiserror::Error)]
#[error("{0:#}")]
pub struct JobError(#[from] pub anyhow::Error);

impl From<sqlx::Error> for JobError {
    fn from(error: sqlx::Error) -> Self {
        Self(error.into())
    }
}

impl From<neptu_shared::clients::ClientError> for JobError {
    fn from(error: neptu_shared::clients::ClientError) -> Self {
        Self(error.into())
    }
}

#[async_trait]
pub trait Job: Send + Sync + 'static {
    /// The name in `cron_runs` and the queue.
    fn name(&self) -> &'static str;

    fn queue(&self) -> Queue {
        Queue::General
    }

    /// Longest one attempt may take, when it differs from the runtime's `JOB_TIMEOUT_SECS`.
    fn timeout(&self) -> Option<std::time::Duration> {
        None
    }

    async fn run(&self, run: &RunContext) -> Result<Outcome, JobError>;
}

/// Every job this process can run, by name.
#[derive(Default, Clone)]
pub struct Registry {
    jobs: HashMap<&'static str, Arc<dyn Job>>,
}

impl Registry {
    pub fn with(mut self, job: Arc<dyn Job>) -> Self {
        self.jobs.insert(job.name(), job);
        self
    }

    pub fn get(&self, name: &str) -> Option<&Arc<dyn Job>> {
        self.jobs.get(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.jobs.keys().copied()
    }
}
