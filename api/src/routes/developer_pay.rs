//! `/api/developer/pay/*`: paying for an API plan (subscribe) or a credit pack (credits) on
//! Solana. `build` answers the transfer for the signed-in wallet to sign, at the plan's or
//! pack's own price; `verify` checks the signed transaction on chain and applies it once.

use axum::extract::State;
use neptu_http::auth::SignedIn;
use neptu_http::{ApiResult, CheckedJson, Issue, Rules};
use neptu_shared::db::api_packs::CreditPack;
use neptu_shared::db::api_plans::ApiPlan;
use neptu_shared::db::api_subscriptions::Subscription;
use neptu_shared::domain::developer_pay;
use neptu_shared::domain::enums::{ApiTier, PaymentType};
use neptu_shared::domain::solana::programs::Instruction;
use neptu_shared::domain::validation::{self, outcome};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::services::chain::Lifetime;
use crate::services::developer::payments::{self, Built, Checkout, Order, Receipt};
use crate::state::AppState;

type ErrorBody = neptu_http::docs::ErrorBody;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(subscribe_build))
        .routes(routes!(subscribe_verify))
        .routes(routes!(credits_build))
        .routes(routes!(credits_verify))
}

/// What to buy and how: the slug (`field` names it), and the client's blockhash if any.
fn order(
    field: &str,
    slug: String,
    method: PaymentType,
    blockhash: Option<String>,
    height: Option<u64>,
) -> Result<Order, Vec<Issue>> {
    let mut issues = Vec::new();
    developer_pay::check_slug(field, &slug, &mut issues);
    let blockhash = developer_pay::blockhash(blockhash, &mut issues);
    outcome(
        issues,
        Order {
            slug,
            method,
            blockhash,
            last_valid_block_height: height,
        },
    )
}

/// What was bought, and the signature of the transaction that paid it.
fn receipt(
    field: &str,
    slug: String,
    method: PaymentType,
    tx_signature: String,
) -> Result<Receipt, Vec<Issue>> {
    let mut issues = Vec::new();
    developer_pay::check_slug(field, &slug, &mut issues);
    validation::check_signature("txSignature", &tx_signature, &mut issues);
    outcome(
        issues,
        Receipt {
            slug,
            method,
            tx_signature,
        },
    )
}

/// How much to pay, in which asset.
#[derive(Serialize, ToSchema)]
pub struct PaymentQuote {
    method: PaymentType,
    /// Whole SOL or NEPTU: the plan's or pack's price.
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    amount: Decimal,
    /// `SOL` or `NEPTU`.
    currency: &'static str,
}

impl PaymentQuote {
    fn of(built: &Built) -> Self {
        Self {
            method: built.price.method,
            amount: built.price.amount,
            currency: built.price.currency(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubscribeBuildRequest {
    plan_slug: String,
    /// `sol` or `neptu` (`sudigital` is not offered yet).
    payment_method: PaymentType,
    /// With `lastValidBlockHeight`, used as is; otherwise the server fetches one.
    blockhash: Option<String>,
    last_valid_block_height: Option<u64>,
}

impl Rules for SubscribeBuildRequest {
    type Checked = Order;

    fn check(self) -> Result<Order, Vec<Issue>> {
        order(
            "planSlug",
            self.plan_slug,
            self.payment_method,
            self.blockhash,
            self.last_valid_block_height,
        )
    }
}

#[derive(Serialize, ToSchema)]
pub struct PaidPlan {
    id: Uuid,
    name: String,
    slug: String,
    tier: ApiTier,
}

impl From<ApiPlan> for PaidPlan {
    fn from(plan: ApiPlan) -> Self {
        Self {
            id: plan.id,
            name: plan.name,
            slug: plan.slug,
            tier: plan.tier,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SubscribeBuildResponse {
    success: bool,
    plan: PaidPlan,
    payment: PaymentQuote,
    /// A system transfer of the price to the treasury (SOL), or an SPL `TransferChecked` of
    /// the price from the wallet's NEPTU account to the ecosystem pool (NEPTU).
    instruction: Instruction,
    transaction: Lifetime,
}

/// The transfer that pays for a plan, for the caller's wallet to sign.
#[utoipa::path(post, path = "/api/developer/pay/subscribe/build", tag = "developer",
    request_body = SubscribeBuildRequest, security(("bearer" = [])), responses(
    (status = 200, body = SubscribeBuildResponse),
    (status = 400, description = "Bad input, plan not available, or not payable this way", body = ErrorBody),
    (status = 401, body = ErrorBody),
    (status = 404, description = "Plan not found", body = ErrorBody),
    (status = 503, description = "Solana RPC or the recipient address not configured, or the RPC unavailable", body = ErrorBody),
))]
async fn subscribe_build(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    CheckedJson(order): CheckedJson<SubscribeBuildRequest>,
) -> ApiResult<axum::Json<SubscribeBuildResponse>> {
    let (plan, built) = payments::build_subscription(&Checkout::from(&state), &caller.wallet, order).await?;
    Ok(axum::Json(SubscribeBuildResponse {
        success: true,
        plan: plan.into(),
        payment: PaymentQuote::of(&built),
        instruction: built.instruction,
        transaction: built.lifetime,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubscribeVerifyRequest {
    plan_slug: String,
    payment_method: PaymentType,
    tx_signature: String,
}

impl Rules for SubscribeVerifyRequest {
    type Checked = Receipt;

    fn check(self) -> Result<Receipt, Vec<Issue>> {
        receipt("planSlug", self.plan_slug, self.payment_method, self.tx_signature)
    }
}

#[derive(Serialize, ToSchema)]
pub struct SubscribeVerifyResponse {
    success: bool,
    subscription: Subscription,
    message: String,
}

/// Verifies a plan's payment and subscribes the caller: the active subscription is
/// cancelled and replaced by one on the plan, with its calls as credits, for one cycle.
#[utoipa::path(post, path = "/api/developer/pay/subscribe/verify", tag = "developer",
    request_body = SubscribeVerifyRequest, security(("bearer" = [])), responses(
    (status = 200, body = SubscribeVerifyResponse),
    (status = 400, description = "Bad input, plan not available, or the transaction does not prove the payment", body = ErrorBody),
    (status = 401, body = ErrorBody),
    (status = 404, description = "Plan not found", body = ErrorBody),
    (status = 409, description = "The signature already paid for something", body = ErrorBody),
    (status = 503, description = "Solana RPC or the recipient address not configured, or the RPC unavailable", body = ErrorBody),
))]
async fn subscribe_verify(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    CheckedJson(receipt): CheckedJson<SubscribeVerifyRequest>,
) -> ApiResult<axum::Json<SubscribeVerifyResponse>> {
    let (plan, subscription) =
        payments::verify_subscription(&Checkout::from(&state), &caller.wallet, receipt).await?;
    Ok(axum::Json(SubscribeVerifyResponse {
        success: true,
        subscription,
        message: format!("Successfully subscribed to {} plan", plan.name),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreditsBuildRequest {
    pack_slug: String,
    /// `sol` or `neptu` (`sudigital` is not offered yet).
    payment_method: PaymentType,
    blockhash: Option<String>,
    last_valid_block_height: Option<u64>,
}

impl Rules for CreditsBuildRequest {
    type Checked = Order;

    fn check(self) -> Result<Order, Vec<Issue>> {
        order(
            "packSlug",
            self.pack_slug,
            self.payment_method,
            self.blockhash,
            self.last_valid_block_height,
        )
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaidPack {
    id: Uuid,
    name: String,
    slug: String,
    credits: i32,
    ai_credits: i32,
}

impl From<CreditPack> for PaidPack {
    fn from(pack: CreditPack) -> Self {
        Self {
            id: pack.id,
            name: pack.name,
            slug: pack.slug,
            credits: pack.credits,
            ai_credits: pack.ai_credits,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CreditsBuildResponse {
    success: bool,
    pack: PaidPack,
    payment: PaymentQuote,
    instruction: Instruction,
    transaction: Lifetime,
}

/// The transfer that pays for a credit pack, for the caller's wallet to sign.
#[utoipa::path(post, path = "/api/developer/pay/credits/build", tag = "developer",
    request_body = CreditsBuildRequest, security(("bearer" = [])), responses(
    (status = 200, body = CreditsBuildResponse),
    (status = 400, description = "Bad input, pack not available, or not payable this way", body = ErrorBody),
    (status = 401, body = ErrorBody),
    (status = 404, description = "Credit pack not found", body = ErrorBody),
    (status = 503, description = "Solana RPC or the recipient address not configured, or the RPC unavailable", body = ErrorBody),
))]
async fn credits_build(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    CheckedJson(order): CheckedJson<CreditsBuildRequest>,
) -> ApiResult<axum::Json<CreditsBuildResponse>> {
    let (pack, built) = payments::build_credits(&Checkout::from(&state), &caller.wallet, order).await?;
    Ok(axum::Json(CreditsBuildResponse {
        success: true,
        pack: pack.into(),
        payment: PaymentQuote::of(&built),
        instruction: built.instruction,
        transaction: built.lifetime,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreditsVerifyRequest {
    pack_slug: String,
    /// The asset the transaction paid in.
    payment_method: PaymentType,
    tx_signature: String,
}

impl Rules for CreditsVerifyRequest {
    type Checked = Receipt;

    fn check(self) -> Result<Receipt, Vec<Issue>> {
        receipt("packSlug", self.pack_slug, self.payment_method, self.tx_signature)
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PackCreditsAdded {
    basic: i64,
    ai: i64,
    bonus_percent: i32,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreditsVerifyResponse {
    success: bool,
    subscription: Subscription,
    credits_added: PackCreditsAdded,
    message: String,
}

/// Verifies a credit pack's payment and adds its credits, bonus included, to the caller's
/// active subscription.
#[utoipa::path(post, path = "/api/developer/pay/credits/verify", tag = "developer",
    request_body = CreditsVerifyRequest, security(("bearer" = [])), responses(
    (status = 200, body = CreditsVerifyResponse),
    (status = 400, description = "Bad input, pack not available, no active subscription, or the transaction does not prove the payment", body = ErrorBody),
    (status = 401, body = ErrorBody),
    (status = 404, description = "Credit pack not found", body = ErrorBody),
    (status = 409, description = "The signature already paid for something", body = ErrorBody),
    (status = 503, description = "Solana RPC or the recipient address not configured, or the RPC unavailable", body = ErrorBody),
))]
async fn credits_verify(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    CheckedJson(receipt): CheckedJson<CreditsVerifyRequest>,
) -> ApiResult<axum::Json<CreditsVerifyResponse>> {
    let (subscription, added) =
        payments::verify_credits(&Checkout::from(&state), &caller.wallet, receipt).await?;
    Ok(axum::Json(CreditsVerifyResponse {
        success: true,
        subscription,
        credits_added: PackCreditsAdded {
            basic: added.basic,
            ai: added.ai,
            bonus_percent: added.bonus_percent,
        },
        message: format!(
            "Successfully added {} basic credits and {} AI credits",
            added.basic, added.ai
        ),
    }))
}
