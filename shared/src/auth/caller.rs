//! Who a request comes from, once its token is checked: the wallet, the user and whether
//! they may act as an admin. The HTTP extractors (`neptu_http::auth`) produce a [`Caller`];
//! services receive one.

use uuid::Uuid;

use super::{Auth, TokenError};
use crate::domain::enums::Role;

/// The caller acted on a wallet that is not theirs (and is not an admin): a 403.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Forbidden: the token does not belong to this wallet")]
pub struct NotYourWallet;

/// The authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub wallet: String,
    /// `None` only in the development-only legacy header mode.
    pub user_id: Option<Uuid>,
    pub role: Role,
    admin: bool,
}

impl Caller {
    pub fn is_admin(&self) -> bool {
        self.admin
    }

    /// Allows the caller to act on `wallet`: their own, or any when they are an admin.
    pub fn authorize_wallet(&self, wallet: &str) -> Result<(), NotYourWallet> {
        if self.admin || self.wallet == wallet {
            Ok(())
        } else {
            Err(NotYourWallet)
        }
    }
}

impl Auth {
    /// Admin = role `admin`, or the configured admin wallet.
    fn is_admin(&self, wallet: &str, role: Role) -> bool {
        role == Role::Admin || self.admin_wallet.as_deref() == Some(wallet)
    }

    /// Development only: the caller a bare `X-Wallet-Address` header names.
    pub fn caller_of_wallet_header(&self, wallet: &str) -> Caller {
        Caller {
            wallet: wallet.to_owned(),
            user_id: None,
            role: Role::User,
            admin: self.is_admin(wallet, Role::User),
        }
    }

    /// The caller an access token stands for, if it is valid now: not of a revoked session,
    /// and with the user's current role when it changed after the token was issued. Both
    /// are lookups in memory ([`super::revocation`]), never a query.
    pub fn caller_of_token(&self, token: &str) -> Result<Caller, TokenError> {
        let claims = self.keys.verify_access(token, chrono::Utc::now().timestamp())?;
        if claims
            .sid
            .is_some_and(|session| self.revocations.is_revoked(session))
        {
            return Err(TokenError::Revoked);
        }
        let role = self.revocations.current_role(claims.sub).unwrap_or(claims.role);
        let admin = self.is_admin(&claims.wal, role);
        Ok(Caller {
            wallet: claims.wal,
            user_id: Some(claims.sub),
            role,
            admin,
        })
    }
}
