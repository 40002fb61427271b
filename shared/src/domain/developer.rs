//! Rules of the developer platform: what a plan, a credit pack and a key may hold, how long a
//! billing cycle lasts, what a pack adds, and the periods usage is summed over.

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc};

use crate::db::api_packs::PackChanges;
use crate::db::api_plans::PlanChanges;
use crate::db::api_usage::Bucket;
use crate::domain::enums::BillingPeriod;
use crate::http::Issue;

/// Unlimited credits, in plans and subscriptions.
pub const UNLIMITED: i64 = -1;
pub const KEY_NAME_MAX: usize = 100;
const NAME_MAX: usize = 50;
const DESCRIPTION_MAX: usize = 500;

/// A slug: 1 to 50 of `a-z`, `0-9` and `-` (also enforced by the schema).
pub fn is_slug(slug: &str) -> bool {
    (1..=50).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn check_text(field: &str, value: Option<&String>, min: usize, max: usize, issues: &mut Vec<Issue>) {
    if let Some(value) = value
        && !(min..=max).contains(&value.chars().count())
    {
        issues.push(Issue::new(field, format!("must be {min} to {max} characters")));
    }
}

fn check_range(
    field: &str,
    value: Option<i32>,
    range: std::ops::RangeInclusive<i32>,
    issues: &mut Vec<Issue>,
) {
    if let Some(value) = value
        && !range.contains(&value)
    {
        let message = match range.end() {
            &i32::MAX => format!("must be {} or more", range.start()),
            end => format!("must be from {} to {end}", range.start()),
        };
        issues.push(Issue::new(field, message));
    }
}

fn check_non_negative(field: &str, value: Option<rust_decimal::Decimal>, issues: &mut Vec<Issue>) {
    if value.is_some_and(|v| v.is_sign_negative() && !v.is_zero()) {
        issues.push(Issue::new(field, "must be 0 or more"));
    }
}

fn check_required(fields: &[(&str, bool)], issues: &mut Vec<Issue>) {
    for (field, present) in fields {
        if !present {
            issues.push(Issue::new(field, "is required"));
        }
    }
}

fn check_slug(slug: Option<&String>, issues: &mut Vec<Issue>) {
    if slug.is_some_and(|s| !is_slug(s)) {
        issues.push(Issue::new("slug", "must be 1 to 50 characters of a-z, 0-9 and -"));
    }
}

/// The field rules of an API plan, for whatever fields are present; `create` also requires
/// the fields without a default.
pub fn check_plan(plan: &PlanChanges, create: bool, issues: &mut Vec<Issue>) {
    check_text("name", plan.name.as_ref(), 1, NAME_MAX, issues);
    check_slug(plan.slug.as_ref(), issues);
    check_text(
        "description",
        plan.description.as_ref(),
        0,
        DESCRIPTION_MAX,
        issues,
    );
    check_non_negative("priceUsd", plan.price_usd, issues);
    check_non_negative("priceSol", plan.price_sol, issues);
    check_non_negative("priceNeptu", plan.price_neptu, issues);
    if let Some(limits) = plan.limits {
        check_range(
            "limits.basicCalls",
            Some(limits.basic_calls),
            -1..=i32::MAX,
            issues,
        );
        check_range("limits.aiCalls", Some(limits.ai_calls), -1..=i32::MAX, issues);
        check_range("limits.rateLimit", Some(limits.rate_limit), 1..=100_000, issues);
    }
    if let Some(rates) = plan.overage_rates {
        check_non_negative(
            "overageRates.basicCallNeptu",
            Some(rates.basic_call_neptu),
            issues,
        );
        check_non_negative("overageRates.basicCallSol", Some(rates.basic_call_sol), issues);
        check_non_negative("overageRates.aiCallNeptu", Some(rates.ai_call_neptu), issues);
        check_non_negative("overageRates.aiCallSol", Some(rates.ai_call_sol), issues);
    }
    check_range("discountPercent", plan.discount_percent, 0..=100, issues);
    if create {
        check_required(
            &[
                ("name", plan.name.is_some()),
                ("slug", plan.slug.is_some()),
                ("tier", plan.tier.is_some()),
                ("priceUsd", plan.price_usd.is_some()),
                ("features", plan.features.is_some()),
                ("limits", plan.limits.is_some()),
                ("overageRates", plan.overage_rates.is_some()),
            ],
            issues,
        );
    }
}

/// The field rules of a credit pack; `create` also requires the fields without a default.
pub fn check_pack(pack: &PackChanges, create: bool, issues: &mut Vec<Issue>) {
    check_text("name", pack.name.as_ref(), 1, NAME_MAX, issues);
    check_slug(pack.slug.as_ref(), issues);
    check_text(
        "description",
        pack.description.as_ref(),
        0,
        DESCRIPTION_MAX,
        issues,
    );
    check_range("credits", pack.credits, 1..=i32::MAX, issues);
    check_range("aiCredits", pack.ai_credits, 0..=i32::MAX, issues);
    check_non_negative("priceUsd", pack.price_usd, issues);
    check_non_negative("priceSol", pack.price_sol, issues);
    check_non_negative("priceNeptu", pack.price_neptu, issues);
    check_range("bonusPercent", pack.bonus_percent, 0..=100, issues);
    if create {
        check_required(
            &[
                ("name", pack.name.is_some()),
                ("slug", pack.slug.is_some()),
                ("credits", pack.credits.is_some()),
                ("priceUsd", pack.price_usd.is_some()),
            ],
            issues,
        );
    }
}

/// A key's name: 1 to 100 characters.
pub fn check_key_name(name: &str, issues: &mut Vec<Issue>) {
    let length = name.trim().chars().count();
    if length == 0 || length > KEY_NAME_MAX {
        issues.push(Issue::new(
            "name",
            format!("must be 1 to {KEY_NAME_MAX} characters"),
        ));
    }
}

/// Allowed origins of a key: absolute `http(s)` origins (`https://app.example.com`).
pub fn check_origins(origins: &[String], issues: &mut Vec<Issue>) {
    for (i, origin) in origins.iter().enumerate() {
        let valid = url::Url::parse(origin).is_ok_and(|u| {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some() && u.path() == "/"
        }) && !origin.ends_with('/');
        if !valid || origins.len() > 20 {
            issues.push(Issue::new(
                &format!("allowedOrigins.{i}"),
                "must be an origin such as https://app.example.com (at most 20)",
            ));
        }
    }
}

/// A key's expiry must lie in the future.
pub fn check_expiry(expires_at: Option<DateTime<Utc>>, now: DateTime<Utc>, issues: &mut Vec<Issue>) {
    if expires_at.is_some_and(|at| at <= now) {
        issues.push(Issue::new("expiresAt", "must be in the future"));
    }
}

/// How many usage rows a key's history returns by default, and at most.
pub const USAGE_LIMIT_DEFAULT: i64 = 100;
pub const USAGE_LIMIT_MAX: i64 = 1000;

/// The `limit` of a key's usage history: 1 to [`USAGE_LIMIT_MAX`], [`USAGE_LIMIT_DEFAULT`]
/// when absent. (The original had no maximum, so one request could read a key's whole history.)
pub fn check_usage_limit(limit: Option<i64>, issues: &mut Vec<Issue>) -> i64 {
    match limit {
        None => USAGE_LIMIT_DEFAULT,
        Some(n) if (1..=USAGE_LIMIT_MAX).contains(&n) => n,
        Some(_) => {
            issues.push(Issue::new(
                "limit",
                format!("must be an integer from 1 to {USAGE_LIMIT_MAX}"),
            ));
            USAGE_LIMIT_DEFAULT
        }
    }
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
    let day = crate::wariga::CivilDate::parse(text).ok().map(NaiveDate::from);
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

/// One end of a usage period: an RFC 3339 instant (`2026-01-31T12:00:00Z`), or a day
/// `YYYY-MM-DD`, which stands for that UTC day from its start (`end_of_day` false) or through
/// its end (`end_of_day` true).
fn period_bound(field: &str, text: &str, end_of_day: bool, issues: &mut Vec<Issue>) -> Option<DateTime<Utc>> {
    let instant = DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|at| at.with_timezone(&Utc))
        .or_else(|| {
            let day = crate::wariga::CivilDate::parse(text).ok().map(NaiveDate::from)?;
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
    use crate::db::api_plans::ApiPlanLimits;

    fn issues(f: impl Fn(&mut Vec<Issue>)) -> Vec<String> {
        let mut found = Vec::new();
        f(&mut found);
        found
            .into_iter()
            .map(|i| format!("{}: {}", serde_json::Value::from(i.path), i.message))
            .collect()
    }

    #[test]
    fn plans_need_their_fields_and_sane_values() {
        let empty = PlanChanges::default();
        assert_eq!(issues(|i| check_plan(&empty, true, i)).len(), 7);
        assert!(issues(|i| check_plan(&empty, false, i)).is_empty());
        let bad = PlanChanges {
            slug: Some("Bad Slug".into()),
            price_sol: Some(rust_decimal::Decimal::NEGATIVE_ONE),
            limits: Some(ApiPlanLimits {
                basic_calls: -2,
                ai_calls: -1,
                rate_limit: 0,
            }),
            discount_percent: Some(101),
            ..PlanChanges::default()
        };
        let found = issues(|i| check_plan(&bad, false, i));
        assert_eq!(found.len(), 5, "{found:?}");
        assert!(found.iter().any(|f| f.starts_with(r#"["limits","basicCalls"]"#)));
    }

    #[test]
    fn packs_and_keys() {
        let pack = PackChanges {
            credits: Some(0),
            bonus_percent: Some(-1),
            ..PackChanges::default()
        };
        assert_eq!(issues(|i| check_pack(&pack, false, i)).len(), 2);
        assert_eq!(issues(|i| check_key_name(&"k".repeat(101), i)).len(), 1);
        assert!(issues(|i| check_key_name("ci", i)).is_empty());
        let origins = vec![
            "https://app.example.com".to_owned(),
            "not a url".to_owned(),
            "https://x.io/path".to_owned(),
        ];
        assert_eq!(issues(|i| check_origins(&origins, i)).len(), 2);
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
