//! Referral codes (`NEPTU-` followed by 12 upper-case hex digits, stored per user) and the
//! rules of referral rewards.
//!
//! A fresh wallet costs nothing, so a reward paid when a code is applied could be farmed with
//! throw-away wallets. The rewards are therefore recorded with the referral but granted only
//! once the referee has checked in on [`QUALIFYING_CHECK_IN_DAYS`] distinct days (check-ins
//! count once per UTC day), and two users can never refer each other.

use uuid::Uuid;

/// Distinct days the referee must have checked in on before both rewards are granted.
pub const QUALIFYING_CHECK_IN_DAYS: i32 = 3;

/// Whether a referee with `check_in_days` distinct check-in days has earned the rewards.
pub fn qualifies(check_in_days: i32) -> bool {
    check_in_days >= QUALIFYING_CHECK_IN_DAYS
}

/// Why a referral is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    Yourself,
    /// The referrer was referred by the referee: X for Y and Y for X would pay both twice.
    Mutual,
}

impl Refused {
    pub fn message(self) -> &'static str {
        match self {
            Refused::Yourself => "Cannot refer yourself",
            Refused::Mutual => "Cannot apply the code of someone you referred",
        }
    }
}

/// Whether `referrer` may refer `referee`, given who referred the referrer (if anyone).
pub fn may_refer(referrer: Uuid, referee: Uuid, referrer_referred_by: Option<Uuid>) -> Result<(), Refused> {
    if referrer == referee {
        Err(Refused::Yourself)
    } else if referrer_referred_by == Some(referee) {
        Err(Refused::Mutual)
    } else {
        Ok(())
    }
}

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
    fn rewards_wait_for_activity_and_never_go_both_ways() {
        assert!(!qualifies(0) && !qualifies(QUALIFYING_CHECK_IN_DAYS - 1));
        assert!(qualifies(QUALIFYING_CHECK_IN_DAYS) && qualifies(100));
        let (x, y, z) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        assert_eq!(may_refer(x, x, None), Err(Refused::Yourself));
        assert_eq!(may_refer(x, y, Some(y)), Err(Refused::Mutual));
        assert_eq!(may_refer(x, y, Some(z)), Ok(()));
        assert_eq!(may_refer(x, y, None), Ok(()));
    }

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
