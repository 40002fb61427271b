//! The middleware stack both binaries put around their routes.
//!
//! Outermost first: request id (taken from `x-request-id` or generated) → request id echoed
//! on the response → access log span (method, matched route, request id; every log line of
//! the request carries them, and timeouts and panics are logged too) → security headers →
//! panic catcher (JSON 500) → CORS → compression → timeout (JSON 503) → body limit. Probe
//! routes are not access-logged, so load balancer polling does not flood the logs.

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
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tracing::Span;

use super::error::ApiError;

/// Largest request body accepted.
pub const BODY_LIMIT: usize = 64 * 1024;
/// Responses smaller than this are sent uncompressed: compressing them costs more than it saves.
const COMPRESS_ABOVE: u64 = 1024;

/// What the stack needs to know about the service.
#[derive(Debug, Clone)]
pub struct StackSettings {
    pub cors_allowed_origins: Vec<String>,
    pub cors_methods: Vec<Method>,
    pub request_timeout: Duration,
    /// Adds HSTS (only meaningful behind TLS, i.e. in production).
    pub hsts: bool,
}

impl StackSettings {
    pub fn new(http: &crate::config::HttpSettings, production: bool, cors_methods: Vec<Method>) -> Self {
        Self {
            cors_allowed_origins: http.cors_allowed_origins.clone(),
            cors_methods,
            request_timeout: http.request_timeout,
            hsts: production,
        }
    }
}

/// Routes polled by platforms and monitoring: served like any other, but not access-logged.
const QUIET_ROUTES: &[&str] = &["/health", "/ready", "/metrics"];

/// Wraps the service's routes in the shared stack, with the JSON 404 fallback.
pub fn stack(routes: Router, settings: &StackSettings) -> Router {
    let security = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .option_layer(settings.hsts.then(|| {
            SetResponseHeaderLayer::if_not_present(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=31536000; includeSubDomains"),
            )
        }));
    let compression = CompressionLayer::new().compress_when(
        SizeAbove::new(COMPRESS_ABOVE)
            .and(NotForContentType::GRPC)
            .and(NotForContentType::IMAGES),
    );
    routes
        .fallback(super::error::route_not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(|_: tower::BoxError| async { timed_out() }))
                .layer(TimeoutLayer::new(settings.request_timeout)),
        )
        .layer(compression)
        .layer(cors(settings))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::internal(anyhow::anyhow!("handler panicked")).into_response()
        }))
        .layer(security)
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(log_response)
                .on_failure(()),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
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
        .expose_headers([HeaderName::from_static("x-request-id")])
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
