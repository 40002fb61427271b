//! Solana addresses: 32-byte keys written in base58, program-derived addresses (PDAs) and the
//! order `@solana/kit` gives accounts in a compiled message.
//!
//! Hand-rolled rather than pulling a Solana SDK: a PDA is one SHA-256 (ring, already built)
//! plus an "is this a curve point" check (curve25519-dalek, three small crates).

use std::cmp::Ordering;
use std::fmt;

use curve25519_dalek::edwards::CompressedEdwardsY;
use ring::digest::{Context, SHA256};
use serde::{Serialize, Serializer};

use crate::auth::wallet::public_key;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Address([u8; 32]);

impl Address {
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// A base58 address of exactly 32 bytes.
    pub fn parse(text: &str) -> Option<Self> {
        public_key(text).map(Self)
    }

    /// For the program constants of this module, which are checked by tests.
    pub(crate) fn known(text: &str) -> Self {
        Self::parse(text).unwrap_or_else(|| panic!("{text} is not a valid address"))
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The address `program` derives from `seeds`: the first bump from 255 down whose hash is
    /// off the ed25519 curve (so that no private key can sign for it).
    pub fn find_program_address(seeds: &[&[u8]], program: &Address) -> (Address, u8) {
        for bump in (0..=u8::MAX).rev() {
            let mut hash = Context::new(&SHA256);
            for seed in seeds {
                hash.update(seed);
            }
            hash.update(&[bump]);
            hash.update(&program.0);
            hash.update(b"ProgramDerivedAddress");
            let bytes: [u8; 32] = hash.finish().as_ref().try_into().expect("SHA-256 is 32 bytes");
            if CompressedEdwardsY(bytes).decompress().is_none() {
                return (Address(bytes), bump);
            }
        }
        // Each bump is off the curve with probability 1/2: 256 misses do not happen.
        unreachable!("no program address found")
    }

    pub fn pda(seeds: &[&[u8]], program: &Address) -> Address {
        Self::find_program_address(seeds, program).0
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&bs58::encode(self.0).into_string())
    }
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Address({self})")
    }
}

impl Serialize for Address {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Whether `text` is a transaction signature: base58 of 64 bytes.
pub fn is_signature(text: &str) -> bool {
    (64..=88).contains(&text.len()) && bs58::decode(text).into_vec().is_ok_and(|b| b.len() == 64)
}

/// The order `@solana/kit` sorts addresses of the same role in: an ICU collation
/// (`Intl.Collator('en', {caseFirst: 'lower', sensitivity: 'variant'})`). For base58 text that
/// is: digits before letters, letters compared ignoring case, and only when everything else is
/// equal, lower case before upper case at the first difference. Byte order would differ
/// ("B…" sorts before "a…" in bytes), and with it the compiled transaction.
pub fn kit_order(left: &str, right: &str) -> Ordering {
    let primary = |c: u8| c.to_ascii_lowercase();
    let (l, r) = (left.as_bytes(), right.as_bytes());
    l.iter()
        .map(|&c| primary(c))
        .cmp(r.iter().map(|&c| primary(c)))
        .then_with(|| {
            l.iter()
                .zip(r)
                .find(|(a, b)| a != b)
                .map_or(Ordering::Equal, |(a, _)| {
                    if a.is_ascii_lowercase() {
                        Ordering::Less
                    } else {
                        Ordering::Greater
                    }
                })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base58_round_trip_and_length() {
        let text = "BRW7fxvTcnnzi6dvgfiCoTnWJRFSMCirKAGRVn41Co4E";
        assert_eq!(Address::parse(text).unwrap().to_string(), text);
        assert_eq!(
            Address::parse("11111111111111111111111111111111").unwrap(),
            Address::from_bytes([0; 32])
        );
        assert!(Address::parse("0OIl").is_none());
        assert!(Address::parse(&"1".repeat(31)).is_none());
    }

    #[test]
    fn collation_is_case_insensitive_first() {
        assert_eq!(kit_order("abc", "Abd"), Ordering::Less);
        assert_eq!(kit_order("B", "a"), Ordering::Greater);
        assert_eq!(kit_order("9z", "a1"), Ordering::Less);
        assert_eq!(kit_order("ab", "Ab"), Ordering::Less);
        assert_eq!(kit_order("ab", "abc"), Ordering::Less);
    }
}
