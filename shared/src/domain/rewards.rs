//! NEPTU reward amounts and descriptions (the original's `GAMIFICATION_REWARDS`).

use rust_decimal::Decimal;

/// 0.1 NEPTU for each daily check-in.
pub const DAILY_CHECK_IN: Decimal = Decimal::from_parts(1, 0, 0, false, 1);
pub const STREAK_7_DAYS: Decimal = Decimal::from_parts(1, 0, 0, false, 0);
pub const STREAK_30_DAYS: Decimal = Decimal::from_parts(5, 0, 0, false, 0);
pub const STREAK_100_DAYS: Decimal = Decimal::from_parts(20, 0, 0, false, 0);
pub const FIRST_READING: Decimal = Decimal::from_parts(5, 0, 0, false, 0);
/// Paid to whoever referred a new user.
pub const REFERRAL: Decimal = Decimal::from_parts(10, 0, 0, false, 0);
/// Paid to the new user who was referred.
pub const REFEREE_BONUS: Decimal = Decimal::from_parts(2, 0, 0, false, 0);

pub const DAILY_CHECK_IN_DESCRIPTION: &str = "Daily check-in reward";
pub const REFERRAL_DESCRIPTION: &str = "Referral reward";
pub const REFEREE_DESCRIPTION: &str = "Welcome bonus for being referred";

/// Most pending rewards listed at once (the original's limit).
pub const PENDING_LIST_LIMIT: i64 = 50;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        assert_eq!(DAILY_CHECK_IN.to_string(), "0.1");
        assert_eq!(STREAK_7_DAYS.to_string(), "1");
        assert_eq!(STREAK_30_DAYS.to_string(), "5");
        assert_eq!(STREAK_100_DAYS.to_string(), "20");
        assert_eq!(
            (REFERRAL.to_string(), REFEREE_BONUS.to_string()),
            ("10".into(), "2".into())
        );
    }
}
