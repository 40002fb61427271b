//! Verifying a reading payment on chain and recording it once.

use neptu_http::{ApiError, ApiResult};
use neptu_shared::db::token_transactions::{self, NewTokenTransaction, TokenTransaction};
use neptu_shared::db::{api_payments, payments, users};
use neptu_shared::domain::enums::{PaymentStatus, PaymentType, ReadingType, TransactionType};
use neptu_shared::domain::payments::{Expected, Paid, verify};
use neptu_shared::domain::pricing::{ReadingPrice, reading_price};
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use super::chain;
use crate::state::AppState;

pub use neptu_shared::domain::payments::{SOL_DECIMALS, TOKEN_DECIMALS};

#[derive(Debug, Clone)]
pub struct PaymentClaim {
    pub tx_signature: String,
    pub wallet: String,
    pub reading_type: ReadingType,
    pub payment_type: PaymentType,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RewardNote {
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    neptu_rewarded: Decimal,
    message: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BurnNote {
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    neptu_burned: Decimal,
    message: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SudigitalNote {
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    sudigital_amount: Decimal,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    neptu_rewarded: Decimal,
    message: String,
}

/// The original's verify answer; absent notes are left out.
#[derive(Serialize, ToSchema)]
pub struct PaymentVerifyResponse {
    success: bool,
    transaction: TokenTransaction,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reward: Option<RewardNote>,
    #[serde(skip_serializing_if = "Option::is_none")]
    burn: Option<BurnNote>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sudigital: Option<SudigitalNote>,
}

fn transaction_type(payment: PaymentType) -> TransactionType {
    match payment {
        PaymentType::Sol => TransactionType::SolPayment,
        PaymentType::Neptu => TransactionType::NeptuPayment,
        PaymentType::Sudigital => TransactionType::SudigitalPayment,
    }
}

/// Checks the signature proves the payment, then records it. A signature already recorded
/// for the same wallet, reading and asset answers as the original did ("already recorded");
/// recorded for anything else, it is a 409.
pub async fn verify_and_record(state: &AppState, claim: &PaymentClaim) -> ApiResult<PaymentVerifyResponse> {
    let rpc = chain::rpc(state)?;
    if let Some(existing) = token_transactions::find_by_signature(&state.db, &claim.tx_signature).await? {
        return already_recorded(state, claim, existing).await;
    }
    if api_payments::find(&state.db, &claim.tx_signature)
        .await?
        .is_some()
    {
        return Err(spent_elsewhere());
    }
    let solana = &state.settings.solana;
    let price = reading_price(claim.reading_type);
    let (recipient, mint, decimals, list_price) = match claim.payment_type {
        PaymentType::Sol => (Some(&solana.treasury), "", SOL_DECIMALS, price.sol),
        PaymentType::Neptu => (
            solana.ecosystem_pool.as_ref(),
            solana.neptu_mint.as_str(),
            TOKEN_DECIMALS,
            price.neptu,
        ),
        PaymentType::Sudigital => (
            solana.sudigital_treasury.as_ref(),
            solana.sudigital_mint.as_str(),
            TOKEN_DECIMALS,
            price.sudigital,
        ),
    };
    let recipient = recipient.ok_or_else(|| missing_recipient(claim.payment_type))?;
    let tx = rpc
        .transaction(&claim.tx_signature)
        .await
        .map_err(chain::rpc_error)?;
    let expected = Expected {
        payer: &claim.wallet,
        payment_type: claim.payment_type,
        recipient,
        mint,
        decimals,
        price: list_price,
    };
    let paid = verify(tx.as_ref(), &expected).map_err(|r| ApiError::bad_request(r.to_string()))?;
    record(state, claim, &price, paid).await
}

/// The original answered 500 with these messages when the address was not configured.
fn missing_recipient(payment: PaymentType) -> ApiError {
    let message = match payment {
        PaymentType::Sol => "Treasury address not configured",
        PaymentType::Neptu => "Ecosystem pool address not configured",
        PaymentType::Sudigital => "SUDIGITAL treasury address not configured",
    };
    ApiError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, message)
}

async fn record(
    state: &AppState,
    claim: &PaymentClaim,
    price: &ReadingPrice,
    paid: Paid,
) -> ApiResult<PaymentVerifyResponse> {
    let (user, _) = users::get_or_create(&state.db, &claim.wallet).await?;
    let amount = paid.total_units();
    let burned = (paid.burned > 0).then(|| paid.burned_units());
    let rewarded = match claim.payment_type {
        PaymentType::Sol => Some(price.sol_neptu_reward),
        PaymentType::Sudigital => Some(price.sudigital_neptu_reward),
        PaymentType::Neptu => None,
    };
    let of = |kind: PaymentType| (claim.payment_type == kind).then_some(amount);
    let new = NewTokenTransaction {
        user_id: user.id,
        tx_signature: claim.tx_signature.clone(),
        transaction_type: transaction_type(claim.payment_type),
        reading_type: Some(claim.reading_type),
        sol_amount: of(PaymentType::Sol),
        neptu_amount: of(PaymentType::Neptu),
        sudigital_amount: of(PaymentType::Sudigital),
        neptu_burned: burned,
        neptu_rewarded: rewarded,
    };
    // Both rows or neither; the unique signature makes a concurrent duplicate insert nothing.
    // The signature's lock orders this against a plan or credit pack paid with the same
    // signature, which must not also pay for a reading.
    let mut db = state.db.begin().await?;
    api_payments::lock_signature(&mut db, &claim.tx_signature).await?;
    if api_payments::find(&mut *db, &claim.tx_signature).await?.is_some() {
        return Err(spent_elsewhere());
    }
    let Some(row) = token_transactions::insert_confirmed_once(&mut *db, &new).await? else {
        db.rollback().await?;
        let existing = token_transactions::find_by_signature(&state.db, &claim.tx_signature)
            .await?
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("recorded signature vanished")))?;
        return already_recorded(state, claim, existing).await;
    };
    let payment = payments::NewPayment {
        user_id: user.id,
        reading_id: None,
        payment_type: claim.payment_type,
        amount,
        neptu_reward: rewarded,
        neptu_burned: burned,
        tx_signature: claim.tx_signature.clone(),
        status: PaymentStatus::Confirmed,
    };
    payments::insert_once(&mut *db, &payment).await?;
    db.commit().await?;
    Ok(PaymentVerifyResponse {
        success: true,
        transaction: row,
        message: None,
        reward: rewarded.map(|r| RewardNote {
            neptu_rewarded: r,
            message: format!("Earned {r} NEPTU"),
        }),
        burn: burned.map(|b| BurnNote {
            neptu_burned: b,
            message: format!("Burned {b} NEPTU"),
        }),
        sudigital: (claim.payment_type == PaymentType::Sudigital).then(|| {
            let r = price.sudigital_neptu_reward;
            SudigitalNote {
                sudigital_amount: amount,
                neptu_rewarded: r,
                message: format!("Paid {amount} SUDIGITAL, earned {r} NEPTU"),
            }
        }),
    })
}

/// The signature paid for an API plan or credit pack.
fn spent_elsewhere() -> ApiError {
    ApiError::conflict("Transaction already recorded for another payment")
}

async fn already_recorded(
    state: &AppState,
    claim: &PaymentClaim,
    existing: TokenTransaction,
) -> ApiResult<PaymentVerifyResponse> {
    let owner = users::find_by_wallet(&state.db, &claim.wallet).await?;
    let same = owner.is_some_and(|u| u.id == existing.user_id)
        && existing.reading_type == Some(claim.reading_type)
        && existing.transaction_type == transaction_type(claim.payment_type);
    if !same {
        return Err(ApiError::conflict(
            "Transaction already recorded for another payment",
        ));
    }
    Ok(PaymentVerifyResponse {
        success: true,
        transaction: existing,
        message: Some("Transaction already recorded"),
        reward: None,
        burn: None,
        sudigital: None,
    })
}
