//! Developer API keys: `nptu_` + 8 + `_` + 32 characters of `[A-Za-z0-9]`, drawn without bias.
//!
//! The first 13 characters (`nptu_` and the 8) are the key's public prefix: shown to its
//! owner and used to find its row. The whole key is stored only as HMAC-SHA-256 under a
//! server secret (`API_KEY_SECRET`), so a leaked table gives no usable key and cannot be
//! brute-forced offline without the secret. Comparisons are constant time.
//!
//! Keys imported from the original service carry its 32-bit hash instead; it is accepted only
//! for such keys, and the first successful use replaces it with the strong hash.

use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};

pub const PREFIX_LEN: usize = 13;
const KEY_LEN: usize = PREFIX_LEN + 1 + 32;
const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A key as presented, checked for shape only.
#[derive(Clone, PartialEq, Eq)]
pub struct PresentedKey(String);

impl std::fmt::Debug for PresentedKey {
    /// Only the public prefix: a key never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PresentedKey({}…)", self.prefix())
    }
}

impl PresentedKey {
    /// `None` unless the text has the exact shape of a key.
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        let shaped = bytes.len() == KEY_LEN
            && text.starts_with("nptu_")
            && bytes[PREFIX_LEN] == b'_'
            && bytes[5..PREFIX_LEN]
                .iter()
                .chain(&bytes[PREFIX_LEN + 1..])
                .all(u8::is_ascii_alphanumeric);
        shaped.then(|| Self(text.to_owned()))
    }

    pub fn prefix(&self) -> &str {
        &self.0[..PREFIX_LEN]
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The server's key for hashing API keys.
pub struct KeyHasher {
    key: hmac::Key,
}

impl KeyHasher {
    pub fn new(secret: &[u8]) -> Self {
        Self {
            key: hmac::Key::new(hmac::HMAC_SHA256, secret),
        }
    }

    pub fn hash(&self, key: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        out.copy_from_slice(hmac::sign(&self.key, key.as_bytes()).as_ref());
        out
    }

    /// Whether `stored` is the hash of `key`, in constant time.
    pub fn matches(&self, key: &PresentedKey, stored: &[u8]) -> bool {
        hmac::verify(&self.key, key.as_str().as_bytes(), stored).is_ok()
    }
}

/// A newly drawn key: the secret shown once, and what is stored.
pub struct NewKey {
    pub secret: String,
    pub prefix: String,
    pub hash: [u8; 32],
}

/// Draws a key. Each character is uniform over the 62: bytes of 248 and up are redrawn, since
/// 248 is the largest multiple of 62 that fits a byte.
pub fn generate(hasher: &KeyHasher) -> Result<NewKey, ring::error::Unspecified> {
    let rng = SystemRandom::new();
    let mut chars = Vec::with_capacity(40);
    let mut buffer = [0u8; 64];
    while chars.len() < 40 {
        rng.fill(&mut buffer)?;
        chars.extend(
            buffer
                .iter()
                .filter(|b| **b < 248)
                .map(|b| ALPHABET[usize::from(*b % 62)]),
        );
    }
    let text = |range: std::ops::Range<usize>| String::from_utf8_lossy(&chars[range]).into_owned();
    let secret = format!("nptu_{}_{}", text(0..8), text(8..40));
    Ok(NewKey {
        prefix: secret[..PREFIX_LEN].to_owned(),
        hash: hasher.hash(&secret),
        secret,
    })
}

/// The original service's key hash: a Java-style 32-bit string hash over the UTF-8 bytes,
/// its absolute value in lower-case hex, zero-padded to 16 characters.
pub fn legacy_hash(key: &str) -> String {
    let h = key.bytes().fold(0i32, |h, b| {
        h.wrapping_shl(5).wrapping_sub(h).wrapping_add(i32::from(b))
    });
    format!("{:016x}", i64::from(h).unsigned_abs())
}

/// Whether `stored` is the legacy hash of `key`, in constant time.
pub fn matches_legacy(key: &PresentedKey, stored: &str) -> bool {
    let computed = legacy_hash(key.as_str());
    computed.len() == stored.len()
        && computed
            .bytes()
            .zip(stored.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_have_the_shape_and_verify() {
        let hasher = KeyHasher::new(b"0123456789abcdef0123456789abcdef");
        let key = generate(&hasher).unwrap();
        let parsed = PresentedKey::parse(&key.secret).expect("a generated key parses");
        assert_eq!(parsed.prefix(), key.prefix);
        assert!(key.prefix.starts_with("nptu_") && key.prefix.len() == 13);
        assert!(hasher.matches(&parsed, &key.hash));
        let other = KeyHasher::new(b"another secret, also 32 bytes lon");
        assert!(!other.matches(&parsed, &key.hash));
        assert!(!format!("{parsed:?}").contains(&key.secret[14..]));
    }

    #[test]
    fn characters_are_spread_over_the_whole_alphabet() {
        let hasher = KeyHasher::new(b"k");
        let mut seen = [0u32; 128];
        for _ in 0..400 {
            for b in generate(&hasher).unwrap().secret.bytes().skip(5) {
                seen[usize::from(b)] += 1;
            }
        }
        // 16,000 draws over 62 characters: each expected ~258 times.
        for c in ALPHABET {
            let n = seen[usize::from(*c)];
            assert!((150..400).contains(&n), "{} seen {n} times", *c as char);
        }
    }

    #[test]
    fn malformed_keys_do_not_parse() {
        let good = format!("nptu_{}_{}", "a".repeat(8), "B".repeat(32));
        assert!(PresentedKey::parse(&good).is_some());
        for bad in [
            "",
            "nptu_",
            &good[..45],
            &format!("{good}x"),
            &good.replace("nptu_", "nptx_"),
            &format!("nptu_{}-{}", "a".repeat(8), "B".repeat(32)),
            &format!("nptu_{}_{}é", "a".repeat(8), "B".repeat(31)),
        ] {
            assert!(PresentedKey::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn the_legacy_hash_is_the_original_string_hash() {
        // "abc": 97*31^2 + 98*31 + 99 = 96354.
        assert_eq!(legacy_hash("abc"), format!("{:016x}", 96354));
        assert_eq!(legacy_hash(""), "0000000000000000");
        // Overflowing input wraps like int32 and takes the absolute value.
        let key = format!("nptu_{}_{}", "Zz9".repeat(3).get(..8).unwrap(), "q".repeat(32));
        let mut h: i32 = 0;
        for b in key.bytes() {
            h = h.wrapping_mul(31).wrapping_add(i32::from(b));
        }
        assert_eq!(legacy_hash(&key), format!("{:016x}", i64::from(h).abs()));
        let parsed = PresentedKey::parse(&key).unwrap();
        assert!(matches_legacy(&parsed, &legacy_hash(&key)));
        assert!(!matches_legacy(&parsed, "0000000000000001"));
    }
}
