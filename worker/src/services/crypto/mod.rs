//! The tracked coins with their stored market data and cosmic readings, and the chart proxy
//! behind the caller's per-minute quota.

mod bodies;

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use neptu_http::ApiError;
use neptu_shared::cache::CacheStore;
use neptu_shared::db::crypto_market::{self, CoinMarket};
use neptu_shared::domain::crypto::{self, COINS, Coin};
use neptu_shared::domain::rate_limit::Subject;
use neptu_wariga::CivilDate;
use sqlx::PgPool;

pub use bodies::{
    BirthdaysResponse, CoinWithMarket, CosmicReading, CosmicResponse, MarketCoin, MarketResponse,
    RefreshResponse,
};

use super::quota;
use crate::chart::{Chart, ChartError, ChartProxy};

/// The chart quota's window.
const CHART_WINDOW: Duration = Duration::from_secs(60);

/// What the coin readings can fail with.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// Today is outside the calendar engine's range.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<CryptoError> for ApiError {
    fn from(error: CryptoError) -> Self {
        match error {
            CryptoError::Database(error) => error.into(),
            CryptoError::Internal(error) => ApiError::internal(error),
        }
    }
}

/// Today in UTC, as the original's `new Date()` on a UTC server.
fn today() -> Result<CivilDate, CryptoError> {
    CivilDate::new(Utc::now().date_naive()).map_err(|e| CryptoError::Internal(anyhow::anyhow!("{e}")))
}

fn date_of(at: Option<DateTime<Utc>>) -> Option<CivilDate> {
    at.and_then(|at| CivilDate::new(at.date_naive()).ok())
}

/// Every tracked coin (in the original's order) with its market row, if fetched yet.
async fn tracked_with_market(db: &PgPool) -> Result<Vec<(Coin, Option<CoinMarket>)>, CryptoError> {
    let rows = crypto_market::list(db).await?;
    let mut by_id: HashMap<String, CoinMarket> = rows.into_iter().map(|r| (r.coin.id.clone(), r)).collect();
    Ok(COINS
        .iter()
        .map(|coin| (*coin, by_id.remove(coin.coingecko_id)))
        .collect())
}

/// Every tracked coin with its stored market data and its cosmic readings.
pub async fn market(db: &PgPool) -> Result<MarketResponse, CryptoError> {
    let today = today()?;
    let mut data = Vec::new();
    for (coin, row) in tracked_with_market(db).await? {
        let Some(birth) = coin.birth() else { continue };
        let market = row.as_ref().map(|r| &r.coin);
        let ath = date_of(market.and_then(|m| m.ath_date)).map(|d| crypto::cosmic_for_date(birth, d));
        let atl = date_of(market.and_then(|m| m.atl_date)).map(|d| crypto::cosmic_for_date(birth, d));
        data.push(MarketCoin {
            coin: CoinWithMarket::new(&coin, row.as_ref()),
            cosmic_alignment: crypto::cosmic_alignment(birth, today),
            ath_cosmic: ath,
            atl_cosmic: atl,
        });
    }
    Ok(MarketResponse {
        success: true,
        count: data.len(),
        data,
    })
}

/// The tracked coins and their genesis days.
pub fn birthdays() -> BirthdaysResponse {
    BirthdaysResponse {
        success: true,
        data: &COINS,
        count: COINS.len(),
    }
}

/// How every tracked coin aligns with a birth date today, best first.
pub async fn cosmic(db: &PgPool, user: CivilDate) -> Result<CosmicResponse, CryptoError> {
    let today = today()?;
    let mut readings = Vec::new();
    for (coin, row) in tracked_with_market(db).await? {
        let Some(coin_birth) = coin.birth() else { continue };
        readings.push(CosmicReading {
            coin: CoinWithMarket::new(&coin, row.as_ref()),
            alignment: crypto::personal_alignment(user, coin_birth, today),
        });
    }
    readings.sort_by_key(|r| std::cmp::Reverse(r.alignment.cosmic_alignment));
    let user_wuku = neptu_wariga::potensi(user).base.wuku.name;
    Ok(CosmicResponse {
        success: true,
        date: today.to_string(),
        // The day was strictly `YYYY-MM-DD`, so this is the text as sent.
        user_birth_date: user.to_string(),
        user_wuku,
        readings,
    })
}

/// A chart through the proxy, once `who`'s per-minute quota (`per_minute`; 0: none) allows.
pub async fn chart(
    cache: &dyn CacheStore,
    proxy: &ChartProxy,
    who: &Subject,
    per_minute: u32,
    id: &str,
    days: Option<&str>,
) -> Result<Chart, ChartError> {
    quota::count(cache, "chart", who, per_minute, CHART_WINDOW)
        .await
        .map_err(ChartError::Limited)?;
    proxy.chart(cache, id, days).await
}
