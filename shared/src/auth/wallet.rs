//! Solana wallet addresses and their signatures.
//!
//! A Solana address is the base58 encoding of a 32-byte ed25519 public key, so proving you
//! hold a wallet is signing a message with it. Verification is strict (the semantics of
//! ed25519-dalek's `verify_strict`): the public key and the signature's `R` must be canonical
//! encodings of points that are not of small order — otherwise a few addresses (the System
//! Program's `1111…1` among them) could "sign" without any private key — then `ring`'s
//! ed25519 (already built for TLS, and refusing a non-reduced `S`) checks the equation.

use curve25519_dalek::edwards::CompressedEdwardsY;
use ring::signature::{ED25519, UnparsedPublicKey};

/// Decodes a base58 Solana address into its 32-byte public key.
pub fn public_key(address: &str) -> Option<[u8; 32]> {
    if !(32..=44).contains(&address.len()) {
        return None;
    }
    let bytes = bs58::decode(address).into_vec().ok()?;
    bytes.try_into().ok()
}

/// Whether `address` is a well-formed Solana address.
pub fn is_valid_address(address: &str) -> bool {
    public_key(address).is_some()
}

/// Decodes a signature sent as base58 (what wallets produce) or hex (optionally `0x`-prefixed,
/// what some clients send), which must be 64 bytes.
pub fn decode_signature(text: &str) -> Option<[u8; 64]> {
    let hex = text.strip_prefix("0x").unwrap_or(text);
    let bytes = if hex.len() == 128 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        (0..64)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
            .collect::<Option<Vec<u8>>>()?
    } else {
        bs58::decode(text).into_vec().ok()?
    };
    bytes.try_into().ok()
}

/// Whether `signature` is the wallet's ed25519 signature of exactly `message`.
pub fn verify(address: &str, message: &[u8], signature: &[u8; 64]) -> bool {
    let Some(key) = public_key(address) else {
        return false;
    };
    let r: [u8; 32] = signature[..32].try_into().expect("64 bytes hold 32");
    strong_point(&key)
        && strong_point(&r)
        && UnparsedPublicKey::new(&ED25519, key)
            .verify(message, signature)
            .is_ok()
}

/// Whether `bytes` is the canonical encoding of a curve point outside the small-order
/// subgroup.
fn strong_point(bytes: &[u8; 32]) -> bool {
    let compressed = CompressedEdwardsY(*bytes);
    compressed
        .decompress()
        .is_some_and(|point| !point.is_small_order() && point.compress() == compressed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::rand::SystemRandom;
    use ring::signature::{Ed25519KeyPair, KeyPair};

    fn keypair() -> (Ed25519KeyPair, String) {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
        let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
        let address = bs58::encode(pair.public_key().as_ref()).into_string();
        (pair, address)
    }

    #[test]
    fn verifies_a_wallet_signature_in_base58_and_hex() {
        let (pair, address) = keypair();
        assert!(is_valid_address(&address));
        let message = b"Sign this message to verify your wallet ownership for Neptu.\n\nNonce: ab12";
        let signature = pair.sign(message);
        let b58 = bs58::encode(signature.as_ref()).into_string();
        let hex: String = signature.as_ref().iter().map(|b| format!("{b:02x}")).collect();
        for text in [b58.clone(), hex.clone(), format!("0x{hex}")] {
            let decoded = decode_signature(&text).unwrap();
            assert!(verify(&address, message, &decoded), "{text}");
        }
        let decoded = decode_signature(&b58).unwrap();
        assert!(!verify(&address, b"another message", &decoded));
        let (_, other) = keypair();
        assert!(!verify(&other, message, &decoded));
    }

    /// The eight points of small order, as their canonical encodings.
    fn small_order_keys() -> Vec<[u8; 32]> {
        use curve25519_dalek::constants::EIGHT_TORSION;
        EIGHT_TORSION.iter().map(|p| p.compress().to_bytes()).collect()
    }

    #[test]
    fn small_order_keys_cannot_sign_in_without_a_private_key() {
        let message = b"Sign this message to verify your wallet ownership for Neptu.\n\nNonce: ab12";
        let keys = small_order_keys();
        assert!(
            keys.contains(&[0; 32]),
            "the System Program's address is among them"
        );
        // R = the identity, S = 0: [0]B = R + [k]A holds whenever [k]A is the identity, which
        // plain verification accepts for these keys.
        let mut forged = [0u8; 64];
        forged[0] = 1;
        let identity = curve25519_dalek::edwards::EdwardsPoint::default()
            .compress()
            .to_bytes();
        assert!(
            UnparsedPublicKey::new(&ED25519, identity)
                .verify(message, &forged)
                .is_ok(),
            "plain verification accepts the forgery"
        );
        for key in keys {
            let address = bs58::encode(key).into_string();
            assert!(!verify(&address, message, &forged), "{address}");
        }
    }

    #[test]
    fn non_canonical_encodings_are_refused() {
        // y = p (2^255 - 19) is the non-canonical encoding of y = 0.
        let mut non_canonical = [0xff; 32];
        non_canonical[0] = 0xed;
        non_canonical[31] = 0x7f;
        assert!(!strong_point(&non_canonical));
        let (pair, address) = keypair();
        let key = public_key(&address).unwrap();
        assert!(strong_point(&key));
        // A real signature with R swapped for a small-order point fails.
        let mut signature: [u8; 64] = pair.sign(b"m").as_ref().try_into().unwrap();
        assert!(verify(&address, b"m", &signature));
        signature[..32].copy_from_slice(&small_order_keys()[1]);
        assert!(!verify(&address, b"m", &signature));
    }

    #[test]
    fn rejects_malformed_input() {
        assert!(!is_valid_address("short"));
        assert!(
            !is_valid_address("0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl"),
            "not base58"
        );
        assert!(
            !is_valid_address(&bs58::encode([1u8; 31]).into_string()),
            "31 bytes"
        );
        assert!(decode_signature("zz").is_none());
        assert!(decode_signature(&"ab".repeat(63)).is_none());
    }
}
