//! Paying for a reading: verifying the payment on chain and recording it once.

pub mod build;
mod error;

use neptu_http::Issue;
use neptu_shared::clients::solana::SolanaRpc;
use neptu_shared::config::SolanaSettings;
use neptu_shared::db::token_transactions::{self, NewTokenTransaction, TokenTransaction};
use neptu_shared::db::{api_payments, payments, users};
use neptu_shared::domain::enums::{PaymentStatus, PaymentType, ReadingType, TransactionType};
use neptu_shared::domain::payments::{Expected, Paid, verify};
use neptu_shared::domain::pricing::{ReadingPrice, reading_price};
use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::PgPool;
use utoipa::ToSchema;

pub use self::error::PaymentError;
use super::chain;

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

/// [`verify_and_record`] for SOL and NEPTU only (the older `/api/token/verify-payment`).
pub async fn verify_sol_or_neptu(
    db: &PgPool,
    rpc: Option<&dyn SolanaRpc>,
    solana: &SolanaSettings,
    claim: &PaymentClaim,
) -> Result<PaymentVerifyResponse, PaymentError> {
    if claim.payment_type == PaymentType::Sudigital {
        return Err(PaymentError::Invalid(vec![Issue::new(
            "paymentType",
            "must be sol or neptu",
        )]));
    }
    verify_and_record(db, rpc, solana, claim).await
}

/// Checks the signature proves the payment (on `solana`'s recipients), then records it. A
/// signature already recorded for the same wallet, reading and asset answers as the original
/// did ("already recorded"); recorded for anything else, it is a 409.
pub async fn verify_and_record(
    db: &PgPool,
    rpc: Option<&dyn SolanaRpc>,
    solana: &SolanaSettings,
    claim: &PaymentClaim,
) -> Result<PaymentVerifyResponse, PaymentError> {
    let rpc = chain::configured(rpc)?;
    if let Some(existing) = token_transactions::find_by_signature(db, &claim.tx_signature).await? {
        return already_recorded(db, claim, existing).await;
    }
    if api_payments::find(db, &claim.tx_signature).await?.is_some() {
        return Err(PaymentError::SpentElsewhere);
    }
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
    let recipient = recipient.ok_or(PaymentError::NoRecipient(claim.payment_type))?;
    let tx = rpc
        .transaction(&claim.tx_signature)
        .await
        .map_err(chain::ChainError::from)?;
    let expected = Expected {
        payer: &claim.wallet,
        payment_type: claim.payment_type,
        recipient,
        mint,
        decimals,
        price: list_price,
    };
    let paid = verify(tx.as_ref(), &expected)?;
    record(db, claim, &price, paid).await
}

async fn record(
    db: &PgPool,
    claim: &PaymentClaim,
    price: &ReadingPrice,
    paid: Paid,
) -> Result<PaymentVerifyResponse, PaymentError> {
    let (user, _) = users::get_or_create(db, &claim.wallet).await?;
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
    let mut tx = db.begin().await?;
    api_payments::lock_signature(&mut tx, &claim.tx_signature).await?;
    if api_payments::find(&mut *tx, &claim.tx_signature).await?.is_some() {
        return Err(PaymentError::SpentElsewhere);
    }
    let Some(row) = token_transactions::insert_confirmed_once(&mut *tx, &new).await? else {
        tx.rollback().await?;
        let existing = token_transactions::find_by_signature(db, &claim.tx_signature)
            .await?
            .ok_or_else(|| anyhow::anyhow!("recorded signature vanished"))?;
        return already_recorded(db, claim, existing).await;
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
    payments::insert_once(&mut *tx, &payment).await?;
    tx.commit().await?;
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

async fn already_recorded(
    db: &PgPool,
    claim: &PaymentClaim,
    existing: TokenTransaction,
) -> Result<PaymentVerifyResponse, PaymentError> {
    let owner = users::find_by_wallet(db, &claim.wallet).await?;
    let same = owner.is_some_and(|u| u.id == existing.user_id)
        && existing.reading_type == Some(claim.reading_type)
        && existing.transaction_type == transaction_type(claim.payment_type);
    if !same {
        return Err(PaymentError::SpentElsewhere);
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
