//! The AI oracle (Azure OpenAI): a question, the daily message, a date interpretation and a
//! compatibility interpretation. Answers are cached under the original's keys; fresh answers
//! count against the caller's hourly quota, cached ones are free.

use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use neptu_shared::clients::ClientError;
use neptu_shared::clients::azure_openai::{ChatModel, Completion};
use neptu_shared::domain::oracle;
use neptu_shared::http::{ApiError, Json, Path, Query};
use neptu_shared::wariga;
use serde::Deserialize;
use serde_json::{Value, json};

use super::limit::{self, Caller, Limited};
use super::params;
use crate::state::WorkerState;

pub fn routes() -> Router<WorkerState> {
    Router::new()
        .route("/api/oracle", post(ask))
        .route("/api/oracle/daily/{birthDate}", get(daily))
        .route("/api/oracle/interpret", post(interpret))
        .route("/api/oracle/compatibility", post(compatibility))
}

/// Why an oracle request got no answer: any handler error, or the caller's quota.
enum Rejection {
    Api(ApiError),
    Limited(Limited),
}

impl From<ApiError> for Rejection {
    fn from(error: ApiError) -> Self {
        Self::Api(error)
    }
}

impl From<Limited> for Rejection {
    fn from(limited: Limited) -> Self {
        Self::Limited(limited)
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        match self {
            Self::Api(error) => error.into_response(),
            Self::Limited(limited) => limited.into_response(),
        }
    }
}

type Reply = Result<axum::Json<Value>, Rejection>;

fn model(state: &WorkerState) -> Result<&dyn ChatModel, ApiError> {
    state
        .services
        .model
        .as_deref()
        .ok_or_else(|| ApiError::unavailable("AI oracle not configured"))
}

fn language(value: Option<String>) -> Result<String, ApiError> {
    let language = value
        .filter(|l| !l.trim().is_empty())
        .unwrap_or_else(|| "en".into());
    match oracle::language_label(&language) {
        Some(_) => Ok(language),
        None => Err(ApiError::bad_request(format!(
            "Unsupported language {language:?}; use one of {}",
            oracle::LANGUAGES.map(|(code, _)| code).join(", ")
        ))),
    }
}

/// A fresh answer: counted against the quota, asked, cached.
async fn answer(
    state: &WorkerState,
    caller: &Caller,
    key: &str,
    ttl: Duration,
    system: String,
    prompt: String,
    failure: &'static str,
) -> Result<Completion, Rejection> {
    let model = model(state)?;
    limit::check(state, caller).await?;
    let completion = model.complete(&system, &prompt).await.map_err(|error| {
        let status = match error {
            ClientError::CircuitOpen(_) | ClientError::NotConfigured(_) => StatusCode::SERVICE_UNAVAILABLE,
            ClientError::Timeout(_) => StatusCode::GATEWAY_TIMEOUT,
            _ => StatusCode::BAD_GATEWAY,
        };
        ApiError::new(status, failure).with_field("message", error.to_string())
    })?;
    if !completion.text.is_empty() {
        let _ = state.cache.put(key, &completion.text, Some(ttl)).await;
    }
    Ok(completion)
}

fn message(text: String, cached: bool, tokens: Option<u64>) -> axum::Json<Value> {
    let mut body = json!({ "success": true, "message": text, "cached": cached });
    if let Some(tokens) = tokens {
        body["tokensUsed"] = tokens.into();
    }
    axum::Json(body)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Question {
    question: Option<String>,
    birth_date: Option<String>,
    target_date: Option<String>,
    language: Option<String>,
}

async fn ask(State(state): State<WorkerState>, caller: Caller, Json(body): Json<Question>) -> Reply {
    let (Some(question), Some(birth)) = (
        body.question.filter(|q| !q.trim().is_empty()),
        body.birth_date.filter(|b| !b.is_empty()),
    ) else {
        return Err(Rejection::from(ApiError::bad_request(
            "question and birthDate are required",
        )));
    };
    if question.chars().count() > oracle::MAX_QUESTION_CHARS {
        return Err(ApiError::bad_request(format!(
            "question must be at most {} characters",
            oracle::MAX_QUESTION_CHARS
        ))
        .into());
    }
    let birth = params::date(&birth)?;
    let target = match body.target_date.filter(|t| !t.is_empty()) {
        Some(target) => Some(params::date(&target)?),
        None => None,
    };
    let language = language(body.language)?;
    model(&state)?;
    let potensi = wariga::potensi(birth);
    let peluang = target.map(|t| wariga::peluang(t, Some(birth)));
    let key = oracle::question_key(&potensi, peluang.as_ref(), &question, &language);
    if let Some(cached) = state.cache.get(&key).await {
        return Ok(message(cached, true, None));
    }
    let prompt = oracle::question_prompt(&potensi, peluang.as_ref(), &question);
    let answer = answer(
        &state,
        &caller,
        &key,
        oracle::QUESTION_TTL,
        oracle::system_prompt(&language),
        prompt,
        "Failed to get oracle response",
    )
    .await?;
    Ok(message(answer.text, false, answer.tokens_used))
}

#[derive(Deserialize)]
struct LanguageQuery {
    language: Option<String>,
}

async fn daily(
    State(state): State<WorkerState>,
    caller: Caller,
    Path(birth): Path<String>,
    Query(query): Query<LanguageQuery>,
) -> Reply {
    let birth = params::date(&birth)?;
    let language = language(query.language)?;
    model(&state)?;
    let today = params::today()?;
    let potensi = wariga::potensi(birth);
    let peluang = wariga::peluang(today, Some(birth));
    let key = oracle::daily_key(&potensi, &peluang, &language);
    let date = today.to_string();
    let (text, cached, tokens) = match state.cache.get(&key).await {
        Some(cached) => (cached, true, None),
        None => {
            let prompt = oracle::daily_prompt(&potensi, &peluang);
            let system = oracle::system_prompt(&language);
            let failure = "Failed to get daily interpretation";
            let answer = answer(&state, &caller, &key, oracle::DAILY_TTL, system, prompt, failure).await?;
            (answer.text, false, answer.tokens_used)
        }
    };
    let mut body = message(text, cached, tokens);
    body["date"] = date.into();
    Ok(body)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Interpret {
    birth_date: Option<String>,
    target_date: Option<String>,
    language: Option<String>,
}

async fn interpret(State(state): State<WorkerState>, caller: Caller, Json(body): Json<Interpret>) -> Reply {
    let (Some(birth_text), Some(target_text)) = (body.birth_date, body.target_date) else {
        return Err(Rejection::from(ApiError::bad_request(
            "birthDate and targetDate are required",
        )));
    };
    let birth = params::date(&birth_text)?;
    let target = params::date(&target_text)?;
    let language = language(body.language)?;
    model(&state)?;
    let key = oracle::interpret_key(&birth_text, &target_text, &language);
    let (text, cached) = match state.cache.get(&key).await {
        Some(cached) => (cached, true),
        None => {
            let potensi = wariga::potensi(birth);
            let peluang = wariga::peluang(target, Some(birth));
            let today = params::today()?;
            let prompt = oracle::interpret_prompt(&potensi, &peluang, today.naive());
            let system = oracle::system_prompt(&language);
            let failure = "Failed to get interpretation";
            let answer = answer(
                &state,
                &caller,
                &key,
                oracle::INTERPRET_TTL,
                system,
                prompt,
                failure,
            )
            .await?;
            (answer.text, false)
        }
    };
    Ok(axum::Json(json!({
        "success": true,
        "interpretation": text,
        "date": target_text,
        "cached": cached,
    })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Compatibility {
    birth_date1: Option<String>,
    birth_date2: Option<String>,
    language: Option<String>,
}

async fn compatibility(
    State(state): State<WorkerState>,
    caller: Caller,
    Json(body): Json<Compatibility>,
) -> Reply {
    let (Some(first_text), Some(second_text)) = (body.birth_date1, body.birth_date2) else {
        return Err(Rejection::from(ApiError::bad_request(
            "birthDate1 and birthDate2 are required",
        )));
    };
    let first = params::date(&first_text)?;
    let second = params::date(&second_text)?;
    let language = language(body.language)?;
    model(&state)?;
    let key = oracle::compatibility_key(&first_text, &second_text, &language);
    if let Some(cached) = state.cache.get(&key).await {
        return Ok(message(cached, true, None));
    }
    let result = wariga::compatibility(first, second);
    let prompt = oracle::compatibility_prompt(&result);
    let system = oracle::system_prompt(&language);
    let failure = "Failed to get compatibility interpretation";
    let answer = answer(
        &state,
        &caller,
        &key,
        oracle::COMPATIBILITY_TTL,
        system,
        prompt,
        failure,
    )
    .await?;
    Ok(message(answer.text, false, answer.tokens_used))
}
