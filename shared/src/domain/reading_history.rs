//! Which personal readings are kept in a user's history.
//!
//! `GET /api/users/{wallet}/reading?targetDate=…` answers for any date from 1800 to 2200; if
//! every answer were stored, one wallet could write ~146,000 rows of ~1.5 KB by walking the
//! calendar. Only dates within [`STORED_DAYS_AROUND_TODAY`] days of today (UTC) are stored
//! (what people look at: this week, the next); other dates are computed and returned the same
//! way, unstored. A user can thus add at most `2 × STORED_DAYS_AROUND_TODAY + 1` rows ahead
//! of the calendar, and about one row a day over time.

use chrono::NaiveDate;

/// How far before or after today a target date may be and still be stored.
pub const STORED_DAYS_AROUND_TODAY: i64 = 7;

/// Whether the reading for `target` viewed on `today` goes into the history.
pub fn is_stored(target: NaiveDate, today: NaiveDate) -> bool {
    (target - today).num_days().abs() <= STORED_DAYS_AROUND_TODAY
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_dates_near_today_are_stored() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let days = |n: i64| today + chrono::Duration::days(n);
        assert!(is_stored(today, today));
        assert!(is_stored(days(7), today) && is_stored(days(-7), today));
        assert!(!is_stored(days(8), today) && !is_stored(days(-8), today));
        assert!(!is_stored(NaiveDate::from_ymd_opt(1800, 1, 1).unwrap(), today));
    }
}
