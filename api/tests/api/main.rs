//! The API served for real: its own freshly migrated database per test, its own cache key
//! prefix in the shared Redis, a real listener on a free port.

mod binary;
mod probes;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use neptu_api::app::Application;
use neptu_shared::cache::{self, CacheStore};
use neptu_shared::config::{Service, Settings};
use neptu_shared::http::Stopped;
use neptu_shared::testing::{TestDatabase, redis_url, unique_prefix};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub db: TestDatabase,
    pub cache: Arc<dyn CacheStore>,
    pub shutdown: CancellationToken,
    pub handle: JoinHandle<std::io::Result<Stopped>>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn stop(self) {
        self.shutdown.cancel();
        let _ = self.handle.await;
        self.db.drop_database().await;
    }
}

/// Settings for a test: the given database URL, a fresh cache prefix, port 0.
pub fn test_settings(database_url: &str, overrides: &[(&str, &str)]) -> Settings {
    let prefix = unique_prefix();
    let mut env: HashMap<String, String> = HashMap::from([
        ("DATABASE_URL".into(), database_url.into()),
        ("REDIS_URL".into(), redis_url()),
        ("CACHE_PREFIX".into(), prefix),
        ("HOST".into(), "127.0.0.1".into()),
        ("PORT".into(), "0".into()),
        ("DATABASE_ACQUIRE_TIMEOUT_MS".into(), "1000".into()),
    ]);
    for (key, value) in overrides {
        env.insert((*key).into(), (*value).into());
    }
    env.retain(|_, v| !v.is_empty());
    Settings::from_env(Service::Api, &env).expect("valid test settings")
}

/// Serves the API on a fresh database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Serves the API on a fresh database with configuration overrides (an empty value unsets).
pub async fn spawn_app_with(overrides: &[(&str, &str)]) -> TestApp {
    let db = TestDatabase::migrated().await;
    let settings = test_settings(&db.url, overrides);
    let pool = neptu_shared::db::pool(&settings.database, "neptu-api-test");
    spawn_on(db, settings, pool).await
}

/// Serves the API with an explicit pool (e.g. one that goes through a fault proxy).
pub async fn spawn_on(db: TestDatabase, settings: Settings, pool: sqlx::PgPool) -> TestApp {
    let cache = cache::from_settings(&settings.cache).expect("cache");
    let app = Application::build(settings, pool, Arc::clone(&cache))
        .await
        .expect("app builds");
    let addr = app.local_addr();
    let shutdown = CancellationToken::new();
    let handle = tokio::spawn(app.run_until_stopped(shutdown.clone()));
    TestApp {
        addr,
        client: reqwest::Client::new(),
        db,
        cache,
        shutdown,
        handle,
    }
}
