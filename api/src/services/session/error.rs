//! What signing in and its sessions can fail with, and its one mapping to HTTP.

use axum::http::StatusCode;
use neptu_http::ApiError;

use crate::services::sign_in_quota::TooManySignIns;

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// Not a Solana address: 400.
    #[error("Invalid Solana wallet address")]
    InvalidWallet,
    /// Neither base58 nor hex of 64 bytes: 400.
    #[error("Invalid signature format")]
    InvalidSignature,
    /// The wallet has no nonce to sign (or a concurrent verify used it): 400.
    #[error("No pending nonce. Request /nonce first.")]
    NoPendingNonce,
    /// The signature is over a nonce that expired: 400.
    #[error("Nonce expired. Request a new one.")]
    NonceExpired,
    /// The signature is over none of the wallet's messages: 401.
    #[error("Signature verification failed")]
    SignatureRejected,
    /// Unknown, expired, revoked or reused after its window: 401.
    #[error("Invalid or expired refresh token")]
    InvalidRefresh,
    /// The token's user was deleted: 401.
    #[error("User no longer exists")]
    UserGone,
    /// The client address's hourly sign-ins are used up: 429 with `retryAfter`.
    #[error(transparent)]
    TooManySignIns(#[from] TooManySignIns),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<SessionError> for ApiError {
    fn from(error: SessionError) -> Self {
        let message = error.to_string();
        match error {
            SessionError::InvalidWallet
            | SessionError::InvalidSignature
            | SessionError::NoPendingNonce
            | SessionError::NonceExpired => ApiError::bad_request(message),
            SessionError::SignatureRejected | SessionError::InvalidRefresh | SessionError::UserGone => {
                ApiError::unauthorized(message)
            }
            SessionError::TooManySignIns(refused) => ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many new sign-ins from this address; try again later",
            )
            .with_field("retryAfter", refused.retry_after),
            SessionError::Database(error) => error.into(),
            SessionError::Internal(error) => error.into(),
        }
    }
}
