//! `/api/v1/oracle/*`: the AI oracle the worker serves at `/api/oracle/*` (same code,
//! `neptu_shared::oracle`), with a key. Each call spends one AI credit, so there is no hourly
//! quota; answers are cached as on the worker. 503 when no model is configured.

use axum::extract::State;
use neptu_http::{ApiError, ApiResult, Json, Path, Query};
use neptu_shared::oracle::{
    OracleCompatibilityRequest, OracleInterpretRequest, OracleInterpretation, OracleLanguageQuery,
    OracleMessage, OracleQuestion, Unmetered,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(ask))
        .routes(routes!(daily))
        .routes(routes!(interpret))
        .routes(routes!(compatibility))
}

/// A question about a birth date (and a day). One AI credit.
#[utoipa::path(post, path = "/api/v1/oracle", tag = "v1", request_body = OracleQuestion, security(("apiKey" = [])), responses(
    (status = 200, body = OracleMessage),
    (status = 400, description = "Missing question or birth date, bad date or language", body = neptu_http::docs::ErrorBody),
    (status = 401, description = "No key, or an invalid, inactive or expired one", body = neptu_http::docs::ErrorBody),
    (status = 402, description = "Insufficient AI credits, with `remaining`", body = neptu_http::docs::ErrorBody),
    (status = 403, description = "Scope `neptu:ai` missing, or no active subscription", body = neptu_http::docs::ErrorBody),
    (status = 429, description = "The plan's calls per minute are spent", body = neptu_http::docs::ErrorBody),
    (status = 502, description = "The model failed (the credit is given back)", body = neptu_http::docs::ErrorBody),
    (status = 503, description = "No model configured", body = neptu_http::docs::ErrorBody),
))]
async fn ask(
    State(state): State<AppState>,
    Json(body): Json<OracleQuestion>,
) -> ApiResult<axum::Json<OracleMessage>> {
    let answer = state.oracle.ask(body, &Unmetered).await;
    answer.map(axum::Json).map_err(ApiError::from)
}

/// Today's message (UTC) for a birth date. One AI credit.
#[utoipa::path(get, path = "/api/v1/oracle/daily/{birthDate}", tag = "v1", security(("apiKey" = [])),
    params(("birthDate" = String, Path, description = "`YYYY-MM-DD`"), OracleLanguageQuery), responses(
    (status = 200, body = OracleMessage),
    (status = 400, description = "Bad date or language", body = neptu_http::docs::ErrorBody),
    (status = 401, description = "No key, or an invalid, inactive or expired one", body = neptu_http::docs::ErrorBody),
    (status = 402, description = "Insufficient AI credits, with `remaining`", body = neptu_http::docs::ErrorBody),
    (status = 403, description = "Scope `neptu:ai` missing, or no active subscription", body = neptu_http::docs::ErrorBody),
    (status = 429, description = "The plan's calls per minute are spent", body = neptu_http::docs::ErrorBody),
    (status = 503, description = "No model configured", body = neptu_http::docs::ErrorBody),
))]
async fn daily(
    State(state): State<AppState>,
    Path(birth): Path<String>,
    Query(query): Query<OracleLanguageQuery>,
) -> ApiResult<axum::Json<OracleMessage>> {
    let answer = state.oracle.daily(&birth, query.language, &Unmetered).await;
    answer.map(axum::Json).map_err(ApiError::from)
}

/// What a day means for a birth date. One AI credit.
#[utoipa::path(post, path = "/api/v1/oracle/interpret", tag = "v1", request_body = OracleInterpretRequest, security(("apiKey" = [])), responses(
    (status = 200, body = OracleInterpretation),
    (status = 400, description = "Missing or bad dates, bad language", body = neptu_http::docs::ErrorBody),
    (status = 401, description = "No key, or an invalid, inactive or expired one", body = neptu_http::docs::ErrorBody),
    (status = 402, description = "Insufficient AI credits, with `remaining`", body = neptu_http::docs::ErrorBody),
    (status = 403, description = "Scope `neptu:ai` missing, or no active subscription", body = neptu_http::docs::ErrorBody),
    (status = 429, description = "The plan's calls per minute are spent", body = neptu_http::docs::ErrorBody),
    (status = 503, description = "No model configured", body = neptu_http::docs::ErrorBody),
))]
async fn interpret(
    State(state): State<AppState>,
    Json(body): Json<OracleInterpretRequest>,
) -> ApiResult<axum::Json<OracleInterpretation>> {
    let answer = state.oracle.interpret(body, &Unmetered).await;
    answer.map(axum::Json).map_err(ApiError::from)
}

/// How two people go together, in words. One AI credit.
#[utoipa::path(post, path = "/api/v1/oracle/compatibility", tag = "v1", request_body = OracleCompatibilityRequest, security(("apiKey" = [])), responses(
    (status = 200, body = OracleMessage),
    (status = 400, description = "Missing or bad dates, bad language", body = neptu_http::docs::ErrorBody),
    (status = 401, description = "No key, or an invalid, inactive or expired one", body = neptu_http::docs::ErrorBody),
    (status = 402, description = "Insufficient AI credits, with `remaining`", body = neptu_http::docs::ErrorBody),
    (status = 403, description = "Scope `neptu:ai` missing, or no active subscription", body = neptu_http::docs::ErrorBody),
    (status = 429, description = "The plan's calls per minute are spent", body = neptu_http::docs::ErrorBody),
    (status = 503, description = "No model configured", body = neptu_http::docs::ErrorBody),
))]
async fn compatibility(
    State(state): State<AppState>,
    Json(body): Json<OracleCompatibilityRequest>,
) -> ApiResult<axum::Json<OracleMessage>> {
    let answer = state.oracle.compatibility(body, &Unmetered).await;
    answer.map(axum::Json).map_err(ApiError::from)
}
