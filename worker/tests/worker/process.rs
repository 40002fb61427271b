//! The `neptu-worker` binary against a real database: start-up ordering, probes, shutdown
//! in the middle of a job, and a crash in the middle of one.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use neptu_shared::db::cron_runs;
use neptu_shared::testing::{TestDatabase, closed_port, redis_url, unique_prefix};
use neptu_worker::jobs::Queue;
use neptu_worker::jobs::claim::claim_and_enqueue;
use serde_json::Value;

use crate::fakes::{self, Answer};

const BIN: &str = env!("CARGO_BIN_EXE_neptu-worker");

struct Worker {
    child: Child,
    port: u16,
}

impl Worker {
    fn start(database_url: &str, schema_wait_secs: &str) -> Self {
        Self::start_with(database_url, &[("SCHEMA_WAIT_SECS", schema_wait_secs)])
    }

    /// Starts the binary with every schedule off unless `env` turns one on.
    fn start_with(database_url: &str, env: &[(&str, &str)]) -> Self {
        let port = closed_port().port();
        let mut command = Command::new(BIN);
        command
            .env_clear()
            .env("DATABASE_URL", database_url)
            .env("REDIS_URL", redis_url())
            .env("CACHE_PREFIX", unique_prefix())
            .env("PORT", port.to_string())
            .env("HOST", "127.0.0.1")
            .env(
                "LOG_LEVEL",
                std::env::var("WORKER_TEST_LOGS").unwrap_or_else(|_| "warn".into()),
            )
            .env("JOB_HEARTBEAT_SECS", "1")
            .env("SHUTDOWN_GRACE_SECS", "10")
            .env("SHUTDOWN_DRAIN_MS", "0")
            .env("ENVIRONMENT", "development");
        for job in [
            "FORUM_REPLIES",
            "FORUM_COMMENTS",
            "FORUM_POSTS",
            "MARKET_REFRESH",
            "DAILY_TASKS",
        ] {
            command.env(format!("SCHEDULE_{job}"), "off");
        }
        for (key, value) in env {
            command.env(key, value);
        }
        let child = command
            .stdout(if std::env::var("WORKER_TEST_LOGS").is_ok() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .stderr(if std::env::var("WORKER_TEST_LOGS").is_ok() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .unwrap();
        Self { child, port }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    async fn wait_for(&self, path: &str, status: u16, within: Duration) -> Value {
        let deadline = Instant::now() + within;
        loop {
            if let Ok(r) = reqwest::get(self.url(path)).await
                && r.status() == status
            {
                return r.json().await.unwrap();
            }
            assert!(Instant::now() < deadline, "{path} never answered {status}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for the process to exit, yielding to the runtime (fake servers of the same test
    /// must keep answering meanwhile).
    async fn wait_exit(&mut self, within: Duration) -> Option<i32> {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("neptu-worker did not exit within {within:?}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn terminate(&self) {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
    }

    fn crash(&mut self) {
        self.child.kill().unwrap(); // SIGKILL
        let _ = self.child.wait();
    }
}

/// Polls `check` every 50 ms until it gives a value, for at most `within`.
async fn eventually<T, F, Fut>(within: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + within;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "{what} did not happen within {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn count(pool: &sqlx::PgPool, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
        .fetch_one(pool)
        .await
        .unwrap()
}

fn gecko_env(server: &neptu_shared::testing::FakeServer) -> Vec<(String, String)> {
    fakes::settings_for(server)
        .into_iter()
        .filter(|(k, _)| k.starts_with("COINGECKO"))
        .collect()
}

#[tokio::test]
async fn sigterm_lets_the_running_job_finish_then_exits_0() {
    let db = TestDatabase::migrated().await;
    let (server, fake) = fakes::start().await;
    // Every refresh takes 1.5 s upstream, so SIGTERM lands in the middle of one.
    fake.script("markets", vec![Answer::Slow(Duration::from_millis(1500)); 50]);
    let mut env: Vec<(String, String)> = gecko_env(&server);
    env.push(("SCHEDULE_MARKET_REFRESH".into(), "* * * * * *".into()));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut worker = Worker::start_with(&db.url, &env);

    let running: chrono::DateTime<chrono::Utc> =
        eventually(Duration::from_secs(20), "a running refresh", || async {
            sqlx::query_scalar(
                "SELECT slot FROM cron_runs WHERE job = 'market_refresh' AND status = 'running'",
            )
            .fetch_optional(&db.pool)
            .await
            .unwrap()
        })
        .await;
    worker.terminate();
    assert_eq!(worker.wait_exit(Duration::from_secs(15)).await, Some(0));

    let run = cron_runs::find(&db.pool, "market_refresh", running)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        run.status, "succeeded",
        "the job running at SIGTERM finished: {run:?}"
    );
    assert_eq!(count(&db.pool, "crypto_market").await, 13);
    // Nothing started after the signal: every other run finished or is still queued for the
    // next process.
    let started_late: i64 =
        sqlx::query_scalar("SELECT count(*) FROM cron_runs WHERE status IN ('running', 'retrying')")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(started_late, 0);
    db.drop_database().await;
}

#[tokio::test]
async fn a_job_killed_mid_run_is_retried_after_restart_and_applied_once() {
    let db = TestDatabase::migrated().await;
    let (server, fake) = fakes::start().await;
    // The first refresh hangs (the process is killed during it); later ones answer at once.
    fake.script("markets", vec![Answer::Slow(Duration::from_secs(30))]);
    let env: Vec<(String, String)> = gecko_env(&server);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut first = Worker::start_with(&db.url, &env);
    first.wait_for("/ready", 200, Duration::from_secs(20)).await;

    let slot = chrono::DateTime::from_timestamp(1_795_000_000, 0).unwrap();
    claim_and_enqueue(&db.pool, "market_refresh", Queue::General, slot, "test", 3)
        .await
        .unwrap();
    eventually(Duration::from_secs(10), "the first attempt", || async {
        (fake.hits("markets") == 1).then_some(())
    })
    .await;
    first.crash();

    let mut second = Worker::start_with(&db.url, &env);
    let run = eventually(Duration::from_secs(30), "the retry after restart", || async {
        cron_runs::find(&db.pool, "market_refresh", slot)
            .await
            .unwrap()
            .filter(|r| r.status == "succeeded")
    })
    .await;
    assert_eq!(run.attempts, 2, "the killed attempt counts");
    assert_ne!(run.ran_by.as_deref(), Some("test"));
    assert_eq!(count(&db.pool, "crypto_market").await, 13);
    assert_eq!(count(&db.pool, "crypto_market_history").await, 13, "applied once");
    assert_eq!(fake.hits("markets"), 2);
    second.terminate();
    assert_eq!(second.wait_exit(Duration::from_secs(15)).await, Some(0));
    db.drop_database().await;
}

#[tokio::test]
async fn waits_for_the_schema_then_runs_and_stops_on_sigterm() {
    let db = TestDatabase::empty().await;
    let mut worker = Worker::start(&db.url, "60");

    // Serving at once, but not ready while the schema is missing.
    let health = worker.wait_for("/health", 200, Duration::from_secs(20)).await;
    assert_eq!(health["status"], "ok");
    assert_eq!(health["environment"], "development");
    let waiting = worker.wait_for("/ready", 503, Duration::from_secs(5)).await;
    assert_eq!(
        waiting["checks"]["jobs"]["reason"],
        "waiting for the database schema"
    );

    neptu_shared::db::migrate(&db.pool).await.unwrap();
    let ready = worker.wait_for("/ready", 200, Duration::from_secs(10)).await;
    assert_eq!(ready["checks"]["jobs"], "ok");
    assert_eq!(ready["checks"]["database"], "ok");

    let root: Value = reqwest::get(worker.url("/")).await.unwrap().json().await.unwrap();
    assert_eq!(root["name"], "Neptu Worker");
    assert_eq!(root["status"], "running");

    worker.terminate();
    assert_eq!(worker.wait_exit(Duration::from_secs(10)).await, Some(0));
    db.drop_database().await;
}

#[tokio::test]
async fn gives_up_when_the_schema_never_comes() {
    let db = TestDatabase::empty().await;
    let mut worker = Worker::start(&db.url, "1");
    assert_eq!(worker.wait_exit(Duration::from_secs(15)).await, Some(1));
    db.drop_database().await;
}

#[tokio::test]
async fn a_lasting_database_outage_ends_the_process_with_status_1() {
    use neptu_shared::testing::{ChaosProxy, Mode};
    let db = TestDatabase::migrated().await;
    let mut url = url::Url::parse(&db.url).unwrap();
    let target = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap_or(5432));
    let proxy = ChaosProxy::start(tokio::net::lookup_host(target).await.unwrap().next().unwrap()).await;
    url.set_host(Some("127.0.0.1")).unwrap();
    url.set_port(Some(proxy.addr().port())).unwrap();
    let mut worker = Worker::start_with(url.as_str(), &[("JOB_RESTART_LIMIT", "2")]);
    worker.wait_for("/ready", 200, Duration::from_secs(20)).await;

    proxy.set_mode(Mode::Down);
    // The job workers fail, are restarted a couple of times, then the process gives up so the
    // platform can restart it.
    assert_eq!(worker.wait_exit(Duration::from_secs(30)).await, Some(1));
    db.drop_database().await;
}
