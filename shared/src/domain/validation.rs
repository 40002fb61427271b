//! The shape of a validation problem, and the rules about inputs many routes share (a list
//! limit, a Solana address, a signature, a blockhash). Rules about one kind of data live next
//! to it (profile, pricing, developer catalog); each adds to a list of these, which the HTTP
//! layer answers as one 400.

use serde::Serialize;
use serde_json::Value;

use crate::domain::solana::Address;
use crate::domain::solana::address::is_signature;

/// One validation problem: where (`["limits", "dailyReadings"]`) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    pub path: Vec<Value>,
    pub message: String,
}

impl Issue {
    pub fn new(path: &str, message: impl Into<String>) -> Self {
        let path = if path.is_empty() {
            Vec::new()
        } else {
            path.split('.')
                .map(|segment| match segment.parse::<u64>() {
                    Ok(index) => Value::from(index),
                    Err(_) => Value::from(segment),
                })
                .collect()
        };
        Self {
            path,
            message: message.into(),
        }
    }
}

/// The value once every rule has run, or every issue they found.
pub fn outcome<T>(issues: Vec<Issue>, value: T) -> Result<T, Vec<Issue>> {
    if issues.is_empty() { Ok(value) } else { Err(issues) }
}

/// An optional `limit` in `1..=max`, `default` when absent. A bad one adds its issue and stands
/// in as the default, so the other fields are still checked and reported together.
pub fn limit(value: Option<i64>, default: i64, max: i64, issues: &mut Vec<Issue>) -> i64 {
    match value {
        None => default,
        Some(n) if (1..=max).contains(&n) => n,
        Some(_) => {
            issues.push(Issue::new("limit", format!("must be an integer from 1 to {max}")));
            default
        }
    }
}

/// A wallet address (`field` names it): a real base58 key, since it ends up in instructions
/// and RPC calls.
pub fn check_wallet(field: &str, value: &str, issues: &mut Vec<Issue>) {
    if !crate::auth::wallet::is_valid_address(value) {
        issues.push(Issue::new(field, "must be a Solana address (base58, 32 bytes)"));
    }
}

/// A wallet address (`field` names it) as the key it is, for what needs the key itself (an
/// instruction's accounts); `None` after adding the issue [`check_wallet`] adds.
pub fn wallet(field: &str, value: &str, issues: &mut Vec<Issue>) -> Option<Address> {
    let wallet = Address::parse(value);
    if wallet.is_none() {
        issues.push(Issue::new(field, "must be a Solana address (base58, 32 bytes)"));
    }
    wallet
}

/// A transaction signature (`field` names it): base58 of 64 bytes.
pub fn check_signature(field: &str, value: &str, issues: &mut Vec<Issue>) {
    if !is_signature(value) {
        issues.push(Issue::new(
            field,
            "must be a transaction signature (base58, 64 bytes)",
        ));
    }
}

/// The client's blockhash for a transaction, if any: base58 of 32 bytes. An empty one counts
/// as none (the server fetches one).
pub fn check_blockhash(given: Option<&str>, issues: &mut Vec<Issue>) {
    if given.is_some_and(|h| !h.is_empty() && Address::parse(h).is_none()) {
        issues.push(Issue::new("blockhash", "must be a base58 blockhash"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WALLET: &str = "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU";

    fn issues(rule: impl FnOnce(&mut Vec<Issue>)) -> Vec<String> {
        let mut found = Vec::new();
        rule(&mut found);
        found
            .into_iter()
            .map(|i| format!("{}: {}", Value::from(i.path), i.message))
            .collect()
    }

    #[test]
    fn paths_split_on_dots_and_indices() {
        assert_eq!(
            Issue::new("limits.0.name", "x").path,
            vec![Value::from("limits"), Value::from(0), Value::from("name")]
        );
        assert!(Issue::new("", "x").path.is_empty());
    }

    #[test]
    fn outcomes() {
        assert_eq!(outcome(Vec::new(), 3), Ok(3));
        let problem = Issue::new("limit", "x");
        assert_eq!(outcome(vec![problem.clone()], 3), Err(vec![problem]));
    }

    #[test]
    fn limits() {
        let mut found = Vec::new();
        assert_eq!(limit(None, 10, 100, &mut found), 10);
        assert_eq!(limit(Some(1), 10, 100, &mut found), 1);
        assert_eq!(limit(Some(100), 10, 100, &mut found), 100);
        assert!(found.is_empty());
        for bad in [0, -1, 101] {
            let mut found = Vec::new();
            assert_eq!(
                limit(Some(bad), 10, 100, &mut found),
                10,
                "{bad} stands in as the default"
            );
            assert_eq!(
                issues(|i| i.extend(found)),
                [r#"["limit"]: must be an integer from 1 to 100"#]
            );
        }
    }

    #[test]
    fn wallets() {
        assert!(issues(|i| check_wallet("walletAddress", WALLET, i)).is_empty());
        let mut found = Vec::new();
        let key = wallet("walletAddress", WALLET, &mut found);
        assert_eq!(
            (key.map(|k| k.to_string()), found),
            (Some(WALLET.to_owned()), vec![])
        );
        for bad in ["", "short", "0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl", &"1".repeat(65)] {
            assert_eq!(
                issues(|i| check_wallet("walletAddress", bad, i)),
                [r#"["walletAddress"]: must be a Solana address (base58, 32 bytes)"#],
                "{bad}"
            );
            assert_eq!(
                issues(|i| assert!(wallet("walletAddress", bad, i).is_none())),
                [r#"["walletAddress"]: must be a Solana address (base58, 32 bytes)"#],
                "{bad}"
            );
        }
    }

    #[test]
    fn signatures() {
        let signature = bs58::encode([7u8; 64]).into_string();
        assert!(issues(|i| check_signature("txSignature", &signature, i)).is_empty());
        let short = bs58::encode([7u8; 32]).into_string();
        for bad in ["", "not base58 0OIl", short.as_str(), WALLET] {
            assert_eq!(
                issues(|i| check_signature("claimTxSignature", bad, i)),
                [r#"["claimTxSignature"]: must be a transaction signature (base58, 64 bytes)"#],
                "{bad}"
            );
        }
    }

    #[test]
    fn blockhashes() {
        for fine in [None, Some(""), Some(WALLET)] {
            assert!(issues(|i| check_blockhash(fine, i)).is_empty(), "{fine:?}");
        }
        assert_eq!(
            issues(|i| check_blockhash(Some("nope"), i)),
            [r#"["blockhash"]: must be a base58 blockhash"#]
        );
    }
}
