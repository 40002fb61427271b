//! Paying for an API plan or a credit pack on Solana: which asset may pay, how much exactly,
//! and what a plan gives.
//!
//! The price is the plan's or the pack's own `priceSol` / `priceNeptu` (the original charged
//! the price of a POTENSI reading whatever was bought). It is paid by a plain transfer: SOL to
//! the treasury, NEPTU to the ecosystem pool.

use rust_decimal::Decimal;

use super::enums::PaymentType;
use super::payments::{SOL_DECIMALS, TOKEN_DECIMALS, units};
use crate::db::api_plans::ApiPlanLimits;
use crate::domain::validation::{Issue, check_blockhash};

/// What is being bought, for the wording of a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purchase {
    Plan,
    Pack,
}

impl Purchase {
    fn noun(self) -> &'static str {
        match self {
            Purchase::Plan => "plan",
            Purchase::Pack => "pack",
        }
    }
}

/// Why a plan or pack cannot be paid this way; the message is the client's `error`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("Payment method not supported yet")]
    NotSupported,
    #[error("{asset} payment not available for this {noun}")]
    NotPriced { asset: &'static str, noun: &'static str },
}

/// The amount to pay in one asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Price {
    pub method: PaymentType,
    /// Whole units (SOL or NEPTU), exactly `raw` raw units.
    pub amount: Decimal,
    /// Lamports or raw token units.
    pub raw: u64,
    pub decimals: u32,
}

impl Price {
    /// `SOL` or `NEPTU`.
    pub fn currency(&self) -> &'static str {
        currency(self.method)
    }
}

fn currency(method: PaymentType) -> &'static str {
    match method {
        PaymentType::Sol => "SOL",
        PaymentType::Neptu => "NEPTU",
        PaymentType::Sudigital => "SUDIGITAL",
    }
}

/// The price of a plan or pack in `method`, from its `price_sol` and `price_neptu`. SUDIGITAL
/// is not offered; a missing, zero or negative price means the asset is not offered either.
/// A price finer than one raw unit is rounded up to the next one, so the amount shown, the
/// amount in the instruction and the amount verification asks for are always the same.
pub fn price(
    method: PaymentType,
    sol: Option<Decimal>,
    neptu: Option<Decimal>,
    what: Purchase,
) -> Result<Price, Refusal> {
    let (listed, decimals) = match method {
        PaymentType::Sol => (sol, SOL_DECIMALS),
        PaymentType::Neptu => (neptu, TOKEN_DECIMALS),
        PaymentType::Sudigital => return Err(Refusal::NotSupported),
    };
    let not_priced = Refusal::NotPriced {
        asset: currency(method),
        noun: what.noun(),
    };
    let listed = listed.filter(|p| *p > Decimal::ZERO).ok_or(not_priced.clone())?;
    let raw = listed
        .checked_mul(Decimal::from(10u64.pow(decimals)))
        .map(|scaled| scaled.ceil())
        .and_then(|scaled| u64::try_from(scaled).ok())
        .ok_or(not_priced)?;
    Ok(Price {
        method,
        amount: units(raw, decimals),
        raw,
        decimals,
    })
}

/// The basic and AI credits a new subscription to a plan starts with: the plan's calls per
/// cycle, `-1` (unlimited) staying unlimited.
pub fn plan_credits(limits: &ApiPlanLimits) -> (i64, i64) {
    (i64::from(limits.basic_calls), i64::from(limits.ai_calls))
}

/// The slug of the plan or pack to buy (`field` is `planSlug` or `packSlug`): not empty.
pub fn check_slug(field: &str, slug: &str, issues: &mut Vec<Issue>) {
    if slug.is_empty() {
        issues.push(Issue::new(field, "must be at least 1 character"));
    }
}

/// The client's blockhash for the transaction, if any (an empty one counts as none, and the
/// server fetches one): base58 of 32 bytes.
pub fn blockhash(given: Option<String>, issues: &mut Vec<Issue>) -> Option<String> {
    check_blockhash(given.as_deref(), issues);
    given.filter(|h| !h.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn prices_in_raw_units() {
        let sol = price(
            PaymentType::Sol,
            Some(dec("0.4")),
            Some(dec("400")),
            Purchase::Plan,
        )
        .unwrap();
        assert_eq!(
            (sol.raw, sol.amount, sol.decimals, sol.currency()),
            (400_000_000, dec("0.4"), 9, "SOL")
        );
        let neptu = price(
            PaymentType::Neptu,
            Some(dec("0.4")),
            Some(dec("400")),
            Purchase::Pack,
        )
        .unwrap();
        assert_eq!(
            (neptu.raw, neptu.amount, neptu.decimals, neptu.currency()),
            (400_000_000, dec("400"), 6, "NEPTU")
        );
        // Finer than a raw unit: rounded up, and the amount says so.
        let fine = price(PaymentType::Neptu, None, Some(dec("1.0000001")), Purchase::Pack).unwrap();
        assert_eq!((fine.raw, fine.amount), (1_000_001, dec("1.000001")));
    }

    #[test]
    fn refusals() {
        assert_eq!(
            price(PaymentType::Sudigital, Some(Decimal::ONE), None, Purchase::Plan),
            Err(Refusal::NotSupported)
        );
        let message = |method, sol, neptu, what| price(method, sol, neptu, what).unwrap_err().to_string();
        assert_eq!(
            message(PaymentType::Sol, Some(Decimal::ZERO), None, Purchase::Plan),
            "SOL payment not available for this plan"
        );
        assert_eq!(
            message(PaymentType::Neptu, Some(Decimal::ONE), None, Purchase::Plan),
            "NEPTU payment not available for this plan"
        );
        assert_eq!(
            message(PaymentType::Sol, Some(dec("-1")), None, Purchase::Pack),
            "SOL payment not available for this pack"
        );
        assert_eq!(
            message(
                PaymentType::Sol,
                Some(dec("100000000000000")),
                None,
                Purchase::Pack
            ),
            "SOL payment not available for this pack",
            "more lamports than a u64 holds"
        );
    }

    #[test]
    fn orders_name_what_is_wrong() {
        let mut issues = Vec::new();
        check_slug("planSlug", "pro", &mut issues);
        assert_eq!(blockhash(Some(String::new()), &mut issues), None);
        assert!(issues.is_empty());
        check_slug("packSlug", "", &mut issues);
        assert_eq!(
            blockhash(Some("0OIl".into()), &mut issues).as_deref(),
            Some("0OIl")
        );
        let paths: Vec<_> = issues
            .iter()
            .map(|i| serde_json::Value::from(i.path.clone()))
            .collect();
        assert_eq!(
            paths,
            [serde_json::json!(["packSlug"]), serde_json::json!(["blockhash"])]
        );
    }

    #[test]
    fn plan_credits_keep_unlimited() {
        let limits = |basic_calls, ai_calls| ApiPlanLimits {
            basic_calls,
            ai_calls,
            rate_limit: 60,
        };
        assert_eq!(plan_credits(&limits(1000, 100)), (1000, 100));
        assert_eq!(plan_credits(&limits(-1, -1)), (-1, -1));
    }
}
