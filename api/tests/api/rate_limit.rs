use std::time::Duration;

use neptu_shared::testing::{closed_port, unique_prefix};
use reqwest::StatusCode;
use serde_json::Value;

use crate::{TestApp, spawn_app_with};

/// Fixed one-minute windows: start a test early in a window so it cannot straddle two.
pub async fn fresh_window() {
    let second = chrono::Utc::now().timestamp() % 60;
    if second > 45 {
        tokio::time::sleep(Duration::from_secs((61 - second) as u64)).await;
    }
}

fn header(r: &reqwest::Response, name: &str) -> Option<u64> {
    r.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
}

async fn get(
    app: &TestApp,
    path: &str,
    forwarded_for: Option<&str>,
    token: Option<&str>,
) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    if let Some(ip) = forwarded_for {
        request = request.header("x-forwarded-for", ip);
    }
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn public_requests_are_limited_per_address_with_headers() {
    fresh_window().await;
    let app = spawn_app_with(&[("RATE_LIMIT_PUBLIC_PER_MINUTE", "5")]).await;
    let now = chrono::Utc::now().timestamp() as u64;
    for remaining in (0..5).rev() {
        let r = get(&app, "/api/reading/today", None, None).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(header(&r, "x-ratelimit-limit"), Some(5));
        assert_eq!(header(&r, "x-ratelimit-remaining"), Some(remaining));
        let reset = header(&r, "x-ratelimit-reset").unwrap();
        assert!(reset > now && reset <= now + 61, "{reset} vs {now}");
    }
    let r = get(&app, "/api/reading/today", None, None).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry = header(&r, "retry-after").unwrap();
    assert!((1..=60).contains(&retry));
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        (body["success"].as_bool(), body["error"].as_str()),
        (Some(false), Some("Rate limit exceeded"))
    );
    assert_eq!(body["retryAfter"].as_u64(), Some(retry));
    assert_eq!(
        get(&app, "/health", None, None).await.status(),
        StatusCode::OK,
        "probes are never limited"
    );
    app.stop().await;
}

#[tokio::test]
async fn sign_in_is_limited_more_tightly() {
    fresh_window().await;
    let metrics_token = "rate-limit-metrics-token";
    let app = spawn_app_with(&[
        ("RATE_LIMIT_AUTH_PER_MINUTE", "2"),
        ("METRICS_TOKEN", metrics_token),
    ])
    .await;
    let body = serde_json::json!({ "walletAddress": "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU" });
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(
            app.client
                .post(app.url("/api/auth/nonce"))
                .json(&body)
                .send()
                .await
                .unwrap()
                .status(),
        );
    }
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::OK, StatusCode::TOO_MANY_REQUESTS]
    );
    assert_eq!(
        get(&app, "/api/reading/today", None, None).await.status(),
        StatusCode::OK,
        "other tiers unaffected"
    );
    let page = get(&app, "/metrics", None, Some(metrics_token))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(r#"rate_limit_rejected_total{tier="auth"} 1"#),
        "{page}"
    );
    app.stop().await;
}

#[tokio::test]
async fn refreshes_have_their_own_quota() {
    fresh_window().await;
    let metrics_token = "rate-limit-metrics-token";
    let app = spawn_app_with(&[
        ("RATE_LIMIT_AUTH_PER_MINUTE", "2"),
        ("RATE_LIMIT_REFRESH_PER_MINUTE", "3"),
        ("METRICS_TOKEN", metrics_token),
    ])
    .await;
    let post = |path: &'static str, body: Value| {
        let app = &app;
        async move {
            let r = app.client.post(app.url(path)).json(&body).send().await.unwrap();
            (r.status().as_u16(), header(&r, "x-ratelimit-limit"))
        }
    };
    // A page's burst of refreshes (counted whatever their outcome) uses its own quota...
    let refresh = serde_json::json!({ "refreshToken": "not-a-token" });
    let mut refreshes = Vec::new();
    for _ in 0..4 {
        refreshes.push(post("/api/auth/refresh", refresh.clone()).await);
    }
    assert_eq!(
        refreshes,
        [(401, Some(3)), (401, Some(3)), (401, Some(3)), (429, Some(3))]
    );
    // ...and leaves the nonce/verify quota whole.
    let wallet = serde_json::json!({ "walletAddress": "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU" });
    let mut nonces = Vec::new();
    for _ in 0..3 {
        nonces.push(post("/api/auth/nonce", wallet.clone()).await);
    }
    assert_eq!(nonces, [(200, Some(2)), (200, Some(2)), (429, Some(2))]);
    let page = get(&app, "/metrics", None, Some(metrics_token))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(r#"rate_limit_rejected_total{tier="refresh"} 1"#),
        "{page}"
    );
    assert!(
        page.contains(r#"rate_limit_rejected_total{tier="auth"} 1"#),
        "{page}"
    );
    app.stop().await;
}

#[tokio::test]
async fn signed_in_callers_are_counted_per_wallet_wherever_they_come_from() {
    fresh_window().await;
    let app = spawn_app_with(&[("RATE_LIMIT_SIGNED_IN_PER_MINUTE", "3"), ("TRUST_PROXY", "true")]).await;
    let (alice, alice_token) = app.user(1).await;
    let (_, bob_token) = app.user(2).await;
    let path = format!("/api/users/{}", alice.wallet_address);
    for ip in ["10.0.0.1", "10.0.0.2", "10.0.0.3"] {
        assert_eq!(
            get(&app, &path, Some(ip), Some(&alice_token)).await.status(),
            StatusCode::OK
        );
    }
    let r = get(&app, &path, Some("10.0.0.4"), Some(&alice_token)).await;
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "a new address does not reset the wallet's quota"
    );
    let r = get(&app, "/api/reading/today", Some("10.0.0.4"), Some(&bob_token)).await;
    assert_eq!(r.status(), StatusCode::OK, "another wallet has its own quota");
    app.stop().await;
}

#[tokio::test]
async fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
    fresh_window().await;
    let trusted = spawn_app_with(&[("RATE_LIMIT_PUBLIC_PER_MINUTE", "1"), ("TRUST_PROXY", "true")]).await;
    // The proxy appends the address it saw; what the client claimed earlier is ignored.
    assert_eq!(
        get(&trusted, "/api/reading/today", Some("6.6.6.6, 1.1.1.1"), None)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        get(&trusted, "/api/reading/today", Some("7.7.7.7, 2.2.2.2"), None)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        get(&trusted, "/api/reading/today", Some("8.8.8.8, 1.1.1.1"), None)
            .await
            .status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    trusted.stop().await;

    let untrusted = spawn_app_with(&[("RATE_LIMIT_PUBLIC_PER_MINUTE", "1")]).await;
    assert_eq!(
        get(&untrusted, "/api/reading/today", Some("1.1.1.1"), None)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        get(&untrusted, "/api/reading/today", Some("2.2.2.2"), None)
            .await
            .status(),
        StatusCode::TOO_MANY_REQUESTS,
        "a header anyone can send does not buy a new quota"
    );
    untrusted.stop().await;
}

#[tokio::test]
async fn two_replicas_share_one_quota() {
    fresh_window().await;
    let prefix = unique_prefix();
    let config = [
        ("RATE_LIMIT_PUBLIC_PER_MINUTE", "4"),
        ("CACHE_PREFIX", prefix.as_str()),
    ];
    let first = spawn_app_with(&config).await;
    let second = spawn_app_with(&config).await;
    let mut statuses = Vec::new();
    for i in 0..6 {
        let app = if i % 2 == 0 { &first } else { &second };
        statuses.push(get(app, "/api/reading/today", None, None).await.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 200, 429, 429]);
    first.stop().await;
    second.stop().await;
}

#[tokio::test]
async fn without_redis_requests_go_through() {
    let dead = format!("redis://{}", closed_port());
    let app = spawn_app_with(&[
        ("RATE_LIMIT_PUBLIC_PER_MINUTE", "1"),
        ("REDIS_URL", &dead),
        ("METRICS_TOKEN", "metrics-token-for-tests"),
    ])
    .await;
    for _ in 0..5 {
        let r = get(&app, "/api/reading/today", None, None).await;
        assert_eq!(r.status(), StatusCode::OK, "fails open");
        assert!(r.headers().get("x-ratelimit-limit").is_none());
    }
    let page = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("metrics-token-for-tests")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let line = page
        .lines()
        .find(|l| l.starts_with("rate_limit_unavailable_total"))
        .expect("counted");
    assert!(
        line.rsplit(' ').next().unwrap().parse::<f64>().unwrap() >= 5.0,
        "{line}"
    );
    app.stop().await;
}
