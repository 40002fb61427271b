//! Building and running the worker: HTTP server and job runtime in one process.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::Method;
use neptu_shared::cache::{self, Backend, CacheStore};
use neptu_shared::config::Settings;
use neptu_shared::db;
use neptu_shared::http::{self, Probes, StackSettings, Stopped};
use sqlx::PgPool;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::jobs::{JobRuntime, RuntimeState, RuntimeStatus};
use crate::routes;
use crate::state::WorkerState;

/// How often the worker checks whether the API has migrated the schema.
const SCHEMA_POLL: Duration = Duration::from_secs(2);

pub struct Application {
    listener: TcpListener,
    router: Router,
    grace: Duration,
}

impl Application {
    pub async fn build(
        settings: Settings,
        db: PgPool,
        cache: Arc<dyn CacheStore>,
        jobs: RuntimeStatus,
    ) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(settings.http.listen)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.http.listen))?;
        let grace = settings.http.shutdown_grace;
        Ok(Self {
            listener,
            router: router(settings, db, cache, jobs),
            grace,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub async fn run_until_stopped(self, shutdown: CancellationToken) -> std::io::Result<Stopped> {
        http::serve(self.listener, self.router, shutdown, self.grace).await
    }
}

/// Worker routes and probes inside the shared middleware stack. `/ready` also requires the
/// job runtime to be running.
pub fn router(settings: Settings, db: PgPool, cache: Arc<dyn CacheStore>, jobs: RuntimeStatus) -> Router {
    // The original worker allowed only these methods cross-origin.
    let stack = StackSettings::new(
        &settings.http,
        settings.is_production(),
        vec![Method::GET, Method::POST, Method::OPTIONS],
    );
    let environment = if settings.is_production() {
        "production"
    } else {
        "development"
    };
    let probes = Probes {
        db: db.clone(),
        cache: Arc::clone(&cache),
        started: Instant::now(),
        version: env!("CARGO_PKG_VERSION"),
        health_extra: Some(("environment", environment.to_owned())),
        extra_check: Some(("jobs", Arc::new(move || jobs.check()))),
    };
    let state = WorkerState {
        db,
        cache,
        settings: Arc::new(settings),
    };
    http::stack(routes::router(state).merge(probes.routes()), &stack)
}

/// `neptu-worker serve`: serve HTTP at once, start jobs when the schema is current, stop
/// both on SIGTERM/SIGINT.
pub async fn run(settings: Settings) -> anyhow::Result<()> {
    settings.log_summary();
    let pool = db::pool(&settings.database, "neptu-worker");
    let cache = cache::from_settings(&settings.cache)?;
    if cache.backend() == Backend::Memory {
        tracing::info!("REDIS_URL is not set: using the in-memory cache (not shared between replicas)");
    }
    let schema_wait = settings.database.schema_wait;
    let status = RuntimeStatus::default();
    let app = Application::build(settings, pool.clone(), cache, status.clone()).await?;
    tracing::info!(address = %app.local_addr(), "neptu-worker listening");

    let shutdown = CancellationToken::new();
    http::cancel_on_signal(shutdown.clone());
    let server = tokio::spawn(app.run_until_stopped(shutdown.clone()));

    let waited = tokio::select! {
        waited = db::wait_for_schema(&pool, schema_wait, SCHEMA_POLL) => Some(waited),
        () = shutdown.cancelled() => None,
    };
    let runtime = match waited {
        Some(Ok(())) => Some(JobRuntime::start(status.clone(), shutdown.clone())),
        Some(Err(error)) => {
            status.set(RuntimeState::Stopped);
            shutdown.cancel();
            let _ = server.await;
            pool.close().await;
            return Err(error.into());
        }
        None => None,
    };
    if let Some(runtime) = runtime {
        runtime.stopped().await;
    }
    let stopped = server.await??;
    pool.close().await;
    tracing::info!(?stopped, "neptu-worker stopped");
    Ok(())
}
