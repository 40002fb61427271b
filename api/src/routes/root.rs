//! `GET /`: what answers here.

use axum::response::Json;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(root))
}

#[derive(Serialize, ToSchema)]
pub struct About {
    name: &'static str,
    version: &'static str,
    tagline: &'static str,
}

/// The service's name and version.
#[utoipa::path(get, path = "/", tag = "probes", responses((status = 200, body = About)))]
async fn root() -> Json<About> {
    Json(About {
        name: "Neptu API",
        version: env!("CARGO_PKG_VERSION"),
        tagline: "Your Balinese Soul, On-Chain",
    })
}
