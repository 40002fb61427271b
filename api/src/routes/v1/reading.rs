//! `/api/v1/reading/*`: the `/api/reading/*` readings, same inputs and answers, with a key.

use neptu_http::{ApiResult, Json, Query};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::super::reading::{
    self, CompatibilityRequest, CompatibilityResponse, DateQuery, PeluangResponse, PotensiResponse,
};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(potensi))
        .routes(routes!(peluang))
        .routes(routes!(today))
        .routes(routes!(compatibility))
}

/// The Potensi (birth potential) of a birth date. One credit.
#[utoipa::path(get, path = "/api/v1/reading/potensi", tag = "v1", params(DateQuery), security(("apiKey" = [])), responses(
    (status = 200, body = PotensiResponse),
    (status = 400, description = "Missing or invalid date", body = neptu_http::docs::ErrorBody),
    (status = 401, description = "No key, or an invalid, inactive or expired one", body = neptu_http::docs::ErrorBody),
    (status = 402, description = "Insufficient credits, with `remaining`", body = neptu_http::docs::ErrorBody),
    (status = 403, description = "Scope `neptu:read` missing, or no active subscription", body = neptu_http::docs::ErrorBody),
    (status = 429, description = "The plan's calls per minute are spent", body = neptu_http::docs::ErrorBody),
))]
async fn potensi(query: Query<DateQuery>) -> axum::Json<PotensiResponse> {
    reading::potensi(query).await
}

/// The Peluang (opportunity) of a day. One credit.
#[utoipa::path(get, path = "/api/v1/reading/peluang", tag = "v1", params(DateQuery), security(("apiKey" = [])), responses(
    (status = 200, body = PeluangResponse),
    (status = 400, description = "Missing or invalid date", body = neptu_http::docs::ErrorBody),
    (status = 401, description = "No key, or an invalid, inactive or expired one", body = neptu_http::docs::ErrorBody),
    (status = 402, description = "Insufficient credits, with `remaining`", body = neptu_http::docs::ErrorBody),
    (status = 403, description = "Scope `neptu:read` missing, or no active subscription", body = neptu_http::docs::ErrorBody),
    (status = 429, description = "The plan's calls per minute are spent", body = neptu_http::docs::ErrorBody),
))]
async fn peluang(query: Query<DateQuery>) -> axum::Json<PeluangResponse> {
    reading::peluang(query).await
}

/// The daily reading: today's Peluang (UTC date). One credit.
#[utoipa::path(get, path = "/api/v1/reading/today", tag = "v1", security(("apiKey" = [])), responses(
    (status = 200, body = PeluangResponse),
    (status = 401, description = "No key, or an invalid, inactive or expired one", body = neptu_http::docs::ErrorBody),
    (status = 402, description = "Insufficient credits, with `remaining`", body = neptu_http::docs::ErrorBody),
    (status = 403, description = "Scope `neptu:read` missing, or no active subscription", body = neptu_http::docs::ErrorBody),
    (status = 429, description = "The plan's calls per minute are spent", body = neptu_http::docs::ErrorBody),
))]
async fn today() -> ApiResult<axum::Json<PeluangResponse>> {
    reading::today().await
}

/// How two people's birth days go together. One credit.
#[utoipa::path(post, path = "/api/v1/reading/compatibility", tag = "v1", request_body = CompatibilityRequest, security(("apiKey" = [])), responses(
    (status = 200, body = CompatibilityResponse),
    (status = 400, description = "Missing or invalid dates", body = neptu_http::docs::ErrorBody),
    (status = 401, description = "No key, or an invalid, inactive or expired one", body = neptu_http::docs::ErrorBody),
    (status = 402, description = "Insufficient credits, with `remaining`", body = neptu_http::docs::ErrorBody),
    (status = 403, description = "Scope `neptu:read` missing, or no active subscription", body = neptu_http::docs::ErrorBody),
    (status = 429, description = "The plan's calls per minute are spent", body = neptu_http::docs::ErrorBody),
))]
async fn compatibility(body: Json<CompatibilityRequest>) -> axum::Json<CompatibilityResponse> {
    reading::compatibility(body).await
}
