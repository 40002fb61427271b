//! `/api/pay/verify` and the reading prices of `/api/pay/pricing`.

use axum::extract::State;
use neptu_http::{ApiError, ApiResult, Json};
use neptu_shared::domain::enums::{PaymentType, ReadingType};
use neptu_shared::domain::pricing::{PRICED_READINGS, ReadingPrice, reading_price};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::support::{check_signature, check_wallet, finish};
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

impl PaymentVerifyRequest {
    /// Checks the fields and turns them into what the service verifies.
    pub fn into_claim(self) -> ApiResult<PaymentClaim> {
        let mut issues = Vec::new();
        check_signature("txSignature", &self.tx_signature, &mut issues);
        check_wallet("walletAddress", &self.wallet_address, &mut issues);
        finish(issues)?;
        Ok(PaymentClaim {
            tx_signature: self.tx_signature,
            wallet: self.wallet_address,
            reading_type: self.reading_type,
            payment_type: self.payment_type,
        })
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
    Json(body): Json<PaymentVerifyRequest>,
) -> ApiResult<axum::Json<PaymentVerifyResponse>> {
    let claim = body.into_claim()?;
    Ok(axum::Json(payments::verify_and_record(&state, &claim).await?))
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

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BurnedAmount {
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    amount: Decimal,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    burned: Decimal,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    to_ecosystem: Decimal,
}

#[derive(Serialize, ToSchema)]
pub struct OnePricing {
    sol: Amount,
    neptu: BurnedAmount,
    sudigital: Amount,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OnePriceResponse {
    success: bool,
    reading_type: ReadingType,
    pricing: OnePricing,
}

/// One reading's price.
#[utoipa::path(get, path = "/api/pay/pricing/{readingType}", tag = "pay",
    params(("readingType" = ReadingType, Path)), responses(
    (status = 200, body = OnePriceResponse),
    (status = 400, description = "Invalid reading type", body = ErrorBody),
))]
async fn one_price(
    axum::extract::Path(kind): axum::extract::Path<String>,
) -> ApiResult<axum::Json<OnePriceResponse>> {
    let reading_type: ReadingType = kind
        .parse()
        .map_err(|_| ApiError::bad_request("Invalid reading type"))?;
    let p = reading_price(reading_type);
    Ok(axum::Json(OnePriceResponse {
        success: true,
        reading_type,
        pricing: OnePricing {
            sol: Amount {
                amount: p.sol,
                neptu_reward: p.sol_neptu_reward,
            },
            neptu: BurnedAmount {
                amount: p.neptu,
                burned: p.neptu_burned,
                to_ecosystem: p.neptu_to_ecosystem,
            },
            sudigital: Amount {
                amount: p.sudigital,
                neptu_reward: p.sudigital_neptu_reward,
            },
        },
    }))
}
