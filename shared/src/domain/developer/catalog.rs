//! What a plan, a credit pack and a key may hold: one place per rule, applied to creates and
//! partial updates alike.

use chrono::{DateTime, Utc};

use crate::db::api_packs::PackChanges;
use crate::db::api_plans::PlanChanges;
use crate::domain::validation::Issue;

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
}
