//! Consumer pricing plans: the three default plans seeded into an empty table.

use rust_decimal::Decimal;

use crate::db::pricing_plans::{PlanFields, PlanLimits};

/// Unlimited, in plan limits.
pub const UNLIMITED: i32 = -1;

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
