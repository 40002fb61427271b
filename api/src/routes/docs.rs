//! The API's OpenAPI document: its title, tags and security schemes. `neptu_http::docs`
//! serves it at `GET /openapi.json` with the reference page at `GET /docs`.

use neptu_http::docs::BearerAuth;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Neptu API",
        description = "Balinese calendar readings, wallet sign-in, streaks, rewards, Solana payments and plans. \
                       Sign in with `/api/auth/nonce` and `/api/auth/verify`, then send \
                       `Authorization: Bearer <accessToken>`.",
    ),
    modifiers(&BearerAuth, &ApiKeyAuth),
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

/// The `apiKey` scheme of `/api/v1`.
struct ApiKeyAuth;

impl Modify for ApiKeyAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
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
