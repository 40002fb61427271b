//! Prices: what each kind of reading costs in SOL, NEPTU and SUDIGITAL, and the consumer
//! pricing plans seeded into an empty table.

use rust_decimal::Decimal;

use crate::db::pricing_plans::{PlanFields, PlanLimits};
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
