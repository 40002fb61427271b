//! What the developer platform's services can fail with, and its one mapping to HTTP.

use axum::http::StatusCode;
use neptu_http::{ApiError, Issue};

#[derive(Debug, thiserror::Error)]
pub enum DeveloperError {
    /// Bad input, field by field: 400 in the validation shape.
    #[error("invalid input")]
    Invalid(Vec<Issue>),
    /// Bad input as a whole (`"Plan is not available"`): 400.
    #[error("{0}")]
    BadRequest(String),
    /// 403 (`"Active API subscription required"`).
    #[error("{0}")]
    Forbidden(&'static str),
    /// 404 with the thing's name (`"API key not found"`).
    #[error("{0}")]
    NotFound(&'static str),
    /// 409: the request conflicts with what is stored (a slug taken, a plan in use, a
    /// signature already spent).
    #[error("{0}")]
    Conflict(&'static str),
    /// 503: something this needs is not configured or not reachable.
    #[error("{0}")]
    Unavailable(String),
    /// The Solana RPC failed: 503 (502 when it refused the call), as every chain route.
    #[error(transparent)]
    Chain(#[from] neptu_shared::clients::ClientError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl DeveloperError {
    /// Collected validation issues, if any, as an error.
    pub fn check(issues: Vec<Issue>) -> Result<(), Self> {
        if issues.is_empty() {
            Ok(())
        } else {
            Err(Self::Invalid(issues))
        }
    }
}

impl From<DeveloperError> for ApiError {
    fn from(error: DeveloperError) -> Self {
        match error {
            DeveloperError::Invalid(issues) => ApiError::validation(issues),
            DeveloperError::BadRequest(message) => ApiError::bad_request(message),
            DeveloperError::Forbidden(message) => ApiError::forbidden(message),
            DeveloperError::NotFound(message) => ApiError::not_found(message),
            DeveloperError::Conflict(message) => ApiError::new(StatusCode::CONFLICT, message),
            DeveloperError::Unavailable(message) => ApiError::unavailable(message),
            DeveloperError::Chain(error) => crate::services::chain::rpc_error(error),
            DeveloperError::Database(error) => error.into(),
            DeveloperError::Internal(error) => error.into(),
        }
    }
}
