use neptu_shared::testing::metric;
use reqwest::Method;

use crate::{spawn_app, spawn_app_with};

#[tokio::test]
async fn metrics_need_the_token_and_show_the_series() {
    let token = "metrics-token-for-tests";
    let app = spawn_app_with(&[("METRICS_TOKEN", token)]).await;
    for _ in 0..3 {
        app.call(Method::GET, "/api/reading/potensi?date=1995-06-15", None, None)
            .await;
    }
    app.call(Method::GET, "/api/users/someone", None, None).await;
    app.get("/no/such/route").await;
    assert_eq!(app.get("/ready").await.status(), 200);

    let r = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let r = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("wrong-token-wrong-token")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    // The series use the route template, never the raw path.
    let count = metric(
        &page,
        &[
            "http_requests_total",
            r#"route="/api/reading/potensi""#,
            r#"status="200""#,
            r#"method="GET""#,
        ],
    )
    .unwrap_or_else(|| panic!("no request counter in:\n{page}"));
    assert!(count >= 3.0, "{count}");
    assert!(
        page.contains(r#"route="/api/users/{wallet}""#),
        "templated wallet route"
    );
    assert!(
        !page.contains("/api/users/someone"),
        "raw paths never become labels"
    );
    assert!(page.contains(r#"route="unmatched""#));
    for series in [
        "http_request_duration_seconds_bucket",
        "http_requests_in_flight",
        "db_pool_connections",
        "db_pool_max_connections",
        "cache_hits_total",
        "cache_misses_total",
        "cache_errors_total",
    ] {
        assert!(page.contains(series), "{series} missing");
    }
    assert!(page.contains(r#"le="0.005""#), "explicit histogram buckets");
    // The alert rules (deploy/observability) read these: which /ready check is failing, and
    // the probe's own answers.
    for line in [
        r#"ready_check_up{check="database"} 1"#,
        r#"ready_check_up{check="redis"} 1"#,
    ] {
        assert!(page.lines().any(|l| l == line), "{line} missing in:\n{page}");
    }
    assert!(
        page.lines()
            .any(|l| l.starts_with("http_requests_total") && l.contains(r#"route="/ready""#)),
        "/ready is counted"
    );
    app.stop().await;
}

#[tokio::test]
async fn without_configuration_metrics_are_not_served() {
    let app = spawn_app().await;
    assert_eq!(app.get("/metrics").await.status(), 404);
    app.stop().await;
}
