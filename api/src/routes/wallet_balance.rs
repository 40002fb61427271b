//! `/api/wallet/balance*`: on-chain balances of any wallet, without a token (see
//! `services::balances`), and the pending rewards of the caller's own.

use axum::extract::State;
use neptu_http::auth::MaybeSignedIn;
use neptu_http::{ApiResult, Path};
use neptu_shared::domain::payments::units;
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::services::balances;
use crate::services::payments::{SOL_DECIMALS, TOKEN_DECIMALS};
use crate::state::AppState;

type ErrorBody = neptu_http::docs::ErrorBody;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(neptu_balance))
        .routes(routes!(all_balances))
}

#[derive(Serialize, ToSchema)]
pub struct TokenAmount {
    /// Raw units, as a string (u64 does not fit a JSON number safely).
    raw: String,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    formatted: Decimal,
}

#[derive(Serialize, ToSchema)]
pub struct Lamports {
    lamports: String,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    formatted: Decimal,
}

fn sources(state: &AppState) -> balances::Sources<'_> {
    balances::Sources {
        db: &state.db,
        cache: state.cache.as_ref(),
        rpc: state.solana.as_deref(),
        solana: &state.settings.solana,
    }
}

fn token(raw: u64) -> TokenAmount {
    TokenAmount {
        raw: raw.to_string(),
        formatted: units(raw, TOKEN_DECIMALS),
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BalanceResponse {
    success: bool,
    balance: TokenAmount,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    /// The wallet's pending rewards with its own (or an admin's) token; 0 without a token.
    pending_rewards: Decimal,
}

/// The wallet's NEPTU balance (its first NEPTU token account), cached for a few seconds. No
/// token needed; with the wallet's own token the pending rewards are filled in.
#[utoipa::path(get, path = "/api/wallet/balance/{wallet}", tag = "wallet", params(("wallet" = String, Path)),
    security((), ("bearer" = [])), responses(
    (status = 200, body = BalanceResponse),
    (status = 400, description = "Not a Solana address", body = ErrorBody),
    (status = 401, description = "A token was sent and is invalid", body = ErrorBody),
    (status = 403, description = "A token for another wallet", body = ErrorBody),
    (status = 503, description = "Solana RPC not configured", body = ErrorBody),
))]
async fn neptu_balance(
    State(state): State<AppState>,
    MaybeSignedIn(caller): MaybeSignedIn,
    Path(wallet): Path<String>,
) -> ApiResult<axum::Json<BalanceResponse>> {
    let balance = balances::neptu(&sources(&state), caller.as_ref(), &wallet).await?;
    Ok(axum::Json(BalanceResponse {
        success: true,
        balance: token(balance.raw),
        pending_rewards: balance.pending_rewards,
    }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BalancesResponse {
    success: bool,
    sol: Lamports,
    neptu: TokenAmount,
    sudigital: TokenAmount,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    /// The wallet's pending rewards with its own (or an admin's) token; 0 without a token.
    pending_rewards: Decimal,
}

/// SOL, NEPTU and SUDIGITAL balances of the wallet, read concurrently and cached for a few
/// seconds. No token needed; with the wallet's own token the pending rewards are filled in.
#[utoipa::path(get, path = "/api/wallet/balances/{wallet}", tag = "wallet", params(("wallet" = String, Path)),
    security((), ("bearer" = [])), responses(
    (status = 200, body = BalancesResponse),
    (status = 400, description = "Not a Solana address", body = ErrorBody),
    (status = 401, description = "A token was sent and is invalid", body = ErrorBody),
    (status = 403, description = "A token for another wallet", body = ErrorBody),
    (status = 503, description = "Solana RPC not configured", body = ErrorBody),
))]
async fn all_balances(
    State(state): State<AppState>,
    MaybeSignedIn(caller): MaybeSignedIn,
    Path(wallet): Path<String>,
) -> ApiResult<axum::Json<BalancesResponse>> {
    let all = balances::all(&sources(&state), caller.as_ref(), &wallet).await?;
    Ok(axum::Json(BalancesResponse {
        success: true,
        sol: Lamports {
            lamports: all.lamports.to_string(),
            formatted: units(all.lamports, SOL_DECIMALS),
        },
        neptu: token(all.neptu),
        sudigital: token(all.sudigital),
        pending_rewards: all.pending_rewards,
    }))
}
