//! Small pieces every route group uses.

use neptu_http::{ApiError, ApiResult, Issue};

/// Turns collected issues into a validation error.
pub fn finish(issues: Vec<Issue>) -> ApiResult<()> {
    if issues.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(issues))
    }
}

/// Checks an optional `limit` against `1..=max`, defaulting to `default`.
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

/// A wallet address in a body: 32 to 64 characters, as the original checked, and a real
/// base58 key, since it ends up in instructions and RPC calls.
pub fn check_wallet(field: &str, value: &str, issues: &mut Vec<Issue>) {
    if !neptu_shared::auth::wallet::is_valid_address(value) {
        issues.push(Issue::new(field, "must be a Solana address (base58, 32 bytes)"));
    }
}

/// A transaction signature: base58 of 64 bytes (64 to 128 characters in the original).
pub fn check_signature(field: &str, value: &str, issues: &mut Vec<Issue>) {
    if !neptu_shared::domain::solana::address::is_signature(value) {
        issues.push(Issue::new(
            field,
            "must be a transaction signature (base58, 64 bytes)",
        ));
    }
}
