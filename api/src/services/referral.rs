//! Referrals: every user has a code; a new user may enter someone's code before (or while)
//! onboarding. The referrer earns 10 NEPTU and the new user 2, as pending rewards.

use neptu_shared::db::{referrals, user_rewards, users};
use neptu_shared::domain::enums::RewardType;
use neptu_shared::domain::{referrals as rules, rewards};
use neptu_shared::http::ApiError;
use sqlx::PgPool;

/// Applies `code` for `referee`, in one transaction: the referral row (one per referee, by a
/// unique constraint) and both rewards, or nothing.
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
    if referrer.id == referee.id {
        return Err(ApiError::bad_request("Cannot refer yourself"));
    }
    let mut tx = db.begin().await?;
    let referral = referrals::create_once(
        &mut *tx,
        referrer.id,
        referee.id,
        rewards::REFERRAL,
        rewards::REFEREE_BONUS,
    )
    .await?
    .ok_or_else(|| ApiError::bad_request("User has already been referred"))?;
    for (user_id, reward_type, amount, description) in [
        (
            referrer.id,
            RewardType::Referral,
            rewards::REFERRAL,
            rewards::REFERRAL_DESCRIPTION,
        ),
        (
            referee.id,
            RewardType::RefereeBonus,
            rewards::REFEREE_BONUS,
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
    tx.commit().await?;
    Ok(referral)
}
