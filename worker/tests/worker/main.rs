//! The `neptu-worker` binary against a real database: start-up ordering, probes, shutdown.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use neptu_shared::testing::{TestDatabase, closed_port, redis_url, unique_prefix};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_neptu-worker");

struct Worker {
    child: Child,
    port: u16,
}

impl Worker {
    fn start(database_url: &str, schema_wait_secs: &str) -> Self {
        let port = closed_port().port();
        let child = Command::new(BIN)
            .env_clear()
            .env("DATABASE_URL", database_url)
            .env("REDIS_URL", redis_url())
            .env("CACHE_PREFIX", unique_prefix())
            .env("PORT", port.to_string())
            .env("HOST", "127.0.0.1")
            .env("SCHEMA_WAIT_SECS", schema_wait_secs)
            .env("LOG_LEVEL", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
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

    fn wait_exit(&mut self, within: Duration) -> Option<i32> {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("neptu-worker did not exit within {within:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn terminate(&self) {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
    }
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
    assert_eq!(worker.wait_exit(Duration::from_secs(10)), Some(0));
    db.drop_database().await;
}

#[tokio::test]
async fn gives_up_when_the_schema_never_comes() {
    let db = TestDatabase::empty().await;
    let mut worker = Worker::start(&db.url, "1");
    assert_eq!(worker.wait_exit(Duration::from_secs(15)), Some(1));
    db.drop_database().await;
}
