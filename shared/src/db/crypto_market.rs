//! `crypto_market` (latest snapshot per coin) and `crypto_market_history` (7-day series).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{FromRow, PgConnection, PgExecutor};

use crate::wire;

/// One coin's market data, as fetched (CoinGecko `/coins/markets` field names).
#[derive(Debug, Clone, PartialEq, FromRow, Serialize, Deserialize)]
pub struct CoinSnapshot {
    pub id: String,
    /// Upper case (`BTC`).
    pub symbol: String,
    pub name: String,
    pub image: Option<String>,
    pub current_price: Option<f64>,
    pub market_cap: Option<f64>,
    pub market_cap_rank: Option<i32>,
    pub total_volume: Option<f64>,
    pub high_24h: Option<f64>,
    pub low_24h: Option<f64>,
    pub price_change_24h: Option<f64>,
    pub price_change_percentage_24h: Option<f64>,
    pub circulating_supply: Option<f64>,
    pub total_supply: Option<f64>,
    pub max_supply: Option<f64>,
    pub ath: Option<f64>,
    pub ath_change_percentage: Option<f64>,
    pub ath_date: Option<DateTime<Utc>>,
    pub atl: Option<f64>,
    pub atl_change_percentage: Option<f64>,
    pub atl_date: Option<DateTime<Utc>>,
    pub last_updated: Option<DateTime<Utc>>,
}

/// A stored snapshot with the time we fetched it.
#[derive(Debug, Clone, PartialEq, FromRow, Serialize)]
pub struct CoinMarket {
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub coin: CoinSnapshot,
    #[serde(serialize_with = "wire::timestamp")]
    pub fetched_at: DateTime<Utc>,
}

macro_rules! columns {
    () => {
        "id, symbol, name, image, current_price, market_cap, market_cap_rank, total_volume, high_24h, \
         low_24h, price_change_24h, price_change_percentage_24h, circulating_supply, total_supply, \
         max_supply, ath, ath_change_percentage, ath_date, atl, atl_change_percentage, atl_date, \
         last_updated, fetched_at"
    };
}

/// How long history rows are kept.
pub const HISTORY_RETENTION_DAYS: i32 = 7;

/// Stores one refresh: upserts every snapshot, appends each to the history and deletes
/// history past the retention, inside the caller's transaction so a refresh is all or nothing.
/// Returns the number of coins stored.
pub async fn store_refresh(tx: &mut PgConnection, coins: &[CoinSnapshot]) -> sqlx::Result<u64> {
    for coin in coins {
        sqlx::query(
            "INSERT INTO crypto_market (id, symbol, name, image, current_price, market_cap, market_cap_rank,
                 total_volume, high_24h, low_24h, price_change_24h, price_change_percentage_24h,
                 circulating_supply, total_supply, max_supply, ath, ath_change_percentage, ath_date, atl,
                 atl_change_percentage, atl_date, last_updated, fetched_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
                     $20, $21, $22, now())
             ON CONFLICT (id) DO UPDATE SET symbol = EXCLUDED.symbol, name = EXCLUDED.name,
                 image = EXCLUDED.image, current_price = EXCLUDED.current_price,
                 market_cap = EXCLUDED.market_cap, market_cap_rank = EXCLUDED.market_cap_rank,
                 total_volume = EXCLUDED.total_volume, high_24h = EXCLUDED.high_24h,
                 low_24h = EXCLUDED.low_24h, price_change_24h = EXCLUDED.price_change_24h,
                 price_change_percentage_24h = EXCLUDED.price_change_percentage_24h,
                 circulating_supply = EXCLUDED.circulating_supply, total_supply = EXCLUDED.total_supply,
                 max_supply = EXCLUDED.max_supply, ath = EXCLUDED.ath,
                 ath_change_percentage = EXCLUDED.ath_change_percentage, ath_date = EXCLUDED.ath_date,
                 atl = EXCLUDED.atl, atl_change_percentage = EXCLUDED.atl_change_percentage,
                 atl_date = EXCLUDED.atl_date, last_updated = EXCLUDED.last_updated, fetched_at = now()",
        )
        .bind(&coin.id)
        .bind(&coin.symbol)
        .bind(&coin.name)
        .bind(&coin.image)
        .bind(coin.current_price)
        .bind(coin.market_cap)
        .bind(coin.market_cap_rank)
        .bind(coin.total_volume)
        .bind(coin.high_24h)
        .bind(coin.low_24h)
        .bind(coin.price_change_24h)
        .bind(coin.price_change_percentage_24h)
        .bind(coin.circulating_supply)
        .bind(coin.total_supply)
        .bind(coin.max_supply)
        .bind(coin.ath)
        .bind(coin.ath_change_percentage)
        .bind(coin.ath_date)
        .bind(coin.atl)
        .bind(coin.atl_change_percentage)
        .bind(coin.atl_date)
        .bind(coin.last_updated)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO crypto_market_history (coin_id, symbol, current_price, market_cap, market_cap_rank,
                 total_volume, price_change_24h, price_change_percentage_24h)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&coin.id)
        .bind(&coin.symbol)
        .bind(coin.current_price)
        .bind(coin.market_cap)
        .bind(coin.market_cap_rank)
        .bind(coin.total_volume)
        .bind(coin.price_change_24h)
        .bind(coin.price_change_percentage_24h)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("DELETE FROM crypto_market_history WHERE recorded_at < now() - make_interval(days => $1)")
        .bind(HISTORY_RETENTION_DAYS)
        .execute(&mut *tx)
        .await?;
    Ok(coins.len() as u64)
}

/// Every coin, by market-cap rank (unranked last).
pub async fn list(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<CoinMarket>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM crypto_market ORDER BY market_cap_rank NULLS LAST, id"
    ))
    .fetch_all(db)
    .await
}

pub async fn find_by_symbol(db: impl PgExecutor<'_>, symbol: &str) -> sqlx::Result<Option<CoinMarket>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM crypto_market WHERE symbol = upper($1)"
    ))
    .bind(symbol)
    .fetch_optional(db)
    .await
}

#[derive(Debug, Clone, PartialEq, FromRow, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryPoint {
    pub id: i64,
    pub coin_id: String,
    pub symbol: String,
    pub current_price: Option<f64>,
    pub market_cap: Option<f64>,
    pub market_cap_rank: Option<i32>,
    pub total_volume: Option<f64>,
    pub price_change_24h: Option<f64>,
    pub price_change_percentage_24h: Option<f64>,
    #[serde(serialize_with = "wire::timestamp")]
    pub recorded_at: DateTime<Utc>,
}

/// A coin's history since `since`, oldest first.
pub async fn history(
    db: impl PgExecutor<'_>,
    coin_id: &str,
    since: DateTime<Utc>,
) -> sqlx::Result<Vec<HistoryPoint>> {
    sqlx::query_as(
        "SELECT id, coin_id, symbol, current_price, market_cap, market_cap_rank, total_volume,
                price_change_24h, price_change_percentage_24h, recorded_at
         FROM crypto_market_history WHERE coin_id = $1 AND recorded_at >= $2 ORDER BY recorded_at, id",
    )
    .bind(coin_id)
    .bind(since)
    .fetch_all(db)
    .await
}
