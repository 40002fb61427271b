//! Sign-in with a Solana wallet and the refresh-token sessions behind it.
//!
//! 1. `nonce`: a random one-time nonce for the wallet, stored in Postgres for 5 minutes, and
//!    the exact message to sign. Postgres, not the cache: any replica can check the signature,
//!    and a Redis outage costs sign-in nothing. A wallet has up to [`MAX_OUTSTANDING_NONCES`]
//!    outstanding nonces; at that cap the newest outstanding one is handed out again instead
//!    of a new one. Nothing unexpired is ever dropped, so however many nonces a stranger asks
//!    for a wallet, the nonce its holder is signing stays valid. (Knowing a nonce is harmless:
//!    only the wallet's key can sign it.)
//! 2. `verify`: the signature is checked against the messages of the wallet's outstanding
//!    nonces. Only an accepted signature uses its nonce up (one delete, so exactly one of
//!    several concurrent verifies wins); a forged or malformed one consumes nothing. The user
//!    then gets an access token (15 minutes) and a refresh token (7 days).
//! 3. `refresh`: a refresh token is exchanged once for a new pair in the same family; an
//!    exchanged token presented again means it was copied, and the whole family is revoked —
//!    except within the reuse window (`REFRESH_REUSE_WINDOW_SECS`, a few seconds): a page whose
//!    tabs or requests refresh in parallel all present the same token, and each of them gets
//!    the **same** successor pair, with no new family member.
//!
//!    Handing the same pair out again without storing any token in plain text: the successor
//!    is not random but `HMAC-SHA256(key derived from AUTH_TOKEN_SECRET, presented token)`
//!    ([`TokenKeys::refresh_successor`]), so it can be recomputed from the token being
//!    presented, and only its SHA-256 is stored, like every refresh token. The access token is
//!    re-signed with the issue time stored as the presented token's `used_at` (whole seconds)
//!    and the user's current role, which gives the same token. A database dump alone still
//!    yields no usable token; rotating the secret makes repeats within the window fail (401),
//!    which only costs a sign-in. Whoever holds a copied token can also repeat within the
//!    window, as with any reuse interval; the copy shares the successor, and the family is
//!    revoked as soon as either side presents an exchanged token after its window.
//! 4. `logout`: revokes the family of the given refresh token.
//!
//! Each access token names its family (`sid`), so revoking a family (logout, reuse) also
//! refuses its access tokens on every replica within moments, and a role change applies to
//! tokens already issued: see `neptu_shared::auth::revocation`.
//!
//! [`TokenKeys::refresh_successor`]: neptu_shared::auth::TokenKeys::refresh_successor

mod error;

use std::net::IpAddr;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use neptu_shared::auth::{Auth, wallet};
use neptu_shared::cache::CacheStore;
use neptu_shared::db::{refresh_tokens, sign_in_nonces, users};
use neptu_shared::domain::enums::Role;
use ring::digest::{SHA256, digest};
use ring::rand::{SecureRandom, SystemRandom};
use sqlx::PgPool;
use uuid::Uuid;

pub use self::error::SessionError;
use super::sign_in_quota;

/// How long a nonce can be used.
pub const NONCE_TTL: Duration = Duration::from_secs(300);
/// Outstanding nonces per wallet; at the cap the newest is handed out again.
pub const MAX_OUTSTANDING_NONCES: usize = 5;
/// How long a refresh token is valid.
pub const REFRESH_TTL_DAYS: i64 = 7;

/// The exact text the wallet signs (the original sign-in's message).
pub fn sign_in_message(nonce: &str) -> String {
    format!("Sign this message to verify your wallet ownership for Neptu.\n\nNonce: {nonce}")
}

fn random_bytes<const N: usize>() -> Result<[u8; N], SessionError> {
    let mut bytes = [0u8; N];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| anyhow::anyhow!("the system random generator failed"))?;
    Ok(bytes)
}

fn hash(token: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(digest(&SHA256, token.as_bytes()).as_ref());
    out
}

/// A nonce to sign: the nonce, the message, and when it stops being accepted.
pub struct IssuedNonce {
    pub nonce: String,
    pub message: String,
    pub expires_at: DateTime<Utc>,
}

/// Issues a nonce for `wallet` (or, at the cap, the newest outstanding one again).
pub async fn issue_nonce(db: &PgPool, wallet: &str) -> Result<IssuedNonce, SessionError> {
    if !wallet::is_valid_address(wallet) {
        return Err(SessionError::InvalidWallet);
    }
    let mut tx = db.begin().await?;
    sign_in_nonces::lock_wallet(&mut tx, wallet).await?;
    sign_in_nonces::delete_expired_of(&mut *tx, wallet).await?;
    // The expired ones are gone, so what is left is live, newest first.
    let mut outstanding = sign_in_nonces::for_wallet(&mut *tx, wallet).await?;
    let issued = if outstanding.len() >= MAX_OUTSTANDING_NONCES {
        outstanding.remove(0)
    } else {
        let nonce: String = random_bytes::<32>()?.iter().map(|b| format!("{b:02x}")).collect();
        sign_in_nonces::insert(&mut *tx, wallet, &nonce, NONCE_TTL).await?
    };
    tx.commit().await?;
    Ok(IssuedNonce {
        message: sign_in_message(&issued.nonce),
        nonce: issued.nonce,
        expires_at: issued.expires_at,
    })
}

/// A signed-in user and their tokens.
pub struct Session {
    pub user: users::User,
    /// Role `admin` or the configured admin wallet.
    pub is_admin: bool,
    pub access_token: String,
    pub refresh_token: String,
}

/// A completed sign-in to check: the wallet, its signature of the message, and the address
/// it came from (as the rate limits see it).
pub struct SignIn<'a> {
    pub wallet_address: &'a str,
    pub signature: &'a str,
    pub client: IpAddr,
}

/// Checks a signature over one of the wallet's outstanding messages and starts a session;
/// the client's hourly count of signed-in wallets must have room for this one under
/// `sign_ins_per_hour` ([`sign_in_quota`]).
pub async fn verify(
    db: &PgPool,
    cache: &dyn CacheStore,
    auth: &Auth,
    sign_ins_per_hour: u32,
    sign_in: SignIn<'_>,
) -> Result<Session, SessionError> {
    let SignIn {
        wallet_address,
        signature,
        client,
    } = sign_in;
    if !wallet::is_valid_address(wallet_address) {
        return Err(SessionError::InvalidWallet);
    }
    let signature = wallet::decode_signature(signature).ok_or(SessionError::InvalidSignature)?;
    let nonces = sign_in_nonces::for_wallet(db, wallet_address).await?;
    if nonces.is_empty() {
        return Err(SessionError::NoPendingNonce);
    }
    // At most a handful of ed25519 checks (tens of microseconds each).
    let signed = nonces
        .iter()
        .find(|n| wallet::verify(wallet_address, sign_in_message(&n.nonce).as_bytes(), &signature));
    match signed {
        None => return Err(SessionError::SignatureRejected),
        Some(n) if !n.live => return Err(SessionError::NonceExpired),
        Some(n) => {
            // Before the nonce is used up: a refused sign-in can be retried next hour.
            sign_in_quota::admit(cache, client, wallet_address, sign_ins_per_hour).await?;
            // Lost only to a concurrent verify with the same signature, or to the clock.
            if !sign_in_nonces::consume(db, wallet_address, &n.nonce).await? {
                return Err(SessionError::NoPendingNonce);
            }
        }
    }
    let (mut user, _) = users::get_or_create(db, wallet_address).await?;
    if auth.admin_wallet.as_deref() == Some(wallet_address) && user.role != Role::Admin {
        user = users::set_role(db, user.id, Role::Admin).await?.unwrap_or(user);
    }
    let now = whole_seconds(Utc::now());
    let refresh = URL_SAFE_NO_PAD.encode(random_bytes::<32>()?);
    let family = Uuid::new_v4();
    store_refresh(db, &user, family, &refresh, now).await?;
    Ok(Session {
        is_admin: user.role == Role::Admin || auth.admin_wallet.as_deref() == Some(wallet_address),
        access_token: access_token(auth, &user, family, now),
        refresh_token: refresh,
        user,
    })
}

/// Timestamps that are also token issue times are kept in whole seconds, as tokens carry them.
fn whole_seconds(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(at.timestamp(), 0).unwrap_or(at)
}

/// The access token of session `family`: revoking the family refuses it on every replica.
fn access_token(auth: &Auth, user: &users::User, family: Uuid, issued_at: DateTime<Utc>) -> String {
    auth.keys.issue_session_access(
        user.id,
        &user.wallet_address,
        user.role,
        family,
        issued_at.timestamp(),
    )
}

async fn store_refresh(
    db: impl sqlx::PgExecutor<'_>,
    user: &users::User,
    family: Uuid,
    token: &str,
    now: DateTime<Utc>,
) -> Result<(), SessionError> {
    let expires = now + chrono::Duration::days(REFRESH_TTL_DAYS);
    refresh_tokens::insert(db, user.id, family, &hash(token), expires).await?;
    Ok(())
}

/// Exchanges a refresh token for its successor pair (the role is read afresh from the
/// database); presented again within `reuse_window` (`REFRESH_REUSE_WINDOW_SECS`) it gives
/// the same pair. Concurrent exchanges of one token run one after the other (row lock).
pub async fn refresh(
    db: &PgPool,
    auth: &Auth,
    reuse_window: Duration,
    token: &str,
) -> Result<(String, String), SessionError> {
    let mut tx = db.begin().await?;
    let Some(stored) = refresh_tokens::lock_by_hash(&mut tx, &hash(token)).await? else {
        return Err(SessionError::InvalidRefresh);
    };
    let now = Utc::now();
    if stored.revoked_at.is_some() || stored.expires_at <= now {
        return Err(SessionError::InvalidRefresh);
    }
    let successor = auth.keys.refresh_successor(token);
    let window = chrono::Duration::from_std(reuse_window).unwrap_or(chrono::Duration::zero());
    let issued_at = match stored.used_at {
        None => {
            let at = whole_seconds(now);
            refresh_tokens::mark_used(&mut *tx, stored.id, at).await?;
            at
        }
        // The same exchange again, moments later: the same successor, nothing new stored.
        Some(used) if now < used + window => {
            let current = refresh_tokens::find_by_hash(&mut *tx, &hash(&successor)).await?;
            if current.is_none_or(|s| s.revoked_at.is_some()) {
                return Err(SessionError::InvalidRefresh);
            }
            used
        }
        Some(_) => {
            // Presented again after its window: someone else has a copy. End the session.
            refresh_tokens::revoke_family(&mut *tx, stored.family_id).await?;
            tx.commit().await?;
            tracing::warn!(family = %stored.family_id, "refresh token reused; session revoked");
            return Err(SessionError::InvalidRefresh);
        }
    };
    let Some(user) = users::find_by_id(&mut *tx, stored.user_id).await? else {
        return Err(SessionError::UserGone);
    };
    if stored.used_at.is_none() {
        store_refresh(&mut *tx, &user, stored.family_id, &successor, issued_at).await?;
    }
    tx.commit().await?;
    Ok((access_token(auth, &user, stored.family_id, issued_at), successor))
}

/// Ends the session the refresh token belongs to. Unknown tokens are not an error.
pub async fn logout(db: &PgPool, token: &str) -> Result<(), SessionError> {
    refresh_tokens::revoke_family_of(db, &hash(token)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_embeds_the_nonce() {
        assert_eq!(
            sign_in_message("ab"),
            "Sign this message to verify your wallet ownership for Neptu.\n\nNonce: ab"
        );
    }

    #[test]
    fn hashes_are_sha256() {
        let h = hash("abc");
        assert_eq!(h[..4], [0xba, 0x78, 0x16, 0xbf]);
    }

    #[test]
    fn issue_times_are_whole_seconds() {
        let at = DateTime::from_timestamp(1_790_000_000, 999_000_000).unwrap();
        assert_eq!(whole_seconds(at).timestamp_subsec_nanos(), 0);
        assert_eq!(whole_seconds(at).timestamp(), 1_790_000_000);
    }
}
