//! The one error type handlers return, and the JSON shapes clients see.
//!
//! Policy: handlers return `Result<_, ApiError>`. Expected failures (bad input, not found,
//! forbidden, a dependency down) carry a message meant for the client. Anything unexpected
//! becomes an opaque 500 whose cause is logged (inside the request span, so with its request
//! id) and never sent. Shapes, kept from the original API so the web app reads them:
//! - handler errors: `{"success": false, "error": "message", ...extra}`
//! - validation: `{"success": false, "error": {"name": "ValidationError", "issues": [{path, message}]}}`
//! - unknown route: `{"error": "Not Found", "message": "Route not found"}`
//! - unexpected: `{"error": "Internal Server Error", "message": "internal error"}`

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

pub use neptu_shared::domain::validation::Issue;

/// The message of a value the database refused.
pub const INVALID_INPUT: &str =
    "Invalid input: a value contains characters or a number that cannot be stored";

#[derive(Debug)]
enum Body {
    Message {
        error: String,
        extra: Map<String, Value>,
    },
    Validation(Vec<Issue>),
    NotFound,
    Internal,
}

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: Body,
    /// The cause of an unexpected error, for the log only.
    cause: Option<anyhow::Error>,
}

impl ApiError {
    /// A handler error with a client-facing message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            body: Body::Message {
                error: message.into(),
                extra: Map::new(),
            },
            cause: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, message)
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, message)
    }

    /// 400 with the validation shape.
    pub fn validation(issues: Vec<Issue>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            body: Body::Validation(issues),
            cause: None,
        }
    }

    /// The unknown-route 404.
    pub fn route_not_found() -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            body: Body::NotFound,
            cause: None,
        }
    }

    /// An unexpected failure: 500, cause logged, nothing leaked. A cause that is Postgres
    /// refusing a value the client sent (a NUL byte in text, a number out of range, however
    /// deep a service wrapped it) is the client's mistake instead: 400, logged at warn.
    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        let cause = cause.into();
        let invalid_input = cause
            .chain()
            .filter_map(|c| c.downcast_ref::<sqlx::Error>())
            .any(neptu_shared::db::is_invalid_input);
        if invalid_input {
            tracing::warn!(
                error = format!("{cause:#}"),
                "the database refused a value of the request"
            );
            return Self::bad_request(INVALID_INPUT);
        }
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            body: Body::Internal,
            cause: Some(cause),
        }
    }

    /// Adds a key next to `error` (e.g. `requiresBirthDate`, `retryAfter`).
    pub fn with_field(mut self, key: &str, value: impl Into<Value>) -> Self {
        if let Body::Message { extra, .. } = &mut self.body {
            extra.insert(key.to_owned(), value.into());
        }
        self
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The answer with `retryAfter` in the body and a `Retry-After` header, as every 429 (and
    /// a 503 that knows when to come back) is sent.
    pub fn retry_after(self, seconds: u64) -> Response {
        let mut response = self.with_field("retryAfter", seconds).into_response();
        response
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, seconds.into());
        response
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        if neptu_shared::db::is_unavailable(&error) {
            tracing::warn!(%error, "database unavailable");
            Self::unavailable("Database unavailable")
        } else {
            Self::internal(error)
        }
    }
}

impl From<anyhow::Error> for ApiError {
    /// A database outage anywhere in the chain is still a 503, however deep a service
    /// wrapped it.
    fn from(error: anyhow::Error) -> Self {
        let unavailable = error
            .chain()
            .filter_map(|cause| cause.downcast_ref::<sqlx::Error>())
            .any(neptu_shared::db::is_unavailable);
        if unavailable {
            tracing::warn!(error = format!("{error:#}"), "database unavailable");
            Self::unavailable("Database unavailable")
        } else {
            Self::internal(error)
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Some(cause) = &self.cause {
            tracing::error!(error = format!("{cause:#}"), "request failed");
        }
        let body = match self.body {
            Body::Message { error, mut extra } => {
                extra.insert("success".into(), Value::Bool(false));
                extra.insert("error".into(), Value::String(error));
                Value::Object(extra)
            }
            Body::Validation(issues) => json!({
                "success": false,
                "error": { "name": "ValidationError", "issues": issues },
            }),
            Body::NotFound => json!({ "error": "Not Found", "message": "Route not found" }),
            Body::Internal => json!({ "error": "Internal Server Error", "message": "internal error" }),
        };
        (self.status, Json(body)).into_response()
    }
}

/// The router's fallback: unknown paths get the JSON 404.
pub async fn route_not_found() -> ApiError {
    ApiError::route_not_found()
}

/// A known path asked with a method it does not serve (the router adds `Allow`).
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::to_bytes;

    async fn body(error: ApiError) -> (StatusCode, Value) {
        let response = error.into_response();
        let status = response.status();
        let bytes = to_bytes(response.into_body(), 1 << 16).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn shapes() {
        let (s, b) =
            body(ApiError::bad_request("Birth date not set").with_field("requiresBirthDate", true)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert_eq!(
            b,
            json!({"success": false, "error": "Birth date not set", "requiresBirthDate": true})
        );

        let (s, b) = body(ApiError::validation(vec![Issue::new("limits.0.x", "bad")])).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert_eq!(b["error"]["issues"][0]["path"], json!(["limits", 0, "x"]));
        assert_eq!(b["error"]["name"], "ValidationError");

        let (s, b) = body(ApiError::route_not_found()).await;
        assert_eq!(
            (s, b),
            (
                StatusCode::NOT_FOUND,
                json!({"error": "Not Found", "message": "Route not found"})
            )
        );
    }

    #[tokio::test]
    async fn internal_errors_leak_nothing() {
        let (s, b) = body(ApiError::internal(anyhow::anyhow!("password=hunter2 in a query"))).await;
        assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!b.to_string().contains("hunter2"));
        assert_eq!(b["message"], "internal error");
    }

    #[tokio::test]
    async fn unreachable_database_is_503() {
        let (s, b) = body(ApiError::from(sqlx::Error::PoolTimedOut)).await;
        assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(b["error"], "Database unavailable");
        let (s, _) = body(ApiError::from(sqlx::Error::RowNotFound)).await;
        assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR);
        let wrapped = anyhow::Error::from(sqlx::Error::PoolTimedOut).context("loading the user");
        let (s, b) = body(ApiError::from(wrapped)).await;
        assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(b["error"], "Database unavailable");
        let wrapped = anyhow::Error::from(sqlx::Error::RowNotFound).context("loading the user");
        assert_eq!(
            body(ApiError::from(wrapped)).await.0,
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
