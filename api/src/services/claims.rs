//! Reward claims checked against the chain: a claim names the transaction that paid the
//! rewards out, and rewards are marked claimed only up to what that transaction paid the
//! caller. Reverting puts back claims whose transaction never landed or failed.

use std::collections::HashMap;

use neptu_shared::clients::solana::SolanaRpc;
use neptu_shared::db::token_transactions::{self, NewTokenTransaction};
use neptu_shared::db::user_rewards::{self, UserReward};
use neptu_shared::domain::enums::TransactionType;
use neptu_shared::domain::payments::units;
use neptu_shared::domain::solana::programs::{self, programs};
use sqlx::PgPool;
use uuid::Uuid;

use super::payments::TOKEN_DECIMALS;
use super::{UserError, accounts, chain};

/// What a claim is checked with: the pool, the Solana RPC (`None` when not configured: 503)
/// and the NEPTU mint.
#[derive(Clone, Copy)]
pub struct Ledger<'a> {
    pub db: &'a PgPool,
    pub rpc: Option<&'a dyn SolanaRpc>,
    pub mint: &'a str,
}

impl<'a> Ledger<'a> {
    fn rpc(&self) -> Result<&'a dyn SolanaRpc, UserError> {
        self.rpc.ok_or(UserError::Unavailable(chain::NOT_CONFIGURED))
    }
}

/// Marks `reward_id` claimed by `wallet`'s user under `signature` if the transaction
/// succeeded, was signed by the wallet, called the economy program's `claim_rewards` and paid the wallet from the rewards pool (or minted to it) at least
/// every reward claimed under it, this one included. The web app claims each pending reward with the same signature, one call each.
pub async fn claim(
    ledger: Ledger<'_>,
    wallet: &str,
    reward_id: Uuid,
    signature: &str,
) -> Result<UserReward, UserError> {
    let user = accounts::wallet_user(ledger.db, wallet).await?;
    let tx = ledger
        .rpc()?
        .transaction(signature)
        .await?
        .ok_or_else(|| UserError::bad_request("Claim transaction not found"))?;
    if !tx.succeeded() {
        return Err(UserError::bad_request("Claim transaction failed"));
    }
    if !tx.is_signed_by(&user.wallet_address) {
        return Err(UserError::bad_request(
            "Claim transaction not signed by the wallet",
        ));
    }
    // A payment also pays NEPTU out of the rewards pool (its reward); only a claim may
    // settle claims.
    if !tx.calls(programs::ECONOMY_PROGRAM, &programs::CLAIM_REWARDS) {
        return Err(UserError::bad_request("Not a claim_rewards transaction"));
    }
    let pool_owner = programs().economy_authority.to_string();
    let received = units(
        tx.paid_out(&user.wallet_address, &pool_owner, ledger.mint),
        TOKEN_DECIMALS,
    );

    let mut db = ledger.db.begin().await?;
    user_rewards::lock_claim_signature(&mut *db, signature).await?;
    if let Some(recorded) = token_transactions::find_by_signature(&mut *db, signature).await?
        && (recorded.user_id != user.id || recorded.transaction_type != TransactionType::NeptuReward)
    {
        return Err(UserError::Conflict(
            "Transaction already recorded for another payment",
        ));
    }
    let already = user_rewards::claimed_under(&mut *db, signature, user.id).await?;
    if already.other_user {
        return Err(UserError::Conflict(
            "Transaction already used by another wallet's claim",
        ));
    }
    let reward = user_rewards::pending_for_update(&mut *db, user.id, reward_id)
        .await?
        .ok_or_else(|| UserError::bad_request("Reward not found or already claimed"))?;
    if already.amount + reward.neptu_amount > received {
        return Err(UserError::Underpaid {
            received,
            claiming: already.amount + reward.neptu_amount,
            claimed: already.amount,
        });
    }
    let claimed = user_rewards::claim(&mut *db, user.id, &[reward_id], signature)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| UserError::bad_request("Reward not found or already claimed"))?;
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
pub async fn revert_failed(ledger: Ledger<'_>, wallet: &str) -> Result<Reverted, UserError> {
    let user = accounts::wallet_user(ledger.db, wallet).await?;
    let rpc = ledger.rpc()?;
    let claimed = user_rewards::claimed_signatures(ledger.db, user.id).await?;
    let mut signatures: Vec<String> = claimed.iter().filter_map(|(_, s)| s.clone()).collect();
    signatures.sort();
    signatures.dedup();
    let statuses = if signatures.is_empty() {
        Vec::new()
    } else {
        rpc.signature_statuses(&signatures).await?
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
        user_rewards::revert_claims(ledger.db, user.id, &failed).await?
    };
    Ok(Reverted {
        ids,
        total_claimed: claimed.len(),
    })
}
