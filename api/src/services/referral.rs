//! Referrals: every user has a code; a new user may enter someone's code before (or while)
//! onboarding. The referrer earns 10 NEPTU and the new user 2, as pending rewards, once the
//! new user has qualified (`neptu_shared::domain::referrals`: checked in on a few distinct
//! days); two users can never refer each other.

use neptu_shared::db::{referrals, user_streaks, users};
use neptu_shared::domain::enums::RewardType;
use neptu_shared::domain::{referrals as rules, rewards};
use rust_decimal::Decimal;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::rewards::{Grant, grant_all};
use super::{UserError, accounts};

pub use neptu_shared::db::referrals::Referral;

/// A user's referral code and how it has done.
pub struct Summary {
    pub code: String,
    pub total: i64,
    /// Referrals whose reward was paid out on chain.
    pub successful: i64,
    pub pending: i64,
    /// NEPTU earned from referrals.
    pub earned: Decimal,
    /// Whether this user was referred by someone.
    pub referred: bool,
}

/// The referral code of `wallet`'s user and how it has done.
pub async fn summary(db: &PgPool, wallet: &str) -> Result<Summary, UserError> {
    let user = accounts::wallet_user(db, wallet).await?;
    let (stats, referred) = tokio::try_join!(
        referrals::stats_for_referrer(db, user.id),
        referrals::find_by_referee(db, user.id),
    )?;
    Ok(Summary {
        code: user.referral_code,
        total: stats.total,
        successful: stats.successful,
        pending: stats.pending,
        earned: stats.earned,
        referred: referred.is_some(),
    })
}

/// Applies `code` for `wallet`'s user (see [`apply`]).
pub async fn apply_for_wallet(db: &PgPool, wallet: &str, code: &str) -> Result<Referral, UserError> {
    let referee = accounts::wallet_user(db, wallet).await?;
    apply(db, &referee, code).await
}

/// Applies `code` for `referee`, in one transaction: the referral row (one per referee, by a
/// unique constraint), and both rewards if the referee has already qualified.
pub async fn apply(db: &PgPool, referee: &users::User, code: &str) -> Result<Referral, UserError> {
    if referee.onboarded {
        return Err(UserError::bad_request(
            "Referral codes can only be applied before onboarding is complete",
        ));
    }
    let code = rules::normalize_code(code).ok_or_else(|| UserError::bad_request("Invalid referral code"))?;
    let referrer = users::find_by_referral_code(db, &code)
        .await?
        .ok_or_else(|| UserError::bad_request("Unknown referral code"))?;
    let mut tx = db.begin().await?;
    // Y applying X's code while X applies Y's: the second to lock sees the first's row.
    referrals::lock_pair(&mut tx, referrer.id, referee.id).await?;
    let referrer_referred_by = referrals::find_by_referee(&mut *tx, referrer.id)
        .await?
        .map(|r| r.referrer_id);
    rules::may_refer(referrer.id, referee.id, referrer_referred_by)
        .map_err(|refused| UserError::bad_request(refused.message()))?;
    let mut referral = referrals::create_once(
        &mut *tx,
        referrer.id,
        referee.id,
        rewards::REFERRAL,
        rewards::REFEREE_BONUS,
    )
    .await?
    .ok_or_else(|| UserError::bad_request("User has already been referred"))?;
    let days = user_streaks::find(&mut *tx, referee.id)
        .await?
        .map_or(0, |s| s.total_check_ins);
    if rules::qualifies(days)
        && let Some(rewarded) = reward_if_waiting(&mut tx, referee.id).await?
    {
        referral = rewarded;
    }
    tx.commit().await?;
    Ok(referral)
}

/// Grants both rewards of `referee_id`'s referral if it is still waiting (called once the
/// referee qualifies); `None` when there is no referral or it was already rewarded.
pub async fn reward_if_waiting(tx: &mut PgConnection, referee_id: Uuid) -> sqlx::Result<Option<Referral>> {
    let Some(referral) = referrals::mark_rewarded(&mut *tx, referee_id).await? else {
        return Ok(None);
    };
    let grants = [
        Grant {
            user_id: referral.referrer_id,
            reward_type: RewardType::Referral,
            amount: referral.referrer_reward_amount.unwrap_or(rewards::REFERRAL),
            description: rewards::REFERRAL_DESCRIPTION,
        },
        Grant {
            user_id: referral.referee_id,
            reward_type: RewardType::RefereeBonus,
            amount: referral.referee_reward_amount.unwrap_or(rewards::REFEREE_BONUS),
            description: rewards::REFEREE_DESCRIPTION,
        },
    ];
    grant_all(tx, grants).await?;
    Ok(Some(referral))
}
