//! A wallet's token history (on-chain payments merged with off-chain rewards) and totals,
//! for the wallet's own token or an admin's.

use neptu_http::ApiError;
use neptu_shared::auth::{Caller, NotYourWallet};
use neptu_shared::db::{token_transactions, user_rewards, users};
use neptu_shared::domain::token_history::{self, HistoryEntry};
use sqlx::PgPool;

pub use neptu_shared::db::token_transactions::TokenStats;
pub use neptu_shared::domain::token_history::HistoryPage;

#[derive(Debug, thiserror::Error)]
pub enum TokenHistoryError {
    /// A token for another wallet: 403.
    #[error(transparent)]
    NotYourWallet(#[from] NotYourWallet),
    /// No user has the wallet: 404.
    #[error("User not found")]
    UserNotFound,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<TokenHistoryError> for ApiError {
    fn from(error: TokenHistoryError) -> Self {
        match error {
            TokenHistoryError::NotYourWallet(error) => error.into(),
            TokenHistoryError::UserNotFound => ApiError::not_found("User not found"),
            TokenHistoryError::Database(error) => error.into(),
        }
    }
}

/// The wallet's transactions and rewards, newest first.
pub async fn history(
    db: &PgPool,
    caller: &Caller,
    wallet: &str,
    page: HistoryPage,
) -> Result<Vec<HistoryEntry>, TokenHistoryError> {
    caller.authorize_wallet(wallet)?;
    let user = users::find_by_wallet(db, wallet)
        .await?
        .ok_or(TokenHistoryError::UserNotFound)?;
    let HistoryPage { limit, offset, kind } = page;
    let list = token_transactions::list_for_user(db, user.id, kind, limit, offset);
    let (transactions, rewards) = if token_history::includes_rewards(kind) {
        tokio::try_join!(list, user_rewards::list_for_user(db, user.id, None, limit))?
    } else {
        (list.await?, Vec::new())
    };
    Ok(token_history::merge(
        transactions,
        rewards,
        usize::try_from(limit).unwrap_or(20),
    ))
}

/// The wallet's token totals (one query).
pub async fn stats(db: &PgPool, caller: &Caller, wallet: &str) -> Result<TokenStats, TokenHistoryError> {
    caller.authorize_wallet(wallet)?;
    token_transactions::stats_for_wallet(db, wallet)
        .await?
        .ok_or(TokenHistoryError::UserNotFound)
}
