//! The daily check-in: one per user per UTC day, however many requests race.
//!
//! The user's streak row is locked for the transaction, so concurrent check-ins queue; the
//! first counts (streak, daily reward, milestone bonus) and the rest see it already done.
//! The check-in that makes a referred user qualify also grants their referral's rewards.

use chrono::{DateTime, Utc};
use neptu_shared::db::user_streaks;
use neptu_shared::domain::enums::RewardType;
use neptu_shared::domain::streaks::{self, CheckIn, Milestone, Streak};
use neptu_shared::domain::{referrals, rewards};
use sqlx::PgPool;

use super::rewards::{Grant, grant_all};
use super::{UserError, accounts};

pub use neptu_shared::db::user_streaks::UserStreak;

/// A user's streak as of `now`.
pub struct StreakStatus {
    /// `None` before the first check-in.
    pub streak: Option<UserStreak>,
    pub checked_in_today: bool,
}

/// The streak of `wallet`'s user.
pub async fn streak(db: &PgPool, wallet: &str, now: DateTime<Utc>) -> Result<StreakStatus, UserError> {
    let user = accounts::wallet_user(db, wallet).await?;
    let streak = user_streaks::find(db, user.id).await?;
    let checked_in_today = streaks::checked_in_today(streak.as_ref().and_then(|s| s.last_check_in), now);
    Ok(StreakStatus {
        streak,
        checked_in_today,
    })
}

pub struct CheckedIn {
    pub streak: UserStreak,
    pub milestone: Option<Milestone>,
}

/// Checks `wallet`'s user in for the UTC day of `now`.
pub async fn record(db: &PgPool, wallet: &str, now: DateTime<Utc>) -> Result<CheckedIn, UserError> {
    let user = accounts::wallet_user(db, wallet).await?;
    let user_id = user.id;
    let mut tx = db.begin().await?;
    let row = user_streaks::lock_or_create(&mut tx, user_id).await?;
    let current = Streak {
        current: row.current_streak,
        longest: row.longest_streak,
        total: row.total_check_ins,
        last_check_in: row.last_check_in,
    };
    let (next, milestone) = match streaks::check_in(current, now) {
        CheckIn::AlreadyToday => return Err(UserError::bad_request("Already checked in today")),
        CheckIn::Counted { next, milestone } => (next, milestone),
    };
    let streak = user_streaks::save(&mut *tx, user_id, next.current, next.longest, next.total, now).await?;
    let daily = Grant {
        user_id,
        reward_type: RewardType::DailyCheckIn,
        amount: rewards::DAILY_CHECK_IN,
        description: rewards::DAILY_CHECK_IN_DESCRIPTION,
    };
    let bonus = milestone.map(|m| Grant {
        user_id,
        reward_type: RewardType::StreakBonus,
        amount: m.bonus,
        description: m.description,
    });
    grant_all(&mut tx, std::iter::once(daily).chain(bonus)).await?;
    if referrals::qualifies(next.total) {
        super::referral::reward_if_waiting(&mut tx, user_id).await?;
    }
    tx.commit().await?;
    Ok(CheckedIn { streak, milestone })
}
