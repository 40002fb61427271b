//! A wallet's balances: the on-chain ones are public (anyone can read them from the chain),
//! so they are served without a token — the web app asks for them as soon as a wallet
//! connects, before any sign-in. They are cached for [`CACHE_TTL`], so a page's burst of
//! calls and every tab's periodic refetch cost the RPC one read per wallet, and an anonymous
//! caller cannot make the API hammer the RPC for one wallet. Pending rewards are off chain and
//! private: they are read only for the wallet's own token (or an admin's); the public view
//! shows 0.

use std::time::Duration;

use neptu_http::ApiError;
use neptu_shared::auth::{Caller, NotYourWallet, wallet as wallet_key};
use neptu_shared::cache::CacheStore;
use neptu_shared::clients::ClientError;
use neptu_shared::clients::solana::SolanaRpc;
use neptu_shared::config::SolanaSettings;
use neptu_shared::db::{user_rewards, users};
use rust_decimal::Decimal;
use sqlx::PgPool;

use super::chain::{self, ChainError};

/// How long on-chain balances are reused.
pub const CACHE_TTL: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum BalanceError {
    /// Not a Solana address: 400.
    #[error("Invalid Solana wallet address")]
    InvalidWallet,
    /// A token for another wallet: 403.
    #[error(transparent)]
    NotYourWallet(#[from] NotYourWallet),
    /// No RPC configured: 503 (a failed read shows as 0 instead).
    #[error(transparent)]
    Chain(#[from] ChainError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<BalanceError> for ApiError {
    fn from(error: BalanceError) -> Self {
        match error {
            BalanceError::InvalidWallet => ApiError::bad_request("Invalid Solana wallet address"),
            BalanceError::NotYourWallet(error) => error.into(),
            BalanceError::Chain(error) => error.into(),
            BalanceError::Database(error) => error.into(),
        }
    }
}

/// Where balances come from: the chain, the cache in front of it, and the database for the
/// pending rewards.
pub struct Sources<'a> {
    pub db: &'a PgPool,
    pub cache: &'a dyn CacheStore,
    pub rpc: Option<&'a dyn SolanaRpc>,
    /// The NEPTU and SUDIGITAL mints.
    pub solana: &'a SolanaSettings,
}

/// Whether the caller may see the wallet's private figures: `None` is the public view; a
/// token must be the wallet's own or an admin's (403 otherwise, as on every wallet route).
fn private_view(caller: Option<&Caller>, wallet: &str) -> Result<bool, BalanceError> {
    if !wallet_key::is_valid_address(wallet) {
        return Err(BalanceError::InvalidWallet);
    }
    match caller {
        Some(caller) => Ok(caller.authorize_wallet(wallet).map(|()| true)?),
        None => Ok(false),
    }
}

/// As the original: a failed balance read shows as 0 rather than failing the page.
fn or_zero(result: &Result<u64, ClientError>) -> u64 {
    match result {
        Ok(amount) => *amount,
        Err(error) => {
            tracing::warn!(%error, "balance read failed; shown as 0");
            0
        }
    }
}

/// Pending rewards of the wallet's user (0 without one), or 0 in the public view.
async fn pending(db: &PgPool, wallet: &str, private: bool) -> Result<Decimal, BalanceError> {
    if !private {
        return Ok(Decimal::ZERO);
    }
    Ok(match users::find_by_wallet(db, wallet).await? {
        Some(user) => user_rewards::totals_for_user(db, user.id).await?.pending,
        None => Decimal::ZERO,
    })
}

/// Cached amounts, comma-separated; `None` on a miss or anything unreadable.
async fn cached(cache: &dyn CacheStore, key: &str, count: usize) -> Option<Vec<u64>> {
    let text = cache.get(key).await?;
    let amounts: Vec<u64> = text.split(',').map(str::parse).collect::<Result<_, _>>().ok()?;
    (amounts.len() == count).then_some(amounts)
}

/// Keeps the amounts when every read succeeded (a failed read must not stick as 0).
async fn remember(cache: &dyn CacheStore, key: &str, reads: &[Result<u64, ClientError>]) {
    if reads.iter().all(Result::is_ok) {
        let text: Vec<String> = reads.iter().map(|r| or_zero(r).to_string()).collect();
        // The cache is a copy: a failed put costs the next caller an RPC read, nothing else.
        let _ = cache.put(key, &text.join(","), Some(CACHE_TTL)).await;
    }
}

pub struct NeptuBalance {
    pub raw: u64,
    pub pending_rewards: Decimal,
}

/// The wallet's NEPTU balance (its first NEPTU token account).
pub async fn neptu(
    from: &Sources<'_>,
    caller: Option<&Caller>,
    wallet: &str,
) -> Result<NeptuBalance, BalanceError> {
    let private = private_view(caller, wallet)?;
    let rpc = chain::configured(from.rpc)?;
    let key = format!("balance:neptu:{wallet}");
    let (raw, pending) = match cached(from.cache, &key, 1).await {
        Some(amounts) => (amounts[0], pending(from.db, wallet, private).await?),
        None => {
            let mint = &from.solana.neptu_mint;
            let (raw, pending) =
                tokio::join!(rpc.token_balance(wallet, mint), pending(from.db, wallet, private));
            remember(from.cache, &key, std::slice::from_ref(&raw)).await;
            (or_zero(&raw), pending?)
        }
    };
    Ok(NeptuBalance {
        raw,
        pending_rewards: pending,
    })
}

pub struct AllBalances {
    pub lamports: u64,
    pub neptu: u64,
    pub sudigital: u64,
    pub pending_rewards: Decimal,
}

/// SOL, NEPTU and SUDIGITAL balances of the wallet, read concurrently.
pub async fn all(
    from: &Sources<'_>,
    caller: Option<&Caller>,
    wallet: &str,
) -> Result<AllBalances, BalanceError> {
    let private = private_view(caller, wallet)?;
    let rpc = chain::configured(from.rpc)?;
    let key = format!("balance:all:{wallet}");
    let (amounts, pending) = match cached(from.cache, &key, 3).await {
        Some(amounts) => (amounts, pending(from.db, wallet, private).await?),
        None => {
            let solana = from.solana;
            let (lamports, neptu, sudigital, pending) = tokio::join!(
                rpc.balance(wallet),
                rpc.token_balance(wallet, &solana.neptu_mint),
                rpc.token_balance(wallet, &solana.sudigital_mint),
                pending(from.db, wallet, private),
            );
            let reads = [lamports, neptu, sudigital];
            remember(from.cache, &key, &reads).await;
            (reads.iter().map(or_zero).collect(), pending?)
        }
    };
    Ok(AllBalances {
        lamports: amounts[0],
        neptu: amounts[1],
        sudigital: amounts[2],
        pending_rewards: pending,
    })
}
