//! `/health` (liveness: no I/O) and `/ready` (readiness: Postgres and the cache).
//!
//! `/ready` answers 503 only when Postgres is unreachable. A Redis outage is "degraded" with
//! 200: the service still serves (from Postgres, with cache misses), so a platform must not
//! take replicas out of rotation for it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use chrono::Utc;
use serde::Serialize;
use sqlx::PgPool;

use neptu_shared::cache::{Backend, CacheStore};
use neptu_shared::wire;

/// How long `/ready` waits for each dependency; well under the 2 s a probe may take.
const CHECK_TIMEOUT: Duration = Duration::from_millis(1000);

/// Extra readiness condition a binary adds (the worker's job runtime); `Err` explains why
/// the service is not ready.
pub type ExtraCheck = Arc<dyn Fn() -> Result<(), String> + Send + Sync>;

#[derive(Clone)]
pub struct Probes {
    pub db: PgPool,
    pub cache: Arc<dyn CacheStore>,
    pub started: Instant,
    pub version: &'static str,
    /// The environment `/health` reports (the worker's does; the API's does not).
    pub environment: Option<&'static str>,
    pub extra_check: Option<(&'static str, ExtraCheck)>,
    /// The server's drain flag: while set, `/ready` answers 503 `draining`.
    pub draining: super::Draining,
}

/// The probes' OpenAPI paths, merged into each binary's document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(health, ready))]
pub struct ProbeDocs;

impl Probes {
    pub fn routes(self) -> Router {
        Router::new()
            .route("/health", get(health))
            .route("/ready", get(ready))
            .with_state(self)
    }
}

/// The shape of `GET /health` (the worker adds `environment`).
#[derive(Serialize, utoipa::ToSchema)]
pub struct HealthBody {
    #[schema(example = "ok")]
    pub status: &'static str,
    /// RFC 3339 UTC with milliseconds.
    pub timestamp: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<&'static str>,
}

/// Liveness: answers without touching any dependency.
#[utoipa::path(get, path = "/health", tag = "probes", responses((status = 200, body = HealthBody)))]
async fn health(State(probes): State<Probes>) -> Json<HealthBody> {
    Json(HealthBody {
        status: "ok",
        timestamp: wire::format_timestamp(&Utc::now()),
        environment: probes.environment,
    })
}

#[derive(Debug, Serialize, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    Ok,
    Unavailable,
    /// No Redis configured: the in-memory cache serves.
    NotConfigured,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Readiness {
    /// `ready`, `degraded` (Redis down, still serving) or `unavailable` (Postgres down).
    status: &'static str,
    /// `database` and `redis`: `ok`, `unavailable` or (redis) `not_configured`.
    #[schema(value_type = Object)]
    checks: serde_json::Map<String, serde_json::Value>,
    version: &'static str,
    uptime_seconds: u64,
}

/// Readiness: Postgres and Redis. 503 only when Postgres is unreachable.
#[utoipa::path(get, path = "/ready", tag = "probes", responses(
    (status = 200, description = "Ready, or degraded without Redis", body = Readiness),
    (status = 503, description = "Postgres unreachable", body = Readiness),
))]
async fn ready(State(probes): State<Probes>) -> Response {
    if probes.draining.is_set() {
        // Shutting down: the load balancer should send nothing more here.
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({ "status": "draining" })),
        )
            .into_response();
    }
    let (database, redis) = tokio::join!(neptu_shared::db::ping(&probes.db, CHECK_TIMEOUT), async {
        match probes.cache.backend() {
            Backend::Memory => Ok(Check::NotConfigured),
            Backend::Redis => probes.cache.ping().await.map(|()| Check::Ok),
        }
    });
    let database_ok = database.is_ok();
    if let Err(error) = &database {
        tracing::warn!(%error, "readiness: database unavailable");
    }
    let redis = redis.unwrap_or_else(|error| {
        tracing::warn!(%error, "readiness: redis unavailable");
        Check::Unavailable
    });
    let extra = probes.extra_check.as_ref().map(|(name, check)| (*name, check()));

    let mut checks = serde_json::Map::new();
    checks.insert(
        "database".into(),
        serde_json::to_value(if database_ok {
            Check::Ok
        } else {
            Check::Unavailable
        })
        .unwrap_or_default(),
    );
    checks.insert("redis".into(), serde_json::to_value(redis).unwrap_or_default());
    let mut extra_ok = true;
    if let Some((name, result)) = &extra {
        extra_ok = result.is_ok();
        let value = match result {
            Ok(()) => serde_json::json!("ok"),
            Err(reason) => serde_json::json!({ "status": "unavailable", "reason": reason }),
        };
        checks.insert((*name).into(), value);
    }

    record_check("database", database_ok);
    record_check("redis", redis != Check::Unavailable);
    if let Some((name, result)) = &extra {
        record_check(name, result.is_ok());
    }

    let (status, code) = if !database_ok || !extra_ok {
        ("unavailable", StatusCode::SERVICE_UNAVAILABLE)
    } else if redis == Check::Unavailable {
        ("degraded", StatusCode::OK)
    } else {
        ("ready", StatusCode::OK)
    };
    let body = Readiness {
        status,
        checks,
        version: probes.version,
        uptime_seconds: probes.started.elapsed().as_secs(),
    };
    (code, Json(body)).into_response()
}

/// `ready_check_up{check}`: 1 when the check passed at the last `/ready`, 0 when it failed, so
/// an alert can say which dependency is down (a Redis outage is 0 here and still 200 above).
fn record_check(check: &'static str, up: bool) {
    metrics::gauge!("ready_check_up", "check" => check).set(if up { 1.0 } else { 0.0 });
}
