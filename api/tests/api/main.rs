//! The API served for real: its own freshly migrated database per test, its own cache key
//! prefix in the shared Redis, a real listener on a free port.

mod abuse;
mod admin;
mod admin_analytics;
mod admin_api_keys;
mod admin_platform;
mod auth;
mod auth_forgery;
mod auth_refresh;
mod auth_revocation;
mod backup;
mod binary;
mod chain;
mod claims;
mod developer;
mod developer_pay_build;
mod developer_pay_verify;
mod developer_usage;
mod docs;
mod fixtures;
mod fuzz;
mod hardening;
mod import;
mod import_cli;
mod import_pg;
mod import_pg_cli;
mod import_safety;
mod metered;
mod metered_load;
mod metrics;
mod migrate_status;
mod pay_build;
mod payments;
mod pricing;
mod probes;
mod rate_limit;
mod reading;
mod resilience;
mod token;
mod users;
mod wallet;

use std::net::SocketAddr;
use std::sync::Arc;

use neptu_api::app::Application;
use neptu_http::Stopped;
use neptu_shared::auth::Auth;
use neptu_shared::cache::{self, CacheStore};
use neptu_shared::config::{Service, Settings};
use neptu_shared::db::users::User;
use neptu_shared::domain::enums::Role;
use neptu_shared::testing::TestDatabase;
use serde_json::Value;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub db: TestDatabase,
    pub auth: Arc<Auth>,
    /// The cache key prefix of this app.
    pub prefix: String,
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

    /// Creates the user of fixture wallet `n` and a valid access token for it.
    pub async fn user(&self, n: u32) -> (User, String) {
        self.user_with_role(n, Role::User).await
    }

    pub async fn user_with_role(&self, n: u32, role: Role) -> (User, String) {
        let (user, _) = neptu_shared::db::users::get_or_create(&self.db.pool, &wallet_address(n))
            .await
            .expect("create user");
        let user = neptu_shared::db::users::set_role(&self.db.pool, user.id, role)
            .await
            .expect("set role")
            .expect("user exists");
        let token = self.auth.keys.issue_access(
            user.id,
            &user.wallet_address,
            role,
            chrono::Utc::now().timestamp(),
        );
        (user, token)
    }

    /// Sends a request with an optional bearer token and JSON body; returns status and body.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        let json =
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path}: not JSON ({status}): {text}"));
        (status, json)
    }

    pub async fn get_as(&self, path: &str, token: &str) -> (u16, Value) {
        self.call(reqwest::Method::GET, path, Some(token), None).await
    }

    pub async fn post_as(&self, path: &str, token: &str, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::POST, path, Some(token), Some(body))
            .await
    }

    pub async fn stop(self) {
        self.shutdown.cancel();
        let _ = self.handle.await;
        self.db.drop_database().await;
    }

    /// Stops the server but leaves the database, which another instance still uses (stop
    /// that one last, with [`TestApp::stop`]).
    pub async fn stop_server(self) {
        self.shutdown.cancel();
        let _ = self.handle.await;
        self.db.pool.close().await;
    }
}

/// Settings for a test: the given database URL, a fresh cache prefix, port 0.
pub fn test_settings(database_url: &str, overrides: &[(&str, &str)]) -> Settings {
    let defaults = [("DATABASE_ACQUIRE_TIMEOUT_MS".to_owned(), "1000".to_owned())];
    neptu_shared::testing::settings(Service::Api, database_url, defaults, overrides)
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

/// A second instance of the API on `app`'s database (another replica: its own cache prefix,
/// pool and port), with configuration overrides.
pub async fn spawn_replica(app: &TestApp, overrides: &[(&str, &str)]) -> TestApp {
    let settings = test_settings(&app.db.url, overrides);
    let pool = neptu_shared::db::pool(&settings.database, "neptu-api-test-replica");
    let db = TestDatabase {
        name: app.db.name.clone(),
        url: app.db.url.clone(),
        pool: pool.clone(),
    };
    spawn_on(db, settings, pool).await
}

/// Serves the API with an explicit pool (e.g. one that goes through a fault proxy).
pub async fn spawn_on(db: TestDatabase, settings: Settings, pool: sqlx::PgPool) -> TestApp {
    let cache = cache::from_settings(&settings.cache).expect("cache");
    let auth = Auth::from_settings(&settings.auth);
    let prefix = settings.cache.prefix.clone();
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
        auth,
        prefix,
        cache,
        shutdown,
        handle,
    }
}

/// A distinct, valid Solana-style wallet address for fixture `n` (base58 of 32 bytes).
/// A fault proxy in front of the test database's Postgres, and the database's URL through it,
/// for tests that black-hole or cut the database.
pub async fn postgres_via_proxy(db: &TestDatabase) -> (neptu_shared::testing::ChaosProxy, url::Url) {
    let real: url::Url = db.url.parse().unwrap();
    let proxy = neptu_shared::testing::ChaosProxy::start(
        format!("127.0.0.1:{}", real.port().unwrap_or(5432))
            .parse()
            .unwrap(),
    )
    .await;
    let mut via_proxy = real;
    via_proxy.set_port(Some(proxy.addr().port())).unwrap();
    (proxy, via_proxy)
}

pub fn wallet_address(n: u32) -> String {
    let mut key = [7u8; 32];
    key[..4].copy_from_slice(&n.to_be_bytes());
    bs58::encode(key).into_string()
}
