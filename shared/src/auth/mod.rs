//! Who is calling: access tokens, the request extractors that check them, and the wallet
//! signatures that sign-in verifies. Shared by the API (which issues tokens) and the worker
//! (which accepts the API's tokens on its admin routes).

mod caller;
pub mod revocation;
mod token;
pub mod wallet;

use std::sync::Arc;

pub use caller::{Caller, NotYourWallet};
pub use token::{ACCESS_TTL_SECS, AccessClaims, TokenError, TokenKeys};

use crate::config::AuthSettings;
use secrecy::ExposeSecret;

/// Everything needed to authenticate a request; put one `Arc<Auth>` in the router state.
#[derive(Debug)]
pub struct Auth {
    pub keys: TokenKeys,
    /// This wallet is an admin whatever its stored role.
    pub admin_wallet: Option<String>,
    /// Development only: accept a bare `X-Wallet-Address` header as the caller's identity.
    pub legacy_wallet_header: bool,
    /// Revoked sessions and recent role changes, kept fresh by [`revocation::sync`].
    pub revocations: revocation::Revocations,
}

impl Auth {
    pub fn from_settings(settings: &AuthSettings) -> Arc<Self> {
        Arc::new(Self {
            keys: TokenKeys::new(settings.token_secret.expose_secret().as_bytes()),
            admin_wallet: settings.admin_wallet.clone(),
            legacy_wallet_header: settings.legacy_wallet_header,
            revocations: revocation::Revocations::default(),
        })
    }
}
