//! Sign-in with a Solana wallet and the refresh-token sessions behind it.
//!
//! 1. `nonce`: a random one-time nonce, kept 5 minutes in the cache under the wallet, and the
//!    exact message to sign.
//! 2. `verify`: the nonce is consumed (whatever the outcome, so a nonce is never tried
//!    twice), the ed25519 signature of the message is checked against the wallet's public
//!    key, and the user gets an access token (15 minutes) and a refresh token (7 days).
//! 3. `refresh`: a refresh token is good once; using it yields a new pair in the same family.
//!    Presenting an already-used token means it was copied: the whole family is revoked.
//! 4. `logout`: revokes the family of the given refresh token.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use neptu_shared::auth::wallet;
use neptu_shared::db::{refresh_tokens, users};
use neptu_shared::domain::enums::Role;
use neptu_shared::http::ApiError;
use ring::digest::{SHA256, digest};
use ring::rand::{SecureRandom, SystemRandom};
use uuid::Uuid;

use crate::state::AppState;

/// How long a nonce can be used.
pub const NONCE_TTL: Duration = Duration::from_secs(300);
/// How long a refresh token is valid.
pub const REFRESH_TTL_DAYS: i64 = 7;

/// The exact text the wallet signs (the original sign-in's message).
pub fn sign_in_message(nonce: &str) -> String {
    format!("Sign this message to verify your wallet ownership for Neptu.\n\nNonce: {nonce}")
}

fn nonce_key(wallet: &str) -> String {
    format!("auth:nonce:{wallet}")
}

fn random_bytes<const N: usize>() -> Result<[u8; N], ApiError> {
    let mut bytes = [0u8; N];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| ApiError::internal(anyhow::anyhow!("the system random generator failed")))?;
    Ok(bytes)
}

fn hash(token: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(digest(&SHA256, token.as_bytes()).as_ref());
    out
}

/// Issues a nonce for `wallet`; a new request replaces the previous nonce.
pub async fn issue_nonce(state: &AppState, wallet: &str) -> Result<(String, String), ApiError> {
    if !wallet::is_valid_address(wallet) {
        return Err(ApiError::bad_request("Invalid Solana wallet address"));
    }
    let nonce: String = random_bytes::<32>()?.iter().map(|b| format!("{b:02x}")).collect();
    state
        .cache
        .put(&nonce_key(wallet), &nonce, Some(NONCE_TTL))
        .await
        .map_err(ApiError::internal)?;
    let message = sign_in_message(&nonce);
    Ok((nonce, message))
}

/// A signed-in user and their tokens.
pub struct Session {
    pub user: users::User,
    pub access_token: String,
    pub refresh_token: String,
}

/// Checks the signature of the issued message and starts a session.
pub async fn verify(state: &AppState, wallet_address: &str, signature: &str) -> Result<Session, ApiError> {
    if !wallet::is_valid_address(wallet_address) {
        return Err(ApiError::bad_request("Invalid Solana wallet address"));
    }
    let signature = wallet::decode_signature(signature)
        .ok_or_else(|| ApiError::bad_request("Invalid signature format"))?;
    let nonce = state
        .cache
        .take(&nonce_key(wallet_address))
        .await
        .ok_or_else(|| ApiError::bad_request("No pending nonce. Request /nonce first."))?;
    if !wallet::verify(wallet_address, sign_in_message(&nonce).as_bytes(), &signature) {
        return Err(ApiError::unauthorized("Signature verification failed"));
    }
    let (mut user, _) = users::get_or_create(&state.db, wallet_address).await?;
    if state.auth.admin_wallet.as_deref() == Some(wallet_address) && user.role != Role::Admin {
        user = users::set_role(&state.db, user.id, Role::Admin)
            .await?
            .unwrap_or(user);
    }
    let (access_token, refresh_token) = issue_pair(state, &state.db, &user, Uuid::new_v4()).await?;
    Ok(Session {
        user,
        access_token,
        refresh_token,
    })
}

/// A new access token and a new refresh token of `family` (stored through `db`).
async fn issue_pair(
    state: &AppState,
    db: impl sqlx::PgExecutor<'_>,
    user: &users::User,
    family: Uuid,
) -> Result<(String, String), ApiError> {
    let now = Utc::now();
    let access = state
        .auth
        .keys
        .issue_access(user.id, &user.wallet_address, user.role, now.timestamp());
    let refresh = URL_SAFE_NO_PAD.encode(random_bytes::<32>()?);
    let expires = now + chrono::Duration::days(REFRESH_TTL_DAYS);
    refresh_tokens::insert(db, user.id, family, &hash(&refresh), expires).await?;
    Ok((access, refresh))
}

fn invalid_refresh() -> ApiError {
    ApiError::unauthorized("Invalid or expired refresh token")
}

/// Exchanges a refresh token for a new pair (the role is read afresh from the database).
pub async fn refresh(state: &AppState, token: &str) -> Result<(String, String), ApiError> {
    let mut tx = state.db.begin().await?;
    let Some(stored) = refresh_tokens::lock_by_hash(&mut tx, &hash(token)).await? else {
        return Err(invalid_refresh());
    };
    if stored.revoked_at.is_some() || stored.expires_at <= Utc::now() {
        return Err(invalid_refresh());
    }
    if stored.used_at.is_some() {
        // A token is presented twice only when someone else has a copy: end the session.
        refresh_tokens::revoke_family(&mut *tx, stored.family_id).await?;
        tx.commit().await?;
        tracing::warn!(family = %stored.family_id, "refresh token reused; session revoked");
        return Err(invalid_refresh());
    }
    refresh_tokens::mark_used(&mut *tx, stored.id).await?;
    let Some(user) = users::find_by_id(&mut *tx, stored.user_id).await? else {
        return Err(ApiError::unauthorized("User no longer exists"));
    };
    let pair = issue_pair(state, &mut *tx, &user, stored.family_id).await?;
    tx.commit().await?;
    Ok(pair)
}

/// Ends the session the refresh token belongs to. Unknown tokens are not an error.
pub async fn logout(state: &AppState, token: &str) -> Result<(), ApiError> {
    refresh_tokens::revoke_family_of(&state.db, &hash(token)).await?;
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
}
