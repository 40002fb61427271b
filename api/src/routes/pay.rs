//! `/api/pay/*` build routes: the instructions (or the transfer, or the whole unsigned claim
//! transaction) the web app has the wallet sign, byte for byte what the original returned.

use axum::extract::{FromRequest, Request, State};
use neptu_http::{ApiError, ApiResult, Issue, Json};
use neptu_shared::domain::enums::ReadingType;
use neptu_shared::domain::solana::Address;
use neptu_shared::domain::solana::programs::Instruction;
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
use crate::services::payments::build::{self, ClaimOrder, Order};
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

/// Every build route needs the chain: without an RPC the answer is 503, before the body's
/// checks (a malformed body is still a 400 first).
fn chain_configured(state: &AppState) -> ApiResult<()> {
    chain::configured(state.solana.as_deref())?;
    Ok(())
}

/// A [`BuildRequest`] whose wallet is a Solana address, on a deployment with an RPC.
struct Checked(Order);

impl FromRequest<AppState> for Checked {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let Json(body) = Json::<BuildRequest>::from_request(req, state).await?;
        chain_configured(state)?;
        let mut issues = Vec::new();
        check_wallet("walletAddress", &body.wallet_address, &mut issues);
        finish(issues)?;
        let wallet = Address::parse(&body.wallet_address)
            .ok_or_else(|| ApiError::bad_request("Invalid wallet address"))?;
        Ok(Checked(Order {
            wallet,
            wallet_address: body.wallet_address,
            reading_type: body.reading_type,
            blockhash: body.blockhash,
            last_valid_block_height: body.last_valid_block_height,
        }))
    }
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
    Checked(order): Checked,
) -> ApiResult<axum::Json<SolBuildResponse>> {
    let built = build::sol(state.solana.as_deref(), &state.settings.solana, order).await?;
    let price = built.price;
    Ok(axum::Json(SolBuildResponse {
        success: true,
        instruction: built.payment,
        transaction: built.lifetime,
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
    Checked(order): Checked,
) -> ApiResult<axum::Json<NeptuBuildResponse>> {
    let built = build::neptu(state.solana.as_deref(), &state.settings.solana, order).await?;
    let price = built.price;
    Ok(axum::Json(NeptuBuildResponse {
        success: true,
        instruction: built.payment,
        transaction: built.lifetime,
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
    Checked(order): Checked,
) -> ApiResult<axum::Json<SudigitalBuildResponse>> {
    let built = build::sudigital(state.solana.as_deref(), &state.settings.solana, order).await?;
    let (transfer, price) = (built.payment, built.price);
    Ok(axum::Json(SudigitalBuildResponse {
        success: true,
        transfer: Transfer {
            mint: transfer.mint,
            from: transfer.from,
            to: transfer.to.to_string(),
            amount: transfer.amount,
            decimals: TOKEN_DECIMALS,
        },
        transaction: built.lifetime,
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
    CheckedClaim(order, amount): CheckedClaim,
) -> ApiResult<axum::Json<ClaimBuildResponse>> {
    let nonce = order.nonce;
    let (serialized_transaction, transaction) = build::claim(state.solana.as_deref(), order).await?;
    Ok(axum::Json(ClaimBuildResponse {
        success: true,
        serialized_transaction,
        transaction,
        claim: ClaimEcho { amount, nonce },
    }))
}

/// A [`ClaimBuildRequest`] with a Solana wallet, a positive amount and a whole nonce, on a
/// deployment with an RPC; the amount as sent is kept for the answer's echo.
struct CheckedClaim(ClaimOrder, f64);

impl FromRequest<AppState> for CheckedClaim {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let Json(body) = Json::<ClaimBuildRequest>::from_request(req, state).await?;
        chain_configured(state)?;
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
        let wallet = Address::parse(&body.wallet_address)
            .ok_or_else(|| ApiError::bad_request("Invalid wallet address"))?;
        let order = ClaimOrder {
            wallet,
            raw: raw as u64,
            nonce: body.nonce as u64,
            blockhash: body.blockhash,
            last_valid_block_height: body.last_valid_block_height,
        };
        Ok(CheckedClaim(order, body.amount))
    }
}
