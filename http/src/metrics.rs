//! Prometheus metrics: one process-wide recorder (the `metrics` facade), rendered at
//! `/metrics`. Request metrics are recorded by the middleware envelope; gauges that describe
//! state (pool, cache) are sampled when the page is rendered.
//!
//! `/metrics` is never public: it is served either on a separate listen address
//! (`METRICS_LISTEN`, for an internal port) or on the main port behind a bearer token
//! (`METRICS_TOKEN`); with neither, it is not served.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use secrecy::{ExposeSecret, SecretString};

/// Buckets of every `*_seconds` histogram (explicit, so series aggregate across replicas).
const SECONDS_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// Installs the recorder once per process and returns its handle.
/// Whether a recorder is installed. Without one every `metrics::` call is a no-op, and hot
/// paths can skip building their labels.
static ENABLED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub fn enabled() -> bool {
    ENABLED.load(std::sync::atomic::Ordering::Relaxed)
}

pub fn install() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            ENABLED.store(true, std::sync::atomic::Ordering::Relaxed);
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), SECONDS_BUCKETS)
                .map(PrometheusBuilder::build_recorder);
            match recorder {
                Ok(recorder) => {
                    let handle = recorder.handle();
                    if metrics::set_global_recorder(recorder).is_err() {
                        tracing::warn!("a metrics recorder was already installed");
                    }
                    handle
                }
                Err(error) => {
                    tracing::error!(%error, "metrics recorder not built");
                    PrometheusBuilder::new().build_recorder().handle()
                }
            }
        })
        .clone()
}

/// Keeps histograms compact; run for the life of the process.
pub fn spawn_upkeep(handle: PrometheusHandle) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(5));
        loop {
            every.tick().await;
            handle.run_upkeep();
        }
    });
}

/// Sets state gauges just before rendering (pool sizes, cache counters, job runtime…).
pub type Sampler = Arc<dyn Fn() + Send + Sync>;

#[derive(Clone)]
struct Page {
    handle: PrometheusHandle,
    sample: Sampler,
    token: Option<Arc<SecretString>>,
}

/// `/metrics`: open (for a separate internal listener) or behind `token`.
pub fn routes(handle: PrometheusHandle, sample: Sampler, token: Option<SecretString>) -> Router {
    let page = Page {
        handle,
        sample,
        token: token.map(Arc::new),
    };
    Router::new().route("/metrics", get(render)).with_state(page)
}

async fn render(State(page): State<Page>, headers: HeaderMap) -> Response {
    if let Some(token) = &page.token {
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let ok = presented.is_some_and(|p| constant_time_eq(p.as_bytes(), token.expose_secret().as_bytes()));
        if !ok {
            return crate::ApiError::unauthorized("Metrics require the metrics token").into_response();
        }
    }
    (page.sample)();
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        page.handle.render(),
    )
        .into_response()
}

/// Serves `/metrics` alone on `METRICS_LISTEN` (when set), until shutdown.
pub async fn serve_internal(
    settings: &neptu_shared::config::Settings,
    sample: Sampler,
    shutdown: tokio_util::sync::CancellationToken,
) -> anyhow::Result<()> {
    let Some(listen) = settings.metrics.listen else {
        return Ok(());
    };
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e}"))?;
    let page = routes(install(), sample, None);
    let stack = crate::StackSettings::new(
        &settings.http,
        settings.is_production(),
        vec![axum::http::Method::GET],
    );
    tracing::info!(address = %listen, "metrics listening");
    tokio::spawn(crate::serve(
        listener,
        crate::stack(page, &stack),
        shutdown,
        crate::ShutdownTiming::new(&settings.http, crate::Draining::default()),
    ));
    Ok(())
}

/// Compares secrets without an early exit, so timing reveals nothing about the token.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Samples the database pool and the cache into gauges and counters.
pub fn sample_pool_and_cache(
    pool: &sqlx::PgPool,
    cache: &dyn neptu_shared::cache::CacheStore,
    max_connections: u32,
) {
    let size = pool.size();
    let idle = pool.num_idle() as u32;
    metrics::gauge!("db_pool_connections", "state" => "idle").set(f64::from(idle));
    metrics::gauge!("db_pool_connections", "state" => "in_use").set(f64::from(size.saturating_sub(idle)));
    metrics::gauge!("db_pool_max_connections").set(f64::from(max_connections));
    let stats = cache.stats();
    metrics::counter!("cache_hits_total").absolute(stats.hits);
    metrics::counter!("cache_misses_total").absolute(stats.misses);
    metrics::counter!("cache_errors_total").absolute(stats.errors);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_comparison() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}
