//! Users by wallet. `POST /api/users` returns the user of a wallet, created on first call
//! (safe under concurrent calls); the wallet routes find the user of the wallet in their path.
//!
//! The web app calls `POST /api/users` as soon as a wallet connects, before any sign-in, so
//! it works without a token: the user is created if missing, the configured admin wallet
//! promoted, and only the public profile comes back. Nothing is changed on the caller's say-so
//! (an `email` is ignored), since anyone may name any wallet. With a token — the wallet's own
//! or an admin's — the whole profile comes back and an `email` is saved.

use neptu_shared::auth::Caller;
use neptu_shared::db::users::{self, ProfileUpdate};
use neptu_shared::domain::enums::Role;
use sqlx::PgPool;

use super::UserError;

pub use neptu_shared::db::users::User;

/// What the caller may see of the user.
pub enum Account {
    /// The wallet's own (or an admin's) token: the whole profile.
    Own(User),
    /// No token: only the public profile may be shown.
    Public(User),
}

/// The user of `wallet`, created if missing. `admin_wallet` (from the settings) is promoted
/// to admin whenever it comes by.
pub async fn get_or_create(
    db: &PgPool,
    admin_wallet: Option<&str>,
    caller: Option<&Caller>,
    wallet: &str,
    email: Option<String>,
) -> Result<Account, UserError> {
    if let Some(caller) = caller {
        caller.authorize_wallet(wallet)?;
    }
    let (mut user, _) = users::get_or_create(db, wallet).await?;
    if caller.is_some() && email.is_some() && email != user.email {
        let update = ProfileUpdate {
            email,
            ..Default::default()
        };
        user = users::update_profile(db, &user.wallet_address, &update)
            .await?
            .unwrap_or(user);
    }
    if admin_wallet == Some(user.wallet_address.as_str()) && user.role != Role::Admin {
        user = users::set_role(db, user.id, Role::Admin).await?.unwrap_or(user);
    }
    Ok(match caller {
        Some(_) => Account::Own(user),
        None => Account::Public(user),
    })
}

/// The user of a wallet-scoped route, whose caller the handler has already authorized.
pub async fn wallet_user(db: &PgPool, wallet: &str) -> Result<User, UserError> {
    users::find_by_wallet(db, wallet)
        .await?
        .ok_or(UserError::NotFound(NOT_FOUND))
}

pub const NOT_FOUND: &str = "User not found";
