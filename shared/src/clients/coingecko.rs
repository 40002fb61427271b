//! CoinGecko: market snapshots for the market refresh job and the chart proxy route.

use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use super::http::{ClientError, ClientOptions, ClientStats, HttpClient, url_with_segments, with_query};
use crate::config::CoinGeckoSettings;
use crate::db::crypto_market::CoinSnapshot;

const SERVICE: &str = "CoinGecko";
/// The chart proxy's calls have a client (and so a breaker) of their own: anyone can trigger
/// them, and their failures (CoinGecko's 429s above all) must not stop the market refresh.
const CHART_SERVICE: &str = "CoinGecko chart";

#[async_trait]
pub trait MarketData: Send + Sync {
    /// `/coins/markets` in USD for the given CoinGecko ids, symbols upper-cased.
    async fn markets(&self, ids: &[&str]) -> Result<Vec<CoinSnapshot>, ClientError>;

    /// `/coins/{id}/market_chart` in USD over `days`, as CoinGecko sends it (checked to be an
    /// object with a `prices` array).
    async fn market_chart(&self, id: &str, days: u32) -> Result<Value, ClientError>;

    /// The market calls' counters and breaker.
    fn stats(&self) -> ClientStats;

    /// The chart calls' counters and breaker, apart from the market calls'.
    fn chart_stats(&self) -> ClientStats;
}

pub struct CoinGecko {
    http: HttpClient,
    chart_http: HttpClient,
    base: String,
    api_key: Option<SecretString>,
}

impl CoinGecko {
    pub fn new(settings: &CoinGeckoSettings, options: ClientOptions) -> anyhow::Result<Self> {
        Ok(Self {
            chart_http: HttpClient::new(CHART_SERVICE, options.clone())?,
            http: HttpClient::new(SERVICE, options)?,
            base: settings.api_url.clone(),
            api_key: settings.api_key.clone(),
        })
    }

    /// The demo key, when configured, raises the rate limit (the original sent it only on
    /// chart calls; it is harmless on every call).
    fn keyed(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        let request = request.header(reqwest::header::ACCEPT, "application/json");
        match &self.api_key {
            Some(key) => request.header("x-cg-demo-api-key", key.expose_secret()),
            None => request,
        }
    }
}

#[async_trait]
impl MarketData for CoinGecko {
    async fn markets(&self, ids: &[&str]) -> Result<Vec<CoinSnapshot>, ClientError> {
        let ids = ids.join(",");
        let url = with_query(
            url_with_segments(SERVICE, &self.base, &["coins", "markets"])?,
            &[
                ("vs_currency", "usd"),
                ("ids", &ids),
                ("order", "market_cap_desc"),
                ("per_page", "250"),
                ("page", "1"),
                ("sparkline", "false"),
            ],
        );
        let mut coins: Vec<CoinSnapshot> = self
            .http
            .json(true, |client| self.keyed(client.get(url.clone())))
            .await?;
        for coin in &mut coins {
            if coin.id.trim().is_empty() {
                return Err(ClientError::Malformed {
                    service: SERVICE,
                    message: "a coin without an id".into(),
                });
            }
            coin.symbol = coin.symbol.to_uppercase();
        }
        Ok(coins)
    }

    async fn market_chart(&self, id: &str, days: u32) -> Result<Value, ClientError> {
        let days = days.to_string();
        let url = with_query(
            url_with_segments(CHART_SERVICE, &self.base, &["coins", id, "market_chart"])?,
            &[("vs_currency", "usd"), ("days", &days)],
        );
        let chart: Value = self
            .chart_http
            .json(true, |client| self.keyed(client.get(url.clone())))
            .await?;
        if !chart.get("prices").is_some_and(Value::is_array) {
            return Err(ClientError::Malformed {
                service: CHART_SERVICE,
                message: "no prices array".into(),
            });
        }
        Ok(chart)
    }

    fn stats(&self) -> ClientStats {
        self.http.stats()
    }

    fn chart_stats(&self) -> ClientStats {
        self.chart_http.stats()
    }
}
