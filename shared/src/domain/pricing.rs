//! Prices: what each kind of reading costs in SOL, NEPTU and SUDIGITAL, and the consumer
//! pricing plans seeded into an empty table.

use rust_decimal::Decimal;

use crate::db::pricing_plans::{PlanFields, PlanLimits, PlanUpdate};
use crate::domain::developer::is_slug;
use crate::domain::enums::ReadingType;
use crate::domain::validation::Issue;

/// The price of one reading (the original's `PRICING` table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadingPrice {
    pub sol: Decimal,
    /// NEPTU reward paid by the program for a SOL payment.
    pub sol_neptu_reward: Decimal,
    pub neptu: Decimal,
    /// Half of a NEPTU payment is burned, half goes to the ecosystem pool.
    pub neptu_burned: Decimal,
    pub neptu_to_ecosystem: Decimal,
    pub sudigital: Decimal,
    pub sudigital_neptu_reward: Decimal,
    /// The reading's index in the on-chain program's enum.
    pub program_index: u8,
}

/// Reading types in the order the original listed them.
pub const PRICED_READINGS: [ReadingType; 4] = [
    ReadingType::Potensi,
    ReadingType::Peluang,
    ReadingType::Compatibility,
    ReadingType::AiChat,
];

pub fn reading_price(kind: ReadingType) -> ReadingPrice {
    // (sol in thousandths, neptu, program index); burn and ecosystem are half the NEPTU price,
    // SUDIGITAL prices equal NEPTU prices and both rewards equal the NEPTU price.
    let (sol_milli, neptu, index) = match kind {
        ReadingType::Potensi => (10, 10, 0),
        ReadingType::Peluang => (1, 1, 1),
        ReadingType::AiChat => (2, 2, 2),
        ReadingType::Compatibility => (5, 5, 3),
    };
    let neptu = Decimal::from(neptu);
    let half = (neptu / Decimal::TWO).normalize();
    ReadingPrice {
        sol: Decimal::new(sol_milli, 3).normalize(),
        sol_neptu_reward: neptu,
        neptu,
        neptu_burned: half,
        neptu_to_ecosystem: neptu - half,
        sudigital: neptu,
        sudigital_neptu_reward: neptu,
        program_index: index,
    }
}

/// Unlimited, in plan limits.
pub const UNLIMITED: i32 = -1;

/// Each count of a plan's limits is a number of uses (0 or more) or [`UNLIMITED`]; anything
/// below would read as neither. `path` is where the limits sit in the request (`limits`).
pub fn check_limits(limits: &PlanLimits, path: &str, issues: &mut Vec<Issue>) {
    for (field, value) in [
        ("dailyReadings", limits.daily_readings),
        ("oracleChats", limits.oracle_chats),
        ("customReadings", limits.custom_readings),
    ] {
        if value < UNLIMITED {
            issues.push(Issue::new(
                &format!("{path}.{field}"),
                "must be 0 or more, or -1 for unlimited",
            ));
        }
    }
}

const PLAN_NAME_MAX: usize = 50;
const PLAN_DESCRIPTION_MAX: usize = 500;

/// The field rules of a consumer plan (the original validator's), for whatever fields are
/// present.
pub fn check_plan(plan: &PlanUpdate, issues: &mut Vec<Issue>) {
    if let Some(name) = &plan.name
        && !(1..=PLAN_NAME_MAX).contains(&name.chars().count())
    {
        issues.push(Issue::new(
            "name",
            format!("must be 1 to {PLAN_NAME_MAX} characters"),
        ));
    }
    if plan.slug.as_deref().is_some_and(|s| !is_slug(s)) {
        issues.push(Issue::new("slug", "must be 1 to 50 characters of a-z, 0-9 and -"));
    }
    if plan
        .description
        .as_ref()
        .is_some_and(|d| d.chars().count() > PLAN_DESCRIPTION_MAX)
    {
        issues.push(Issue::new(
            "description",
            format!("must be at most {PLAN_DESCRIPTION_MAX} characters"),
        ));
    }
    for (field, price) in [
        ("priceUsd", plan.price_usd),
        ("priceSol", plan.price_sol),
        ("priceNeptu", plan.price_neptu),
        ("priceSudigital", plan.price_sudigital),
    ] {
        if price.is_some_and(|p| p.is_sign_negative() && !p.is_zero()) {
            issues.push(Issue::new(field, "must be 0 or more"));
        }
    }
    if let Some(limits) = &plan.limits {
        check_limits(limits, "limits", issues);
    }
}

/// A new consumer plan: the field rules, then the fields without a default are required
/// (the flags default to active, not popular, first in order).
pub fn new_plan(plan: PlanUpdate) -> Result<PlanFields, Vec<Issue>> {
    let mut issues = Vec::new();
    check_plan(&plan, &mut issues);
    for (field, missing) in [
        ("name", plan.name.is_none()),
        ("slug", plan.slug.is_none()),
        ("priceUsd", plan.price_usd.is_none()),
        ("features", plan.features.is_none()),
        ("limits", plan.limits.is_none()),
    ] {
        if missing {
            issues.push(Issue::new(field, "is required"));
        }
    }
    match (plan.name, plan.slug, plan.price_usd, plan.features, plan.limits) {
        (Some(name), Some(slug), Some(price_usd), Some(features), Some(limits)) if issues.is_empty() => {
            Ok(PlanFields {
                name,
                slug,
                description: plan.description,
                price_usd,
                price_sol: plan.price_sol,
                price_neptu: plan.price_neptu,
                price_sudigital: plan.price_sudigital,
                features,
                limits,
                is_active: plan.is_active.unwrap_or(true),
                is_popular: plan.is_popular.unwrap_or(false),
                sort_order: plan.sort_order.unwrap_or(0),
            })
        }
        _ => Err(issues),
    }
}

/// A change of a consumer plan: the field rules of the fields present.
pub fn plan_update(plan: PlanUpdate) -> Result<PlanUpdate, Vec<Issue>> {
    let mut issues = Vec::new();
    check_plan(&plan, &mut issues);
    if issues.is_empty() { Ok(plan) } else { Err(issues) }
}

/// Free, Basic and Premium. Slugs, names, prices, limits, the popular flag and the order are
/// the original service's seed; the feature bullet texts are ours (the original's were not
/// published).
pub fn default_plans() -> Vec<PlanFields> {
    let plan =
        |name: &str, price_cents: i64, limits: PlanLimits, popular: bool, sort: i32, features: &[&str]| {
            PlanFields {
                name: name.to_owned(),
                slug: name.to_ascii_lowercase(),
                description: None,
                price_usd: Decimal::new(price_cents, 2),
                price_sol: None,
                price_neptu: None,
                price_sudigital: None,
                features: features.iter().map(|f| (*f).to_owned()).collect(),
                limits,
                is_active: true,
                is_popular: popular,
                sort_order: sort,
            }
        };
    vec![
        plan(
            "Free",
            0,
            PlanLimits {
                daily_readings: 1,
                oracle_chats: 5,
                custom_readings: 0,
                advanced_insights: false,
                priority_support: false,
            },
            false,
            0,
            &[
                "Daily reading",
                "Birth potential (Potensi)",
                "5 oracle questions a month",
                "Daily check-in rewards",
            ],
        ),
        plan(
            "Basic",
            999,
            PlanLimits {
                daily_readings: 3,
                oracle_chats: 50,
                custom_readings: 10,
                advanced_insights: false,
                priority_support: false,
            },
            true,
            1,
            &[
                "3 readings a day",
                "50 oracle questions a month",
                "10 custom date readings",
                "Compatibility readings",
                "Reading history",
            ],
        ),
        plan(
            "Premium",
            2499,
            PlanLimits {
                daily_readings: UNLIMITED,
                oracle_chats: UNLIMITED,
                custom_readings: UNLIMITED,
                advanced_insights: true,
                priority_support: true,
            },
            false,
            2,
            &[
                "Unlimited readings",
                "Unlimited oracle questions",
                "Unlimited custom date readings",
                "Group compatibility (up to 5 people)",
                "Advanced insights",
                "Priority support",
                "Early access to new features",
            ],
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_prices_match_the_original_table() {
        let p = reading_price(ReadingType::Potensi);
        assert_eq!(
            (p.sol.to_string(), p.neptu.to_string(), p.neptu_burned.to_string()),
            ("0.01".into(), "10".into(), "5".into())
        );
        let c = reading_price(ReadingType::Compatibility);
        assert_eq!(
            (
                c.sol.to_string(),
                c.neptu_burned.to_string(),
                c.neptu_to_ecosystem.to_string()
            ),
            ("0.005".into(), "2.5".into(), "2.5".into())
        );
        assert_eq!(reading_price(ReadingType::Peluang).sol.to_string(), "0.001");
        assert_eq!(reading_price(ReadingType::AiChat).program_index, 2);
    }

    #[test]
    fn limits_are_counts_or_unlimited() {
        let mut limits = default_plans()[2].limits;
        let mut issues = Vec::new();
        check_limits(&limits, "limits", &mut issues);
        assert!(issues.is_empty());
        limits.oracle_chats = -2;
        limits.daily_readings = i32::MIN;
        check_limits(&limits, "limits", &mut issues);
        let paths: Vec<_> = issues.iter().map(|i| i.path.clone()).collect();
        assert_eq!(
            paths,
            [
                vec!["limits".into(), "dailyReadings".into()],
                vec![serde_json::Value::from("limits"), "oracleChats".into()]
            ]
        );
        for plan in default_plans() {
            let mut issues = Vec::new();
            check_limits(&plan.limits, "limits", &mut issues);
            assert!(issues.is_empty(), "{}", plan.slug);
        }
    }

    #[test]
    fn plans_follow_the_field_rules() {
        let empty = PlanUpdate::default();
        let found: Vec<_> = new_plan(empty.clone())
            .unwrap_err()
            .into_iter()
            .map(|i| i.message)
            .collect();
        assert_eq!(found, ["is required"; 5]);
        assert!(plan_update(empty).is_ok());
        let bad = PlanUpdate {
            name: Some(String::new()),
            slug: Some("Bad".into()),
            description: Some("x".repeat(501)),
            price_sol: Some(Decimal::NEGATIVE_ONE),
            price_usd: Some(Decimal::ZERO),
            ..PlanUpdate::default()
        };
        let found: Vec<_> = plan_update(bad)
            .unwrap_err()
            .into_iter()
            .map(|i| format!("{}: {}", serde_json::Value::from(i.path), i.message))
            .collect();
        assert_eq!(
            found,
            [
                r#"["name"]: must be 1 to 50 characters"#,
                r#"["slug"]: must be 1 to 50 characters of a-z, 0-9 and -"#,
                r#"["description"]: must be at most 500 characters"#,
                r#"["priceSol"]: must be 0 or more"#,
            ]
        );
        let free = &default_plans()[0];
        let plan = new_plan(PlanUpdate {
            name: Some(free.name.clone()),
            slug: Some(free.slug.clone()),
            price_usd: Some(free.price_usd),
            features: Some(free.features.clone()),
            limits: Some(free.limits),
            ..PlanUpdate::default()
        })
        .unwrap();
        assert_eq!(&plan, free);
    }

    #[test]
    fn defaults_match_the_original_seed() {
        let plans = default_plans();
        let slugs: Vec<_> = plans.iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(slugs, ["free", "basic", "premium"]);
        assert_eq!(plans[1].price_usd.to_string(), "9.99");
        assert!(plans[1].is_popular && !plans[0].is_popular && !plans[2].is_popular);
        assert_eq!(
            plans.iter().map(|p| p.features.len()).collect::<Vec<_>>(),
            [4, 5, 7]
        );
        assert_eq!(plans[2].limits.daily_readings, UNLIMITED);
    }
}
