//! The AI oracle's four answers — a question, the daily message, a date interpretation and a
//! compatibility interpretation — as served by the worker's public `/api/oracle/*` and the
//! API's metered `/api/v1/oracle/*`. The rules (cache keys, lifetimes, prompts) are in
//! [`crate::domain::oracle`]; this is the request flow around them: check the input, answer
//! from the cache when it can, otherwise ask the model (after the caller's [`Quota`]) and
//! cache what it said.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::cache::CacheStore;
use crate::clients::ClientError;
use crate::clients::azure_openai::{ChatModel, Completion};
use crate::domain::oracle;
use neptu_wariga::{self as wariga, CivilDate};

/// The original's message for a date that is not `YYYY-MM-DD`.
pub const BAD_DATE: &str = "Invalid date format. Use YYYY-MM-DD";

/// Why there is no answer.
#[derive(Debug)]
pub enum OracleError {
    BadRequest(String),
    /// No model is configured: 503.
    NotConfigured,
    /// The caller's quota is spent; retry after this many seconds.
    Limited(u64),
    /// The model failed; `failure` is the route's message, `message` the client error.
    Model {
        status: StatusCode,
        failure: &'static str,
        message: String,
    },
    Internal(anyhow::Error),
}

/// What a fresh (uncached) answer costs the caller, checked just before the model is asked.
#[async_trait]
pub trait Quota: Send + Sync {
    async fn spend(&self) -> Result<(), OracleError>;
}

/// No per-answer quota (the caller was charged before).
pub struct Unmetered;

#[async_trait]
impl Quota for Unmetered {
    async fn spend(&self) -> Result<(), OracleError> {
        Ok(())
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OracleQuestion {
    /// At most 1,000 characters; may start with `[User interests: a, b]`.
    pub question: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// `YYYY-MM-DD`: ask about this day.
    pub target_date: Option<String>,
    /// `en` (default), `fr`, `de`, `es`, `pt`, `ru`, `ja`, `ko`, `zh` or `id`.
    pub language: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OracleInterpretRequest {
    pub birth_date: Option<String>,
    pub target_date: Option<String>,
    pub language: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OracleCompatibilityRequest {
    pub birth_date1: Option<String>,
    pub birth_date2: Option<String>,
    pub language: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OracleLanguageQuery {
    pub language: Option<String>,
}

/// A question's, the daily message's or a compatibility answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OracleMessage {
    pub success: bool,
    pub message: String,
    /// Served from the answer cache.
    pub cached: bool,
    /// Only on fresh answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokens_used: Option<u64>,
    /// The daily message's day (UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OracleInterpretation {
    pub success: bool,
    pub interpretation: String,
    /// The target date as sent.
    pub date: String,
    pub cached: bool,
}

/// The answer cache and the model (`None`: unconfigured, every route answers 503).
#[derive(Clone)]
pub struct Oracle {
    cache: Arc<dyn CacheStore>,
    model: Option<Arc<dyn ChatModel>>,
}

fn date(text: &str) -> Result<CivilDate, OracleError> {
    CivilDate::parse(text).map_err(|_| OracleError::BadRequest(BAD_DATE.into()))
}

fn today() -> Result<CivilDate, OracleError> {
    CivilDate::new(chrono::Utc::now().date_naive()).map_err(|e| OracleError::Internal(anyhow::anyhow!("{e}")))
}

fn language(value: Option<String>) -> Result<String, OracleError> {
    let language = value
        .filter(|l| !l.trim().is_empty())
        .unwrap_or_else(|| "en".into());
    match oracle::language_label(&language) {
        Some(_) => Ok(language),
        None => Err(OracleError::BadRequest(format!(
            "Unsupported language {language:?}; use one of {}",
            oracle::LANGUAGES.map(|(code, _)| code).join(", ")
        ))),
    }
}

fn message(text: String, cached: bool, tokens_used: Option<u64>) -> OracleMessage {
    OracleMessage {
        success: true,
        message: text,
        cached,
        tokens_used,
        date: None,
    }
}

/// A fresh answer's inputs.
struct Ask<'a> {
    key: &'a str,
    ttl: Duration,
    system: String,
    prompt: String,
    failure: &'static str,
}

impl Oracle {
    pub fn new(cache: Arc<dyn CacheStore>, model: Option<Arc<dyn ChatModel>>) -> Self {
        Self { cache, model }
    }

    pub fn configured(&self) -> bool {
        self.model.is_some()
    }

    fn model(&self) -> Result<&dyn ChatModel, OracleError> {
        self.model.as_deref().ok_or(OracleError::NotConfigured)
    }

    /// A fresh answer: the quota, the model, the cache.
    async fn answer(&self, quota: &dyn Quota, ask: Ask<'_>) -> Result<Completion, OracleError> {
        let model = self.model()?;
        quota.spend().await?;
        let completion = model.complete(&ask.system, &ask.prompt).await.map_err(|error| {
            let status = match error {
                ClientError::CircuitOpen(_) | ClientError::NotConfigured(_) => {
                    StatusCode::SERVICE_UNAVAILABLE
                }
                ClientError::Timeout(_) => StatusCode::GATEWAY_TIMEOUT,
                _ => StatusCode::BAD_GATEWAY,
            };
            OracleError::Model {
                status,
                failure: ask.failure,
                message: error.to_string(),
            }
        })?;
        if !completion.text.is_empty() {
            let _ = self.cache.put(ask.key, &completion.text, Some(ask.ttl)).await;
        }
        Ok(completion)
    }

    /// A question about a birth date (and a day, when given).
    pub async fn ask(&self, body: OracleQuestion, quota: &dyn Quota) -> Result<OracleMessage, OracleError> {
        let (Some(question), Some(birth)) = (
            body.question.filter(|q| !q.trim().is_empty()),
            body.birth_date.filter(|b| !b.is_empty()),
        ) else {
            return Err(OracleError::BadRequest(
                "question and birthDate are required".into(),
            ));
        };
        if question.chars().count() > oracle::MAX_QUESTION_CHARS {
            return Err(OracleError::BadRequest(format!(
                "question must be at most {} characters",
                oracle::MAX_QUESTION_CHARS
            )));
        }
        let birth = date(&birth)?;
        let target = match body.target_date.filter(|t| !t.is_empty()) {
            Some(target) => Some(date(&target)?),
            None => None,
        };
        let language = language(body.language)?;
        self.model()?;
        let potensi = wariga::potensi(birth);
        let peluang = target.map(|t| wariga::peluang(t, Some(birth)));
        let key = oracle::question_key(&potensi, peluang.as_ref(), &question, &language);
        if let Some(cached) = self.cache.get(&key).await {
            return Ok(message(cached, true, None));
        }
        let ask = Ask {
            key: &key,
            ttl: oracle::QUESTION_TTL,
            system: oracle::system_prompt(&language),
            prompt: oracle::question_prompt(&potensi, peluang.as_ref(), &question),
            failure: "Failed to get oracle response",
        };
        let answer = self.answer(quota, ask).await?;
        Ok(message(answer.text, false, answer.tokens_used))
    }

    /// Today's message (UTC) for a birth date.
    pub async fn daily(
        &self,
        birth: &str,
        language: Option<String>,
        quota: &dyn Quota,
    ) -> Result<OracleMessage, OracleError> {
        let birth = date(birth)?;
        let language = self::language(language)?;
        self.model()?;
        let today = today()?;
        let potensi = wariga::potensi(birth);
        let peluang = wariga::peluang(today, Some(birth));
        let key = oracle::daily_key(&potensi, &peluang, &language);
        let mut reply = match self.cache.get(&key).await {
            Some(cached) => message(cached, true, None),
            None => {
                let ask = Ask {
                    key: &key,
                    ttl: oracle::DAILY_TTL,
                    system: oracle::system_prompt(&language),
                    prompt: oracle::daily_prompt(&potensi, &peluang),
                    failure: "Failed to get daily interpretation",
                };
                let answer = self.answer(quota, ask).await?;
                message(answer.text, false, answer.tokens_used)
            }
        };
        reply.date = Some(today.to_string());
        Ok(reply)
    }

    /// What a day means for a birth date.
    pub async fn interpret(
        &self,
        body: OracleInterpretRequest,
        quota: &dyn Quota,
    ) -> Result<OracleInterpretation, OracleError> {
        let (Some(birth_text), Some(target_text)) = (body.birth_date, body.target_date) else {
            return Err(OracleError::BadRequest(
                "birthDate and targetDate are required".into(),
            ));
        };
        let birth = date(&birth_text)?;
        let target = date(&target_text)?;
        let language = language(body.language)?;
        self.model()?;
        let key = oracle::interpret_key(&birth_text, &target_text, &language);
        let (text, cached) = match self.cache.get(&key).await {
            Some(cached) => (cached, true),
            None => {
                let potensi = wariga::potensi(birth);
                let peluang = wariga::peluang(target, Some(birth));
                let ask = Ask {
                    key: &key,
                    ttl: oracle::INTERPRET_TTL,
                    system: oracle::system_prompt(&language),
                    prompt: oracle::interpret_prompt(&potensi, &peluang, today()?.naive()),
                    failure: "Failed to get interpretation",
                };
                (self.answer(quota, ask).await?.text, false)
            }
        };
        Ok(OracleInterpretation {
            success: true,
            interpretation: text,
            date: target_text,
            cached,
        })
    }

    /// How two people go together, in words.
    pub async fn compatibility(
        &self,
        body: OracleCompatibilityRequest,
        quota: &dyn Quota,
    ) -> Result<OracleMessage, OracleError> {
        let (Some(first_text), Some(second_text)) = (body.birth_date1, body.birth_date2) else {
            return Err(OracleError::BadRequest(
                "birthDate1 and birthDate2 are required".into(),
            ));
        };
        let first = date(&first_text)?;
        let second = date(&second_text)?;
        let language = language(body.language)?;
        self.model()?;
        let key = oracle::compatibility_key(&first_text, &second_text, &language);
        if let Some(cached) = self.cache.get(&key).await {
            return Ok(message(cached, true, None));
        }
        let result = wariga::compatibility(first, second);
        let ask = Ask {
            key: &key,
            ttl: oracle::COMPATIBILITY_TTL,
            system: oracle::system_prompt(&language),
            prompt: oracle::compatibility_prompt(&result),
            failure: "Failed to get compatibility interpretation",
        };
        let answer = self.answer(quota, ask).await?;
        Ok(message(answer.text, false, answer.tokens_used))
    }
}
