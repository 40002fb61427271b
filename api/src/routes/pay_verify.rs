//! `/api/pay/verify` and the reading prices of `/api/pay/pricing`.

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use neptu_http::{ApiError, ApiResult, CheckedJson, Issue, Rules};
use neptu_shared::domain::enums::{PaymentType, ReadingType};
use neptu_shared::domain::pricing::{PRICED_READINGS, ReadingPrice, reading_price};
use neptu_shared::domain::validation::{self, outcome};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::services::payments::{self, PaymentClaim, PaymentVerifyResponse};
use crate::state::AppState;

type ErrorBody = neptu_http::docs::ErrorBody;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(verify))
        .routes(routes!(all_prices))
        .routes(routes!(one_price))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentVerifyRequest {
    tx_signature: String,
    wallet_address: String,
    reading_type: ReadingType,
    payment_type: PaymentType,
}

/// A verify body with a well-formed signature and wallet becomes what the service verifies.
impl Rules for PaymentVerifyRequest {
    type Checked = PaymentClaim;

    fn check(self) -> Result<PaymentClaim, Vec<Issue>> {
        let mut issues = Vec::new();
        validation::check_signature("txSignature", &self.tx_signature, &mut issues);
        validation::check_wallet("walletAddress", &self.wallet_address, &mut issues);
        outcome(
            issues,
            PaymentClaim {
                tx_signature: self.tx_signature,
                wallet: self.wallet_address,
                reading_type: self.reading_type,
                payment_type: self.payment_type,
            },
        )
    }
}

/// Verifies a reading payment on chain and records it once. No token needed: the
/// transaction must be signed by `walletAddress`, which only its holder can do.
#[utoipa::path(post, path = "/api/pay/verify", tag = "pay", request_body = PaymentVerifyRequest, responses(
    (status = 200, body = PaymentVerifyResponse),
    (status = 400, description = "The transaction does not prove the payment", body = ErrorBody),
    (status = 409, description = "Signature already recorded for another payment", body = ErrorBody),
    (status = 503, description = "Solana RPC not configured or unavailable", body = ErrorBody),
))]
async fn verify(
    State(state): State<AppState>,
    CheckedJson(claim): CheckedJson<PaymentVerifyRequest>,
) -> ApiResult<axum::Json<PaymentVerifyResponse>> {
    let (db, rpc, solana) = (&state.db, state.solana.as_deref(), &state.settings.solana);
    Ok(axum::Json(
        payments::verify_and_record(db, rpc, solana, &claim).await?,
    ))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RewardedPrice {
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    price: Decimal,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    neptu_reward: Decimal,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BurnedPrice {
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    price: Decimal,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    burned: Decimal,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    to_ecosystem: Decimal,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PriceRow {
    reading_type: ReadingType,
    sol: RewardedPrice,
    neptu: BurnedPrice,
    sudigital: RewardedPrice,
}

impl PriceRow {
    fn of(reading_type: ReadingType, p: &ReadingPrice) -> Self {
        Self {
            reading_type,
            sol: RewardedPrice {
                price: p.sol,
                neptu_reward: p.sol_neptu_reward,
            },
            neptu: BurnedPrice {
                price: p.neptu,
                burned: p.neptu_burned,
                to_ecosystem: p.neptu_to_ecosystem,
            },
            sudigital: RewardedPrice {
                price: p.sudigital,
                neptu_reward: p.sudigital_neptu_reward,
            },
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AllPricesResponse {
    success: bool,
    pricing: Vec<PriceRow>,
}

/// Every reading's price in SOL, NEPTU and SUDIGITAL.
#[utoipa::path(get, path = "/api/pay/pricing", tag = "pay", responses((status = 200, body = AllPricesResponse)))]
async fn all_prices() -> axum::Json<AllPricesResponse> {
    axum::Json(AllPricesResponse {
        success: true,
        pricing: PRICED_READINGS
            .iter()
            .map(|&kind| PriceRow::of(kind, &reading_price(kind)))
            .collect(),
    })
}

/// A reading's price, as both single-price routes answer it (see [`PriceNames`]).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReadingPriceResponse {
    success: bool,
    reading_type: ReadingType,
    pricing: ReadingPricing,
}

#[derive(Serialize, ToSchema)]
pub struct ReadingPricing {
    sol: Amount,
    neptu: BurnedAmount,
    /// Left out by `/api/token/price/{readingType}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    sudigital: Option<Amount>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Amount {
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    amount: Decimal,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    neptu_reward: Decimal,
}

/// Half of a NEPTU payment is burned, half goes to the ecosystem pool; each route names that
/// half its own way, so exactly one of `toEcosystem` and `toTreasury` is present.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BurnedAmount {
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    amount: Decimal,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    burned: Decimal,
    /// `/api/pay/pricing/{readingType}`.
    #[schema(value_type = Option<f64>)]
    #[serde(
        with = "rust_decimal::serde::float_option",
        skip_serializing_if = "Option::is_none"
    )]
    to_ecosystem: Option<Decimal>,
    /// `/api/token/price/{readingType}` (the original's older name).
    #[schema(value_type = Option<f64>)]
    #[serde(
        with = "rust_decimal::serde::float_option",
        skip_serializing_if = "Option::is_none"
    )]
    to_treasury: Option<Decimal>,
}

/// Which route's body: `/api/pay/pricing/{readingType}` has SUDIGITAL and says
/// `toEcosystem`; the older `/api/token/price/{readingType}` has SOL and NEPTU only and says
/// `toTreasury`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum PriceNames {
    Pay,
    Token,
}

impl ReadingPriceResponse {
    pub fn new(reading_type: ReadingType, names: PriceNames) -> Self {
        let p = reading_price(reading_type);
        let to_pool = p.neptu_to_ecosystem;
        Self {
            success: true,
            reading_type,
            pricing: ReadingPricing {
                sol: Amount {
                    amount: p.sol,
                    neptu_reward: p.sol_neptu_reward,
                },
                neptu: BurnedAmount {
                    amount: p.neptu,
                    burned: p.neptu_burned,
                    to_ecosystem: (names == PriceNames::Pay).then_some(to_pool),
                    to_treasury: (names == PriceNames::Token).then_some(to_pool),
                },
                sudigital: (names == PriceNames::Pay).then_some(Amount {
                    amount: p.sudigital,
                    neptu_reward: p.sudigital_neptu_reward,
                }),
            },
        }
    }
}

/// A `{readingType}` path segment: 400 "Invalid reading type" for anything else.
pub struct PricedReading(pub ReadingType);

impl<S: Send + Sync> FromRequestParts<S> for PricedReading {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(kind) = axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        kind.parse()
            .map(Self)
            .map_err(|_| ApiError::bad_request("Invalid reading type").into_response())
    }
}

/// One reading's price.
#[utoipa::path(get, path = "/api/pay/pricing/{readingType}", tag = "pay",
    params(("readingType" = ReadingType, Path)), responses(
    (status = 200, body = ReadingPriceResponse),
    (status = 400, description = "Invalid reading type", body = ErrorBody),
))]
async fn one_price(PricedReading(reading_type): PricedReading) -> axum::Json<ReadingPriceResponse> {
    axum::Json(ReadingPriceResponse::new(reading_type, PriceNames::Pay))
}
