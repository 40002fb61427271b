//! Pending NEPTU rewards: what a user has waiting, and the one way rewards are granted.

use neptu_shared::db::user_rewards::{self, NewReward};
use neptu_shared::domain::enums::{RewardStatus, RewardType};
use neptu_shared::domain::rewards;
use rust_decimal::Decimal;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{UserError, accounts};

pub use neptu_shared::db::user_rewards::UserReward;

/// A reward to grant: to whom, of what kind, how much and why.
pub struct Grant {
    pub user_id: Uuid,
    pub reward_type: RewardType,
    pub amount: Decimal,
    pub description: &'static str,
}

/// Grants each reward as pending, in order, inside the caller's transaction (a check-in and
/// a referral grant theirs with the writes that earned them).
pub async fn grant_all(tx: &mut PgConnection, grants: impl IntoIterator<Item = Grant>) -> sqlx::Result<()> {
    for grant in grants {
        let reward = NewReward {
            user_id: grant.user_id,
            reward_type: grant.reward_type,
            neptu_amount: grant.amount,
            description: Some(grant.description.to_owned()),
            expires_at: None,
        };
        user_rewards::grant(&mut *tx, &reward).await?;
    }
    Ok(())
}

pub struct Pending {
    /// Newest first, at most `rewards::PENDING_LIST_LIMIT`.
    pub rewards: Vec<UserReward>,
    /// Sum of all pending rewards, listed or not.
    pub total: Decimal,
}

/// The pending rewards of `wallet`'s user.
pub async fn pending(db: &PgPool, wallet: &str) -> Result<Pending, UserError> {
    let user = accounts::wallet_user(db, wallet).await?;
    let (rewards, totals) = tokio::try_join!(
        user_rewards::list_for_user(
            db,
            user.id,
            Some(RewardStatus::Pending),
            rewards::PENDING_LIST_LIMIT
        ),
        user_rewards::totals_for_user(db, user.id),
    )?;
    Ok(Pending {
        rewards,
        total: totals.pending,
    })
}
