//! Referrals: every user has a code; a new user may enter someone's code before (or while)
//! onboarding. The referrer earns 10 NEPTU and the new user 2, as pending rewards, once the
//! new user has qualified (`neptu_shared::domain::referrals`: checked in on a few distinct
//! days); two users can never refer each other.

use neptu_http::ApiError;
use neptu_shared::db::{referrals, user_rewards, user_streaks, users};
use neptu_shared::domain::enums::RewardType;
use neptu_shared::domain::{referrals as rules, rewards};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Applies `code` for `referee`, in one transaction: the referral row (one per referee, by a
/// unique constraint), and both rewards if the referee has already qualified.
pub async fn apply(db: &PgPool, referee: &users::User, code: &str) -> Result<referrals::Referral, ApiError> {
    if referee.onboarded {
        return Err(ApiError::bad_request(
            "Referral codes can only be applied before onboarding is complete",
        ));
    }
    let code = rules::normalize_code(code).ok_or_else(|| ApiError::bad_request("Invalid referral code"))?;
    let referrer = users::find_by_referral_code(db, &code)
        .await?
        .ok_or_else(|| ApiError::bad_request("Unknown referral code"))?;
    let mut tx = db.begin().await?;
    // Y applying X's code while X applies Y's: the second to lock sees the first's row.
    referrals::lock_pair(&mut tx, referrer.id, referee.id).await?;
    let referrer_referred_by = referrals::find_by_referee(&mut *tx, referrer.id)
        .await?
        .map(|r| r.referrer_id);
    rules::may_refer(referrer.id, referee.id, referrer_referred_by)
        .map_err(|refused| ApiError::bad_request(refused.message()))?;
    let mut referral = referrals::create_once(
        &mut *tx,
        referrer.id,
        referee.id,
        rewards::REFERRAL,
        rewards::REFEREE_BONUS,
    )
    .await?
    .ok_or_else(|| ApiError::bad_request("User has already been referred"))?;
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
pub async fn reward_if_waiting(
    tx: &mut PgConnection,
    referee_id: Uuid,
) -> Result<Option<referrals::Referral>, ApiError> {
    let Some(referral) = referrals::mark_rewarded(&mut *tx, referee_id).await? else {
        return Ok(None);
    };
    for (user_id, reward_type, amount, description) in [
        (
            referral.referrer_id,
            RewardType::Referral,
            referral.referrer_reward_amount.unwrap_or(rewards::REFERRAL),
            rewards::REFERRAL_DESCRIPTION,
        ),
        (
            referral.referee_id,
            RewardType::RefereeBonus,
            referral.referee_reward_amount.unwrap_or(rewards::REFEREE_BONUS),
            rewards::REFEREE_DESCRIPTION,
        ),
    ] {
        let reward = user_rewards::NewReward {
            user_id,
            reward_type,
            neptu_amount: amount,
            description: Some(description.to_owned()),
            expires_at: None,
        };
        user_rewards::grant(&mut *tx, &reward).await?;
    }
    Ok(Some(referral))
}
