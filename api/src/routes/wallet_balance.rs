//! `/api/wallet/balance*`: on-chain balances of the caller's wallet, with pending rewards.

use axum::extract::State;
use neptu_shared::auth::SignedIn;
use neptu_shared::clients::ClientError;
use neptu_shared::db::{user_rewards, users};
use neptu_shared::domain::payments::units;
use neptu_shared::http::{ApiResult, Path};
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::services::chain;
use crate::services::payments::{SOL_DECIMALS, TOKEN_DECIMALS};
use crate::state::AppState;

type ErrorBody = neptu_shared::http::docs::ErrorBody;

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

fn token(raw: u64) -> TokenAmount {
    TokenAmount {
        raw: raw.to_string(),
        formatted: units(raw, TOKEN_DECIMALS),
    }
}

/// As the original: a failed balance read shows as 0 rather than failing the page.
fn or_zero(result: Result<u64, ClientError>) -> u64 {
    result.unwrap_or_else(|error| {
        tracing::warn!(%error, "balance read failed; shown as 0");
        0
    })
}

/// Pending rewards of the wallet's user; 0 for a wallet without one.
async fn pending(state: &AppState, wallet: &str) -> ApiResult<Decimal> {
    Ok(match users::find_by_wallet(&state.db, wallet).await? {
        Some(user) => user_rewards::totals_for_user(&state.db, user.id).await?.pending,
        None => Decimal::ZERO,
    })
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BalanceResponse {
    success: bool,
    balance: TokenAmount,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    pending_rewards: Decimal,
}

/// The wallet's NEPTU balance (its first NEPTU token account) and pending rewards.
#[utoipa::path(get, path = "/api/wallet/balance/{wallet}", tag = "wallet", params(("wallet" = String, Path)),
    security(("bearer" = [])), responses(
    (status = 200, body = BalanceResponse),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 503, description = "Solana RPC not configured", body = ErrorBody),
))]
async fn neptu_balance(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(wallet): Path<String>,
) -> ApiResult<axum::Json<BalanceResponse>> {
    caller.authorize_wallet(&wallet)?;
    let rpc = chain::rpc(&state)?;
    let mint = &state.settings.solana.neptu_mint;
    let (raw, pending) = tokio::join!(rpc.token_balance(&wallet, mint), pending(&state, &wallet));
    Ok(axum::Json(BalanceResponse {
        success: true,
        balance: token(or_zero(raw)),
        pending_rewards: pending?,
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
    pending_rewards: Decimal,
}

/// SOL, NEPTU and SUDIGITAL balances of the wallet, read concurrently, and pending rewards.
#[utoipa::path(get, path = "/api/wallet/balances/{wallet}", tag = "wallet", params(("wallet" = String, Path)),
    security(("bearer" = [])), responses(
    (status = 200, body = BalancesResponse),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 503, description = "Solana RPC not configured", body = ErrorBody),
))]
async fn all_balances(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(wallet): Path<String>,
) -> ApiResult<axum::Json<BalancesResponse>> {
    caller.authorize_wallet(&wallet)?;
    let rpc = chain::rpc(&state)?;
    let solana = &state.settings.solana;
    let (lamports, neptu, sudigital, pending) = tokio::join!(
        rpc.balance(&wallet),
        rpc.token_balance(&wallet, &solana.neptu_mint),
        rpc.token_balance(&wallet, &solana.sudigital_mint),
        pending(&state, &wallet),
    );
    let lamports = or_zero(lamports);
    Ok(axum::Json(BalancesResponse {
        success: true,
        sol: Lamports {
            lamports: lamports.to_string(),
            formatted: units(lamports, SOL_DECIMALS),
        },
        neptu: token(or_zero(neptu)),
        sudigital: token(or_zero(sudigital)),
        pending_rewards: pending?,
    }))
}
