//! `/api/token/*`: the caller's token history and statistics, and reading prices.

use axum::extract::State;
use neptu_http::auth::SignedIn;
use neptu_http::{ApiResult, CheckedJson, CheckedQuery, Issue, Path, Rules};
use neptu_shared::domain::enums::{ReadingType, TransactionType};
use neptu_shared::domain::token_history::HistoryEntry;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::pay_verify::{PaymentVerifyRequest, PriceNames, PricedReading, ReadingPriceResponse};
use crate::services::payments::{self, PaymentVerifyResponse};
use crate::services::token_history::{self, HistoryPage};
use crate::state::AppState;

type ErrorBody = neptu_http::docs::ErrorBody;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(transactions))
        .routes(routes!(stats))
        .routes(routes!(price))
        .routes(routes!(verify_payment))
}

/// `/api/pay/verify` for SOL and NEPTU only (the original's older route); the same checks,
/// and the recorded amounts are the on-chain ones.
#[utoipa::path(post, path = "/api/token/verify-payment", tag = "token", request_body = PaymentVerifyRequest, responses(
    (status = 200, body = PaymentVerifyResponse),
    (status = 400, description = "The transaction does not prove the payment", body = ErrorBody),
    (status = 409, description = "Signature already recorded for another payment", body = ErrorBody),
    (status = 503, description = "Solana RPC not configured or unavailable", body = ErrorBody),
))]
async fn verify_payment(
    State(state): State<AppState>,
    CheckedJson(claim): CheckedJson<PaymentVerifyRequest>,
) -> ApiResult<axum::Json<PaymentVerifyResponse>> {
    let (db, rpc, solana) = (&state.db, state.solana.as_deref(), &state.settings.solana);
    Ok(axum::Json(
        payments::verify_sol_or_neptu(db, rpc, solana, &claim).await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct HistoryQuery {
    /// 1 to 100, default 20.
    limit: Option<i64>,
    /// Transactions to skip (rewards are not offset), default 0.
    offset: Option<i64>,
    transaction_type: Option<TransactionType>,
}

impl Rules for HistoryQuery {
    type Checked = HistoryPage;

    fn check(self) -> Result<HistoryPage, Vec<Issue>> {
        HistoryPage::check(self.limit, self.offset, self.transaction_type)
    }
}

#[derive(Serialize, ToSchema)]
pub struct TokenHistoryResponse {
    success: bool,
    transactions: Vec<HistoryEntry>,
}

/// The caller's token transactions and rewards, newest first.
#[utoipa::path(get, path = "/api/token/transactions/{wallet}", tag = "token", params(("wallet" = String, Path), HistoryQuery),
    security(("bearer" = [])), responses(
    (status = 200, body = TokenHistoryResponse),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
))]
async fn transactions(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(wallet): Path<String>,
    CheckedQuery(page): CheckedQuery<HistoryQuery>,
) -> ApiResult<axum::Json<TokenHistoryResponse>> {
    let transactions = token_history::history(&state.db, &caller, &wallet, page).await?;
    Ok(axum::Json(TokenHistoryResponse {
        success: true,
        transactions,
    }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenStats {
    /// NEPTU earned: payment rewards plus every off-chain reward, each counted once.
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    total_neptu_rewarded: Decimal,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    total_neptu_burned: Decimal,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    total_sol_spent: Decimal,
    /// Confirmed transactions.
    transaction_count: i64,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    pending_rewards: Decimal,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    claimed_rewards: Decimal,
}

#[derive(Serialize, ToSchema)]
pub struct TokenStatsResponse {
    success: bool,
    stats: TokenStats,
}

/// The caller's token totals (one query).
#[utoipa::path(get, path = "/api/token/stats/{wallet}", tag = "token", params(("wallet" = String, Path)),
    security(("bearer" = [])), responses(
    (status = 200, body = TokenStatsResponse),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
async fn stats(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(wallet): Path<String>,
) -> ApiResult<axum::Json<TokenStatsResponse>> {
    let s = token_history::stats(&state.db, &caller, &wallet).await?;
    Ok(axum::Json(TokenStatsResponse {
        success: true,
        stats: TokenStats {
            total_neptu_rewarded: s.total_neptu_rewarded(),
            total_neptu_burned: s.neptu_burned,
            total_sol_spent: s.sol_spent,
            transaction_count: s.transaction_count,
            pending_rewards: s.pending_rewards,
            claimed_rewards: s.claimed_rewards,
        },
    }))
}

/// What a reading costs in SOL and in NEPTU.
#[utoipa::path(get, path = "/api/token/price/{readingType}", tag = "token",
    params(("readingType" = ReadingType, Path)), responses(
    (status = 200, body = ReadingPriceResponse),
    (status = 400, description = "Invalid reading type", body = ErrorBody),
))]
async fn price(PricedReading(reading_type): PricedReading) -> axum::Json<ReadingPriceResponse> {
    axum::Json(ReadingPriceResponse::new(reading_type, PriceNames::Token))
}
