//! What the user-side services (accounts, profiles, readings, check-ins, rewards, referrals
//! and claims) can fail with, and its one mapping to HTTP.

use neptu_http::{ApiError, Issue};
use neptu_shared::auth::NotYourWallet;
use rust_decimal::Decimal;

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    /// Bad input, field by field: 400 in the validation shape.
    #[error("invalid input")]
    Invalid(Vec<Issue>),
    /// A request the rules refuse (`"Already checked in today"`, `"Unknown referral code"`): 400.
    #[error("{0}")]
    BadRequest(String),
    /// The personal reading needs a birth date: 400 with `requiresBirthDate: true`.
    #[error("Birth date not set")]
    BirthDateNotSet,
    /// A claim transaction paid less than what is claimed with it: 400 with both amounts.
    #[error("Claim transaction paid {received} NEPTU, less than the {claiming} NEPTU claimed with it")]
    Underpaid {
        received: Decimal,
        /// Already claimed under the signature plus this reward.
        claiming: Decimal,
        /// Already claimed under the signature.
        claimed: Decimal,
    },
    /// A token for another wallet: 403.
    #[error(transparent)]
    NotYourWallet(#[from] NotYourWallet),
    /// 404 with the thing's name (`"User not found"`).
    #[error("{0}")]
    NotFound(&'static str),
    /// 409: a signature already spent elsewhere.
    #[error("{0}")]
    Conflict(&'static str),
    /// 503: something this needs is not configured.
    #[error("{0}")]
    Unavailable(&'static str),
    /// The Solana RPC failed: 503 (502 when it refused the call), as every chain route.
    #[error(transparent)]
    Chain(#[from] neptu_shared::clients::ClientError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl UserError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::BadRequest(message.into())
    }
}

impl From<UserError> for ApiError {
    fn from(error: UserError) -> Self {
        match error {
            UserError::Invalid(issues) => ApiError::validation(issues),
            UserError::BadRequest(message) => ApiError::bad_request(message),
            error @ UserError::BirthDateNotSet => {
                ApiError::bad_request(error.to_string()).with_field("requiresBirthDate", true)
            }
            error @ UserError::Underpaid {
                received, claimed, ..
            } => ApiError::bad_request(error.to_string())
                .with_field("received", received.to_string())
                .with_field("claimed", claimed.to_string()),
            UserError::NotYourWallet(error) => error.into(),
            UserError::NotFound(message) => ApiError::not_found(message),
            UserError::Conflict(message) => ApiError::conflict(message),
            UserError::Unavailable(message) => ApiError::unavailable(message),
            UserError::Chain(error) => crate::services::chain::rpc_error(error),
            UserError::Database(error) => error.into(),
            UserError::Internal(error) => error.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::response::IntoResponse;
    use serde_json::{Value, json};

    use super::*;

    async fn answer(error: UserError) -> (u16, Value) {
        let response = ApiError::from(error).into_response();
        let status = response.status().as_u16();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn refusals_with_extra_fields_keep_their_bodies() {
        let (status, body) = answer(UserError::BirthDateNotSet).await;
        assert_eq!(status, 400);
        assert_eq!(
            body,
            json!({"success": false, "error": "Birth date not set", "requiresBirthDate": true})
        );
        let underpaid = UserError::Underpaid {
            received: Decimal::new(15, 1),
            claiming: Decimal::new(25, 1),
            claimed: Decimal::new(1, 0),
        };
        let (status, body) = answer(underpaid).await;
        assert_eq!(status, 400);
        assert_eq!(
            body,
            json!({
                "success": false,
                "error": "Claim transaction paid 1.5 NEPTU, less than the 2.5 NEPTU claimed with it",
                "received": "1.5",
                "claimed": "1",
            })
        );
    }
}
