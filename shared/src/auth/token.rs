//! Access tokens: compact JWTs signed with HMAC-SHA256 (`AUTH_TOKEN_SECRET`).
//!
//! Only HS256 is issued and only HS256 is accepted: the header must say exactly that, so a
//! token cannot choose a weaker algorithm (`none`) or a public-key one. The signature is
//! checked in constant time before the payload is read. HMAC and randomness come from `ring`,
//! which the TLS stack already builds, so this adds no cryptography dependency.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::hmac;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::enums::Role;

/// How long an access token is valid.
pub const ACCESS_TTL_SECS: i64 = 15 * 60;
/// Clock skew tolerated between replicas when checking expiry.
pub(crate) const LEEWAY_SECS: i64 = 30;
/// `{"alg":"HS256","typ":"JWT"}`, base64url: every token we issue starts with it.
const HEADER: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

/// What an access token says about its holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    /// The user id.
    pub sub: Uuid,
    /// The wallet address the user signed in with.
    pub wal: String,
    pub role: Role,
    /// Always `"access"`: refresh tokens are opaque and never look like this.
    pub typ: String,
    /// Issued at / expires at, seconds since the epoch.
    pub iat: i64,
    pub exp: i64,
    /// The session (refresh-token family) the token was issued in; a revoked session's tokens
    /// are refused. Absent from tokens of no session (`dev-token`) and from those issued before
    /// sessions were named, which are accepted until they expire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<Uuid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("malformed token")]
    Malformed,
    #[error("bad signature")]
    BadSignature,
    #[error("token expired")]
    Expired,
    #[error("session revoked")]
    Revoked,
}

/// Domain-separation label of the refresh-successor key (see [`TokenKeys::refresh_successor`]).
const SUCCESSOR_LABEL: &[u8] = b"neptu refresh-token successor v1";

/// The signing key, built once from the configured secret, and the key derived from it that
/// names refresh-token successors.
pub struct TokenKeys {
    key: hmac::Key,
    successor: hmac::Key,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKeys([REDACTED])")
    }
}

impl TokenKeys {
    pub fn new(secret: &[u8]) -> Self {
        let key = hmac::Key::new(hmac::HMAC_SHA256, secret);
        // A key of its own, so no successor is ever an access-token signature.
        let successor = hmac::Key::new(hmac::HMAC_SHA256, hmac::sign(&key, SUCCESSOR_LABEL).as_ref());
        Self { key, successor }
    }

    /// The refresh token that follows `presented`: HMAC-SHA256 under a key derived from the
    /// secret, base64url. The same presented token always gives the same successor, so a
    /// repeated refresh can hand it out again though only its hash is stored; without the
    /// secret it cannot be computed.
    pub fn refresh_successor(&self, presented: &str) -> String {
        URL_SAFE_NO_PAD.encode(hmac::sign(&self.successor, presented.as_bytes()).as_ref())
    }

    /// Issues an access token of no session (development tokens, tools), valid for
    /// [`ACCESS_TTL_SECS`] from `now`. Signed-in users get [`TokenKeys::issue_session_access`].
    pub fn issue_access(&self, user: Uuid, wallet: &str, role: Role, now: i64) -> String {
        self.sign(&claims(user, wallet, role, None, now))
    }

    /// Issues an access token of the session `session` (a refresh-token family), valid for
    /// [`ACCESS_TTL_SECS`] from `now`: revoking the session refuses it.
    pub fn issue_session_access(
        &self,
        user: Uuid,
        wallet: &str,
        role: Role,
        session: Uuid,
        now: i64,
    ) -> String {
        self.sign(&claims(user, wallet, role, Some(session), now))
    }

    fn sign(&self, claims: &AccessClaims) -> String {
        // Serializing a struct of strings and integers cannot fail.
        let payload = serde_json::to_vec(claims).unwrap_or_default();
        let mut token = format!("{HEADER}.{}", URL_SAFE_NO_PAD.encode(payload));
        let signature = hmac::sign(&self.key, token.as_bytes());
        token.push('.');
        token.push_str(&URL_SAFE_NO_PAD.encode(signature.as_ref()));
        token
    }

    /// Checks an access token and returns its claims.
    pub fn verify_access(&self, token: &str, now: i64) -> Result<AccessClaims, TokenError> {
        let (signed, signature) = token.rsplit_once('.').ok_or(TokenError::Malformed)?;
        let (header, payload) = signed.split_once('.').ok_or(TokenError::Malformed)?;
        if header != HEADER {
            return Err(TokenError::Malformed);
        }
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| TokenError::Malformed)?;
        hmac::verify(&self.key, signed.as_bytes(), &signature).map_err(|_| TokenError::BadSignature)?;
        let payload = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| TokenError::Malformed)?;
        let claims: AccessClaims = serde_json::from_slice(&payload).map_err(|_| TokenError::Malformed)?;
        if claims.typ != "access" {
            return Err(TokenError::Malformed);
        }
        if claims.exp + LEEWAY_SECS <= now {
            return Err(TokenError::Expired);
        }
        Ok(claims)
    }
}

fn claims(user: Uuid, wallet: &str, role: Role, sid: Option<Uuid>, now: i64) -> AccessClaims {
    AccessClaims {
        sub: user,
        wal: wallet.to_owned(),
        role,
        typ: "access".to_owned(),
        iat: now,
        exp: now + ACCESS_TTL_SECS,
        sid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_790_000_000;

    fn keys() -> TokenKeys {
        TokenKeys::new(b"0123456789abcdef0123456789abcdef")
    }

    #[test]
    fn successors_are_deterministic_per_secret_and_token() {
        let a = keys().refresh_successor("token-1");
        assert_eq!(a, keys().refresh_successor("token-1"));
        assert_eq!(a.len(), 43, "32 bytes, base64url");
        assert_ne!(a, keys().refresh_successor("token-2"));
        let other = TokenKeys::new(b"another secret, also 32 bytes long");
        assert_ne!(a, other.refresh_successor("token-1"));
    }

    #[test]
    fn round_trip() {
        let user = Uuid::new_v4();
        let token = keys().issue_access(user, "Wallet111", Role::Admin, NOW);
        let claims = keys().verify_access(&token, NOW + 60).unwrap();
        assert_eq!(
            (claims.sub, claims.wal.as_str(), claims.role),
            (user, "Wallet111", Role::Admin)
        );
        assert_eq!(claims.exp - claims.iat, ACCESS_TTL_SECS);
        assert_eq!(claims.sid, None);
        let session = Uuid::new_v4();
        let token = keys().issue_session_access(user, "Wallet111", Role::User, session, NOW);
        assert_eq!(keys().verify_access(&token, NOW).unwrap().sid, Some(session));
        assert_eq!(
            URL_SAFE_NO_PAD.decode(HEADER).unwrap(),
            br#"{"alg":"HS256","typ":"JWT"}"#
        );
    }

    #[test]
    fn expiry_is_enforced_with_a_small_leeway() {
        let token = keys().issue_access(Uuid::new_v4(), "w", Role::User, NOW);
        assert!(
            keys()
                .verify_access(&token, NOW + ACCESS_TTL_SECS + LEEWAY_SECS - 1)
                .is_ok()
        );
        assert_eq!(
            keys().verify_access(&token, NOW + ACCESS_TTL_SECS + LEEWAY_SECS),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn tampering_and_other_keys_are_rejected() {
        let token = keys().issue_access(Uuid::new_v4(), "alice", Role::User, NOW);
        let other = TokenKeys::new(b"another-secret-another-secret-xx");
        assert_eq!(other.verify_access(&token, NOW), Err(TokenError::BadSignature));

        // Swap the payload for one claiming admin: the signature no longer matches.
        let (header, rest) = token.split_once('.').unwrap();
        let (_, signature) = rest.split_once('.').unwrap();
        let forged = AccessClaims {
            sub: Uuid::new_v4(),
            wal: "alice".into(),
            role: Role::Admin,
            typ: "access".into(),
            iat: NOW,
            exp: NOW + 900,
            sid: None,
        };
        let forged = format!(
            "{header}.{}.{signature}",
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged).unwrap())
        );
        assert_eq!(keys().verify_access(&forged, NOW), Err(TokenError::BadSignature));

        // An unsigned token with alg "none" is refused before any signature check.
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#),
            rest.split_once('.').unwrap().0
        );
        assert_eq!(keys().verify_access(&none, NOW), Err(TokenError::Malformed));
        for garbage in ["", "a.b", "a.b.c.d", "....", &token[..token.len() - 3]] {
            assert!(keys().verify_access(garbage, NOW).is_err(), "{garbage}");
        }
    }
}
