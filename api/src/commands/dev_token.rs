//! `neptu-api dev-token WALLET`: an access token for a wallet without signing anything, for
//! trying the API locally (`curl -H "Authorization: Bearer $(neptu-api dev-token …)"`).
//!
//! It mints what only a wallet signature should earn, so it is refused in production, where
//! the token secret is real; elsewhere the secret is the development one (or whatever
//! `AUTH_TOKEN_SECRET` says), and the token is as good as a signed-in one for 15 minutes.

use std::process::ExitCode;

use neptu_shared::auth::{Auth, wallet};
use neptu_shared::config::{Environment, Service, Settings};
use neptu_shared::db::{self, users};
use neptu_shared::domain::enums::Role;

/// Prints the token on stdout (nothing else); any refusal or failure is one line on stderr.
pub fn main(wallet_address: &str) -> ExitCode {
    let settings = match Settings::load(Service::Api) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("neptu-api: configuration error: {error}");
            return ExitCode::from(2);
        }
    };
    if settings.environment == Environment::Production {
        eprintln!(
            "neptu-api: dev-token is refused when ENVIRONMENT=production (sign in with the wallet instead)"
        );
        return ExitCode::from(2);
    }
    if !wallet::is_valid_address(wallet_address) {
        eprintln!(
            "neptu-api: dev-token: {wallet_address:?} is not a Solana wallet address (base58, 32 bytes)"
        );
        return ExitCode::from(2);
    }
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("neptu-api: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(issue(&settings, wallet_address)) {
        Ok(token) => {
            println!("{token}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("neptu-api: dev-token failed: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Creates the wallet's user if needed (promoting the configured admin wallet, as sign-in
/// does) and issues its access token.
async fn issue(settings: &Settings, wallet_address: &str) -> anyhow::Result<String> {
    let pool = db::pool(&settings.database, "neptu-api-dev-token");
    let (mut user, _) = users::get_or_create(&pool, wallet_address).await?;
    if settings.auth.admin_wallet.as_deref() == Some(wallet_address) && user.role != Role::Admin {
        user = users::set_role(&pool, user.id, Role::Admin)
            .await?
            .unwrap_or(user);
    }
    pool.close().await;
    let auth = Auth::from_settings(&settings.auth);
    Ok(auth.keys.issue_access(
        user.id,
        &user.wallet_address,
        user.role,
        chrono::Utc::now().timestamp(),
    ))
}
