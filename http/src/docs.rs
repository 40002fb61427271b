//! What both binaries' OpenAPI documents share: the error body schemas, the bearer sign-in
//! scheme, and the routes that serve a document, `GET /openapi.json` (OpenAPI 3.1) and
//! `GET /docs`, a reference page that reads it.
//!
//! The page, its script and its style are files of this crate (`http/assets`), compiled into
//! the binaries: nothing is fetched from a CDN, at build time or in the browser. They are
//! served with a Content-Security-Policy that allows only this server's own script, style and
//! `/openapi.json`, so even an injected tag could load or send nothing elsewhere.

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;
use serde::Serialize;
use utoipa::Modify;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

const PAGE: &str = include_str!("../assets/docs.html");
const SCRIPT: &str = include_str!("../assets/docs.js");
const STYLE: &str = include_str!("../assets/docs.css");

/// Only this origin's script, style and document; no inline code, no frames, no forms.
pub const DOCS_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; \
    frame-ancestors 'none'";

/// A handler error: `{"success": false, "error": "message"}`, sometimes with extra keys
/// (`requiresBirthDate`, `retryAfter`). For validation failures `error` is
/// `{"name": "ValidationError", "issues": [{"path": [...], "message": "..."}]}`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub success: bool,
    /// A message, or the validation object.
    pub error: serde_json::Value,
}

/// Unknown route (404) or unexpected failure (500): `{"error": "...", "message": "..."}`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FailureBody {
    pub error: String,
    pub message: String,
}

/// The `bearer` security scheme: an access token from the API's sign-in, which both binaries
/// accept (`#[openapi(modifiers(&BearerAuth))]`).
pub struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The document, rendered once, and the reference page.
pub fn routes(api: utoipa::openapi::OpenApi) -> Router {
    let json: Arc<str> = api.to_json().unwrap_or_else(|_| "{}".to_owned()).into();
    Router::new()
        .route(
            "/openapi.json",
            get(move || {
                let json = Arc::clone(&json);
                async move { ([(header::CONTENT_TYPE, "application/json")], json.to_string()).into_response() }
            }),
        )
        .route("/docs", get(|| async { asset("text/html; charset=utf-8", PAGE) }))
        .route(
            "/docs/docs.js",
            get(|| async { asset("text/javascript; charset=utf-8", SCRIPT) }),
        )
        .route("/docs/docs.css", get(|| async { asset("text/css; charset=utf-8", STYLE) }))
}

fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(DOCS_CSP),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (
                HeaderName::from_static("cross-origin-opener-policy"),
                HeaderValue::from_static("same-origin"),
            ),
        ],
        body,
    )
}
