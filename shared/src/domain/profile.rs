//! Rules for what a user may put in their profile.

use crate::domain::enums::Interest;
use crate::domain::validation::Issue;

pub const DISPLAY_NAME_MAX: usize = 50;
const EMAIL_MAX: usize = 254;

/// Collects the problems of a profile update; `path` names the JSON field.
pub fn check_display_name(name: &str, issues: &mut Vec<Issue>) {
    let length = name.trim().chars().count();
    if length == 0 || length > DISPLAY_NAME_MAX {
        issues.push(Issue::new(
            "displayName",
            format!("must be 1 to {DISPLAY_NAME_MAX} characters"),
        ));
    }
}

/// A plausible address: one `@`, a dot in the domain, no spaces. Deliverability is the mail
/// system's business; this only stops obvious mistakes.
pub fn check_email(email: &str, issues: &mut Vec<Issue>) {
    let valid = email.len() <= EMAIL_MAX
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.split('.').filter(|p| !p.is_empty()).count() >= 2
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if !valid {
        issues.push(Issue::new("email", "must be a valid email address"));
    }
}

/// The interests to store: each once, in the order first given. A list longer than there are
/// interests can only be repeats, and is refused rather than stored or silently cut.
pub fn interests(given: Vec<Interest>, issues: &mut Vec<Issue>) -> Vec<Interest> {
    if given.len() > Interest::ALL.len() {
        issues.push(Issue::new(
            "interests",
            format!("must list at most {} interests, each once", Interest::ALL.len()),
        ));
        return Vec::new();
    }
    let mut unique = Vec::with_capacity(given.len());
    for interest in given {
        if !unique.contains(&interest) {
            unique.push(interest);
        }
    }
    unique
}

/// A wallet address as the original accepted it (Solana 32–44, EVM 42; up to 64 characters).
pub fn check_wallet_address(address: &str, issues: &mut Vec<Issue>) {
    let length = address.chars().count();
    if !(32..=64).contains(&length) || !address.chars().all(|c| c.is_ascii_alphanumeric()) {
        issues.push(Issue::new(
            "walletAddress",
            "must be a wallet address (32 to 64 letters and digits)",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(f: impl Fn(&mut Vec<Issue>)) -> usize {
        let mut issues = Vec::new();
        f(&mut issues);
        issues.len()
    }

    #[test]
    fn display_names() {
        assert_eq!(problems(|i| check_display_name("Made", i)), 0);
        assert_eq!(problems(|i| check_display_name("   ", i)), 1);
        assert_eq!(problems(|i| check_display_name(&"é".repeat(50), i)), 0);
        assert_eq!(problems(|i| check_display_name(&"a".repeat(51), i)), 1);
    }

    #[test]
    fn emails() {
        for ok in ["a@b.co", "made.wayan@example.co.id"] {
            assert_eq!(problems(|i| check_email(ok, i)), 0, "{ok}");
        }
        for bad in ["", "a", "a@b", "@b.co", "a@@b.co", "a b@c.co", "a@.co", "a@b.co."] {
            assert_eq!(problems(|i| check_email(bad, i)), 1, "{bad}");
        }
    }

    #[test]
    fn interests_are_kept_once_and_bounded() {
        let mut issues = Vec::new();
        let kept = interests(
            vec![Interest::Love, Interest::Career, Interest::Love, Interest::Career],
            &mut issues,
        );
        assert_eq!((kept, issues.len()), (vec![Interest::Love, Interest::Career], 0));
        let kept = interests(vec![Interest::Love; 3000], &mut issues);
        assert!(kept.is_empty());
        assert_eq!(issues[0].path, vec![serde_json::Value::from("interests")]);
    }

    #[test]
    fn wallets() {
        assert_eq!(
            problems(|i| check_wallet_address("7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU", i)),
            0
        );
        assert_eq!(problems(|i| check_wallet_address("short", i)), 1);
        assert_eq!(problems(|i| check_wallet_address(&"x".repeat(65), i)), 1);
        assert_eq!(
            problems(|i| check_wallet_address("has spaces in it which are not allowed!", i)),
            1
        );
    }
}
