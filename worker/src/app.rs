//! Building and running the worker: HTTP server and job runtime in one process.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::Method;
use axum::response::Response;
use neptu_http::metrics;
use neptu_http::{self as http, Listener, Probes, RateLimiter, StackSettings, Stopped};
use neptu_shared::auth::Auth;
use neptu_shared::cache::CacheStore;
use neptu_shared::config::Settings;
use neptu_shared::db;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use crate::jobs::runtime::replica_name;
use crate::jobs::{JobRuntime, RuntimeConfig, RuntimeState, RuntimeStatus};
use crate::routes;
use crate::schedule;
use crate::services::{Services, missing_job_reason};
use crate::state::{JobsView, WorkerState};

/// How often the worker checks whether the API has migrated the schema.
const SCHEMA_POLL: Duration = Duration::from_secs(2);

pub struct Application {
    /// Also keeps the revocation list fresh: the admin routes accept the API's tokens, so
    /// revoked sessions and demotions apply here too.
    listener: Listener,
    router: Router,
}

impl Application {
    pub async fn build(state: WorkerState) -> anyhow::Result<Self> {
        let listener = Listener::bind(&state.settings, &state.db, &state.auth).await?;
        let router = router(state, listener.draining());
        Ok(Self { listener, router })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr()
    }

    pub async fn run_until_stopped(self, shutdown: CancellationToken) -> std::io::Result<Stopped> {
        self.listener.serve(self.router, shutdown).await
    }
}

/// Worker routes, probes and their OpenAPI document inside the shared middleware stack. `/ready` also requires the
/// job runtime to be running.
pub fn router(state: WorkerState, draining: http::Draining) -> Router {
    let settings = &state.settings;
    // The original worker allowed only these methods cross-origin.
    let stack = StackSettings::new(
        &settings.http,
        settings.is_production(),
        vec![Method::GET, Method::POST, Method::OPTIONS],
    )
    .with_draining(draining.clone());
    let environment = if settings.is_production() {
        "production"
    } else {
        "development"
    };
    let jobs = state.jobs.status.clone();
    let probes = Probes {
        db: state.db.clone(),
        cache: Arc::clone(&state.cache),
        started: Instant::now(),
        version: env!("CARGO_PKG_VERSION"),
        environment: Some(environment),
        extra_check: Some(("jobs", Arc::new(move || jobs.check()))),
        draining,
    };
    let services = state.services.clone();
    let probes = probes
        .routes()
        .layer(axum::middleware::map_response(move |response| {
            with_outside_services(services.clone(), response)
        }));
    let limiter = RateLimiter {
        cache: Arc::clone(&state.cache),
        auth: Arc::clone(&state.auth),
        settings: state.settings.rate_limit,
    };
    let metrics_page = state
        .settings
        .metrics
        .token
        .clone()
        .map(|token| metrics::routes(metrics::install(), metrics_sampler(&state), Some(token)));
    let routes::Routes { api, docs } = routes::router(state);
    let mut routes = limiter.apply(api).merge(http::docs::routes(docs));
    if let Some(page) = metrics_page {
        routes = routes.merge(page);
    }
    http::with_probes(http::stack(routes, &stack), probes, &stack)
}

/// Samples the pool, the cache and the outside clients' breakers into the metrics page.
fn metrics_sampler(state: &WorkerState) -> metrics::Sampler {
    let (db, cache, services) = (state.db.clone(), Arc::clone(&state.cache), state.services.clone());
    let max_connections = state.settings.database.max_connections;
    Arc::new(move || {
        metrics::sample_pool_and_cache(&db, &*cache, max_connections);
        services.publish_breaker_states();
    })
}

/// Adds the outside services to `/ready`'s checks. A failing one makes the worker
/// `degraded` (still 200): it keeps serving everything that does not need that service.
async fn with_outside_services(services: Services, response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let mut json = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(json) if json.get("checks").is_some() => json,
        _ => return Response::from_parts(parts, Body::from(bytes)),
    };
    let (outside, failing) = services.outside_status();
    json["checks"]["outside"] = outside;
    if failing && json["status"] == "ready" {
        json["status"] = "degraded".into();
    }
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(json.to_string()))
}

/// Everything the worker runs, built from the settings.
pub struct Parts {
    pub state: WorkerState,
    pub runtime: RuntimeConfig,
    pub registry: crate::jobs::Registry,
    pub schedules: Vec<schedule::ScheduleEntry>,
}

pub fn assemble(settings: Settings, db: PgPool, cache: Arc<dyn CacheStore>) -> anyhow::Result<Parts> {
    let services = Services::from_settings(&settings)?;
    let registry = services.registry(&settings, Arc::clone(&cache), db.clone());
    let (schedules, disabled) = schedule::from_settings(&settings.jobs, &registry, missing_job_reason)?;
    // One line per reason (the three forum jobs share theirs).
    let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
    for off in &disabled {
        match reasons.iter_mut().find(|(reason, _)| *reason == off.reason) {
            Some((_, jobs)) => jobs.push(off.job),
            None => reasons.push((&off.reason, vec![off.job])),
        }
    }
    for (reason, jobs) in reasons {
        tracing::info!(jobs = %jobs.join(","), %reason, "not scheduled");
    }
    let replica = replica_name();
    let runtime = RuntimeConfig::from_settings(&settings, Arc::clone(&replica));
    let state = WorkerState {
        auth: Auth::from_settings(&settings.auth),
        settings: Arc::new(settings),
        db,
        cache,
        services,
        jobs: JobsView {
            replica,
            status: RuntimeStatus::default(),
            schedules: Arc::new(schedules.clone()),
            disabled: Arc::new(disabled),
        },
    };
    Ok(Parts {
        state,
        runtime,
        registry,
        schedules,
    })
}

/// `neptu-worker serve`: serve HTTP at once, start jobs when the schema is current, stop
/// both on SIGTERM/SIGINT. Fails (exit 1) when the schema never comes or a job worker keeps
/// failing past its restart limit.
pub async fn run(settings: Settings) -> anyhow::Result<()> {
    settings.log_summary();
    let pool = db::pool(&settings.database, "neptu-worker");
    let cache = http::startup::cache(&settings)?;
    let schema_wait = settings.database.schema_wait;
    let parts = assemble(settings, pool.clone(), cache)?;
    let app_settings = Arc::clone(&parts.state.settings);
    let status = parts.state.jobs.status.clone();
    let sampler = metrics_sampler(&parts.state);
    let app = Application::build(parts.state).await?;
    http::startup::release_startup_heap();
    tracing::info!(address = %app.local_addr(), "neptu-worker listening");

    let shutdown = CancellationToken::new();
    http::cancel_on_signal(shutdown.clone());
    metrics::spawn_upkeep(metrics::install());
    metrics::serve_internal(&app_settings, sampler, shutdown.clone()).await?;
    let server = tokio::spawn(app.run_until_stopped(shutdown.clone()));

    let waited = tokio::select! {
        waited = db::wait_for_schema(&pool, schema_wait, SCHEMA_POLL) => Some(waited),
        () = shutdown.cancelled() => None,
    };
    let outcome = match waited {
        Some(Ok(())) => {
            if app_settings.backup.to.is_some() {
                crate::jobs::backup::publish_last_success(&pool).await;
            }
            match JobRuntime::start(
                parts.runtime,
                pool.clone(),
                parts.registry,
                parts.schedules,
                status.clone(),
                shutdown.clone(),
            )
            .await
            {
                Ok(runtime) => {
                    if runtime.stopped().await {
                        Ok(())
                    } else {
                        Err(anyhow::anyhow!(
                            "a job worker kept failing past JOB_RESTART_LIMIT"
                        ))
                    }
                }
                Err(error) => Err(error),
            }
        }
        Some(Err(error)) => Err(error.into()),
        None => Ok(()),
    };
    if outcome.is_err() {
        status.set(RuntimeState::Failed);
        shutdown.cancel();
    }
    let stopped = server.await??;
    pool.close().await;
    tracing::info!(?stopped, "neptu-worker stopped");
    outcome
}
