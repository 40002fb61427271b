//! The AI oracle (Azure OpenAI): a question, the daily message, a date interpretation and a
//! compatibility interpretation (`neptu_shared::oracle`, shared with the API's metered
//! `/api/v1/oracle`). Answers are cached under the original's keys; fresh answers count
//! against the caller's hourly quota, cached ones are free.

use async_trait::async_trait;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use neptu_http::{ApiError, Json, Path, Query};
use neptu_shared::oracle::{
    Oracle, OracleCompatibilityRequest, OracleError, OracleInterpretRequest, OracleInterpretation,
    OracleLanguageQuery, OracleMessage, OracleQuestion, Quota,
};
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::limit::{self, Caller, Limited};
use crate::state::WorkerState;

pub fn routes() -> OpenApiRouter<WorkerState> {
    OpenApiRouter::new()
        .routes(routes!(ask))
        .routes(routes!(daily))
        .routes(routes!(interpret))
        .routes(routes!(compatibility))
}

/// The caller's hourly quota, spent by fresh answers only.
struct Hourly<'a> {
    state: &'a WorkerState,
    caller: &'a Caller,
}

#[async_trait]
impl Quota for Hourly<'_> {
    async fn spend(&self) -> Result<(), OracleError> {
        limit::check(self.state, self.caller)
            .await
            .map_err(|Limited(retry_after)| OracleError::Limited(retry_after))
    }
}

fn oracle(state: &WorkerState) -> Oracle {
    Oracle::new(state.cache.clone(), state.services.model.clone())
}

/// The answer, or the error; a spent quota keeps the worker's own 429 body.
fn reply<T: Serialize>(result: Result<T, OracleError>) -> Response {
    match result {
        Ok(body) => axum::Json(body).into_response(),
        Err(OracleError::Limited(retry_after)) => Limited(retry_after).into_response(),
        Err(error) => ApiError::from(error).into_response(),
    }
}

/// A question about a birth date (and a day).
#[utoipa::path(post, path = "/api/oracle", tag = "oracle", request_body = OracleQuestion, security((), ("bearer" = [])), responses(
    (status = 200, body = OracleMessage),
    (status = 400, description = "Missing question or birth date, bad date or language", body = ErrorBody),
    (status = 429, description = "The caller's (or its address's) fresh answers this hour are spent; `retryAfter` seconds", body = ErrorBody),
    (status = 502, description = "The model failed", body = ErrorBody),
    (status = 503, description = "No model configured", body = ErrorBody),
))]
async fn ask(State(state): State<WorkerState>, caller: Caller, Json(body): Json<OracleQuestion>) -> Response {
    let quota = Hourly {
        state: &state,
        caller: &caller,
    };
    reply(oracle(&state).ask(body, &quota).await)
}

/// Today's message (UTC) for a birth date.
#[utoipa::path(get, path = "/api/oracle/daily/{birthDate}", tag = "oracle", security((), ("bearer" = [])),
    params(("birthDate" = String, Path, description = "`YYYY-MM-DD`"), OracleLanguageQuery), responses(
    (status = 200, body = OracleMessage),
    (status = 400, description = "Bad date or language", body = ErrorBody),
    (status = 429, description = "The caller's (or its address's) fresh answers this hour are spent; `retryAfter` seconds", body = ErrorBody),
    (status = 502, description = "The model failed", body = ErrorBody),
    (status = 503, description = "No model configured", body = ErrorBody),
))]
async fn daily(
    State(state): State<WorkerState>,
    caller: Caller,
    Path(birth): Path<String>,
    Query(query): Query<OracleLanguageQuery>,
) -> Response {
    let quota = Hourly {
        state: &state,
        caller: &caller,
    };
    reply(oracle(&state).daily(&birth, query.language, &quota).await)
}

/// What a day means for a birth date.
#[utoipa::path(post, path = "/api/oracle/interpret", tag = "oracle", request_body = OracleInterpretRequest, security((), ("bearer" = [])), responses(
    (status = 200, body = OracleInterpretation),
    (status = 400, description = "Missing or bad dates, bad language", body = ErrorBody),
    (status = 429, description = "The caller's (or its address's) fresh answers this hour are spent; `retryAfter` seconds", body = ErrorBody),
    (status = 502, description = "The model failed", body = ErrorBody),
    (status = 503, description = "No model configured", body = ErrorBody),
))]
async fn interpret(
    State(state): State<WorkerState>,
    caller: Caller,
    Json(body): Json<OracleInterpretRequest>,
) -> Response {
    let quota = Hourly {
        state: &state,
        caller: &caller,
    };
    reply(oracle(&state).interpret(body, &quota).await)
}

/// How two birth dates get along.
#[utoipa::path(post, path = "/api/oracle/compatibility", tag = "oracle", request_body = OracleCompatibilityRequest, security((), ("bearer" = [])), responses(
    (status = 200, body = OracleMessage),
    (status = 400, description = "Missing or bad dates, bad language", body = ErrorBody),
    (status = 429, description = "The caller's (or its address's) fresh answers this hour are spent; `retryAfter` seconds", body = ErrorBody),
    (status = 502, description = "The model failed", body = ErrorBody),
    (status = 503, description = "No model configured", body = ErrorBody),
))]
async fn compatibility(
    State(state): State<WorkerState>,
    caller: Caller,
    Json(body): Json<OracleCompatibilityRequest>,
) -> Response {
    let quota = Hourly {
        state: &state,
        caller: &caller,
    };
    reply(oracle(&state).compatibility(body, &quota).await)
}
