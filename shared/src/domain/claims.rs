//! Claiming NEPTU rewards on chain: the amount and nonce a claim transaction may carry
//! (the web sends both as JSON numbers; the economy program takes them as u64).

use crate::domain::validation::Issue;

/// The claim's `amount` in NEPTU, as raw units: round(amount × 10^6) as the original did.
/// It must be more than 0 and fit in a u64; a bad one adds its issue and stands in as 0.
pub fn raw_amount(amount: f64, issues: &mut Vec<Issue>) -> u64 {
    let raw = (amount * 1e6).round();
    if amount > 0.0 && raw.is_finite() && raw < u64::MAX as f64 {
        raw as u64
    } else {
        issues.push(Issue::new("amount", "must be a positive number"));
        0
    }
}

/// The claim's `nonce`: a whole number, 0 or more, that fits in a u64 (the web sends
/// `Date.now()`). A bad one adds its issue and stands in as 0.
pub fn nonce(nonce: f64, issues: &mut Vec<Issue>) -> u64 {
    if nonce >= 0.0 && nonce.fract() == 0.0 && nonce < u64::MAX as f64 {
        nonce as u64
    } else {
        issues.push(Issue::new("nonce", "must be a whole number, 0 or more"));
        0
    }
}

#[cfg(test)]
mod validation_tests {
    use super::*;

    fn messages(rule: impl FnOnce(&mut Vec<Issue>) -> u64) -> (u64, Vec<String>) {
        let mut found = Vec::new();
        let value = rule(&mut found);
        let found = found
            .into_iter()
            .map(|i| format!("{}: {}", serde_json::Value::from(i.path), i.message))
            .collect();
        (value, found)
    }

    #[test]
    fn amounts_are_rounded_raw_units() {
        assert_eq!(messages(|i| raw_amount(1.5, i)), (1_500_000, vec![]));
        assert_eq!(messages(|i| raw_amount(0.0000014, i)), (1, vec![]));
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e14] {
            assert_eq!(
                messages(|i| raw_amount(bad, i)),
                (0, vec![r#"["amount"]: must be a positive number"#.to_owned()]),
                "{bad}"
            );
        }
    }

    #[test]
    fn nonces_are_whole() {
        assert_eq!(messages(|i| nonce(0.0, i)), (0, vec![]));
        assert_eq!(
            messages(|i| nonce(1_700_000_000_000.0, i)),
            (1_700_000_000_000, vec![])
        );
        for bad in [-1.0, 1.5, f64::NAN, f64::INFINITY, 2e19] {
            assert_eq!(
                messages(|i| nonce(bad, i)),
                (
                    0,
                    vec![r#"["nonce"]: must be a whole number, 0 or more"#.to_owned()]
                ),
                "{bad}"
            );
        }
    }
}
