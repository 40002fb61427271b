//! How many wallets one client address may sign in per hour (`RATE_LIMIT_SIGN_INS_PER_HOUR`).
//!
//! Every per-wallet quota (requests per minute, oracle answers per hour) is worth as much as
//! a fresh wallet costs, and a fresh wallet costs two auth calls: without this cap one
//! address could sign in a new wallet per quota it wants. The count is of *distinct* wallets
//! that completed a sign-in from the address (IPv6 by its /64) in a fixed hourly window, so a
//! user signing in again, or from several tabs, is not counted twice. Only accepted
//! signatures count: nobody can use up an address's quota with wallets they do not hold.
//!
//! When the cache cannot count, sign-ins go through (fail open), as every rate limit does.

use std::net::IpAddr;
use std::time::Duration;

use neptu_shared::cache::CacheStore;
use neptu_shared::domain::rate_limit::{self, Subject};

const WINDOW: Duration = Duration::from_secs(3600);

/// The address has signed in its `limit` of other wallets this hour; it may try again in
/// `retry_after` seconds. Reaches clients through `SessionError` (a 429).
#[derive(Debug, thiserror::Error)]
#[error("too many new sign-ins from this address")]
pub struct TooManySignIns {
    pub retry_after: u64,
}

/// Counts `wallet`'s sign-in from `client` under `limit` (0 = no limit); refused once the
/// address has signed in `limit` other wallets this hour.
pub async fn admit(
    cache: &dyn CacheStore,
    client: IpAddr,
    wallet: &str,
    limit: u32,
) -> Result<(), TooManySignIns> {
    if limit == 0 {
        return Ok(());
    }
    let now = chrono::Utc::now().timestamp().max(0) as u64;
    let window = rate_limit::window("signin", &Subject::Ip(client), now, WINDOW);
    let marker = rate_limit::member_key(&window, wallet);
    let counted = match cache.get(&marker).await {
        Some(_) => return Ok(()),
        None => cache.increment(&window.key, window.ttl).await,
    };
    match counted {
        Ok(count) if rate_limit::allowed(count, limit) => {
            // A failed marker only means this wallet may be counted again later this hour.
            let _ = cache.put(&marker, "1", Some(window.ttl)).await;
            Ok(())
        }
        Ok(_) => {
            metrics::counter!("rate_limit_rejected_total", "tier" => "signin").increment(1);
            Err(TooManySignIns {
                retry_after: window.retry_after,
            })
        }
        Err(error) => {
            metrics::counter!("rate_limit_unavailable_total").increment(1);
            tracing::debug!(%error, "sign-in not counted (cache unavailable); letting it through");
            Ok(())
        }
    }
}
