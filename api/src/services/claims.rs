//! Reward claims checked against the chain: a claim names the transaction that paid the
//! rewards out, and rewards are marked claimed only up to what that transaction paid the
//! caller. Reverting puts back claims whose transaction never landed or failed.

use std::collections::HashMap;

use neptu_http::{ApiError, ApiResult};
use neptu_shared::db::token_transactions::{self, NewTokenTransaction};
use neptu_shared::db::user_rewards::{self, UserReward};
use neptu_shared::db::users::User;
use neptu_shared::domain::enums::TransactionType;
use neptu_shared::domain::payments::units;
use neptu_shared::domain::solana::programs::{self, programs};
use uuid::Uuid;

use super::chain;
use super::payments::TOKEN_DECIMALS;
use crate::state::AppState;

/// Marks `reward_id` claimed under `signature` if the transaction succeeded, was signed by
/// the user's wallet, called the economy program's `claim_rewards` and paid the wallet from the rewards pool (or minted to it) at least
/// every reward claimed under it, this one included. The web app claims each pending reward with the same signature, one call each.
pub async fn claim(state: &AppState, user: &User, reward_id: Uuid, signature: &str) -> ApiResult<UserReward> {
    let rpc = chain::rpc(state)?;
    let tx = rpc
        .transaction(signature)
        .await
        .map_err(chain::rpc_error)?
        .ok_or_else(|| ApiError::bad_request("Claim transaction not found"))?;
    if !tx.succeeded() {
        return Err(ApiError::bad_request("Claim transaction failed"));
    }
    if !tx.is_signed_by(&user.wallet_address) {
        return Err(ApiError::bad_request(
            "Claim transaction not signed by the wallet",
        ));
    }
    // A payment also pays NEPTU out of the rewards pool (its reward); only a claim may
    // settle claims.
    if !tx.calls(programs::ECONOMY_PROGRAM, &programs::CLAIM_REWARDS) {
        return Err(ApiError::bad_request("Not a claim_rewards transaction"));
    }
    let mint = &state.settings.solana.neptu_mint;
    let pool_owner = programs().economy_authority.to_string();
    let received = units(
        tx.paid_out(&user.wallet_address, &pool_owner, mint),
        TOKEN_DECIMALS,
    );

    let mut db = state.db.begin().await?;
    user_rewards::lock_claim_signature(&mut *db, signature).await?;
    if let Some(recorded) = token_transactions::find_by_signature(&mut *db, signature).await?
        && (recorded.user_id != user.id || recorded.transaction_type != TransactionType::NeptuReward)
    {
        return Err(ApiError::conflict(
            "Transaction already recorded for another payment",
        ));
    }
    let already = user_rewards::claimed_under(&mut *db, signature, user.id).await?;
    if already.other_user {
        return Err(ApiError::conflict(
            "Transaction already used by another wallet's claim",
        ));
    }
    let reward = user_rewards::pending_for_update(&mut *db, user.id, reward_id)
        .await?
        .ok_or_else(|| ApiError::bad_request("Reward not found or already claimed"))?;
    if already.amount + reward.neptu_amount > received {
        return Err(ApiError::bad_request(format!(
            "Claim transaction paid {received} NEPTU, less than the {} NEPTU claimed with it",
            already.amount + reward.neptu_amount
        ))
        .with_field("received", received.to_string())
        .with_field("claimed", already.amount.to_string()));
    }
    let claimed = user_rewards::claim(&mut *db, user.id, &[reward_id], signature)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::bad_request("Reward not found or already claimed"))?;
    // The first claim under a signature also records it in the token history, as the original.
    let history = NewTokenTransaction {
        user_id: user.id,
        tx_signature: signature.to_owned(),
        transaction_type: TransactionType::NeptuReward,
        reading_type: None,
        sol_amount: None,
        neptu_amount: None,
        sudigital_amount: None,
        neptu_burned: None,
        neptu_rewarded: Some(claimed.neptu_amount),
    };
    token_transactions::insert_confirmed_once(&mut *db, &history).await?;
    db.commit().await?;
    Ok(claimed)
}

pub struct Reverted {
    pub ids: Vec<Uuid>,
    /// Claimed rewards looked at.
    pub total_claimed: usize,
}

/// Puts back to pending every claimed reward whose signature the cluster does not know or
/// knows as failed. Unlike the original, an RPC failure reverts nothing (it answers 503):
/// reverting on an outage would let every claim be paid twice.
pub async fn revert_failed(state: &AppState, user: &User) -> ApiResult<Reverted> {
    let rpc = chain::rpc(state)?;
    let claimed = user_rewards::claimed_signatures(&state.db, user.id).await?;
    let mut signatures: Vec<String> = claimed.iter().filter_map(|(_, s)| s.clone()).collect();
    signatures.sort();
    signatures.dedup();
    let statuses = if signatures.is_empty() {
        Vec::new()
    } else {
        rpc.signature_statuses(&signatures)
            .await
            .map_err(chain::rpc_error)?
    };
    let landed: HashMap<&str, bool> = signatures
        .iter()
        .zip(&statuses)
        .map(|(s, status)| (s.as_str(), status.as_ref().is_some_and(|st| st.succeeded())))
        .collect();
    let failed: Vec<Uuid> = claimed
        .iter()
        .filter_map(|(id, sig)| {
            let sig = sig.as_deref()?;
            (!landed.get(sig).copied().unwrap_or(false)).then_some(*id)
        })
        .collect();
    let ids = if failed.is_empty() {
        Vec::new()
    } else {
        user_rewards::revert_claims(&state.db, user.id, &failed).await?
    };
    Ok(Reverted {
        ids,
        total_claimed: claimed.len(),
    })
}
