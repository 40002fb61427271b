//! The AI oracle (Azure OpenAI): a question, the daily message, a date interpretation and a
//! compatibility interpretation (`neptu_shared::oracle`, shared with the API's metered
//! `/api/v1/oracle`). Answers are cached under the original's keys; fresh answers count
//! against the caller's hourly quota, cached ones are free.

use async_trait::async_trait;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use neptu_http::{ApiError, Json, Path, Query};
use neptu_shared::oracle::{
    Oracle, OracleCompatibilityRequest, OracleError, OracleInterpretRequest, OracleLanguageQuery,
    OracleQuestion, Quota,
};
use serde::Serialize;

use super::limit::{self, Caller, Limited};
use crate::state::WorkerState;

pub fn routes() -> Router<WorkerState> {
    Router::new()
        .route("/api/oracle", post(ask))
        .route("/api/oracle/daily/{birthDate}", get(daily))
        .route("/api/oracle/interpret", post(interpret))
        .route("/api/oracle/compatibility", post(compatibility))
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

async fn ask(State(state): State<WorkerState>, caller: Caller, Json(body): Json<OracleQuestion>) -> Response {
    let quota = Hourly {
        state: &state,
        caller: &caller,
    };
    reply(oracle(&state).ask(body, &quota).await)
}

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
