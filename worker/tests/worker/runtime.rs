//! The job runtime in-process: retries with backoff, timeouts, the forum lock across
//! replicas, and supervision when the job storage goes away.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use neptu_shared::db::cron_runs::{self, CronRun};
use neptu_shared::testing::{ChaosProxy, Mode, TestDatabase};
use neptu_worker::jobs::claim::claim_and_enqueue;
use neptu_worker::jobs::{
    Job, JobError, JobRuntime, Outcome, Queue, Registry, RunContext, RuntimeConfig, RuntimeStatus,
};
use neptu_worker::schedule::ScheduleEntry;
use serde_json::json;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

/// One attempt as a probe job saw it.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub slot: i64,
    pub attempt: i32,
    pub started: Instant,
    pub finished: Option<Instant>,
}

/// A job for tests: takes `work` per attempt, fails its first `failures` attempts, and logs
/// every attempt.
pub struct Probe {
    pub name: &'static str,
    pub queue: Queue,
    pub work: Duration,
    pub failures: i32,
    pub log: Arc<Mutex<Vec<Attempt>>>,
}

impl Probe {
    pub fn new(name: &'static str, queue: Queue, work: Duration, failures: i32) -> Self {
        Self {
            name,
            queue,
            work,
            failures,
            log: Arc::default(),
        }
    }

    pub fn finished(&self) -> Vec<Attempt> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|a| a.finished.is_some())
            .cloned()
            .collect()
    }
}

#[async_trait]
impl Job for Probe {
    fn name(&self) -> &'static str {
        self.name
    }

    fn queue(&self) -> Queue {
        self.queue
    }

    async fn run(&self, run: &RunContext) -> Result<Outcome, JobError> {
        let index = {
            let mut log = self.log.lock().unwrap();
            log.push(Attempt {
                slot: run.slot.timestamp(),
                attempt: run.attempt,
                started: Instant::now(),
                finished: None,
            });
            log.len() - 1
        };
        tokio::time::sleep(self.work).await;
        if run.attempt <= self.failures {
            return Err(anyhow::anyhow!("probe failure {}", run.attempt).into());
        }
        self.log.lock().unwrap()[index].finished = Some(Instant::now());
        Ok(Outcome::Done(json!({ "attempt": run.attempt })))
    }
}

pub fn config(replica: &str) -> RuntimeConfig {
    RuntimeConfig {
        replica: replica.into(),
        max_attempts: 3,
        retry_backoff: Duration::from_millis(200),
        timeout: Duration::from_secs(10),
        concurrency: 2,
        heartbeat: Duration::from_secs(1),
        restart_limit: 20,
        grace: Duration::from_secs(5),
    }
}

pub async fn pool(url: &str) -> PgPool {
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(10)
        .acquire_timeout(Duration::from_secs(2))
        .connect(url)
        .await
        .unwrap()
}

pub struct Replica {
    pub status: RuntimeStatus,
    pub shutdown: CancellationToken,
    pub runtime: Option<JobRuntime>,
}

pub async fn start(
    config: RuntimeConfig,
    pool: PgPool,
    registry: Registry,
    schedules: Vec<ScheduleEntry>,
) -> Replica {
    let status = RuntimeStatus::default();
    let shutdown = CancellationToken::new();
    let runtime = JobRuntime::start(
        config,
        pool,
        registry,
        schedules,
        status.clone(),
        shutdown.clone(),
    )
    .await
    .expect("runtime starts");
    Replica {
        status,
        shutdown,
        runtime: Some(runtime),
    }
}

impl Replica {
    /// A graceful stop; true unless the runtime had failed.
    pub async fn stop(mut self) -> bool {
        self.shutdown.cancel();
        match self.runtime.take() {
            Some(runtime) => runtime.stopped().await,
            None => true,
        }
    }
}

pub async fn wait_run(
    pool: &PgPool,
    job: &str,
    slot: DateTime<Utc>,
    status: &str,
    within: Duration,
) -> CronRun {
    let deadline = Instant::now() + within;
    loop {
        if let Some(run) = cron_runs::find(pool, job, slot).await.unwrap()
            && run.status == status
        {
            return run;
        }
        assert!(Instant::now() < deadline, "{job} {slot} never became {status}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_790_000_000 + secs, 0).unwrap()
}

#[tokio::test]
async fn failures_are_retried_with_exponential_backoff() {
    let db = TestDatabase::migrated().await;
    let flaky = Arc::new(Probe::new("flaky", Queue::General, Duration::ZERO, 2));
    let broken = Arc::new(Probe::new("broken", Queue::General, Duration::ZERO, 99));
    let registry = Registry::default().with(flaky.clone()).with(broken.clone());
    let replica = start(config("r1"), db.pool.clone(), registry, vec![]).await;
    claim_and_enqueue(&db.pool, "flaky", Queue::General, at(0), "t", 3)
        .await
        .unwrap();
    claim_and_enqueue(&db.pool, "broken", Queue::General, at(0), "t", 3)
        .await
        .unwrap();

    let run = wait_run(&db.pool, "flaky", at(0), "succeeded", Duration::from_secs(15)).await;
    assert_eq!(run.attempts, 3);
    assert_eq!(
        run.error.as_deref(),
        Some("probe failure 2"),
        "the last failure stays visible"
    );
    let attempts: Vec<i32> = flaky.log.lock().unwrap().iter().map(|a| a.attempt).collect();
    assert_eq!(attempts, vec![1, 2, 3]);
    let starts: Vec<Instant> = flaky.log.lock().unwrap().iter().map(|a| a.started).collect();
    let (first, second) = (starts[1] - starts[0], starts[2] - starts[1]);
    assert!(
        first >= Duration::from_millis(180),
        "first retry after the backoff: {first:?}"
    );
    assert!(
        second >= Duration::from_millis(360),
        "then twice as long: {second:?}"
    );

    let run = wait_run(&db.pool, "broken", at(0), "failed", Duration::from_secs(15)).await;
    assert_eq!(run.attempts, 3);
    assert_eq!(run.error.as_deref(), Some("probe failure 3"));
    assert!(replica.stop().await);
    db.drop_database().await;
}

#[tokio::test]
async fn an_attempt_over_the_timeout_is_cut_off_and_retried() {
    let db = TestDatabase::migrated().await;
    let slow = Arc::new(Probe::new("slow", Queue::General, Duration::from_secs(5), 0));
    let mut config = config("r1");
    config.timeout = Duration::from_millis(300);
    config.max_attempts = 2;
    let replica = start(
        config,
        db.pool.clone(),
        Registry::default().with(slow.clone()),
        vec![],
    )
    .await;
    claim_and_enqueue(&db.pool, "slow", Queue::General, at(1), "t", 2)
        .await
        .unwrap();
    let run = wait_run(&db.pool, "slow", at(1), "failed", Duration::from_secs(10)).await;
    assert_eq!(run.attempts, 2);
    assert_eq!(run.error.as_deref(), Some("timed out after 300ms"));
    assert!(slow.finished().is_empty());
    assert!(replica.stop().await);
    db.drop_database().await;
}

#[tokio::test]
async fn forum_phases_never_overlap_even_across_replicas() {
    let db = TestDatabase::migrated().await;
    let log: Arc<Mutex<Vec<Attempt>>> = Arc::default();
    let mut replicas = Vec::new();
    for name in ["r1", "r2", "r3"] {
        let mut phase = Probe::new("phase", Queue::Forum, Duration::from_millis(300), 0);
        phase.log = Arc::clone(&log);
        let registry = Registry::default().with(Arc::new(phase));
        replicas.push(start(config(name), pool(&db.url).await, registry, vec![]).await);
    }
    for slot in 0..6 {
        claim_and_enqueue(&db.pool, "phase", Queue::Forum, at(10 + slot), "t", 3)
            .await
            .unwrap();
    }
    for slot in 0..6 {
        wait_run(
            &db.pool,
            "phase",
            at(10 + slot),
            "succeeded",
            Duration::from_secs(20),
        )
        .await;
    }
    let mut spans: Vec<(Instant, Instant)> = log
        .lock()
        .unwrap()
        .iter()
        .map(|a| (a.started, a.finished.expect("finished")))
        .collect();
    spans.sort();
    for pair in spans.windows(2) {
        assert!(pair[1].0 >= pair[0].1, "two forum phases overlapped: {pair:?}");
    }
    let ran_by: std::collections::HashSet<String> = cron_runs::recent(&db.pool, 10)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|r| r.ran_by)
        .collect();
    assert!(ran_by.len() >= 2, "several replicas took part: {ran_by:?}");
    for replica in replicas {
        assert!(replica.stop().await);
    }
    db.drop_database().await;
}

#[tokio::test]
async fn a_storage_outage_restarts_the_workers_and_ready_says_so() {
    let db = TestDatabase::migrated().await;
    let url = url::Url::parse(&db.url).unwrap();
    let target = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap_or(5432));
    let proxy = ChaosProxy::start(tokio::net::lookup_host(target).await.unwrap().next().unwrap()).await;
    let mut proxied = url.clone();
    proxied.set_host(Some("127.0.0.1")).unwrap();
    proxied.set_port(Some(proxy.addr().port())).unwrap();
    let probe = Arc::new(Probe::new("probe", Queue::General, Duration::ZERO, 0));
    let replica = start(
        config("r1"),
        pool(proxied.as_str()).await,
        Registry::default().with(probe.clone()),
        vec![],
    )
    .await;
    assert!(replica.status.check().is_ok());

    proxy.set_mode(Mode::Down);
    let deadline = Instant::now() + Duration::from_secs(15);
    let reason = loop {
        if let Err(reason) = replica.status.check() {
            break reason;
        }
        assert!(Instant::now() < deadline, "the outage was never noticed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(reason.contains("restarting"), "{reason}");

    proxy.set_mode(Mode::Up);
    let deadline = Instant::now() + Duration::from_secs(30);
    while replica.status.check().is_err() {
        assert!(
            Instant::now() < deadline,
            "never recovered: {:?}",
            replica.status.check()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // And it works again.
    claim_and_enqueue(&db.pool, "probe", Queue::General, at(30), "t", 3)
        .await
        .unwrap();
    wait_run(&db.pool, "probe", at(30), "succeeded", Duration::from_secs(10)).await;
    assert!(replica.stop().await);
    db.drop_database().await;
}

#[tokio::test]
async fn a_worker_beyond_its_restart_limit_fails_the_runtime() {
    let db = TestDatabase::migrated().await;
    let url = url::Url::parse(&db.url).unwrap();
    let target = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap_or(5432));
    let proxy = ChaosProxy::start(tokio::net::lookup_host(target).await.unwrap().next().unwrap()).await;
    let mut proxied = url.clone();
    proxied.set_host(Some("127.0.0.1")).unwrap();
    proxied.set_port(Some(proxy.addr().port())).unwrap();
    let mut config = config("r1");
    config.restart_limit = 2;
    let probe = Arc::new(Probe::new("probe", Queue::General, Duration::ZERO, 0));
    let mut replica = start(
        config,
        pool(proxied.as_str()).await,
        Registry::default().with(probe),
        vec![],
    )
    .await;
    proxy.set_mode(Mode::Down);
    let runtime = replica.runtime.take().unwrap();
    let fatal = runtime.fatal();
    tokio::time::timeout(Duration::from_secs(30), fatal.cancelled())
        .await
        .expect("the runtime gives up");
    assert!(!runtime.stopped().await, "a failed runtime reports it");
    assert_eq!(replica.status.check().unwrap_err(), "job runtime failed");
    db.drop_database().await;
}

pub fn every_second(job: &'static str) -> ScheduleEntry {
    ScheduleEntry::new(job, Queue::General, "* * * * * *").unwrap()
}
