//! The worker served in-process for a test: its own migrated database, its own cache prefix,
//! every outside service pointed at a local fake, a real listener on a free port.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use apalis::prelude::Data;
use chrono::{DateTime, Utc};
use neptu_http::Stopped;
use neptu_shared::auth::Auth;
use neptu_shared::cache::{self, CacheStore};
use neptu_shared::config::{Service, Settings};
use neptu_shared::db::cron_runs::{self, CronRun};
use neptu_shared::domain::enums::Role;
use neptu_shared::testing::{FakeServer, TestDatabase};
use neptu_worker::app::{self, Application, Parts};
use neptu_worker::jobs::claim::claim_and_enqueue;
use neptu_worker::jobs::execute::{Executor, execute};
use neptu_worker::jobs::{Queue, Registry, RuntimeState};
use neptu_worker::state::WorkerState;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::fakes::{self, Fake};

pub const ADMIN_WALLET: &str = "AdminWa11et1111111111111111111111111111111";

/// Test settings: a fresh cache prefix, port 0, all schedules off, fast outbound timeouts,
/// every outside API on `server`. `overrides` win; an empty value unsets a variable.
pub fn settings(database_url: &str, server: &FakeServer, overrides: &[(&str, &str)]) -> Settings {
    let mut defaults: HashMap<String, String> = [
        ("ADMIN_WALLET_ADDRESS", ADMIN_WALLET),
        ("FORUM_PACING_MS", "0"),
        ("OUTBOUND_TIMEOUT_SECS", "1"),
        ("JOB_RETRY_BACKOFF_MS", "50"),
        ("SCHEDULE_FORUM_REPLIES", "off"),
        ("SCHEDULE_FORUM_COMMENTS", "off"),
        ("SCHEDULE_FORUM_POSTS", "off"),
        ("SCHEDULE_MARKET_REFRESH", "off"),
        ("SCHEDULE_DAILY_TASKS", "off"),
        ("SCHEDULE_DEVELOPER_MAINTENANCE", "off"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    defaults.extend(fakes::settings_for(server));
    neptu_shared::testing::settings(Service::Worker, database_url, defaults, overrides)
}

pub struct TestWorker {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub db: TestDatabase,
    pub state: WorkerState,
    pub registry: Registry,
    pub fake: Fake,
    pub _server: FakeServer,
    shutdown: CancellationToken,
    handle: JoinHandle<std::io::Result<Stopped>>,
}

pub async fn spawn() -> TestWorker {
    spawn_with(&[]).await
}

/// Serves the worker's routes (no job runtime: tests run jobs directly or start one).
pub async fn spawn_with(overrides: &[(&str, &str)]) -> TestWorker {
    let db = TestDatabase::migrated().await;
    let (server, fake) = fakes::start().await;
    let settings = settings(&db.url, &server, overrides);
    let pool = neptu_shared::db::pool(&settings.database, "neptu-worker-test");
    neptu_worker::jobs::runtime::prepare_queue(&pool)
        .await
        .expect("queue tables");
    let cache = cache::from_settings(&settings.cache).expect("cache");
    let Parts { state, registry, .. } = app::assemble(settings, pool, cache).expect("assembles");
    state.jobs.status.set(RuntimeState::Running);
    let app = Application::build(state.clone()).await.expect("app builds");
    let addr = app.local_addr();
    let shutdown = CancellationToken::new();
    let handle = tokio::spawn(app.run_until_stopped(shutdown.clone()));
    TestWorker {
        addr,
        client: reqwest::Client::new(),
        db,
        state,
        registry,
        fake,
        _server: server,
        shutdown,
        handle,
    }
}

impl TestWorker {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn cache(&self) -> &Arc<dyn CacheStore> {
        &self.state.cache
    }

    pub fn token(&self, wallet: &str, role: Role) -> String {
        issue(&self.state.auth, wallet, role)
    }

    pub fn admin_token(&self) -> String {
        self.token(ADMIN_WALLET, Role::User)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn post(&self, path: &str, body: serde_json::Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .expect("request sent")
    }

    /// Claims `(job, slot)` and runs one attempt of it right here, as an executor would.
    pub async fn run_job(&self, job: &str, slot: DateTime<Utc>) -> Result<(), String> {
        let queue = self.registry.get(job).map_or(Queue::General, |j| j.queue());
        claim_and_enqueue(&self.state.db, job, queue, slot, "test", 3)
            .await
            .expect("claimed");
        self.attempt(job, slot).await
    }

    /// One more attempt of an already claimed run.
    pub async fn attempt(&self, job: &str, slot: DateTime<Utc>) -> Result<(), String> {
        let executor = Arc::new(Executor {
            pool: self.state.db.clone(),
            registry: self.registry.clone(),
            replica: "test".into(),
            max_attempts: 3,
            timeout: std::time::Duration::from_secs(10),
        });
        let args = neptu_worker::jobs::JobArgs {
            job: job.to_owned(),
            slot: slot.timestamp(),
        };
        execute(args, Data::new(executor))
            .await
            .map_err(|e| e.to_string())
    }

    pub async fn run_row(&self, job: &str, slot: DateTime<Utc>) -> CronRun {
        cron_runs::find(&self.state.db, job, slot)
            .await
            .unwrap()
            .expect("the run exists")
    }

    pub async fn stop(self) {
        self.shutdown.cancel();
        let _ = self.handle.await;
        self.db.drop_database().await;
    }
}

pub fn issue(auth: &Auth, wallet: &str, role: Role) -> String {
    auth.keys
        .issue_access(uuid::Uuid::new_v4(), wallet, role, Utc::now().timestamp())
}

/// A slot at a whole minute, for jobs whose phases depend on it.
pub fn slot(hour: u32, minute: u32) -> DateTime<Utc> {
    use chrono::TimeZone;
    Utc.with_ymd_and_hms(2026, 11, 25, hour, minute, 0).unwrap()
}
