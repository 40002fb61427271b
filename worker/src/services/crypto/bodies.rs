//! The bodies of `/api/crypto/*`, in the field names the web app reads.

use chrono::{DateTime, Utc};
use neptu_shared::db::crypto_market::CoinMarket;
use neptu_shared::domain::crypto::{Coin, CosmicAlignment, CosmicForDate, PersonalAlignment};
use neptu_shared::wire;
use serde::Serialize;
use utoipa::ToSchema;

/// A tracked coin merged with its stored market row: the market fields are null until the
/// coin's market was first fetched.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CoinWithMarket {
    symbol: &'static str,
    name: &'static str,
    /// Genesis (or launch) day, `YYYY-MM-DD`.
    birthday: &'static str,
    description: &'static str,
    coingecko_id: &'static str,
    current_price: Option<f64>,
    market_cap: Option<f64>,
    market_cap_rank: Option<i32>,
    price_change_24h: Option<f64>,
    price_change_percentage_24h: Option<f64>,
    high_24h: Option<f64>,
    low_24h: Option<f64>,
    total_volume: Option<f64>,
    circulating_supply: Option<f64>,
    total_supply: Option<f64>,
    max_supply: Option<f64>,
    ath: Option<f64>,
    ath_change_percentage: Option<f64>,
    /// RFC 3339 UTC with milliseconds.
    ath_date: Option<String>,
    atl: Option<f64>,
    atl_change_percentage: Option<f64>,
    atl_date: Option<String>,
    image: Option<String>,
    last_updated: Option<String>,
}

impl CoinWithMarket {
    pub fn new(coin: &Coin, market: Option<&CoinMarket>) -> Self {
        let m = market.map(|m| &m.coin);
        let ts = |at: Option<DateTime<Utc>>| at.map(|at| wire::format_timestamp(&at));
        Self {
            symbol: coin.symbol,
            name: coin.name,
            birthday: coin.birthday,
            description: coin.description,
            coingecko_id: coin.coingecko_id,
            current_price: m.and_then(|m| m.current_price),
            market_cap: m.and_then(|m| m.market_cap),
            market_cap_rank: m.and_then(|m| m.market_cap_rank),
            price_change_24h: m.and_then(|m| m.price_change_24h),
            price_change_percentage_24h: m.and_then(|m| m.price_change_percentage_24h),
            high_24h: m.and_then(|m| m.high_24h),
            low_24h: m.and_then(|m| m.low_24h),
            total_volume: m.and_then(|m| m.total_volume),
            circulating_supply: m.and_then(|m| m.circulating_supply),
            total_supply: m.and_then(|m| m.total_supply),
            max_supply: m.and_then(|m| m.max_supply),
            ath: m.and_then(|m| m.ath),
            ath_change_percentage: m.and_then(|m| m.ath_change_percentage),
            ath_date: ts(m.and_then(|m| m.ath_date)),
            atl: m.and_then(|m| m.atl),
            atl_change_percentage: m.and_then(|m| m.atl_change_percentage),
            atl_date: ts(m.and_then(|m| m.atl_date)),
            image: m.and_then(|m| m.image.clone()),
            last_updated: ts(m.and_then(|m| m.last_updated)),
        }
    }
}

/// A coin with its market and its cosmic readings: today's, and those of its all-time high
/// and low days (null while unknown).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MarketCoin {
    #[serde(flatten)]
    pub coin: CoinWithMarket,
    pub cosmic_alignment: CosmicAlignment,
    pub ath_cosmic: Option<CosmicForDate>,
    pub atl_cosmic: Option<CosmicForDate>,
}

#[derive(Serialize, ToSchema)]
pub struct MarketResponse {
    pub success: bool,
    pub count: usize,
    pub data: Vec<MarketCoin>,
}

#[derive(Serialize, ToSchema)]
pub struct BirthdaysResponse {
    pub success: bool,
    pub data: &'static [Coin],
    pub count: usize,
}

/// The manual refresh: how many coins were stored, or (502) why none were.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefreshResponse {
    pub success: bool,
    pub coins_updated: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A coin with its market and how it aligns with the caller's birth date.
#[derive(Serialize, ToSchema)]
pub struct CosmicReading {
    #[serde(flatten)]
    pub coin: CoinWithMarket,
    #[serde(flatten)]
    pub alignment: PersonalAlignment,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CosmicResponse {
    pub success: bool,
    /// Today (UTC), `YYYY-MM-DD`.
    pub date: String,
    pub user_birth_date: String,
    pub user_wuku: &'static str,
    /// Best aligned first.
    pub readings: Vec<CosmicReading>,
}
