//! Job queue benchmark (run by `bench/worker.sh`): on a fresh database,
//! - drain time of 1,000 queued no-op jobs, then 1,000 market refreshes against a local fake
//!   CoinGecko, with one replica at concurrency 5;
//! - scheduler tick lateness: a per-second schedule for `TICK_SECS`, lateness of each run =
//!   its first attempt's start minus its slot.
//!
//! Each measure is repeated `RUNS` times (default 3); one JSON line per run, then a summary
//! line with the medians. Needs `DATABASE_URL` (a role that may create databases).

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use axum::Router;
use axum::routing::get;
use chrono::{DateTime, Utc};
use neptu_shared::clients::ClientOptions;
use neptu_shared::clients::coingecko::CoinGecko;
use neptu_shared::config::CoinGeckoSettings;
use neptu_shared::testing::{FakeServer, TestDatabase};
use neptu_worker::jobs::claim::claim_and_enqueue;
use neptu_worker::jobs::market::MarketRefresh;
use neptu_worker::jobs::runtime::prepare_queue;
use neptu_worker::jobs::{
    Job, JobError, JobRuntime, Outcome, Queue, Registry, RunContext, RuntimeConfig, RuntimeStatus,
};
use neptu_worker::schedule::ScheduleEntry;
use serde_json::{Value, json};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

const JOBS: i64 = 1000;
const CONCURRENCY: usize = 5;

struct Noop;

#[async_trait]
impl Job for Noop {
    fn name(&self) -> &'static str {
        "noop"
    }

    async fn run(&self, _: &RunContext) -> Result<Outcome, JobError> {
        Ok(Outcome::Done(json!({})))
    }
}

fn coins() -> Value {
    let coins: Vec<Value> = neptu_shared::domain::crypto::COINS
        .iter()
        .map(|c| {
            json!({ "id": c.coingecko_id, "symbol": c.symbol.to_lowercase(), "name": c.name,
                "current_price": 1.0, "market_cap": 1.0e9, "market_cap_rank": 1,
                "price_change_percentage_24h": 0.5, "last_updated": "2026-11-25T10:00:00.000Z" })
        })
        .collect();
    Value::Array(coins)
}

fn config() -> RuntimeConfig {
    RuntimeConfig {
        replica: "bench".into(),
        max_attempts: 3,
        retry_backoff: Duration::from_millis(100),
        timeout: Duration::from_secs(30),
        concurrency: CONCURRENCY,
        heartbeat: Duration::from_secs(5),
        restart_limit: 5,
        grace: Duration::from_secs(10),
    }
}

fn slot(base: i64, i: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(base + i, 0).expect("a valid slot")
}

async fn finished(pool: &PgPool, job: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM cron_runs WHERE job = $1 AND status = 'succeeded'")
        .bind(job)
        .fetch_one(pool)
        .await
        .unwrap_or(0)
}

async fn start(
    pool: &PgPool,
    registry: Registry,
    schedules: Vec<ScheduleEntry>,
) -> (JobRuntime, CancellationToken) {
    let shutdown = CancellationToken::new();
    let runtime = JobRuntime::start(
        config(),
        pool.clone(),
        registry,
        schedules,
        RuntimeStatus::default(),
        shutdown.clone(),
    )
    .await
    .expect("runtime starts");
    (runtime, shutdown)
}

/// Queues `JOBS` runs of `job`, then starts a replica and times the drain.
async fn drain(pool: &PgPool, registry: &Registry, job: &str, base: i64) -> (f64, f64) {
    let queued = Instant::now();
    for i in 0..JOBS {
        claim_and_enqueue(pool, job, Queue::General, slot(base, i), "bench", 3)
            .await
            .expect("enqueued");
    }
    let enqueue_secs = queued.elapsed().as_secs_f64();
    let started = Instant::now();
    let (runtime, shutdown) = start(pool, registry.clone(), vec![]).await;
    while finished(pool, job).await < JOBS {
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "{job} did not drain"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let drain_secs = started.elapsed().as_secs_f64();
    shutdown.cancel();
    runtime.stopped().await;
    (enqueue_secs, drain_secs)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Runs a per-second schedule for `secs` and returns the lateness of every run, in ms.
async fn lateness(pool: &PgPool, registry: &Registry, secs: u64) -> Vec<f64> {
    let (runtime, shutdown) = start(
        pool,
        registry.clone(),
        vec![ScheduleEntry::new("noop", Queue::General, "* * * * * *").expect("schedule")],
    )
    .await;
    tokio::time::sleep(Duration::from_secs(secs)).await;
    shutdown.cancel();
    runtime.stopped().await;
    let rows: Vec<(f64,)> = sqlx::query_as(
        "SELECT extract(epoch FROM started_at - slot)::float8 * 1000 FROM cron_runs
         WHERE job = 'noop' AND started_at IS NOT NULL AND slot > now() - make_interval(secs => $1)",
    )
    .bind((secs + 15) as f64)
    .fetch_all(pool)
    .await
    .expect("lateness");
    let mut lateness: Vec<f64> = rows.into_iter().map(|(ms,)| ms).collect();
    lateness.sort_by(f64::total_cmp);
    lateness
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    percentile(&values, 50.0)
}

#[tokio::main]
async fn main() {
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let tick_secs: u64 = std::env::var("TICK_SECS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(30);
    let gecko = FakeServer::start(
        Router::new().route("/api/v3/coins/markets", get(|| async { axum::Json(coins()) })),
    )
    .await;
    let settings = CoinGeckoSettings {
        api_key: None,
        api_url: gecko.url("/api/v3"),
    };
    let options = ClientOptions {
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(10),
        retries: 2,
        retry_backoff: Duration::from_millis(50),
        breaker_threshold: 3,
        breaker_cooldown: Duration::from_secs(5),
    };
    let market = Arc::new(MarketRefresh::new(Arc::new(
        CoinGecko::new(&settings, options).expect("client"),
    )));
    let registry = Registry::default().with(Arc::new(Noop)).with(market);

    let mut summary: Vec<Value> = Vec::new();
    for run in 1..=runs {
        let db = TestDatabase::migrated().await;
        prepare_queue(&db.pool).await.expect("queue tables");
        let base = Utc::now().timestamp() - 1_000_000;
        let (noop_enqueue, noop_drain) = drain(&db.pool, &registry, "noop", base).await;
        let (market_enqueue, market_drain) = drain(&db.pool, &registry, "market_refresh", base).await;
        let late = lateness(&db.pool, &registry, tick_secs).await;
        let line = json!({
            "run": run,
            "noop": { "jobs": JOBS, "enqueueSecs": noop_enqueue, "drainSecs": noop_drain, "jobsPerSec": JOBS as f64 / noop_drain },
            "marketRefresh": { "jobs": JOBS, "enqueueSecs": market_enqueue, "drainSecs": market_drain, "jobsPerSec": JOBS as f64 / market_drain },
            "tickLatenessMs": { "ticks": late.len(), "p50": percentile(&late, 50.0), "p99": percentile(&late, 99.0), "max": late.last() },
        });
        println!("{line}");
        summary.push(line);
        db.drop_database().await;
    }
    let med = |pointer: &str| {
        median(
            summary
                .iter()
                .filter_map(|l| l.pointer(pointer)?.as_f64())
                .collect(),
        )
    };
    println!(
        "{}",
        json!({
            "medians": {
                "runs": runs,
                "concurrency": CONCURRENCY,
                "noopDrainSecs": med("/noop/drainSecs"),
                "noopJobsPerSec": med("/noop/jobsPerSec"),
                "marketDrainSecs": med("/marketRefresh/drainSecs"),
                "marketJobsPerSec": med("/marketRefresh/jobsPerSec"),
                "tickLatenessP50Ms": med("/tickLatenessMs/p50"),
                "tickLatenessP99Ms": med("/tickLatenessMs/p99"),
            }
        })
    );
}
