//! `/api/auth/*`: sign-in with a Solana wallet (see `services::session`).

use std::net::IpAddr;

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use neptu_http::{ApiResult, Json, client_ip};
use neptu_shared::domain::enums::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::services::session::{self, SignIn};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(nonce))
        .routes(routes!(verify))
        .routes(routes!(refresh))
        .routes(routes!(logout))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NonceRequest {
    /// A Solana address (base58 of a 32-byte public key).
    #[schema(min_length = 32, max_length = 44, pattern = "^[1-9A-HJ-NP-Za-km-z]+$")]
    wallet_address: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NonceResponse {
    success: bool,
    /// 64 hex characters, usable once, for 5 minutes.
    nonce: String,
    /// The exact text to sign with the wallet.
    message: String,
    /// When the nonce stops being accepted (ISO-8601, UTC).
    #[serde(serialize_with = "neptu_shared::wire::timestamp")]
    expires_at: chrono::DateTime<chrono::Utc>,
}

/// Starts a sign-in: a one-time nonce and the message to sign. A wallet has a few
/// outstanding nonces at most; at that cap the newest is returned again.
#[utoipa::path(post, path = "/api/auth/nonce", tag = "auth", request_body = NonceRequest, responses(
    (status = 200, body = NonceResponse),
    (status = 400, description = "Not a Solana address", body = neptu_http::docs::ErrorBody),
))]
async fn nonce(
    State(state): State<AppState>,
    Json(body): Json<NonceRequest>,
) -> ApiResult<axum::Json<NonceResponse>> {
    let issued = session::issue_nonce(&state.db, &body.wallet_address).await?;
    Ok(axum::Json(NonceResponse {
        success: true,
        nonce: issued.nonce,
        message: issued.message,
        expires_at: issued.expires_at,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VerifyRequest {
    #[schema(min_length = 32, max_length = 44, pattern = "^[1-9A-HJ-NP-Za-km-z]+$")]
    wallet_address: String,
    /// The ed25519 signature of the message, base58 (or hex).
    #[schema(min_length = 64, max_length = 130)]
    signature: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignedInUser {
    id: Uuid,
    wallet_address: String,
    display_name: Option<String>,
    onboarded: bool,
    role: Role,
    /// Role `admin`, or the configured admin wallet.
    is_admin: bool,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VerifyResponse {
    success: bool,
    user: SignedInUser,
    /// Send as `Authorization: Bearer <accessToken>`; valid 15 minutes.
    access_token: String,
    /// Exchange at `/api/auth/refresh`; valid 7 days, once (repeats within a few seconds
    /// give the same new pair).
    refresh_token: String,
}

/// Completes a sign-in: checks the signature over one of the wallet's outstanding nonces and
/// returns the tokens. Only an accepted signature uses its nonce up.
#[utoipa::path(post, path = "/api/auth/verify", tag = "auth", request_body = VerifyRequest, responses(
    (status = 200, body = VerifyResponse),
    (status = 400, description = "Bad address or signature format, no pending nonce, or the signed nonce expired", body = neptu_http::docs::ErrorBody),
    (status = 401, description = "Signature verification failed", body = neptu_http::docs::ErrorBody),
    (status = 429, description = "This address signed in `RATE_LIMIT_SIGN_INS_PER_HOUR` other wallets this hour; `retryAfter` seconds", body = neptu_http::docs::ErrorBody),
))]
async fn verify(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    Json(body): Json<VerifyRequest>,
) -> ApiResult<axum::Json<VerifyResponse>> {
    let sign_in = SignIn {
        wallet_address: &body.wallet_address,
        signature: &body.signature,
        client,
    };
    let limit = state.settings.rate_limit.sign_ins_per_hour;
    let session = session::verify(&state.db, state.cache.as_ref(), &state.auth, limit, sign_in).await?;
    let is_admin = session.is_admin;
    let user = session.user;
    Ok(axum::Json(VerifyResponse {
        success: true,
        user: SignedInUser {
            id: user.id,
            wallet_address: user.wallet_address,
            display_name: user.display_name,
            onboarded: user.onboarded,
            role: user.role,
            is_admin,
        },
        access_token: session.access_token,
        refresh_token: session.refresh_token,
    }))
}

/// The client's address, as the rate limits see it.
struct ClientAddr(IpAddr);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(client_ip::of_parts(
            parts,
            state.settings.rate_limit.trust_proxy,
        )))
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefreshRequest {
    refresh_token: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefreshResponse {
    success: bool,
    access_token: String,
    refresh_token: String,
}

/// Exchanges a refresh token for a new pair. Presented again within the reuse window (a few
/// seconds: parallel refreshes of one page) it gives the same pair; later, it ends the session.
#[utoipa::path(post, path = "/api/auth/refresh", tag = "auth", request_body = RefreshRequest, responses(
    (status = 200, body = RefreshResponse),
    (status = 400, description = "No refresh token in the body", body = neptu_http::docs::ErrorBody),
    (status = 401, description = "Invalid, expired, reused or revoked", body = neptu_http::docs::ErrorBody),
))]
async fn refresh(
    State(state): State<AppState>,
    Json(body): Json<RefreshRequest>,
) -> ApiResult<axum::Json<RefreshResponse>> {
    let window = state.settings.auth.refresh_reuse_window;
    let (access_token, refresh_token) =
        session::refresh(&state.db, &state.auth, window, &body.refresh_token).await?;
    Ok(axum::Json(RefreshResponse {
        success: true,
        access_token,
        refresh_token,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct SuccessResponse {
    success: bool,
}

/// Ends the session of a refresh token.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", request_body = RefreshRequest, responses(
    (status = 200, body = SuccessResponse),
    (status = 400, description = "No refresh token in the body", body = neptu_http::docs::ErrorBody),
))]
async fn logout(
    State(state): State<AppState>,
    Json(body): Json<RefreshRequest>,
) -> ApiResult<axum::Json<SuccessResponse>> {
    session::logout(&state.db, &body.refresh_token).await?;
    Ok(axum::Json(SuccessResponse { success: true }))
}
