//! `/api/pay/*` build routes: the instructions (or the transfer, or the whole unsigned claim
//! transaction) the web app has the wallet sign, byte for byte what the original returned.

use axum::extract::{FromRequest, Request, State};
use neptu_http::{ApiError, ApiResult, Issue, Json, Rules};
use neptu_shared::domain::claims;
use neptu_shared::domain::enums::ReadingType;
use neptu_shared::domain::solana::programs::Instruction;
use neptu_shared::domain::validation::{self, check_blockhash};
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::pay_verify;
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

impl Rules for BuildRequest {
    type Checked = Order;

    /// The paying wallet must be a Solana address.
    fn check(self) -> Result<Order, Vec<Issue>> {
        let mut issues = Vec::new();
        match validation::wallet("walletAddress", &self.wallet_address, &mut issues) {
            Some(wallet) => Ok(Order {
                wallet,
                wallet_address: self.wallet_address,
                reading_type: self.reading_type,
                blockhash: self.blockhash,
                last_valid_block_height: self.last_valid_block_height,
            }),
            None => Err(issues),
        }
    }
}

/// A JSON body `T` checked by its [`Rules`] as `CheckedJson` checks it, on a deployment with
/// a Solana RPC: every build route needs the chain, so without one the answer is 503 after
/// the body's shape (a malformed body is still a 400 first) and before its rules.
struct OnChain<T: Rules>(T::Checked);

impl<T: Rules + DeserializeOwned> FromRequest<AppState> for OnChain<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let Json(body) = Json::<T>::from_request(req, state).await?;
        chain::configured(state.solana.as_deref())?;
        body.check().map(Self).map_err(ApiError::validation)
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
    OnChain(order): OnChain<BuildRequest>,
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
    OnChain(order): OnChain<BuildRequest>,
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
    OnChain(order): OnChain<BuildRequest>,
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
    OnChain((order, amount)): OnChain<ClaimBuildRequest>,
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

/// A [`ClaimBuildRequest`] with a Solana wallet, a positive amount and a whole nonce; the
/// amount as sent is kept for the answer's echo.
impl Rules for ClaimBuildRequest {
    type Checked = (ClaimOrder, f64);

    fn check(self) -> Result<(ClaimOrder, f64), Vec<Issue>> {
        let mut issues = Vec::new();
        let wallet = validation::wallet("walletAddress", &self.wallet_address, &mut issues);
        let raw = claims::raw_amount(self.amount, &mut issues);
        let nonce = claims::nonce(self.nonce, &mut issues);
        check_blockhash(self.blockhash.as_deref(), &mut issues);
        match wallet {
            Some(wallet) if issues.is_empty() => Ok((
                ClaimOrder {
                    wallet,
                    raw,
                    nonce,
                    blockhash: self.blockhash,
                    last_valid_block_height: self.last_valid_block_height,
                },
                self.amount,
            )),
            _ => Err(issues),
        }
    }
}
