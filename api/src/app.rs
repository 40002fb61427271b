//! Building and running the API server.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::http::Method;
use neptu_http::metrics;
use neptu_http::{self as http, Listener, Probes, RateLimiter, StackSettings, Stopped};
use neptu_shared::auth::Auth;
use neptu_shared::cache::CacheStore;
use neptu_shared::clients::ClientOptions;
use neptu_shared::clients::azure_openai::{AzureOpenAi, ChatModel};
use neptu_shared::clients::solana::{SolanaClient, SolanaRpc};
use neptu_shared::config::Settings;
use neptu_shared::db;
use neptu_shared::domain::api_keys::KeyHasher;
use neptu_shared::oracle::Oracle;
use secrecy::ExposeSecret;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use crate::metered::Metering;
use crate::routes;
use crate::services::snapshot::Snapshot;
use crate::state::AppState;

/// How long `GET /api/pricing` is served from memory; other replicas see plan changes within it.
const PRICING_SNAPSHOT_TTL: std::time::Duration = std::time::Duration::from_secs(10);
/// The least time given to returning credit leases and writing usage rows at shutdown.
const METERING_FLUSH_MIN: std::time::Duration = std::time::Duration::from_secs(1);

/// A bound, ready-to-run API server. Tests build it on port 0 with their own database.
pub struct Application {
    listener: Listener,
    router: Router,
    metering: Metering,
}

impl Application {
    /// Binds the listener and assembles the routes and middleware.
    pub async fn build(settings: Settings, db: PgPool, cache: Arc<dyn CacheStore>) -> anyhow::Result<Self> {
        let auth = Auth::from_settings(&settings.auth);
        let listener = Listener::bind(&settings, &db, &auth).await?;
        let key_hasher = Arc::new(KeyHasher::new(
            settings.developer.key_secret.expose_secret().as_bytes(),
        ));
        let metering = Metering::start(&settings, db.clone(), Arc::clone(&cache), Arc::clone(&key_hasher));
        let router = router(
            settings,
            db,
            cache,
            auth,
            listener.draining(),
            key_hasher,
            metering.clone(),
        );
        Ok(Self {
            listener,
            router,
            metering,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` is cancelled, then drains in-flight requests; then, within
    /// what is left of the drain and grace periods (at least a second), returns the credits
    /// leased for `/api/v1` and writes its queued usage rows.
    pub async fn run_until_stopped(self, shutdown: CancellationToken) -> std::io::Result<Stopped> {
        let signalled = {
            let shutdown = shutdown.clone();
            tokio::spawn(async move {
                shutdown.cancelled().await;
                Instant::now()
            })
        };
        let timing = self.listener.timing();
        let allowed = timing.drain + timing.grace;
        let stopped = self.listener.serve(self.router, shutdown.clone()).await;
        let since = if shutdown.is_cancelled() {
            signalled.await.ok().map(|at| at.elapsed())
        } else {
            signalled.abort();
            None
        };
        let budget = allowed
            .saturating_sub(since.unwrap_or_default())
            .max(METERING_FLUSH_MIN);
        self.metering.shutdown(budget).await;
        stopped
    }
}

/// The complete router: API routes and probes inside the shared middleware stack.
pub fn router(
    settings: Settings,
    db: PgPool,
    cache: Arc<dyn CacheStore>,
    auth: Arc<Auth>,
    draining: http::Draining,
    key_hasher: Arc<KeyHasher>,
    metering: Metering,
) -> Router {
    let stack = StackSettings::new(
        &settings.http,
        settings.is_production(),
        vec![
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::DELETE,
            Method::OPTIONS,
        ],
    )
    .with_draining(draining.clone());
    let started = Instant::now();
    let probes = Probes {
        db: db.clone(),
        cache: Arc::clone(&cache),
        started,
        version: env!("CARGO_PKG_VERSION"),
        environment: None,
        extra_check: None,
        draining,
    };
    let pricing = Arc::new(Snapshot::new(PRICING_SNAPSHOT_TTL));
    let metrics_token = settings.metrics.token.clone();
    let sampler = metrics_sampler(&db, &cache, settings.database.max_connections);
    let limiter = RateLimiter {
        cache: Arc::clone(&cache),
        auth: Arc::clone(&auth),
        settings: settings.rate_limit,
    };
    let solana = solana_client(&settings);
    let oracle = Arc::new(Oracle::new(Arc::clone(&cache), chat_model(&settings)));
    let state = AppState {
        db,
        cache,
        auth,
        settings: Arc::new(settings),
        pricing,
        solana,
        started,
        key_hasher,
        metering,
        oracle,
    };
    let routes::Routes { api, v1, docs } = routes::router(state);
    // `/api/v1` has a limit per key instead of the per-address one.
    let mut routes = limiter.apply(api).merge(v1).merge(routes::docs_routes(docs));
    if let Some(token) = metrics_token {
        routes = routes.merge(metrics::routes(metrics::install(), sampler, Some(token)));
    }
    http::with_probes(http::stack(routes, &stack), probes.routes(), &stack)
}

/// The Solana RPC client, when configured. Building one only fails if TLS cannot initialise;
/// the payment routes then answer 503 like an unconfigured RPC, and the rest still serves.
fn solana_client(settings: &Settings) -> Option<Arc<dyn SolanaRpc>> {
    let options = ClientOptions::from_settings(&settings.outbound);
    match SolanaClient::from_settings(&settings.solana, options) {
        Ok(client) => client.map(|c| Arc::new(c) as Arc<dyn SolanaRpc>),
        Err(error) => {
            tracing::error!(%error, "Solana RPC client unavailable");
            None
        }
    }
}

/// The oracle's model, when Azure OpenAI is configured; otherwise `/api/v1/oracle` answers 503.
fn chat_model(settings: &Settings) -> Option<Arc<dyn ChatModel>> {
    let options = ClientOptions::from_settings(&settings.outbound);
    match AzureOpenAi::from_settings(&settings.azure_openai, options) {
        Ok(model) => model.map(|m| Arc::new(m) as Arc<dyn ChatModel>),
        Err(error) => {
            tracing::error!(%error, "Azure OpenAI client unavailable");
            None
        }
    }
}

/// Samples the pool and the cache into the metrics page.
fn metrics_sampler(db: &PgPool, cache: &Arc<dyn CacheStore>, max_connections: u32) -> metrics::Sampler {
    let (db, cache) = (db.clone(), Arc::clone(cache));
    Arc::new(move || metrics::sample_pool_and_cache(&db, &*cache, max_connections))
}

/// `neptu-api serve`: migrate (unless switched off), serve until SIGTERM/SIGINT, close pools.
pub async fn run(settings: Settings) -> anyhow::Result<()> {
    settings.log_summary();
    let pool = db::pool(&settings.database, "neptu-api");
    if settings.database.run_migrations {
        db::migrate_with_retry(&pool, settings.database.schema_wait).await?;
        tracing::info!("database schema is current");
    }
    let cache = http::startup::cache(&settings)?;
    metrics::spawn_upkeep(metrics::install());
    let shutdown = CancellationToken::new();
    http::cancel_on_signal(shutdown.clone());
    let sampler = metrics_sampler(&pool, &cache, settings.database.max_connections);
    metrics::serve_internal(&settings, sampler, shutdown.clone()).await?;
    let app = Application::build(settings, pool.clone(), cache).await?;
    http::startup::release_startup_heap();
    tracing::info!(address = %app.local_addr(), "neptu-api listening");

    let stopped = app.run_until_stopped(shutdown).await?;
    pool.close().await;
    tracing::info!(?stopped, "neptu-api stopped");
    Ok(())
}
