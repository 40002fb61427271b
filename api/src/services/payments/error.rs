//! What paying for a reading can fail with, and its one mapping to HTTP.

use axum::http::StatusCode;
use neptu_http::{ApiError, Issue};
use neptu_shared::domain::enums::PaymentType;
use neptu_shared::domain::payments::Rejection;

use crate::services::chain::ChainError;

#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    /// Bad input, field by field: 400 in the validation shape.
    #[error("invalid input")]
    Invalid(Vec<Issue>),
    /// The transaction does not prove the payment: 400 with the reason.
    #[error(transparent)]
    NotProven(#[from] Rejection),
    /// The signature already paid for something else (a plan, a pack, another reading): 409.
    #[error("Transaction already recorded for another payment")]
    SpentElsewhere,
    /// Where this asset's payments go is not configured. The original answered 500 with the
    /// message when verifying; the build routes answer 503 (see [`PaymentError::Unavailable`]).
    #[error("the recipient of {0:?} payments is not configured")]
    NoRecipient(PaymentType),
    /// 503: something a build needs is not configured, or the chain answered nonsense.
    #[error("{0}")]
    Unavailable(&'static str),
    #[error(transparent)]
    Chain(#[from] ChainError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<PaymentError> for ApiError {
    fn from(error: PaymentError) -> Self {
        match error {
            PaymentError::Invalid(issues) => ApiError::validation(issues),
            PaymentError::NotProven(reason) => ApiError::bad_request(reason.to_string()),
            PaymentError::SpentElsewhere => {
                ApiError::conflict("Transaction already recorded for another payment")
            }
            PaymentError::NoRecipient(payment) => {
                let message = match payment {
                    PaymentType::Sol => "Treasury address not configured",
                    PaymentType::Neptu => "Ecosystem pool address not configured",
                    PaymentType::Sudigital => "SUDIGITAL treasury address not configured",
                };
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
            }
            PaymentError::Unavailable(message) => ApiError::unavailable(message),
            PaymentError::Chain(error) => error.into(),
            PaymentError::Database(error) => error.into(),
            PaymentError::Internal(error) => error.into(),
        }
    }
}
