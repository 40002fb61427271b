//! `/api/pay/*` build routes: the instructions (or the transfer, or the whole unsigned claim
//! transaction) the web app has the wallet sign, byte for byte what the original returned.

use axum::extract::State;
use neptu_http::{ApiError, ApiResult, Issue, Json};
use neptu_shared::domain::enums::ReadingType;
use neptu_shared::domain::payments::raw_units;
use neptu_shared::domain::pricing::reading_price;
use neptu_shared::domain::solana::Address;
use neptu_shared::domain::solana::message::unsigned_v0_transaction;
use neptu_shared::domain::solana::programs::{self, Instruction};
use neptu_shared::domain::validation::check_blockhash;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::pay_verify;
use super::support::{check_wallet, finish};
use crate::services::chain::{self, Lifetime};
use crate::services::payments::TOKEN_DECIMALS;
use crate::state::AppState;

type ErrorBody = neptu_http::docs::ErrorBody;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(build_sol))
        .routes(routes!(build_neptu))
        .routes(routes!(build_sudigital))
        .routes(routes!(build_claim))
        .merge(pay_verify::routes())
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BuildRequest {
    wallet_address: String,
    reading_type: ReadingType,
    /// With `lastValidBlockHeight`, used as is; otherwise the server fetches one.
    blockhash: Option<String>,
    last_valid_block_height: Option<u64>,
}

/// The client's blockhash when it sent both parts, else the cluster's latest.
async fn lifetime(state: &AppState, hash: Option<String>, height: Option<u64>) -> ApiResult<Lifetime> {
    chain::lifetime(chain::rpc(state)?.as_ref(), hash, height)
        .await
        .map_err(chain::rpc_error)
}

/// Validates the body and the RPC's presence (every build route needs the chain).
fn user_address(state: &AppState, body: &BuildRequest) -> ApiResult<Address> {
    chain::rpc(state)?;
    let mut issues = Vec::new();
    check_wallet("walletAddress", &body.wallet_address, &mut issues);
    finish(issues)?;
    Address::parse(&body.wallet_address).ok_or_else(|| ApiError::bad_request("Invalid wallet address"))
}

/// A recipient address from the configuration. Missing, the route cannot work on this
/// deployment: 503 with the original's message (it answered 500).
fn configured(value: Option<&String>, message: &'static str) -> ApiResult<Address> {
    value
        .and_then(|v| Address::parse(v))
        .ok_or_else(|| ApiError::unavailable(message))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SolPricing {
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    sol_amount: Decimal,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    neptu_reward: Decimal,
}

#[derive(Serialize, ToSchema)]
pub struct SolBuildResponse {
    success: bool,
    instruction: Instruction,
    transaction: Lifetime,
    pricing: SolPricing,
}

/// The economy program's `pay_with_sol` instruction for a reading.
#[utoipa::path(post, path = "/api/pay/sol/build", tag = "pay", request_body = BuildRequest, responses(
    (status = 200, body = SolBuildResponse),
    (status = 400, body = ErrorBody),
    (status = 503, description = "Solana RPC not configured or unavailable, or treasury address not configured", body = ErrorBody),
))]
async fn build_sol(
    State(state): State<AppState>,
    Json(body): Json<BuildRequest>,
) -> ApiResult<axum::Json<SolBuildResponse>> {
    let user = user_address(&state, &body)?;
    let treasury = configured(
        Some(&state.settings.solana.treasury),
        "Treasury address not configured",
    )?;
    let price = reading_price(body.reading_type);
    let instruction = programs::pay_with_sol(user, treasury, price.program_index);
    let transaction = lifetime(&state, body.blockhash, body.last_valid_block_height).await?;
    Ok(axum::Json(SolBuildResponse {
        success: true,
        instruction,
        transaction,
        pricing: SolPricing {
            sol_amount: price.sol,
            neptu_reward: price.sol_neptu_reward,
        },
    }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NeptuPricing {
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    neptu_amount: Decimal,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    neptu_burned: Decimal,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    neptu_to_ecosystem: Decimal,
}

#[derive(Serialize, ToSchema)]
pub struct NeptuBuildResponse {
    success: bool,
    instruction: Instruction,
    transaction: Lifetime,
    pricing: NeptuPricing,
}

/// The economy program's `pay_with_neptu` instruction (half burned, half to the ecosystem).
#[utoipa::path(post, path = "/api/pay/neptu/build", tag = "pay", request_body = BuildRequest, responses(
    (status = 200, body = NeptuBuildResponse),
    (status = 400, body = ErrorBody),
    (status = 503, description = "Solana RPC not configured or unavailable, or ecosystem pool address not configured", body = ErrorBody),
))]
async fn build_neptu(
    State(state): State<AppState>,
    Json(body): Json<BuildRequest>,
) -> ApiResult<axum::Json<NeptuBuildResponse>> {
    let user = user_address(&state, &body)?;
    let pool = configured(
        state.settings.solana.ecosystem_pool.as_ref(),
        "Ecosystem pool address not configured",
    )?;
    let price = reading_price(body.reading_type);
    let instruction = programs::pay_with_neptu(user, pool, price.program_index);
    let transaction = lifetime(&state, body.blockhash, body.last_valid_block_height).await?;
    Ok(axum::Json(NeptuBuildResponse {
        success: true,
        instruction,
        transaction,
        pricing: NeptuPricing {
            neptu_amount: price.neptu,
            neptu_burned: price.neptu_burned,
            neptu_to_ecosystem: price.neptu_to_ecosystem,
        },
    }))
}

#[derive(Serialize, ToSchema)]
pub struct Transfer {
    mint: String,
    from: String,
    to: String,
    /// Raw units (price × 10^6).
    amount: u64,
    decimals: u32,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SudigitalPricing {
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    sudigital_amount: Decimal,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    neptu_reward: Decimal,
}

#[derive(Serialize, ToSchema)]
pub struct SudigitalBuildResponse {
    success: bool,
    transfer: Transfer,
    transaction: Lifetime,
    pricing: SudigitalPricing,
}

/// The SPL transfer of SUDIGITAL to its treasury that the web app builds itself.
#[utoipa::path(post, path = "/api/pay/sudigital/build", tag = "pay", request_body = BuildRequest, responses(
    (status = 200, body = SudigitalBuildResponse),
    (status = 400, body = ErrorBody),
    (status = 503, description = "Solana RPC not configured or unavailable, or sUDIGITAL treasury address not configured", body = ErrorBody),
))]
async fn build_sudigital(
    State(state): State<AppState>,
    Json(body): Json<BuildRequest>,
) -> ApiResult<axum::Json<SudigitalBuildResponse>> {
    user_address(&state, &body)?;
    let solana = &state.settings.solana;
    let to = configured(
        solana.sudigital_treasury.as_ref(),
        "SUDIGITAL treasury address not configured",
    )?;
    let price = reading_price(body.reading_type);
    let amount = raw_units(price.sudigital, TOKEN_DECIMALS)
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("price out of range")))?;
    let transaction = lifetime(&state, body.blockhash, body.last_valid_block_height).await?;
    Ok(axum::Json(SudigitalBuildResponse {
        success: true,
        transfer: Transfer {
            mint: solana.sudigital_mint.clone(),
            from: body.wallet_address,
            to: to.to_string(),
            amount,
            decimals: TOKEN_DECIMALS,
        },
        transaction,
        pricing: SudigitalPricing {
            sudigital_amount: price.sudigital,
            neptu_reward: price.sudigital_neptu_reward,
        },
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClaimBuildRequest {
    wallet_address: String,
    /// NEPTU, more than 0.
    #[schema(value_type = f64)]
    amount: f64,
    /// A whole number, 0 or more (the web sends `Date.now()`).
    #[schema(value_type = u64)]
    nonce: f64,
    blockhash: Option<String>,
    last_valid_block_height: Option<u64>,
}

#[derive(Serialize, ToSchema)]
pub struct ClaimEcho {
    amount: f64,
    nonce: u64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClaimBuildResponse {
    success: bool,
    /// The unsigned v0 transaction, as byte values.
    serialized_transaction: Vec<u8>,
    transaction: Lifetime,
    claim: ClaimEcho,
}

/// The whole unsigned claim transaction (fee payer: the wallet).
#[utoipa::path(post, path = "/api/pay/claim/build", tag = "pay", request_body = ClaimBuildRequest, responses(
    (status = 200, body = ClaimBuildResponse),
    (status = 400, body = ErrorBody),
    (status = 503, description = "Solana RPC not configured or unavailable", body = ErrorBody),
))]
async fn build_claim(
    State(state): State<AppState>,
    Json(body): Json<ClaimBuildRequest>,
) -> ApiResult<axum::Json<ClaimBuildResponse>> {
    chain::rpc(&state)?;
    let mut issues = Vec::new();
    check_wallet("walletAddress", &body.wallet_address, &mut issues);
    // round(amount × 10^6) as the original, and it must fit in a u64.
    let raw = (body.amount * 1e6).round();
    if !(body.amount > 0.0 && raw.is_finite() && raw < u64::MAX as f64) {
        issues.push(Issue::new("amount", "must be a positive number"));
    }
    if !(body.nonce >= 0.0 && body.nonce.fract() == 0.0 && body.nonce < u64::MAX as f64) {
        issues.push(Issue::new("nonce", "must be a whole number, 0 or more"));
    }
    check_blockhash(body.blockhash.as_deref(), &mut issues);
    finish(issues)?;
    let user = Address::parse(&body.wallet_address)
        .ok_or_else(|| ApiError::bad_request("Invalid wallet address"))?;
    let nonce = body.nonce as u64;
    let instruction = programs::claim_rewards(user, raw as u64, nonce);
    let transaction = lifetime(&state, body.blockhash, body.last_valid_block_height).await?;
    let blockhash = Address::parse(&transaction.blockhash)
        .ok_or_else(|| ApiError::unavailable("Solana RPC returned an invalid blockhash"))?;
    Ok(axum::Json(ClaimBuildResponse {
        success: true,
        serialized_transaction: unsigned_v0_transaction(user, blockhash, &[instruction]),
        transaction,
        claim: ClaimEcho {
            amount: body.amount,
            nonce,
        },
    }))
}
