//! The middleware stack both binaries put around their routes.
//!
//! Outermost first:
//! 1. envelope: request id (the client's `x-request-id` or a generated one) set on the request
//!    and echoed on the response, plus the security headers (and HSTS in production);
//! 2. access log span (method, matched route, request id: every log line of the request
//!    carries them; timeouts and panics are logged too; probe routes are not logged);
//! 3. panic catcher (JSON 500);
//! 4. CORS for the configured origins, on requests that carry `Origin`;
//! 5. compression of larger responses, on requests that carry `Accept-Encoding`;
//! 6. timeout (JSON 503);
//! 7. body limit (64 KiB; our JSON extractor answers 413);
//! 8. request limits: a target over 8 KiB is a JSON 414, a header section over 16 KiB a JSON
//!    431 (`limits`).
//!
//! Every answer the framework gives by itself is JSON too: unknown paths 404, a known path
//! with another method 405 (with `Allow`).
//!
//! The probes take a lighter path (`with_probes`): the envelope and the request limits only.
//!
//! Rate limits (`rate_limit::layer`) are put by each binary on its API routes before they go
//! into this stack, so they sit inside CORS (a browser can read a 429) and never touch the
//! probes.

use std::time::Duration;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::{DefaultBodyLimit, MatchedPath};
use axum::http::{HeaderName, HeaderValue, Method, Request, Response, header};
use axum::response::IntoResponse;
use tower::ServiceBuilder;
use tower::timeout::TimeoutLayer;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::RequestId;
use tower_http::trace::TraceLayer;
use tracing::Span;

use super::envelope::{EnvelopeLayer, X_REQUEST_ID};
use super::error::ApiError;
use super::when_header::WhenHeaderLayer;

/// Largest request body accepted.
pub const BODY_LIMIT: usize = 64 * 1024;
/// Responses smaller than this are sent uncompressed: compressing them costs more than it saves.
const COMPRESS_ABOVE: u64 = 1024;
/// Routes polled by monitoring: served like any other, but not access-logged. (The probes
/// are not in this stack at all: see `with_probes`.)
const QUIET_ROUTES: &[&str] = &["/metrics"];

/// What the stack needs to know about the service.
#[derive(Debug, Clone)]
pub struct StackSettings {
    pub cors_allowed_origins: Vec<String>,
    pub cors_methods: Vec<Method>,
    pub request_timeout: Duration,
    /// Adds HSTS (only meaningful behind TLS, i.e. in production).
    pub hsts: bool,
    /// The server's drain flag: while set, responses close their connections.
    pub draining: super::Draining,
}

impl StackSettings {
    pub fn new(
        http: &neptu_shared::config::HttpSettings,
        production: bool,
        cors_methods: Vec<Method>,
    ) -> Self {
        Self {
            cors_allowed_origins: http.cors_allowed_origins.clone(),
            cors_methods,
            request_timeout: http.request_timeout,
            hsts: production,
            draining: super::Draining::default(),
        }
    }

    /// Watches the drain flag of the server this stack runs in.
    pub fn with_draining(mut self, draining: super::Draining) -> Self {
        self.draining = draining;
        self
    }
}

/// Wraps the service's routes in the shared stack, with the JSON 404 fallback.
pub fn stack(routes: Router, settings: &StackSettings) -> Router {
    let compression = CompressionLayer::new().compress_when(
        SizeAbove::new(COMPRESS_ABOVE)
            .and(NotForContentType::GRPC)
            .and(NotForContentType::IMAGES),
    );
    // One `Router::layer` call for the whole stack: axum boxes the service (and each request's
    // future) once per call, so composing the layers statically first is measurably cheaper.
    let middleware = ServiceBuilder::new()
        .layer(EnvelopeLayer::new(settings.hsts, settings.draining.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(log_response)
                .on_failure(()),
        )
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::internal(anyhow::anyhow!("handler panicked")).into_response()
        }))
        .layer(WhenHeaderLayer::new(header::ORIGIN, cors(settings)))
        .layer(WhenHeaderLayer::new(header::ACCEPT_ENCODING, compression))
        .layer(HandleErrorLayer::new(|_: tower::BoxError| async { timed_out() }))
        .layer(TimeoutLayer::new(settings.request_timeout))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(super::limits::RequestLimitsLayer);
    routes
        .fallback(super::error::route_not_found)
        .method_not_allowed_fallback(super::error::method_not_allowed)
        .layer(middleware)
}

/// Puts the probe routes (`/health`, `/ready`) beside a stacked router, inside only the
/// envelope (request id, security headers, request metrics) and the request limits. Platforms
/// poll them every few seconds; they are not access-logged anyway, and `/ready` bounds its
/// own checks, so the timeout, panic, CORS and compression layers would only add cost.
pub fn with_probes(app: Router, probes: Router, settings: &StackSettings) -> Router {
    let light = ServiceBuilder::new()
        .layer(EnvelopeLayer::new(settings.hsts, settings.draining.clone()))
        .layer(super::limits::RequestLimitsLayer);
    app.merge(
        probes
            .method_not_allowed_fallback(super::error::method_not_allowed)
            .layer(light),
    )
}

fn timed_out() -> ApiError {
    ApiError::unavailable("Request timed out")
}

/// CORS for the configured origins only, with credentials (the web app sends cookies and
/// `Authorization`). Preflights are answered here, before any auth.
fn cors(settings: &StackSettings) -> CorsLayer {
    let origins: Vec<HeaderValue> = settings
        .cors_allowed_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_credentials(true)
        .allow_methods(settings.cors_methods.clone())
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            HeaderName::from_static("x-wallet-address"),
        ])
        .expose_headers([X_REQUEST_ID.clone()])
}

fn request_span<B>(request: &Request<B>) -> Span {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str);
    if QUIET_ROUTES.contains(&route) {
        return Span::none();
    }
    let id = request
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or("");
    tracing::info_span!("request", request_id = %id, method = %request.method(), route = %route)
}

fn log_response<B>(response: &Response<B>, latency: Duration, span: &Span) {
    if span.is_none() {
        return;
    }
    let status = response.status();
    let latency_ms = latency.as_secs_f64() * 1000.0;
    if status.is_server_error() {
        tracing::warn!(status = status.as_u16(), latency_ms, "request finished");
    } else {
        tracing::info!(status = status.as_u16(), latency_ms, "request finished");
    }
}
