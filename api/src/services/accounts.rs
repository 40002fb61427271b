//! `POST /api/users`: the user of a wallet, created on first call (safe under concurrent
//! calls).
//!
//! The web app calls it as soon as a wallet connects, before any sign-in, so it works
//! without a token: the user is created if missing, the configured admin wallet promoted, and
//! only the public profile comes back. Nothing is changed on the caller's say-so (an `email`
//! is ignored), since anyone may name any wallet. With a token — the wallet's own or an
//! admin's — the whole profile comes back and an `email` is saved.

use neptu_http::ApiResult;
use neptu_shared::auth::Caller;
use neptu_shared::db::users::{self, ProfileUpdate, User};
use neptu_shared::domain::enums::Role;

use crate::state::AppState;

/// What the caller may see of the user.
pub enum Account {
    /// The wallet's own (or an admin's) token: the whole profile.
    Own(User),
    /// No token: only the public profile may be shown.
    Public(User),
}

pub async fn get_or_create(
    state: &AppState,
    caller: Option<&Caller>,
    wallet: &str,
    email: Option<String>,
) -> ApiResult<Account> {
    if let Some(caller) = caller {
        caller.authorize_wallet(wallet)?;
    }
    let (mut user, _) = users::get_or_create(&state.db, wallet).await?;
    if caller.is_some() && email.is_some() && email != user.email {
        let update = ProfileUpdate {
            email,
            ..Default::default()
        };
        user = users::update_profile(&state.db, &user.wallet_address, &update)
            .await?
            .unwrap_or(user);
    }
    if state.auth.admin_wallet.as_deref() == Some(user.wallet_address.as_str()) && user.role != Role::Admin {
        user = users::set_role(&state.db, user.id, Role::Admin)
            .await?
            .unwrap_or(user);
    }
    Ok(match caller {
        Some(_) => Account::Own(user),
        None => Account::Public(user),
    })
}
