//! Daily check-in streaks. Days are UTC calendar days.
//!
//! A check-in on the day after the last one extends the streak; a gap resets it to 1; a
//! second check-in on the same day is refused. Reaching exactly 7, 30 or 100 days grants a
//! one-off bonus on top of the daily reward (the original's milestones; none after 100 and
//! none repeat).

use chrono::{DateTime, Days, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::rewards;

/// The counters kept per user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Streak {
    pub current: i32,
    pub longest: i32,
    pub total: i32,
    pub last_check_in: Option<DateTime<Utc>>,
}

/// A milestone bonus earned by a check-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Milestone {
    pub days: i32,
    pub bonus: Decimal,
    pub description: &'static str,
}

/// Streak lengths that earn a bonus, with the bonus in NEPTU.
pub fn milestone(days: i32) -> Option<Milestone> {
    match days {
        7 => Some(Milestone {
            days,
            bonus: rewards::STREAK_7_DAYS,
            description: "7-day streak bonus",
        }),
        30 => Some(Milestone {
            days,
            bonus: rewards::STREAK_30_DAYS,
            description: "30-day streak bonus",
        }),
        100 => Some(Milestone {
            days,
            bonus: rewards::STREAK_100_DAYS,
            description: "100-day streak bonus",
        }),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckIn {
    /// Already checked in on this UTC day: nothing changes.
    AlreadyToday,
    /// The new counters, and the milestone reached if any.
    Counted {
        next: Streak,
        milestone: Option<Milestone>,
    },
}

fn day(at: DateTime<Utc>) -> NaiveDate {
    at.date_naive()
}

/// Applies a check-in at `now` to `streak`.
pub fn check_in(streak: Streak, now: DateTime<Utc>) -> CheckIn {
    let today = day(now);
    let last = streak.last_check_in.map(day);
    if last == Some(today) {
        return CheckIn::AlreadyToday;
    }
    let yesterday = today.checked_sub_days(Days::new(1));
    let current = if last.is_some() && last == yesterday {
        streak.current.saturating_add(1)
    } else {
        1
    };
    let next = Streak {
        current,
        longest: streak.longest.max(current),
        total: streak.total.saturating_add(1),
        last_check_in: Some(now),
    };
    CheckIn::Counted {
        next,
        milestone: milestone(current),
    }
}

/// Whether the last check-in was on `now`'s UTC day.
pub fn checked_in_today(last_check_in: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    last_check_in.is_some_and(|last| day(last) == day(now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    fn counted(result: CheckIn) -> (Streak, Option<Milestone>) {
        match result {
            CheckIn::Counted { next, milestone } => (next, milestone),
            CheckIn::AlreadyToday => panic!("expected a counted check-in"),
        }
    }

    #[test]
    fn first_check_in_starts_at_one() {
        let (next, bonus) = counted(check_in(Streak::default(), at(2026, 3, 1, 9)));
        assert_eq!((next.current, next.longest, next.total), (1, 1, 1));
        assert!(bonus.is_none());
    }

    #[test]
    fn same_utc_day_is_refused_even_across_local_midnights() {
        let s = Streak {
            current: 3,
            longest: 3,
            total: 3,
            last_check_in: Some(at(2026, 3, 1, 0)),
        };
        assert_eq!(check_in(s, at(2026, 3, 1, 23)), CheckIn::AlreadyToday);
        assert!(checked_in_today(s.last_check_in, at(2026, 3, 1, 23)));
        assert!(!checked_in_today(s.last_check_in, at(2026, 3, 2, 0)));
    }

    #[test]
    fn consecutive_days_extend_and_gaps_reset() {
        let s = Streak {
            current: 3,
            longest: 5,
            total: 9,
            last_check_in: Some(at(2026, 2, 28, 23)),
        };
        let (next, _) = counted(check_in(s, at(2026, 3, 1, 0)));
        assert_eq!((next.current, next.longest, next.total), (4, 5, 10));
        let (reset, _) = counted(check_in(next, at(2026, 3, 3, 12)));
        assert_eq!((reset.current, reset.longest, reset.total), (1, 5, 11));
    }

    #[test]
    fn milestones_at_exactly_7_30_100() {
        for (days, bonus) in [
            (7, Decimal::from(1)),
            (30, Decimal::from(5)),
            (100, Decimal::from(20)),
        ] {
            let s = Streak {
                current: days - 1,
                longest: days - 1,
                total: 200,
                last_check_in: Some(at(2026, 5, 9, 8)),
            };
            let (next, milestone) = counted(check_in(s, at(2026, 5, 10, 8)));
            assert_eq!(next.current, days);
            assert_eq!(milestone.map(|m| m.bonus), Some(bonus), "{days}");
        }
        for days in [6, 8, 14, 31, 101, 200] {
            assert!(milestone(days).is_none(), "{days}");
        }
    }

    #[test]
    fn longest_follows_a_new_record() {
        let s = Streak {
            current: 5,
            longest: 5,
            total: 5,
            last_check_in: Some(at(2026, 1, 1, 1)),
        };
        let (next, _) = counted(check_in(s, at(2026, 1, 2, 1)));
        assert_eq!(next.longest, 6);
    }
}
