//! Referral codes: `NEPTU-` followed by 12 upper-case hex digits, stored per user.

/// Normalises a code as a user may type it (case, surrounding spaces); `None` when it cannot
/// be a code at all.
pub fn normalize_code(input: &str) -> Option<String> {
    let code = input.trim().to_ascii_uppercase();
    let digits = code.strip_prefix("NEPTU-")?;
    (digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_hexdigit())).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalised() {
        assert_eq!(
            normalize_code(" neptu-0a1b2c3d4e5f ").as_deref(),
            Some("NEPTU-0A1B2C3D4E5F")
        );
        assert!(normalize_code("NEPTU-0A1B").is_none());
        assert!(normalize_code("NEPTU-0A1B2C3D4E5G").is_none());
        assert!(normalize_code("0A1B2C3D4E5F").is_none());
    }
}
