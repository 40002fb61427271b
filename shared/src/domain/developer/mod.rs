//! Rules of the developer platform: what a plan, a credit pack and a key may hold
//! ([`catalog`]), which usage queries are valid ([`usage`]), how long a billing cycle lasts,
//! what a pack adds, and the month usage is summed over.

mod catalog;
mod usage;

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc};

pub use catalog::*;
pub use usage::*;

use crate::domain::enums::BillingPeriod;

/// Which balance of a subscription a call spends: a basic credit, or an AI credit (the
/// oracle).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CreditKind {
    Basic,
    Ai,
}

/// Unlimited credits, in plans and subscriptions.
pub const UNLIMITED: i64 = -1;

/// The end of a billing cycle starting at `start`: one calendar month or one year later
/// (the last day of a shorter month when the day does not exist there).
pub fn cycle_end(start: DateTime<Utc>, period: BillingPeriod) -> DateTime<Utc> {
    let months = match period {
        BillingPeriod::Monthly => 1,
        BillingPeriod::Yearly => 12,
    };
    start
        .checked_add_months(Months::new(months))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// Credits a pack adds with its bonus: `floor(credits × (100 + bonus) / 100)`, exactly.
pub fn with_bonus(credits: i32, bonus_percent: i32) -> i64 {
    i64::from(credits) * (100 + i64::from(bonus_percent.clamp(0, 100))) / 100
}

/// The UTC calendar month containing `now`: `[first day 00:00, first day of next month)`.
/// (The original ended it at the start of the month's last day, losing that day.)
pub fn month_of(now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let first = NaiveDate::from_ymd_opt(now.year(), now.month(), 1).unwrap_or(now.date_naive());
    let start = Utc.from_utc_datetime(&first.and_time(chrono::NaiveTime::MIN));
    (start, cycle_end(start, BillingPeriod::Monthly))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_bonuses_and_months() {
        let jan31 = Utc.with_ymd_and_hms(2026, 1, 31, 10, 0, 0).unwrap();
        assert_eq!(
            cycle_end(jan31, BillingPeriod::Monthly),
            Utc.with_ymd_and_hms(2026, 2, 28, 10, 0, 0).unwrap()
        );
        assert_eq!(
            cycle_end(jan31, BillingPeriod::Yearly),
            Utc.with_ymd_and_hms(2027, 1, 31, 10, 0, 0).unwrap()
        );
        assert_eq!(with_bonus(5000, 10), 5500);
        assert_eq!(with_bonus(333, 20), 399);
        assert_eq!(with_bonus(500, 0), 500);
        let (start, end) = month_of(Utc.with_ymd_and_hms(2026, 12, 31, 23, 59, 59).unwrap());
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap());
        assert_eq!(end, Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap());
    }
}
