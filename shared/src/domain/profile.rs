//! Rules for what a user may put in their profile.

use crate::http::Issue;

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
