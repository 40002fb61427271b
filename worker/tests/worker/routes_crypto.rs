//! `/api/crypto/*`: market with cosmic readings, birthdays, personal alignment, the chart
//! proxy and the admin refresh.

use neptu_shared::domain::enums::Role;
use serde_json::Value;

use crate::fakes::Answer;
use crate::harness::{self, slot};

#[tokio::test]
async fn market_lists_the_tracked_coins_with_their_data_and_cosmic_readings() {
    let w = harness::spawn().await;
    let before: Value = w.get("/api/crypto/market").await.json().await.unwrap();
    assert_eq!(before["success"], true);
    assert_eq!(before["count"], 13);
    assert!(before["data"][0]["currentPrice"].is_null(), "no market row yet");
    assert!(before["data"][0]["athCosmic"].is_null());

    w.run_job("market_refresh", slot(9, 0)).await.unwrap();
    let body: Value = w.get("/api/crypto/market").await.json().await.unwrap();
    let symbols: Vec<&str> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["symbol"].as_str().unwrap())
        .collect();
    assert_eq!(
        &symbols[..3],
        ["BTC", "ETH", "USDT"],
        "the original's order, not rank"
    );
    let btc = &body["data"][0];
    assert_eq!(btc["coingeckoId"], "bitcoin");
    assert_eq!(btc["birthday"], "2009-01-03");
    assert_eq!(btc["currentPrice"], 10.0);
    assert_eq!(btc["athDate"], "2025-10-06T18:57:42.558Z");
    let cosmic = &btc["cosmicAlignment"];
    assert_eq!(cosmic["wuku"], "WATUGUNUNG");
    assert!(cosmic["alignmentScore"].as_u64().unwrap() <= 100);
    assert!(cosmic["cosmicMessage"].as_str().unwrap().len() > 10);
    assert_eq!(cosmic["dayName"], cosmic["saptaWara"]);
    assert!(btc["athCosmic"]["score"].is_u64() && btc["atlCosmic"]["pancaWara"].is_string());
    w.stop().await;
}

#[tokio::test]
async fn birthdays_and_personal_alignment() {
    let w = harness::spawn().await;
    let birthdays: Value = w.get("/api/crypto/birthdays").await.json().await.unwrap();
    assert_eq!(birthdays["count"], 13);
    assert_eq!(birthdays["data"][6]["symbol"], "SOL");
    assert_eq!(birthdays["data"][6]["birthday"], "2020-03-16");
    assert!(birthdays["data"][6]["description"].is_string());

    assert_eq!(w.get("/api/crypto/cosmic/1990-02-30").await.status(), 400);
    let body: Value = w.get("/api/crypto/cosmic/1990-05-15").await.json().await.unwrap();
    assert_eq!(body["userBirthDate"], "1990-05-15");
    assert_eq!(body["userWuku"], "MERAKIH");
    let readings = body["readings"].as_array().unwrap();
    assert_eq!(readings.len(), 13);
    let scores: Vec<u64> = readings
        .iter()
        .map(|r| r["cosmicAlignment"].as_u64().unwrap())
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "sorted by alignment: {scores:?}"
    );
    for r in readings {
        let score = r["cosmicAlignment"].as_u64().unwrap();
        let expected = if score >= 70 {
            "bullish"
        } else if score <= 40 {
            "bearish"
        } else {
            "neutral"
        };
        assert_eq!(r["trend"], expected);
        assert_eq!(r["userWuku"], "MERAKIH");
        assert!(r["coinWuku"].is_string() && r["coinPancawara"].is_string());
    }
    w.stop().await;
}

#[tokio::test]
async fn the_chart_proxy_caches_by_coin_and_range() {
    let w = harness::spawn().await;
    let r = w.get("/api/crypto/chart/bitcoin?days=30").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-cache"], "MISS");
    let first: Value = r.json().await.unwrap();
    assert_eq!(
        (first["id"].as_str(), first["days"].as_str()),
        (Some("bitcoin"), Some("30"))
    );
    let r = w.get("/api/crypto/chart/bitcoin?days=30").await;
    assert_eq!(r.headers()["x-cache"], "HIT");
    assert_eq!(r.json::<Value>().await.unwrap(), first);
    assert_eq!(w.fake.hits("chart"), 1);

    // Another range is another entry; the default range is a year.
    assert_eq!(
        w.get("/api/crypto/chart/bitcoin").await.headers()["x-cache"],
        "MISS"
    );
    assert_eq!(w.fake.hits("chart"), 2);
    assert!(w.cache().get("chart:bitcoin:365").await.is_some());

    for bad in [
        "/api/crypto/chart/bitcoin?days=14",
        "/api/crypto/chart/bitcoin?days=x",
        "/api/crypto/chart/Bit%20coin",
    ] {
        let r = w.get(bad).await;
        assert_eq!(r.status(), 400, "{bad}");
        assert_eq!(
            r.json::<Value>().await.unwrap()["error"],
            "Invalid id or days param"
        );
    }
    w.stop().await;
}

#[tokio::test]
async fn chart_upstream_errors_are_mapped_and_trip_only_the_chart_breaker() {
    let w = harness::spawn().await;
    w.fake.script(
        "chart",
        vec![
            Answer::Status(404),
            Answer::Status(500),
            Answer::Status(500),
            Answer::Status(500),
        ],
    );
    let r = w.get("/api/crypto/chart/solana?days=7").await;
    assert_eq!(r.status(), 404);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "Unknown coin");
    assert!(
        w.cache().get("chart-miss:solana").await.is_some(),
        "the miss is remembered"
    );
    assert_eq!(w.get("/api/crypto/chart/solana?days=30").await.status(), 404);
    assert_eq!(w.fake.hits("chart"), 1);
    // A 5xx is retried twice before it is reported.
    let r = w.get("/api/crypto/chart/ethereum?days=7").await;
    assert_eq!(r.status(), 502);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"],
        "CoinGecko returned 500"
    );
    assert_eq!(w.fake.hits("chart"), 4);
    // Three failures in a row: the chart breaker is open and CoinGecko is left alone.
    let r = w.get("/api/crypto/chart/ethereum?days=7").await;
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["retry-after"], "60");
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "CoinGecko unavailable");
    assert_eq!(w.fake.hits("chart"), 4);
    assert!(
        w.cache().get("chart:ethereum:7").await.is_none(),
        "errors are not cached"
    );
    // The market calls have their own breaker, still closed.
    w.run_job("market_refresh", slot(9, 0)).await.unwrap();
    assert_eq!(w.fake.hits("markets"), 1);
    w.stop().await;
}

#[tokio::test]
async fn a_refresh_by_hand_needs_an_admin() {
    let w = harness::spawn().await;
    assert_eq!(w.post("/api/crypto/refresh", Value::Null).await.status(), 401);
    let user = w.token("UserWa11et111111111111111111111111111111111", Role::User);
    let r = w
        .client
        .post(w.url("/api/crypto/refresh"))
        .bearer_auth(&user)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(w.fake.hits("markets"), 0);

    let admin = w.token("AnyWa11et1111111111111111111111111111111111", Role::Admin);
    let r = w
        .client
        .post(w.url("/api/crypto/refresh"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        (body["success"].as_bool(), body["coinsUpdated"].as_u64()),
        (Some(true), Some(13))
    );

    w.fake.script("markets", vec![Answer::Malformed]);
    let r = w
        .client
        .post(w.url("/api/crypto/refresh"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 502);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        (body["success"].as_bool(), body["coinsUpdated"].as_u64()),
        (Some(false), Some(0))
    );
    assert!(body["error"].as_str().unwrap().contains("malformed"));
    w.stop().await;
}
