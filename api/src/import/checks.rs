//! The schema's CHECK constraints that one column's kind cannot express, checked on each
//! converted row before anything is written. A row that breaks one is set
//! aside and reported with its key; otherwise the database would refuse the whole insert, and
//! with it every good row of the table, naming the constraint but not the row.
//!
//! The single-column CHECKs (allowed values, lengths, signs, JSON shapes) are enforced by the
//! column kinds of `mapping` when the value is converted; `BY_COLUMN_KIND` names them so that
//! a test can tell that every CHECK of the migrations is covered one way or the other.

use super::mapping::Table;
use super::transform::TargetValue;

/// CHECK constraints of the imported tables that the column kinds of `mapping` enforce.
#[cfg_attr(not(test), allow(dead_code))]
pub const BY_COLUMN_KIND: &[&str] = &[
    "users_wallet_address_length",
    "users_display_name_length",
    "users_role_check",
    "users_interests_is_array",
    "readings_type_check",
    "readings_data_is_object",
    "payments_payment_type_check",
    "payments_status_check",
    "payments_amount_positive",
    "payments_reward_non_negative",
    "token_transactions_type_check",
    "token_transactions_reading_type_check",
    "token_transactions_status_check",
    "token_transactions_amounts_non_negative",
    "daily_readings_type_check",
    "daily_readings_data_is_object",
    "user_rewards_type_check",
    "user_rewards_status_check",
    "user_rewards_amount_positive",
    "referrals_referrer_paid_check",
    "referrals_referee_paid_check",
    "pricing_plans_name_length",
    "pricing_plans_description_length",
    "pricing_plans_prices_non_negative",
    "pricing_plans_features_is_array",
    "pricing_plans_limits_is_object",
];

/// A CHECK over several columns (or one the column kind does not express).
pub struct Rule {
    pub table: &'static str,
    pub constraint: &'static str,
    pub columns: &'static [&'static str],
    /// Whether the values (in `columns` order) pass. As in SQL, a NULL operand passes.
    ok: fn(&[&TargetValue]) -> bool,
    why: &'static str,
}

pub const RULES: &[Rule] = &[
    Rule {
        table: "user_rewards",
        constraint: "user_rewards_claim_consistent",
        columns: &["status", "claimed_at"],
        ok: |v| !(matches!(v[0], TargetValue::Text(s) if s == "claimed") && *v[1] == TargetValue::Null),
        why: "a claimed reward needs claimed_at",
    },
    Rule {
        table: "user_streaks",
        constraint: "user_streaks_counts_non_negative",
        columns: &["current_streak", "longest_streak", "total_check_ins"],
        ok: |v| {
            let (current, longest, total) = (int(v[0]), int(v[1]), int(v[2]));
            current.is_none_or(|c| c >= 0)
                && total.is_none_or(|t| t >= 0)
                && current.zip(longest).is_none_or(|(c, l)| l >= c)
        },
        why: "counts must not be negative and longest_streak must be at least current_streak",
    },
    Rule {
        table: "referrals",
        constraint: "referrals_not_self",
        columns: &["referrer_id", "referee_id"],
        ok: |v| *v[0] == TargetValue::Null || v[0] != v[1],
        why: "a user cannot refer themselves",
    },
    Rule {
        table: "pricing_plans",
        constraint: "pricing_plans_slug_format",
        columns: &["slug"],
        ok: |v| match v[0] {
            TargetValue::Text(slug) => {
                (1..=50).contains(&slug.len())
                    && slug
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            }
            _ => true,
        },
        why: "a slug is 1 to 50 of a-z, 0-9 and -",
    },
];

fn int(v: &TargetValue) -> Option<i64> {
    match v {
        TargetValue::Int(i) => Some(i64::from(*i)),
        TargetValue::BigInt(i) => Some(*i),
        _ => None,
    }
}

/// Checks the rows of one table.
pub struct Checker {
    rules: Vec<(&'static Rule, Vec<usize>)>,
}

impl Checker {
    pub fn new(table: &Table) -> Self {
        let index = |name: &str| {
            table
                .columns
                .iter()
                .position(|c| c.target == name)
                .expect("a rule names a column of its table")
        };
        Self {
            rules: RULES
                .iter()
                .filter(|r| r.table == table.name)
                .map(|r| (r, r.columns.iter().map(|c| index(c)).collect()))
                .collect(),
        }
    }

    /// `Err((columns, reason))` when the row breaks a rule.
    pub fn check(&self, row: &[TargetValue]) -> Result<(), (String, String)> {
        for (rule, columns) in &self.rules {
            let values: Vec<&TargetValue> = columns.iter().map(|&i| &row[i]).collect();
            if !(rule.ok)(&values) {
                let shown: Vec<String> = rule
                    .columns
                    .iter()
                    .zip(&values)
                    .map(|(c, v)| format!("{c}={}", v.key()))
                    .collect();
                return Err((
                    rule.columns.join("+"),
                    format!(
                        "violates {}: {} ({})",
                        rule.constraint,
                        rule.why,
                        shown.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
