//! Which usage queries are valid: history limits, analytics days and buckets, summary periods.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::db::api_usage::Bucket;
use crate::domain::validation::{self, Issue};

/// How many usage rows a key's history returns by default, and at most.
pub const USAGE_LIMIT_DEFAULT: i64 = 100;
pub const USAGE_LIMIT_MAX: i64 = 1000;

/// The `limit` of a key's usage history: 1 to [`USAGE_LIMIT_MAX`], [`USAGE_LIMIT_DEFAULT`]
/// when absent. (The original had no maximum, so one request could read a key's whole history.)
pub fn check_usage_limit(limit: Option<i64>, issues: &mut Vec<Issue>) -> i64 {
    validation::limit(limit, USAGE_LIMIT_DEFAULT, USAGE_LIMIT_MAX, issues)
}

/// A credit balance an admin sets: 0 or more (unlimited comes only from a plan).
pub fn check_credits(field: &str, credits: Option<i64>, issues: &mut Vec<Issue>) {
    if credits.is_some_and(|c| c < 0) {
        issues.push(Issue::new(field, "must be 0 or more"));
    }
}

/// A required calendar day in exactly `YYYY-MM-DD` form; `None` (with an issue) otherwise.
pub fn check_day(field: &str, text: Option<&str>, issues: &mut Vec<Issue>) -> Option<NaiveDate> {
    let Some(text) = text else {
        issues.push(Issue::new(field, "is required"));
        return None;
    };
    let day = neptu_wariga::CivilDate::parse(text).ok().map(NaiveDate::from);
    if day.is_none() {
        issues.push(Issue::new(field, "must be a real date as YYYY-MM-DD"));
    }
    day
}

/// The admin analytics' `groupBy`: `day` (default), `week` (ISO, from Monday) or `month`.
pub fn check_bucket(text: Option<&str>, issues: &mut Vec<Issue>) -> Bucket {
    match text {
        None | Some("day") => Bucket::Day,
        Some("week") => Bucket::Week,
        Some("month") => Bucket::Month,
        Some(_) => {
            issues.push(Issue::new("groupBy", "must be day, week or month"));
            Bucket::Day
        }
    }
}

/// The UTC days `first..=last` of the admin analytics, checked in order.
pub fn check_days(
    first: Option<&str>,
    last: Option<&str>,
    issues: &mut Vec<Issue>,
) -> Option<(NaiveDate, NaiveDate)> {
    let first = check_day("startDate", first, issues);
    let last = check_day("endDate", last, issues);
    let (first, last) = (first?, last?);
    if first > last {
        issues.push(Issue::new("endDate", "must not be before startDate"));
        return None;
    }
    Some((first, last))
}

/// The admin analytics' query: its days `first..=last` and bucket, or every issue of them
/// (the days first).
pub fn analytics_query(
    first: Option<&str>,
    last: Option<&str>,
    group_by: Option<&str>,
) -> Result<(NaiveDate, NaiveDate, Bucket), Vec<Issue>> {
    let mut issues = Vec::new();
    let days = check_days(first, last, &mut issues);
    let bucket = check_bucket(group_by, &mut issues);
    match days {
        Some((first, last)) if issues.is_empty() => Ok((first, last, bucket)),
        // `check_days` gives no days only with an issue, so the list is never empty here.
        _ => Err(issues),
    }
}

/// One end of a usage period: an RFC 3339 instant (`2026-01-31T12:00:00Z`), or a day
/// `YYYY-MM-DD`, which stands for that UTC day from its start (`end_of_day` false) or through
/// its end (`end_of_day` true).
fn period_bound(field: &str, text: &str, end_of_day: bool, issues: &mut Vec<Issue>) -> Option<DateTime<Utc>> {
    let instant = DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|at| at.with_timezone(&Utc))
        .or_else(|| {
            let day = neptu_wariga::CivilDate::parse(text).ok().map(NaiveDate::from)?;
            let day = if end_of_day { day.succ_opt()? } else { day };
            Some(Utc.from_utc_datetime(&day.and_time(chrono::NaiveTime::MIN)))
        });
    if instant.is_none() {
        issues.push(Issue::new(
            field,
            "must be an ISO 8601 date-time (2026-01-31T12:00:00Z) or a date (2026-01-31)",
        ));
    }
    instant
}

/// The period `[start, end)` of a key's usage summary. A day as `end` includes that whole day,
/// so `start=2026-01-01&end=2026-01-31` is all of January. `None`, with issues, when either
/// is malformed or they are out of order.
pub fn check_period(
    start: &str,
    end: &str,
    issues: &mut Vec<Issue>,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let start = period_bound("start", start, false, issues);
    let end = period_bound("end", end, true, issues);
    let (start, end) = (start?, end?);
    if start > end {
        issues.push(Issue::new("end", "must not be before start"));
        return None;
    }
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issues(f: impl Fn(&mut Vec<Issue>)) -> Vec<String> {
        let mut found = Vec::new();
        f(&mut found);
        found
            .into_iter()
            .map(|i| format!("{}: {}", serde_json::Value::from(i.path), i.message))
            .collect()
    }

    #[test]
    fn usage_queries() {
        assert_eq!(issues(|i| assert_eq!(check_usage_limit(None, i), 100)).len(), 0);
        assert_eq!(
            issues(|i| assert_eq!(check_usage_limit(Some(1000), i), 1000)).len(),
            0
        );
        assert_eq!(
            issues(|i| {
                let _ = check_usage_limit(Some(1001), i);
            })
            .len(),
            1
        );
        assert_eq!(
            issues(|i| {
                let _ = check_usage_limit(Some(0), i);
            })
            .len(),
            1
        );
        assert_eq!(issues(|i| check_credits("c", Some(-1), i)).len(), 1);
        assert!(issues(|i| check_credits("c", Some(0), i)).is_empty());

        let mut found = Vec::new();
        let days = check_days(Some("2026-02-01"), Some("2026-02-28"), &mut found);
        assert_eq!(
            days,
            Some((
                NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
                NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()
            ))
        );
        for (first, last) in [
            (Some("2026-02-30"), Some("2026-03-01")),
            (Some("2026-2-01"), Some("2026-03-01")),
            (None, Some("2026-03-01")),
            (Some("2026-03-02"), Some("2026-03-01")),
        ] {
            let mut found = Vec::new();
            assert_eq!(check_days(first, last, &mut found), None, "{first:?}");
            assert_eq!(found.len(), 1, "{first:?}: {found:?}");
        }
        assert_eq!(
            issues(|i| assert_eq!(check_bucket(Some("week"), i), Bucket::Week)).len(),
            0
        );
        assert_eq!(
            issues(|i| {
                let _ = check_bucket(Some("year"), i);
            })
            .len(),
            1
        );

        let at = |text: &str| DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc);
        let mut found = Vec::new();
        assert_eq!(
            check_period("2026-01-01", "2026-01-31", &mut found),
            Some((at("2026-01-01T00:00:00Z"), at("2026-02-01T00:00:00Z")))
        );
        assert_eq!(
            check_period("2026-01-01T10:00:00+02:00", "2026-01-01T12:00:00Z", &mut found),
            Some((at("2026-01-01T08:00:00Z"), at("2026-01-01T12:00:00Z")))
        );
        assert!(found.is_empty());
        assert_eq!(check_period("yesterday", "2026-13-01", &mut found), None);
        assert_eq!(found.len(), 2);
        assert_eq!(
            issues(|i| {
                let _ = check_period("2026-02-01", "2026-01-01", i);
            })
            .len(),
            1
        );
    }

    #[test]
    fn analytics_queries_report_days_then_bucket() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 2, d).unwrap();
        assert_eq!(
            analytics_query(Some("2026-02-01"), Some("2026-02-28"), Some("week")),
            Ok((day(1), day(28), Bucket::Week))
        );
        let messages = |q: Result<_, Vec<Issue>>| {
            q.unwrap_err()
                .into_iter()
                .map(|i| format!("{}: {}", serde_json::Value::from(i.path), i.message))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            messages(analytics_query(None, Some("2026-02-30"), Some("year"))),
            [
                r#"["startDate"]: is required"#,
                r#"["endDate"]: must be a real date as YYYY-MM-DD"#,
                r#"["groupBy"]: must be day, week or month"#,
            ]
        );
        assert_eq!(
            messages(analytics_query(Some("2026-02-02"), Some("2026-02-01"), None)),
            [r#"["endDate"]: must not be before startDate"#]
        );
    }
}
