//! `GET /openapi.json` (OpenAPI 3.1) and `GET /docs` (an interactive reference page; its
//! script loads in the browser, so nothing is downloaded at build time).

use std::sync::Arc;

use axum::Router;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_scalar::Scalar;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Neptu API",
        description = "Balinese calendar readings, wallet sign-in, streaks, rewards, Solana payments and plans. \
                       Sign in with `/api/auth/nonce` and `/api/auth/verify`, then send \
                       `Authorization: Bearer <accessToken>`.",
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Sign-in with a Solana wallet"),
        (name = "reading", description = "Calendar readings (no sign-in)"),
        (name = "users", description = "The caller's profile, readings and referrals"),
        (name = "wallet", description = "The caller's rewards, streak, check-in, claims and on-chain balances"),
        (name = "token", description = "Token history, statistics and prices"),
        (name = "pay", description = "Solana payments: instructions to sign, on-chain verification, prices"),
        (name = "pricing", description = "Consumer plans"),
        (name = "developer", description = "The caller's API keys, subscriptions, usage and payments for them, and the API plans and credit packs on sale"),
        (name = "admin", description = "Admin only"),
        (name = "v1", description = "The public API, metered by developer keys: `Authorization: Bearer nptu_…`"),
        (name = "probes", description = "Liveness and readiness"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

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
        components.add_security_scheme(
            "apiKey",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("nptu_…")
                    .description(Some("A developer API key (`/api/v1`)"))
                    .build(),
            ),
        );
    }
}

/// The document and the reference page, rendered once.
pub fn routes(api: utoipa::openapi::OpenApi) -> Router {
    let json: Arc<str> = api.to_json().unwrap_or_else(|_| "{}".to_owned()).into();
    let page: Arc<str> = Scalar::new(api).to_html().into();
    Router::new()
        .route(
            "/openapi.json",
            get(move || {
                let json = Arc::clone(&json);
                async move { ([(header::CONTENT_TYPE, "application/json")], json.to_string()).into_response() }
            }),
        )
        .route(
            "/docs",
            get(move || {
                let page = Arc::clone(&page);
                async move { Html(page.to_string()) }
            }),
        )
}
