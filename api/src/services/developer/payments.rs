//! Paying for an API plan or a credit pack on Solana: the instruction the wallet signs, then
//! the verification of the signed transaction and, once, what it bought.
//!
//! A plan or pack is paid by a plain transfer of its own price (SOL to the treasury, NEPTU to
//! the ecosystem pool's token account), verified as strictly as a reading payment: the
//! transaction exists, succeeded, is signed by the caller's wallet and moved at least the
//! price of the right asset to the right recipient. A signature pays for one thing only, ever:
//! recording takes the signature's advisory lock and refuses a signature already recorded as
//! any payment (plan, pack or reading) with a 409, so racing verifications record once.

use chrono::Utc;
use neptu_shared::clients::solana::SolanaRpc;
use neptu_shared::config::SolanaSettings;
use neptu_shared::db::api_packs::{self, CreditPack};
use neptu_shared::db::api_payments::{self, NewApiPayment};
use neptu_shared::db::api_plans::{self, ApiPlan};
use neptu_shared::db::api_subscriptions::{self, NewSubscription, ONE_ACTIVE_CONSTRAINT, Subscription};
use neptu_shared::db::{is_unique_violation, users};
use neptu_shared::domain::developer::{cycle_end, with_bonus};
use neptu_shared::domain::developer_pay::{self, Price, Purchase};
use neptu_shared::domain::enums::{ApiPaymentKind, PaymentType};
use neptu_shared::domain::payments::{Expected, Paid, verify_transfer};
use neptu_shared::domain::solana::programs::{Instruction, associated_token_address};
use neptu_shared::domain::solana::{Address, builtin};
use sqlx::PgPool;
use uuid::Uuid;

use super::DeveloperError;
use crate::services::chain::{self, Lifetime};
use crate::state::AppState;

/// The answer to a verification of a signature that already paid for something.
pub const SIGNATURE_USED: &str = "Transaction already recorded for another payment";
pub const NO_SUBSCRIPTION: &str = "No active subscription found. Please subscribe first.";
/// Attempts at replacing the active subscription when another one appears meanwhile.
const SWAP_ATTEMPTS: usize = 3;

/// What payments need: the database, the chain and where payments go.
pub struct Checkout<'a> {
    pub db: &'a PgPool,
    pub rpc: Option<&'a dyn SolanaRpc>,
    pub solana: &'a SolanaSettings,
}

impl<'a> From<&'a AppState> for Checkout<'a> {
    fn from(state: &'a AppState) -> Self {
        Self {
            db: &state.db,
            rpc: state.solana.as_deref(),
            solana: &state.settings.solana,
        }
    }
}

/// A build request: what to buy, how to pay, and optionally the client's blockhash.
#[derive(Debug, Clone)]
pub struct Order {
    pub slug: String,
    pub method: PaymentType,
    pub blockhash: Option<String>,
    pub last_valid_block_height: Option<u64>,
}

/// A verify request: what was bought, how, and the signature of the transaction.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub slug: String,
    pub method: PaymentType,
    pub tx_signature: String,
}

/// The transfer to sign.
#[derive(Debug, Clone)]
pub struct Built {
    pub price: Price,
    pub instruction: Instruction,
    pub lifetime: Lifetime,
}

/// Credits a pack added to the subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Added {
    pub basic: i64,
    pub ai: i64,
    pub bonus_percent: i32,
}

async fn active_plan(db: &PgPool, slug: &str) -> Result<ApiPlan, DeveloperError> {
    let plan = api_plans::find_by_slug(db, slug)
        .await?
        .ok_or(DeveloperError::NotFound("Plan not found"))?;
    if !plan.is_active {
        return Err(DeveloperError::BadRequest("Plan is not available".into()));
    }
    Ok(plan)
}

async fn active_pack(db: &PgPool, slug: &str) -> Result<CreditPack, DeveloperError> {
    let pack = api_packs::find_by_slug(db, slug)
        .await?
        .ok_or(DeveloperError::NotFound("Credit pack not found"))?;
    if !pack.is_active {
        return Err(DeveloperError::BadRequest("Credit pack is not available".into()));
    }
    Ok(pack)
}

fn priced(
    method: PaymentType,
    sol: Option<rust_decimal::Decimal>,
    neptu: Option<rust_decimal::Decimal>,
    what: Purchase,
) -> Result<Price, DeveloperError> {
    developer_pay::price(method, sol, neptu, what).map_err(|r| DeveloperError::BadRequest(r.to_string()))
}

/// The transfer paying for `order.slug`'s plan.
pub async fn build_subscription(
    c: &Checkout<'_>,
    payer: &str,
    order: Order,
) -> Result<(ApiPlan, Built), DeveloperError> {
    let plan = active_plan(c.db, &order.slug).await?;
    let price = priced(order.method, plan.price_sol, plan.price_neptu, Purchase::Plan)?;
    Ok((plan, c.build(payer, price, order).await?))
}

/// The transfer paying for `order.slug`'s credit pack.
pub async fn build_credits(
    c: &Checkout<'_>,
    payer: &str,
    order: Order,
) -> Result<(CreditPack, Built), DeveloperError> {
    let pack = active_pack(c.db, &order.slug).await?;
    let price = priced(order.method, pack.price_sol, pack.price_neptu, Purchase::Pack)?;
    Ok((pack, c.build(payer, price, order).await?))
}

/// Verifies the payment of a plan and, in one transaction, replaces the caller's active
/// subscription with a new one on that plan and records the payment.
pub async fn verify_subscription(
    c: &Checkout<'_>,
    payer: &str,
    receipt: Receipt,
) -> Result<(ApiPlan, Subscription), DeveloperError> {
    let plan = active_plan(c.db, &receipt.slug).await?;
    let price = priced(receipt.method, plan.price_sol, plan.price_neptu, Purchase::Plan)?;
    let paid = c.prove(payer, &price, &receipt.tx_signature).await?;
    let (user, _) = users::get_or_create(c.db, payer).await?;
    let (credits, ai_credits) = developer_pay::plan_credits(&plan.limits);
    let start = Utc::now();
    let new = NewSubscription {
        user_id: user.id,
        plan_id: plan.id,
        credits,
        ai_credits,
        cycle_start: start,
        cycle_end: cycle_end(start, plan.billing_period),
        payment_method: Some(price.method),
        payment_tx_signature: Some(receipt.tx_signature.clone()),
    };
    let payment = NewApiPayment {
        tx_signature: receipt.tx_signature,
        user_id: user.id,
        kind: ApiPaymentKind::Subscription,
        plan_id: Some(plan.id),
        pack_id: None,
        payment_method: price.method,
        amount: paid.total_units(),
    };
    let mut attempt = 1;
    loop {
        match swap_subscription(c.db, &new, &payment).await {
            Err(DeveloperError::Database(e))
                if attempt < SWAP_ATTEMPTS && is_unique_violation(&e, ONE_ACTIVE_CONSTRAINT) =>
            {
                // A subscription made active outside the user's lock (an admin reactivating
                // one) committed between our cancel and insert: cancel it too.
                attempt += 1;
            }
            result => return result.map(|subscription| (plan, subscription)),
        }
    }
}

async fn swap_subscription(
    db: &PgPool,
    new: &NewSubscription,
    payment: &NewApiPayment,
) -> Result<Subscription, DeveloperError> {
    let mut tx = db.begin().await?;
    api_payments::lock_signature(&mut tx, &payment.tx_signature).await?;
    if api_payments::signature_used(&mut *tx, &payment.tx_signature).await? {
        return Err(DeveloperError::Conflict(SIGNATURE_USED));
    }
    api_subscriptions::lock_for_user(&mut tx, new.user_id).await?;
    api_subscriptions::cancel_active(&mut *tx, new.user_id).await?;
    let subscription = api_subscriptions::insert_active(&mut *tx, new).await?;
    api_payments::insert(&mut *tx, payment, Some(subscription.id)).await?;
    tx.commit().await?;
    Ok(subscription)
}

/// Verifies the payment of a credit pack and, in one transaction, adds its credits (with the
/// bonus) to the caller's active subscription and records the payment.
pub async fn verify_credits(
    c: &Checkout<'_>,
    payer: &str,
    receipt: Receipt,
) -> Result<(Subscription, Added), DeveloperError> {
    let pack = active_pack(c.db, &receipt.slug).await?;
    let price = priced(receipt.method, pack.price_sol, pack.price_neptu, Purchase::Pack)?;
    // Checked before the chain is asked, and again when the credits are added.
    let user_id = current_subscriber(c.db, payer)
        .await?
        .ok_or_else(|| DeveloperError::BadRequest(NO_SUBSCRIPTION.into()))?;
    let paid = c.prove(payer, &price, &receipt.tx_signature).await?;
    let added = Added {
        basic: with_bonus(pack.credits, pack.bonus_percent),
        ai: with_bonus(pack.ai_credits, pack.bonus_percent),
        bonus_percent: pack.bonus_percent,
    };
    let payment = NewApiPayment {
        tx_signature: receipt.tx_signature,
        user_id,
        kind: ApiPaymentKind::Credits,
        plan_id: None,
        pack_id: Some(pack.id),
        payment_method: price.method,
        amount: paid.total_units(),
    };
    let mut tx = c.db.begin().await?;
    api_payments::lock_signature(&mut tx, &payment.tx_signature).await?;
    if api_payments::signature_used(&mut *tx, &payment.tx_signature).await? {
        return Err(DeveloperError::Conflict(SIGNATURE_USED));
    }
    let subscription = api_subscriptions::add_credits(&mut *tx, user_id, added.basic, added.ai)
        .await?
        .filter(|s| s.billing_cycle_end > Utc::now())
        .ok_or_else(|| DeveloperError::BadRequest(NO_SUBSCRIPTION.into()))?;
    api_payments::insert(&mut *tx, &payment, Some(subscription.id)).await?;
    tx.commit().await?;
    Ok((subscription, added))
}

/// The user of `wallet` if they hold an active subscription in a cycle that has not ended.
async fn current_subscriber(db: &PgPool, wallet: &str) -> Result<Option<Uuid>, DeveloperError> {
    let Some(user) = users::find_by_wallet(db, wallet).await? else {
        return Ok(None);
    };
    let active = api_subscriptions::find_active(db, user.id).await?;
    Ok(active
        .filter(|s| s.billing_cycle_end > Utc::now())
        .map(|_| user.id))
}

impl Checkout<'_> {
    fn rpc(&self) -> Result<&dyn SolanaRpc, DeveloperError> {
        self.rpc
            .ok_or_else(|| DeveloperError::Unavailable(chain::NOT_CONFIGURED.into()))
    }

    /// Where a payment in `method` goes; 503 when this deployment has not configured it.
    fn recipient(&self, method: PaymentType) -> Result<&str, DeveloperError> {
        let (configured, missing) = match method {
            PaymentType::Sol => (Some(&self.solana.treasury), "Treasury address not configured"),
            PaymentType::Neptu => (
                self.solana.ecosystem_pool.as_ref(),
                "Ecosystem pool address not configured",
            ),
            PaymentType::Sudigital => return Err(not_supported()),
        };
        configured
            .map(String::as_str)
            .ok_or_else(|| DeveloperError::Unavailable(missing.into()))
    }

    async fn build(&self, payer: &str, price: Price, order: Order) -> Result<Built, DeveloperError> {
        let recipient = address(self.recipient(price.method)?)?;
        let rpc = self.rpc()?;
        let payer = Address::parse(payer)
            .ok_or_else(|| DeveloperError::BadRequest("Invalid wallet address".into()))?;
        let instruction = match price.method {
            PaymentType::Neptu => {
                let mint = address(&self.solana.neptu_mint)?;
                let source = associated_token_address(&payer, &mint);
                let decimals = u8::try_from(price.decimals).map_err(anyhow::Error::from)?;
                builtin::transfer_checked(source, mint, recipient, payer, price.raw, decimals)
            }
            PaymentType::Sol => builtin::system_transfer(payer, recipient, price.raw),
            PaymentType::Sudigital => return Err(not_supported()),
        };
        let lifetime = chain::lifetime(rpc, order.blockhash, order.last_valid_block_height).await?;
        Ok(Built {
            price,
            instruction,
            lifetime,
        })
    }

    /// Checks that `signature` paid `price` from `payer` and has paid for nothing yet.
    async fn prove(&self, payer: &str, price: &Price, signature: &str) -> Result<Paid, DeveloperError> {
        let recipient = self.recipient(price.method)?;
        let rpc = self.rpc()?;
        // Refused here already, without asking the chain; the recording checks again under
        // the signature's lock.
        if api_payments::signature_used(self.db, signature).await? {
            return Err(DeveloperError::Conflict(SIGNATURE_USED));
        }
        let tx = rpc.transaction(signature).await?;
        let expected = Expected {
            payer,
            payment_type: price.method,
            recipient,
            mint: &self.solana.neptu_mint,
            decimals: price.decimals,
            price: price.amount,
        };
        verify_transfer(tx.as_ref(), &expected).map_err(|r| DeveloperError::BadRequest(r.to_string()))
    }
}

/// SUDIGITAL pays readings only (the price rules refuse it before this is reached).
fn not_supported() -> DeveloperError {
    DeveloperError::BadRequest(developer_pay::Refusal::NotSupported.to_string())
}

/// A configured address (checked when the settings were loaded).
fn address(text: &str) -> Result<Address, DeveloperError> {
    Address::parse(text)
        .ok_or_else(|| DeveloperError::Internal(anyhow::anyhow!("configured address {text} is invalid")))
}
