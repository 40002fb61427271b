//! `/api/wallet/*`: rewards, streaks, daily check-in and reward claims of the caller's wallet.

use axum::extract::State;
use chrono::Utc;
use neptu_http::auth::SignedIn;
use neptu_http::{ApiResult, CheckedJson, Issue, Path, Rules};
use neptu_shared::domain::validation::{check_signature, outcome};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::wallet_balance;
use crate::services::check_in::{self, UserStreak};
use crate::services::claims::{self, Ledger};
use crate::services::rewards::{self, UserReward};
use crate::state::AppState;

type ErrorBody = neptu_http::docs::ErrorBody;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(pending_rewards))
        .routes(routes!(streak))
        .routes(routes!(check_in_today))
        .routes(routes!(claim))
        .routes(routes!(revert_failed_claims))
        .merge(wallet_balance::routes())
}

/// What the claim routes check a claim with, from the application state.
fn ledger(state: &AppState) -> Ledger<'_> {
    Ledger {
        db: &state.db,
        rpc: state.solana.as_deref(),
        mint: &state.settings.solana.neptu_mint,
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RewardsResponse {
    success: bool,
    /// Pending rewards, newest first (at most 50).
    rewards: Vec<UserReward>,
    /// Sum of all pending rewards.
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    total_pending: Decimal,
}

/// The caller's pending rewards.
#[utoipa::path(get, path = "/api/wallet/rewards/{wallet}", tag = "wallet", params(("wallet" = String, Path)),
    security(("bearer" = [])), responses(
    (status = 200, body = RewardsResponse),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
async fn pending_rewards(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(wallet): Path<String>,
) -> ApiResult<axum::Json<RewardsResponse>> {
    caller.authorize_wallet(&wallet)?;
    let pending = rewards::pending(&state.db, &wallet).await?;
    Ok(axum::Json(RewardsResponse {
        success: true,
        rewards: pending.rewards,
        total_pending: pending.total,
    }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StreakResponse {
    success: bool,
    /// `null` before the first check-in.
    streak: Option<UserStreak>,
    has_checked_in_today: bool,
}

/// The caller's check-in streak.
#[utoipa::path(get, path = "/api/wallet/streak/{wallet}", tag = "wallet", params(("wallet" = String, Path)),
    security(("bearer" = [])), responses(
    (status = 200, body = StreakResponse),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
async fn streak(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(wallet): Path<String>,
) -> ApiResult<axum::Json<StreakResponse>> {
    caller.authorize_wallet(&wallet)?;
    let status = check_in::streak(&state.db, &wallet, Utc::now()).await?;
    Ok(axum::Json(StreakResponse {
        success: true,
        streak: status.streak,
        has_checked_in_today: status.checked_in_today,
    }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CheckInResponse {
    success: bool,
    streak: UserStreak,
    daily_reward_granted: bool,
    streak_bonus_granted: bool,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    streak_bonus_amount: Decimal,
}

/// Checks in for today (UTC): extends the streak and grants the daily reward, once a day.
#[utoipa::path(post, path = "/api/wallet/check-in/{wallet}", tag = "wallet", params(("wallet" = String, Path)),
    security(("bearer" = [])), responses(
    (status = 200, body = CheckInResponse),
    (status = 400, description = "Already checked in today", body = ErrorBody),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
async fn check_in_today(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(wallet): Path<String>,
) -> ApiResult<axum::Json<CheckInResponse>> {
    caller.authorize_wallet(&wallet)?;
    let done = check_in::record(&state.db, &wallet, Utc::now()).await?;
    Ok(axum::Json(CheckInResponse {
        success: true,
        streak: done.streak,
        daily_reward_granted: true,
        streak_bonus_granted: done.milestone.is_some(),
        streak_bonus_amount: done.milestone.map_or(Decimal::ZERO, |m| m.bonus),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClaimRequest {
    reward_id: Uuid,
    /// The Solana signature of the claim transaction (64 to 128 characters).
    claim_tx_signature: String,
}

impl Rules for ClaimRequest {
    type Checked = Self;

    fn check(self) -> Result<Self, Vec<Issue>> {
        let mut issues = Vec::new();
        check_signature("claimTxSignature", &self.claim_tx_signature, &mut issues);
        outcome(issues, self)
    }
}

#[derive(Serialize, ToSchema)]
pub struct ClaimResponse {
    success: bool,
    reward: UserReward,
}

/// Marks one of the caller's pending rewards claimed under a claim transaction, once that
/// transaction is confirmed, signed by the wallet and paid it at least every reward claimed
/// with it; otherwise the reward stays pending.
#[utoipa::path(post, path = "/api/wallet/claim/{wallet}", tag = "wallet", params(("wallet" = String, Path)),
    request_body = ClaimRequest, security(("bearer" = [])), responses(
    (status = 200, body = ClaimResponse),
    (status = 400, description = "Not the caller's pending reward, or the transaction does not pay it", body = ErrorBody),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, description = "Signature used by another payment or wallet", body = ErrorBody),
    (status = 503, description = "Solana RPC not configured or unavailable", body = ErrorBody),
))]
async fn claim(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(wallet): Path<String>,
    CheckedJson(body): CheckedJson<ClaimRequest>,
) -> ApiResult<axum::Json<ClaimResponse>> {
    caller.authorize_wallet(&wallet)?;
    let reward = claims::claim(ledger(&state), &wallet, body.reward_id, &body.claim_tx_signature).await?;
    Ok(axum::Json(ClaimResponse {
        success: true,
        reward,
    }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RevertResponse {
    success: bool,
    reverted_count: usize,
    reverted_ids: Vec<Uuid>,
    /// Claimed rewards that were checked.
    total_claimed: usize,
}

/// Puts back to pending the caller's claims whose transaction failed or never landed.
#[utoipa::path(post, path = "/api/wallet/revert-failed-claims/{wallet}", tag = "wallet", params(("wallet" = String, Path)),
    security(("bearer" = [])), responses(
    (status = 200, body = RevertResponse),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 503, description = "Solana RPC not configured or unavailable", body = ErrorBody),
))]
async fn revert_failed_claims(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(wallet): Path<String>,
) -> ApiResult<axum::Json<RevertResponse>> {
    caller.authorize_wallet(&wallet)?;
    let reverted = claims::revert_failed(ledger(&state), &wallet).await?;
    Ok(axum::Json(RevertResponse {
        success: true,
        reverted_count: reverted.ids.len(),
        reverted_ids: reverted.ids,
        total_claimed: reverted.total_claimed,
    }))
}
