//! The chart proxy spends a bounded share of the CoinGecko quota: untracked ids draw on an
//! hourly budget, misses are remembered, an upstream 429 holds back only the chart calls,
//! and each caller has a per-minute limit.

use neptu_shared::domain::enums::Role;
use serde_json::Value;

use crate::fakes::Answer;
use crate::harness::{self, slot};

#[tokio::test]
async fn a_hundred_unknown_ids_cost_at_most_the_hourly_budget() {
    let w = harness::spawn_with(&[
        ("CHART_UNTRACKED_PER_HOUR", "5"),
        ("CHART_RATE_LIMIT_PER_MINUTE", "0"),
    ])
    .await;
    let mut statuses = Vec::new();
    for i in 0..100 {
        statuses.push(
            w.get(&format!("/api/crypto/chart/no-such-{i}?days=7"))
                .await
                .status()
                .as_u16(),
        );
    }
    assert_eq!(w.fake.hits("chart"), 5, "only the budget reached CoinGecko");
    assert!(statuses[..5].iter().all(|s| *s == 404), "{statuses:?}");
    assert!(statuses[5..].iter().all(|s| *s == 503), "{statuses:?}");
    let r = w.get("/api/crypto/chart/no-such-99?days=7").await;
    assert_eq!(r.status(), 503);
    let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=3600).contains(&retry), "{retry}");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["retryAfter"], retry);
    assert!(body["error"].as_str().unwrap().contains("untracked"));

    // A miss is remembered: asked again (any range), no upstream call, still a 404.
    for days in [7, 30, 365] {
        let r = w.get(&format!("/api/crypto/chart/no-such-0?days={days}")).await;
        assert_eq!(r.status(), 404);
        assert_eq!(r.json::<Value>().await.unwrap()["error"], "Unknown coin");
    }
    assert!(w.cache().get("chart-miss:no-such-0").await.is_some());
    assert_eq!(w.fake.hits("chart"), 5);

    // The tracked coins do not draw on the budget.
    assert_eq!(w.get("/api/crypto/chart/bitcoin?days=7").await.status(), 200);
    assert_eq!(w.fake.hits("chart"), 6);
    w.stop().await;
}

#[tokio::test]
async fn with_no_budget_only_the_tracked_coins_are_charted() {
    let w = harness::spawn_with(&[("CHART_UNTRACKED_PER_HOUR", "0")]).await;
    let r = w.get("/api/crypto/chart/some-other-coin?days=7").await;
    assert_eq!(r.status(), 404);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "Unknown coin");
    assert_eq!(w.get("/api/crypto/chart/solana?days=7").await.status(), 200);
    assert_eq!(w.fake.hits("chart"), 1);
    w.stop().await;
}

#[tokio::test]
async fn an_upstream_429_holds_back_the_charts_but_not_the_market_refresh() {
    let w = harness::spawn_with(&[("CHART_RATE_LIMIT_PER_MINUTE", "0")]).await;
    w.fake.script("chart", vec![Answer::Limited(120)]);
    let r = w.get("/api/crypto/chart/solana?days=7").await;
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["retry-after"], "120");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["success"], false);
    assert_eq!(body["retryAfter"], 120);
    assert!(body["error"].as_str().unwrap().contains("rate-limiting"));

    // Further chart calls wait for the Retry-After without asking CoinGecko.
    for _ in 0..5 {
        let r = w.get("/api/crypto/chart/bitcoin?days=30").await;
        assert_eq!(r.status(), 503);
        let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((110..=120).contains(&retry), "{retry}");
    }
    assert_eq!(w.fake.hits("chart"), 1);
    assert!(
        w.cache().get("chart:backoff").await.is_some(),
        "shared with the other replicas"
    );

    // The market refresh and /ready are untouched.
    w.run_job("market_refresh", slot(9, 0)).await.unwrap();
    assert_eq!(w.fake.hits("markets"), 1);
    let ready: Value = w.get("/ready").await.json().await.unwrap();
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["checks"]["outside"]["coingecko"], "ok");
    let market: Value = w.get("/api/crypto/market").await.json().await.unwrap();
    assert_eq!(market["data"][0]["currentPrice"], 10.0);
    w.stop().await;
}

#[tokio::test]
async fn each_caller_has_a_per_minute_chart_limit() {
    let w = harness::spawn_with(&[("CHART_RATE_LIMIT_PER_MINUTE", "3")]).await;
    for _ in 0..3 {
        assert_eq!(w.get("/api/crypto/chart/bitcoin?days=7").await.status(), 200);
    }
    let r = w.get("/api/crypto/chart/bitcoin?days=7").await;
    assert_eq!(r.status(), 429);
    let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "Too many chart requests; try again later");
    assert_eq!(body["retryAfter"], retry);
    assert_eq!(w.fake.hits("chart"), 1, "the rest were cache hits");

    // A signed-in wallet is counted apart from the address.
    let token = w.token("ChartWa11et11111111111111111111111111111111", Role::User);
    let r = w
        .client
        .get(w.url("/api/crypto/chart/bitcoin?days=7"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    w.stop().await;
}
