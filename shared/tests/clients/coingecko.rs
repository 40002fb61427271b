use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use neptu_shared::clients::ClientError;
use neptu_shared::clients::coingecko::{CoinGecko, MarketData};
use neptu_shared::config::CoinGeckoSettings;
use neptu_shared::testing::FakeServer;
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::{Hits, options};

fn client(server: &FakeServer, key: Option<&str>) -> CoinGecko {
    let settings = CoinGeckoSettings {
        api_key: key.map(|k| SecretString::from(k.to_owned())),
        api_url: server.url("/api/v3"),
    };
    CoinGecko::new(&settings, options()).unwrap()
}

fn coin(id: &str, symbol: &str) -> Value {
    json!({
        "id": id, "symbol": symbol, "name": id, "image": "https://img/x.png",
        "current_price": 101.5, "market_cap": 1.0e9, "market_cap_rank": 1,
        "total_volume": 5.0e8, "high_24h": 110.0, "low_24h": 99.0, "price_change_24h": 1.5,
        "price_change_percentage_24h": 1.2, "circulating_supply": 19.0e6, "total_supply": 21.0e6,
        "max_supply": null, "ath": 126000.0, "ath_change_percentage": -20.0,
        "ath_date": "2025-10-06T18:57:42.558Z", "atl": 67.81, "atl_change_percentage": 150000.0,
        "atl_date": "2013-07-06T00:00:00.000Z", "last_updated": "2026-11-25T10:00:00.000Z",
        "roi": null, "fully_diluted_valuation": 2.0e9
    })
}

#[tokio::test]
async fn markets_sends_the_query_and_key_and_upper_cases_symbols() {
    let seen = Hits::default();
    let router =
        Router::new()
            .route(
                "/api/v3/coins/markets",
                get(
                    |State(hits): State<Hits>,
                     headers: HeaderMap,
                     Query(q): Query<HashMap<String, String>>| async move {
                        hits.add();
                        assert_eq!(q["vs_currency"], "usd");
                        assert_eq!(q["ids"], "bitcoin,solana");
                        assert_eq!(q["sparkline"], "false");
                        assert_eq!(headers["x-cg-demo-api-key"], "demo-key");
                        axum::Json(json!([coin("bitcoin", "btc"), coin("solana", "sol")]))
                    },
                ),
            )
            .with_state(seen.clone());
    let server = FakeServer::start(router).await;
    let coins = client(&server, Some("demo-key"))
        .markets(&["bitcoin", "solana"])
        .await
        .unwrap();
    assert_eq!(coins.len(), 2);
    assert_eq!(coins[0].symbol, "BTC");
    assert_eq!(coins[1].id, "solana");
    assert_eq!(coins[0].max_supply, None);
    assert_eq!(
        coins[0].ath_date.unwrap().to_rfc3339(),
        "2025-10-06T18:57:42.558+00:00"
    );
    assert_eq!(seen.get(), 1);
}

/// A server that fails `failures` times with `status`, then answers.
fn flaky(status: StatusCode, failures: usize, hits: Hits) -> Router {
    Router::new()
        .route(
            "/api/v3/coins/markets",
            get(move |State(hits): State<Hits>| async move {
                if hits.add() <= failures {
                    (status, "upstream trouble").into_response()
                } else {
                    axum::Json(json!([coin("bitcoin", "btc")])).into_response()
                }
            }),
        )
        .with_state(hits)
}

#[tokio::test]
async fn server_errors_are_retried_with_backoff() {
    let hits = Hits::default();
    let server = FakeServer::start(flaky(StatusCode::BAD_GATEWAY, 2, hits.clone())).await;
    let gecko = client(&server, None);
    assert_eq!(gecko.markets(&["bitcoin"]).await.unwrap().len(), 1);
    assert_eq!(hits.get(), 3);
    let stats = gecko.stats();
    assert_eq!((stats.requests, stats.retries, stats.failures), (3, 2, 2));
    assert_eq!(stats.breaker, "closed", "a success resets the count");
}

#[tokio::test]
async fn rate_limits_are_reported_not_hammered() {
    let hits = Hits::default();
    let router = Router::new()
        .route(
            "/api/v3/coins/markets",
            get(|State(hits): State<Hits>| async move {
                hits.add();
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    [("retry-after", "30")],
                    "slow down",
                )
            }),
        )
        .with_state(hits.clone());
    let server = FakeServer::start(router).await;
    let error = client(&server, None).markets(&["bitcoin"]).await.unwrap_err();
    assert_eq!(
        error,
        ClientError::Status {
            service: "CoinGecko",
            status: 429,
            retry_after: Some(30)
        }
    );
    assert_eq!(hits.get(), 1, "a 429 is not retried at once");
}

#[tokio::test]
async fn malformed_bodies_are_errors_not_panics() {
    for body in [
        "<html>maintenance</html>",
        r#"{"status":{"error_code":429}}"#,
        r#"[{"id":"bitcoin","symbol":"btc","name":"Bitcoin","current_price":"cheap"}]"#,
        r#"[{"id":"","symbol":"x","name":"x"}]"#,
        "",
    ] {
        let router = Router::new().route("/api/v3/coins/markets", get(move || async move { body }));
        let server = FakeServer::start(router).await;
        let error = client(&server, None).markets(&["bitcoin"]).await.unwrap_err();
        assert!(
            matches!(error, ClientError::Malformed { .. }),
            "{body}: {error:?}"
        );
    }
}

#[tokio::test]
async fn a_hanging_server_times_out_and_opens_the_breaker() {
    let hits = Hits::default();
    let router = Router::new()
        .route(
            "/api/v3/coins/markets",
            get(|State(hits): State<Hits>| async move {
                hits.add();
                tokio::time::sleep(Duration::from_secs(5)).await;
                "[]"
            }),
        )
        .with_state(hits.clone());
    let server = FakeServer::start(router).await;
    let gecko = client(&server, None);
    let started = Instant::now();
    assert_eq!(
        gecko.markets(&["bitcoin"]).await,
        Err(ClientError::Timeout("CoinGecko"))
    );
    // Three tries of 400 ms plus backoff: bounded, well under the server's 5 s.
    assert!(
        started.elapsed() < Duration::from_millis(1800),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(hits.get(), 3);
    assert_eq!(gecko.stats().breaker, "open");

    let started = Instant::now();
    assert_eq!(
        gecko.markets(&["bitcoin"]).await,
        Err(ClientError::CircuitOpen("CoinGecko"))
    );
    assert!(started.elapsed() < Duration::from_millis(50));
    assert_eq!(hits.get(), 3, "an open breaker does not call the service");
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error() {
    let settings = CoinGeckoSettings {
        api_key: None,
        api_url: format!("http://{}/api/v3", neptu_shared::testing::closed_port()),
    };
    let gecko = CoinGecko::new(&settings, options()).unwrap();
    let error = gecko.markets(&["bitcoin"]).await.unwrap_err();
    assert!(matches!(error, ClientError::Connect { .. }), "{error:?}");
}

#[tokio::test]
async fn chart_ids_cannot_escape_the_path() {
    let router = Router::new().route(
        "/api/v3/coins/{id}/market_chart",
        get(
            |Path(id): Path<String>, Query(q): Query<HashMap<String, String>>| async move {
                let days = q.get("days").cloned().unwrap_or_default();
                axum::Json(json!({ "prices": [[1, 2.0]], "id": id, "days": days }))
            },
        ),
    );
    let server = FakeServer::start(router).await;
    let gecko = client(&server, None);
    let chart = gecko.market_chart("bitcoin", 30).await.unwrap();
    assert_eq!(
        (chart["id"].as_str(), chart["days"].as_str()),
        (Some("bitcoin"), Some("30"))
    );
    let chart = gecko.market_chart("../markets?x=1", 7).await.unwrap();
    assert_eq!(
        chart["id"], "../markets?x=1",
        "the id arrives as one path segment"
    );
}

#[tokio::test]
async fn chart_without_prices_is_malformed() {
    let router = Router::new().route(
        "/api/v3/coins/{id}/market_chart",
        get(|| async { axum::Json(json!({ "error": "coin not found" })) }),
    );
    let server = FakeServer::start(router).await;
    let error = client(&server, None).market_chart("nope", 7).await.unwrap_err();
    assert!(matches!(error, ClientError::Malformed { .. }));
}
