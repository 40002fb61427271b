//! `/api/crypto/*`: the tracked coins with market data and cosmic readings, the chart proxy,
//! and the (admin-only) manual refresh.

use std::collections::HashMap;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use neptu_http::auth::AdminCaller;
use neptu_http::{ApiResult, Path, Query};
use neptu_shared::db::crypto_market::{self, CoinMarket};
use neptu_shared::domain::crypto::{self, COINS, Coin};
use neptu_shared::wire;
use neptu_wariga::CivilDate;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::limit::{self, Caller};
use super::params;
use crate::chart::{Chart, ChartError};
use crate::state::WorkerState;

pub fn routes() -> Router<WorkerState> {
    Router::new()
        .route("/api/crypto/market", get(market))
        .route("/api/crypto/birthdays", get(birthdays))
        .route("/api/crypto/refresh", post(refresh))
        .route("/api/crypto/chart/{id}", get(chart))
        .route("/api/crypto/cosmic/{birthDate}", get(cosmic))
}

fn date_of(at: Option<DateTime<Utc>>) -> Option<CivilDate> {
    at.and_then(|at| CivilDate::new(at.date_naive()).ok())
}

/// A tracked coin merged with its stored market row (nulls when never fetched), in the
/// field names the web app reads.
fn coin_with_market(coin: &Coin, market: Option<&CoinMarket>) -> Map<String, Value> {
    let m = market.map(|m| &m.coin);
    let ts = |at: Option<DateTime<Utc>>| at.map(|at| wire::format_timestamp(&at));
    let value = json!({
        "symbol": coin.symbol,
        "name": coin.name,
        "birthday": coin.birthday,
        "description": coin.description,
        "coingeckoId": coin.coingecko_id,
        "currentPrice": m.and_then(|m| m.current_price),
        "marketCap": m.and_then(|m| m.market_cap),
        "marketCapRank": m.and_then(|m| m.market_cap_rank),
        "priceChange24h": m.and_then(|m| m.price_change_24h),
        "priceChangePercentage24h": m.and_then(|m| m.price_change_percentage_24h),
        "high24h": m.and_then(|m| m.high_24h),
        "low24h": m.and_then(|m| m.low_24h),
        "totalVolume": m.and_then(|m| m.total_volume),
        "circulatingSupply": m.and_then(|m| m.circulating_supply),
        "totalSupply": m.and_then(|m| m.total_supply),
        "maxSupply": m.and_then(|m| m.max_supply),
        "ath": m.and_then(|m| m.ath),
        "athChangePercentage": m.and_then(|m| m.ath_change_percentage),
        "athDate": ts(m.and_then(|m| m.ath_date)),
        "atl": m.and_then(|m| m.atl),
        "atlChangePercentage": m.and_then(|m| m.atl_change_percentage),
        "atlDate": ts(m.and_then(|m| m.atl_date)),
        "image": m.and_then(|m| m.image.clone()),
        "lastUpdated": ts(m.and_then(|m| m.last_updated)),
    });
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Every tracked coin (in the original's order) with its market row, if fetched yet.
async fn tracked_with_market(state: &WorkerState) -> ApiResult<Vec<(Coin, Option<CoinMarket>)>> {
    let rows = crypto_market::list(&state.db).await?;
    let mut by_id: HashMap<String, CoinMarket> = rows.into_iter().map(|r| (r.coin.id.clone(), r)).collect();
    Ok(COINS
        .iter()
        .map(|coin| (*coin, by_id.remove(coin.coingecko_id)))
        .collect())
}

async fn market(State(state): State<WorkerState>) -> ApiResult<axum::Json<Value>> {
    let today = params::today()?;
    let mut data = Vec::new();
    for (coin, row) in tracked_with_market(&state).await? {
        let Some(birth) = coin.birth() else { continue };
        let mut item = coin_with_market(&coin, row.as_ref());
        let market = row.as_ref().map(|r| &r.coin);
        let ath = date_of(market.and_then(|m| m.ath_date)).map(|d| crypto::cosmic_for_date(birth, d));
        let atl = date_of(market.and_then(|m| m.atl_date)).map(|d| crypto::cosmic_for_date(birth, d));
        item.insert(
            "cosmicAlignment".into(),
            json!(crypto::cosmic_alignment(birth, today)),
        );
        item.insert("athCosmic".into(), json!(ath));
        item.insert("atlCosmic".into(), json!(atl));
        data.push(Value::Object(item));
    }
    Ok(axum::Json(
        json!({ "success": true, "count": data.len(), "data": data }),
    ))
}

async fn birthdays() -> axum::Json<Value> {
    axum::Json(json!({ "success": true, "data": COINS, "count": COINS.len() }))
}

/// Fetches and stores the market now (admin only: it spends the CoinGecko quota).
async fn refresh(State(state): State<WorkerState>, AdminCaller(admin): AdminCaller) -> Response {
    match state.services.market_refresh.refresh(&state.db, None).await {
        Ok(coins) => {
            tracing::info!(admin = %admin.wallet, coins, "market refreshed by hand");
            axum::Json(json!({ "success": true, "coinsUpdated": coins })).into_response()
        }
        Err(error) => {
            let body = json!({ "success": false, "coinsUpdated": 0, "error": error.to_string() });
            (StatusCode::BAD_GATEWAY, axum::Json(body)).into_response()
        }
    }
}

/// The chart body with `X-Cache: HIT` or `MISS`, as the original sent.
fn chart_response(chart: Chart) -> Response {
    let cache = if chart.cached { "HIT" } else { "MISS" };
    let mut response = ([(CONTENT_TYPE, "application/json")], chart.body).into_response();
    response
        .headers_mut()
        .insert("x-cache", axum::http::HeaderValue::from_static(cache));
    response
}

#[derive(Deserialize)]
struct ChartQuery {
    days: Option<String>,
}

/// CoinGecko's `market_chart` through our cache (`chart:{id}:{days}`, 10 min to 6 h by range),
/// limited per caller; see [`crate::chart`] for what protects the CoinGecko quota.
async fn chart(
    State(state): State<WorkerState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<ChartQuery>,
) -> Result<Response, ChartError> {
    let limit = state.settings.rate_limit.chart_per_minute;
    limit::within(&state, &caller, "chart", limit, Duration::from_secs(60))
        .await
        .map_err(ChartError::Limited)?;
    let chart = state
        .services
        .chart
        .chart(&*state.cache, &id, query.days.as_deref())
        .await?;
    Ok(chart_response(chart))
}

async fn cosmic(State(state): State<WorkerState>, Path(birth): Path<String>) -> ApiResult<axum::Json<Value>> {
    let user = params::date(&birth)?;
    let today = params::today()?;
    let mut readings = Vec::new();
    for (coin, row) in tracked_with_market(&state).await? {
        let Some(coin_birth) = coin.birth() else { continue };
        let mut item = coin_with_market(&coin, row.as_ref());
        let alignment = crypto::personal_alignment(user, coin_birth, today);
        if let Value::Object(extra) = json!(alignment) {
            item.extend(extra);
        }
        readings.push((alignment.cosmic_alignment, Value::Object(item)));
    }
    readings.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
    let user_wuku = neptu_wariga::potensi(user).base.wuku.name;
    Ok(axum::Json(json!({
        "success": true,
        "date": today.to_string(),
        "userBirthDate": birth,
        "userWuku": user_wuku,
        "readings": readings.into_iter().map(|(_, r)| r).collect::<Vec<_>>(),
    })))
}
