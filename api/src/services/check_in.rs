//! The daily check-in: one per user per UTC day, however many requests race.
//!
//! The user's streak row is locked for the transaction, so concurrent check-ins queue; the
//! first counts (streak, daily reward, milestone bonus) and the rest see it already done.
//! The check-in that makes a referred user qualify also grants their referral's rewards.

use chrono::{DateTime, Utc};
use neptu_http::ApiError;
use neptu_shared::db::user_rewards::{self, NewReward};
use neptu_shared::db::user_streaks::{self, UserStreak};
use neptu_shared::domain::enums::RewardType;
use neptu_shared::domain::streaks::{self, CheckIn, Milestone, Streak};
use neptu_shared::domain::{referrals, rewards};
use sqlx::PgPool;
use uuid::Uuid;

pub struct CheckedIn {
    pub streak: UserStreak,
    pub milestone: Option<Milestone>,
}

pub async fn check_in(db: &PgPool, user_id: Uuid, now: DateTime<Utc>) -> Result<CheckedIn, ApiError> {
    let mut tx = db.begin().await?;
    let row = user_streaks::lock_or_create(&mut tx, user_id).await?;
    let current = Streak {
        current: row.current_streak,
        longest: row.longest_streak,
        total: row.total_check_ins,
        last_check_in: row.last_check_in,
    };
    let (next, milestone) = match streaks::check_in(current, now) {
        CheckIn::AlreadyToday => return Err(ApiError::bad_request("Already checked in today")),
        CheckIn::Counted { next, milestone } => (next, milestone),
    };
    let streak = user_streaks::save(&mut *tx, user_id, next.current, next.longest, next.total, now).await?;
    let mut grants = vec![(
        RewardType::DailyCheckIn,
        rewards::DAILY_CHECK_IN,
        rewards::DAILY_CHECK_IN_DESCRIPTION,
    )];
    if let Some(m) = milestone {
        grants.push((RewardType::StreakBonus, m.bonus, m.description));
    }
    for (reward_type, amount, description) in grants {
        let reward = NewReward {
            user_id,
            reward_type,
            neptu_amount: amount,
            description: Some(description.to_owned()),
            expires_at: None,
        };
        user_rewards::grant(&mut *tx, &reward).await?;
    }
    if referrals::qualifies(next.total) {
        super::referral::reward_if_waiting(&mut tx, user_id).await?;
    }
    tx.commit().await?;
    Ok(CheckedIn { streak, milestone })
}
