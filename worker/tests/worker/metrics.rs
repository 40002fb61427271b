//! The worker's `/metrics`: job, outside-client and request series.

use crate::fakes::Answer;
use crate::harness::{self, slot};
use neptu_shared::testing::metric as sample;

#[tokio::test]
async fn metrics_show_jobs_outside_calls_and_breakers() {
    let token = "worker-metrics-token-for-tests";
    let w = harness::spawn_with(&[("METRICS_TOKEN", token)]).await;
    w.run_job("market_refresh", slot(9, 0)).await.unwrap();
    // Three failures in a row open CoinGecko's breaker.
    w.fake.script("markets", vec![Answer::Status(503); 3]);
    assert!(w.run_job("market_refresh", slot(9, 10)).await.is_err());
    assert_eq!(w.get("/api/crypto/birthdays").await.status(), 200);

    assert_eq!(w.get("/metrics").await.status(), 401);
    let r = w
        .client
        .get(w.url("/metrics"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    let get = |parts: &[&str]| sample(&page, parts).unwrap_or_else(|| panic!("no {parts:?} in:\n{page}"));

    let market = r#"job="market_refresh""#;
    assert_eq!(get(&["job_runs_total{", market, r#"outcome="done""#]), 1.0);
    assert!(get(&["job_runs_total{", market, r#"outcome="failed""#]) >= 1.0);
    assert!(get(&["job_failures_total{", market]) >= 1.0);
    assert!(get(&["job_run_duration_seconds_count{", market]) >= 2.0);
    let gecko = r#"service="CoinGecko""#;
    assert!(get(&["outside_requests_total{", gecko]) >= 4.0);
    assert!(get(&["outside_errors_total{", gecko]) >= 3.0);
    assert_eq!(get(&["outside_circuit_state{", gecko]), 2.0, "open");
    assert!(
        get(&[
            "http_requests_total{",
            r#"route="/api/crypto/birthdays""#,
            r#"status="200""#
        ]) >= 1.0
    );
    for series in [
        "db_pool_connections",
        "cache_hits_total",
        "http_request_duration_seconds_bucket",
    ] {
        assert!(page.contains(series), "{series} missing");
    }
    w.stop().await;
}

#[tokio::test]
async fn without_configuration_the_worker_serves_no_metrics() {
    let w = harness::spawn().await;
    assert_eq!(w.get("/metrics").await.status(), 404);
    w.stop().await;
}

#[tokio::test]
async fn the_last_backup_is_published_from_the_run_history() {
    let token = "worker-metrics-token-for-tests";
    let w = harness::spawn_with(&[("METRICS_TOKEN", token)]).await;
    let scrape = || async {
        w.client
            .get(w.url("/metrics"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    // Nothing in the history: nothing to publish, and no error.
    neptu_worker::jobs::backup::publish_last_success(&w.db.pool).await;

    for (day, status) in [(1, "succeeded"), (2, "succeeded"), (3, "failed")] {
        sqlx::query(
            "INSERT INTO cron_runs (job, slot, claimed_by, status) VALUES ('backup', $1, 'test', $2)",
        )
        .bind(chrono::DateTime::parse_from_rfc3339(&format!("2026-11-0{day}T03:00:00Z")).unwrap())
        .bind(status)
        .execute(&w.db.pool)
        .await
        .unwrap();
    }
    neptu_worker::jobs::backup::publish_last_success(&w.db.pool).await;
    let page = scrape().await;
    let newest_success = chrono::DateTime::parse_from_rfc3339("2026-11-02T03:00:00Z")
        .unwrap()
        .timestamp();
    assert_eq!(
        sample(&page, &["backup_last_success_timestamp_seconds "]),
        Some(newest_success as f64),
        "{page}"
    );
    w.stop().await;
}
