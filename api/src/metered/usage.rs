//! The usage recorder: one `api_usage` row per metered call, written off the request path.
//!
//! Calls hand their row to a bounded channel (`API_USAGE_BUFFER` rows) and never wait. One
//! task writes them in batches (up to [`BATCH`] rows, or whatever arrived within [`LINGER`])
//! with one `UNNEST` insert and one `last_used_at` update. A failed batch is retried with
//! backoff until Postgres answers again; meanwhile new rows wait in the channel, and once it
//! is full they are dropped and counted (`api_usage_dropped_total`), so memory stays bounded.
//! Row ids are drawn here, before the first try, so a retried batch whose first reply was lost
//! inserts nothing twice. A row whose month has no partition yet creates it and is retried.
//! At shutdown the channel is drained and written within the time left.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use neptu_shared::db::api_keys;
use neptu_shared::db::api_usage::{self, UsageRecord};
use neptu_shared::domain::developer::month_of;
use sqlx::PgPool;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

/// Most rows per insert.
pub const BATCH: usize = 1000;
/// How long the first row of a batch waits for company.
pub const LINGER: Duration = Duration::from_millis(200);
const RETRY_FIRST: Duration = Duration::from_millis(100);
const RETRY_MAX: Duration = Duration::from_secs(5);
/// SQLSTATE check_violation: what Postgres answers when no partition holds a row.
const NO_PARTITION: &str = "23514";

/// A call's row before its id is drawn.
pub struct Call {
    pub api_key_id: Uuid,
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

#[derive(Clone)]
pub struct Recorder {
    tx: mpsc::Sender<UsageRecord>,
}

/// The writing task: stop it with [`Writer::finish`].
pub struct Writer {
    stop: CancellationToken,
    /// Set by `finish`: write until this instant, then give up on what is left.
    deadline: tokio::sync::watch::Sender<Option<Instant>>,
    task: JoinHandle<()>,
}

impl Recorder {
    /// Starts the writer on `db` with room for `buffer` rows waiting.
    pub fn start(db: PgPool, buffer: usize) -> (Self, Writer) {
        let (tx, rx) = mpsc::channel(buffer.max(1));
        let stop = CancellationToken::new();
        let (deadline, deadline_rx) = tokio::sync::watch::channel(None);
        let task = tokio::spawn(run(db, rx, stop.clone(), deadline_rx));
        (Self { tx }, Writer { stop, deadline, task })
    }

    /// Queues a call's row; when the buffer is full the row is dropped and counted.
    pub fn record(&self, call: Call) {
        let row = UsageRecord {
            // Time-ordered, so the primary key index is appended to rather than written at
            // random places.
            id: Uuid::now_v7(),
            api_key_id: call.api_key_id,
            endpoint: call.endpoint,
            method: call.method,
            credits_used: call.credits_used,
            is_ai_endpoint: call.is_ai_endpoint,
            response_status: call.response_status,
            response_time_ms: call.response_time_ms,
            ip_address: call.ip_address,
            user_agent: call.user_agent,
            created_at: call.created_at,
        };
        if self.tx.try_send(row).is_err() {
            metrics::counter!("api_usage_dropped_total").increment(1);
        }
    }
}

impl Writer {
    /// Writes everything queued (rows recorded before this call) by `deadline`, then stops.
    pub async fn finish(self, deadline: Instant) {
        self.deadline.send_replace(Some(deadline));
        self.stop.cancel();
        let mut task = self.task;
        if tokio::time::timeout_at(deadline + Duration::from_millis(100), &mut task)
            .await
            .is_err()
        {
            task.abort();
            tracing::warn!("usage recorder stopped before it wrote every row");
        }
    }
}

async fn run(
    db: PgPool,
    mut rx: mpsc::Receiver<UsageRecord>,
    stop: CancellationToken,
    deadline: tokio::sync::watch::Receiver<Option<Instant>>,
) {
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        let stopping = stop.is_cancelled();
        if stopping {
            while batch.len() < BATCH {
                match rx.try_recv() {
                    Ok(row) => batch.push(row),
                    Err(_) => break,
                }
            }
            if batch.is_empty() {
                return;
            }
        } else {
            tokio::select! {
                row = rx.recv() => match row {
                    Some(row) => batch.push(row),
                    None => return,
                },
                () = stop.cancelled() => continue,
            }
            let until = Instant::now() + LINGER;
            while batch.len() < BATCH {
                tokio::select! {
                    row = rx.recv() => match row {
                        Some(row) => batch.push(row),
                        None => break,
                    },
                    () = tokio::time::sleep_until(until) => break,
                    () = stop.cancelled() => break,
                }
            }
        }
        if !write_until_done(&db, &batch, &deadline).await {
            metrics::counter!("api_usage_dropped_total").increment(batch.len() as u64);
            tracing::warn!(rows = batch.len(), "usage rows dropped at shutdown");
        }
        batch.clear();
    }
}

/// Writes `rows`, retrying with backoff; false only if the shutdown deadline passed first.
async fn write_until_done(
    db: &PgPool,
    rows: &[UsageRecord],
    deadline: &tokio::sync::watch::Receiver<Option<Instant>>,
) -> bool {
    let mut pause = RETRY_FIRST;
    loop {
        match write(db, rows).await {
            Ok(written) => {
                metrics::counter!("api_usage_written_total").increment(written);
                return true;
            }
            Err(error) => {
                metrics::counter!("api_usage_write_failures_total").increment(1);
                tracing::warn!(%error, rows = rows.len(), "usage rows not written yet; retrying");
            }
        }
        let now = Instant::now();
        let wake = match *deadline.borrow() {
            Some(deadline) if now >= deadline => return false,
            Some(deadline) => (now + pause).min(deadline),
            None => now + pause,
        };
        tokio::time::sleep_until(wake).await;
        pause = (pause * 2).min(RETRY_MAX);
    }
}

/// One insert (creating missing monthly partitions once), then the keys' `last_used_at`.
async fn write(db: &PgPool, rows: &[UsageRecord]) -> sqlx::Result<u64> {
    let written = match api_usage::insert_batch(db, rows).await {
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some(NO_PARTITION) => {
            let mut months: Vec<_> = rows.iter().map(|r| month_of(r.created_at).0).collect();
            months.sort();
            months.dedup();
            for month in months {
                api_usage::ensure_partition(db, month).await?;
            }
            api_usage::insert_batch(db, rows).await?
        }
        other => other?,
    };
    let mut last_used: HashMap<Uuid, DateTime<Utc>> = HashMap::new();
    for row in rows {
        let at = last_used.entry(row.api_key_id).or_insert(row.created_at);
        *at = (*at).max(row.created_at);
    }
    let (ids, times): (Vec<_>, Vec<_>) = last_used.into_iter().unzip();
    if let Err(error) = api_keys::touch(db, &ids, &times).await {
        // Only the "last used" column; the rows are in.
        tracing::debug!(%error, "API keys' last use not updated");
    }
    Ok(written)
}
