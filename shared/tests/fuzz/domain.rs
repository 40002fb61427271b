//! The domain validators and decoders on random text: no panic, and each answers what its
//! rule says (a parse that succeeds gives back its input; an encoding decodes to its bytes).

use neptu_shared::auth::wallet;
use neptu_shared::db::pricing_plans::PlanLimits;
use neptu_shared::domain::api_keys::{self, KeyHasher, PresentedKey};
use neptu_shared::domain::solana::address::{self, Address};
use neptu_shared::domain::{crypto, payments, pricing, profile};
use neptu_shared::testing::fuzz::{self, Fuzz};
use neptu_wariga::CivilDate;
use rust_decimal::Decimal;

#[test]
fn text_validators_follow_their_rules() {
    let mut fuzz = Fuzz::new(fuzz::seed(0x5eed_0001));
    for case in 0..fuzz::cases(2000) {
        let text = fuzz.text(60);
        let mut issues = Vec::new();
        profile::check_display_name(&text, &mut issues);
        let length = text.trim().chars().count();
        assert_eq!(
            issues.is_empty(),
            (1..=50).contains(&length),
            "case {case}: {text:?}"
        );

        let mut issues = Vec::new();
        profile::check_email(&text, &mut issues);
        assert!(issues.is_empty() <= text.contains('@'), "case {case}: {text:?}");

        let mut issues = Vec::new();
        profile::check_wallet_address(&text, &mut issues);
        let shaped = (32..=64).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric());
        assert_eq!(issues.is_empty(), shaped, "case {case}: {text:?}");

        if crypto::valid_chart_id(&text) {
            assert!(
                text.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            );
        }
        if let Ok(date) = CivilDate::parse(&text) {
            assert_eq!(date.to_string(), text, "case {case}");
        }
    }
}

#[test]
fn dates_parse_exactly_the_valid_calendar_days() {
    let mut fuzz = Fuzz::new(fuzz::seed(0x5eed_0002));
    for case in 0..fuzz::cases(2000) {
        let (y, m, d) = (
            fuzz.below(10_000) as i32,
            fuzz.below(14) as u32,
            fuzz.below(33) as u32,
        );
        let text = format!("{y:04}-{m:02}-{d:02}");
        let parsed = CivilDate::parse(&text).ok();
        let built = CivilDate::from_ymd(y, m, d).ok();
        assert_eq!(parsed, built, "case {case}: {text}");
        if let Some(date) = parsed {
            assert_eq!(date.to_string(), text);
        }
    }
}

#[test]
fn api_keys_parse_only_their_exact_shape() {
    let hasher = KeyHasher::new(b"fuzz-key-secret-fuzz-key-secret!");
    let mut fuzz = Fuzz::new(fuzz::seed(0x5eed_0003));
    for case in 0..fuzz::cases(500) {
        let text = fuzz.text(50);
        if let Some(key) = PresentedKey::parse(&text) {
            assert_eq!(key.as_str(), text, "case {case}");
            assert!(text.starts_with(key.prefix()));
        }
        let new = api_keys::generate(&hasher).unwrap();
        let key = PresentedKey::parse(&new.secret).expect("a generated key parses");
        assert!(hasher.matches(&key, &new.hash));
        // Any other character in any place is another key.
        let mut other = new.secret.clone().into_bytes();
        let at = 5 + fuzz.below(other.len() - 5);
        other[at] = if other[at] == b'A' { b'B' } else { b'A' };
        let other = String::from_utf8(other).unwrap();
        if let Some(other) = PresentedKey::parse(&other) {
            assert!(!hasher.matches(&other, &new.hash), "case {case}");
        }
        assert!(
            format!("{key:?}").contains(key.prefix()),
            "Debug shows the prefix"
        );
        assert!(
            !format!("{key:?}").contains(&new.secret[13..]),
            "Debug hides the secret"
        );
    }
}

#[test]
fn addresses_and_signatures_decode_their_encodings_only() {
    let mut fuzz = Fuzz::new(fuzz::seed(0x5eed_0004));
    for case in 0..fuzz::cases(1000) {
        let text = fuzz.text(90);
        let _ = wallet::is_valid_address(&text);
        let _ = address::is_signature(&text);
        let _ = Address::parse(&text);
        if let Some(signature) = wallet::decode_signature(&text) {
            let address = bs58::encode(fuzz.bytes(32)).into_string();
            let _ = wallet::verify(&address, text.as_bytes(), &signature);
        }

        let key: [u8; 32] = std::array::from_fn(|_| fuzz.next_u64() as u8);
        let encoded = bs58::encode(key).into_string();
        assert_eq!(wallet::public_key(&encoded), Some(key), "case {case}");
        assert_eq!(Address::parse(&encoded).map(|a| *a.as_bytes()), Some(key));

        let signature: [u8; 64] = std::array::from_fn(|_| fuzz.next_u64() as u8);
        let base58 = bs58::encode(signature).into_string();
        let hex: String = signature.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(wallet::decode_signature(&base58), Some(signature), "case {case}");
        assert_eq!(wallet::decode_signature(&hex), Some(signature));
        assert_eq!(wallet::decode_signature(&format!("0x{hex}")), Some(signature));
        assert!(address::is_signature(&base58));
        // A random signature by a random key proves nothing.
        assert!(
            !wallet::verify(&encoded, b"Sign in to Neptu", &signature),
            "case {case}"
        );
    }
}

#[test]
fn plan_limits_and_token_amounts() {
    let mut fuzz = Fuzz::new(fuzz::seed(0x5eed_0005));
    for case in 0..fuzz::cases(2000) {
        let value = |fuzz: &mut Fuzz| fuzz.number().clamp(i32::MIN as i128, i32::MAX as i128) as i32;
        let limits = PlanLimits {
            daily_readings: value(&mut fuzz),
            oracle_chats: value(&mut fuzz),
            custom_readings: value(&mut fuzz),
            advanced_insights: fuzz.one_in(2),
            priority_support: fuzz.one_in(2),
        };
        let mut issues = Vec::new();
        pricing::check_limits(&limits, "limits", &mut issues);
        let bad = [limits.daily_readings, limits.oracle_chats, limits.custom_readings]
            .iter()
            .filter(|v| **v < pricing::UNLIMITED)
            .count();
        assert_eq!(issues.len(), bad, "case {case}: {limits:?}");

        // Any amount and any number of decimals: an answer, never a panic.
        let mantissa = fuzz.number().clamp(i64::MIN as i128, i64::MAX as i128) as i64;
        let amount = Decimal::new(mantissa, fuzz.below(29) as u32);
        let _ = payments::raw_units(amount, fuzz.below(40) as u32);
        // A raw amount reads back as itself, for every decimals a u64 scale can hold.
        let raw = fuzz.next_u64();
        let decimals = fuzz.below(20) as u32;
        assert_eq!(
            payments::raw_units(payments::units(raw, decimals), decimals),
            Some(raw),
            "case {case}: {raw} with {decimals} decimals"
        );
    }
}
