//! How the core's errors answer over HTTP: one `From` per error enum, so a handler's `?`
//! gives the client the status and message the rule decided.

use axum::http::StatusCode;
use neptu_shared::auth::NotYourWallet;
use neptu_shared::oracle::OracleError;

use crate::ApiError;

impl From<OracleError> for ApiError {
    fn from(error: OracleError) -> Self {
        match error {
            OracleError::BadRequest(message) => ApiError::bad_request(message),
            OracleError::NotConfigured => ApiError::unavailable("AI oracle not configured"),
            OracleError::Limited(retry_after) => {
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, "Rate limit exceeded")
                    .with_field("retryAfter", retry_after)
            }
            OracleError::Model {
                status,
                failure,
                message,
            } => ApiError::new(status, failure).with_field("message", message),
            OracleError::Internal(cause) => ApiError::internal(cause),
        }
    }
}

impl From<NotYourWallet> for ApiError {
    fn from(error: NotYourWallet) -> Self {
        ApiError::forbidden(error.to_string())
    }
}
