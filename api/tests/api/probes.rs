use std::time::{Duration, Instant};

use neptu_shared::testing::{ChaosProxy, Mode, TestDatabase, closed_port};
use reqwest::StatusCode;
use serde_json::Value;

use crate::{spawn_app, spawn_app_with, spawn_on, test_settings};

#[tokio::test]
async fn root_and_health() {
    let app = spawn_app().await;
    let root: Value = app.get("/").await.json().await.unwrap();
    assert_eq!(root["name"], "Neptu API");
    assert_eq!(root["version"], env!("CARGO_PKG_VERSION"));

    let r = app.get("/health").await;
    assert_eq!(r.status(), StatusCode::OK);
    let health: Value = r.json().await.unwrap();
    assert_eq!(health["status"], "ok");
    let ts = health["timestamp"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(ts).is_ok() && ts.ends_with('Z') && ts.len() == 24,
        "{ts}"
    );
    app.stop().await;
}

/// The probes take a lighter path than the API routes, but keep the envelope: a request id
/// (the caller's, or a generated one), the security headers, and JSON refusals.
#[tokio::test]
async fn probes_keep_the_request_id_and_security_headers() {
    let app = spawn_app().await;
    for path in ["/health", "/ready"] {
        let r = app
            .client
            .get(app.url(path))
            .header("x-request-id", "probe-id-7")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(r.headers()["x-request-id"], "probe-id-7", "{path}");
        assert_eq!(r.headers()["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(r.headers()["x-frame-options"], "DENY", "{path}");
        assert_eq!(r.headers()["referrer-policy"], "no-referrer", "{path}");
        let generated = app.get(path).await;
        assert!(
            uuid::Uuid::parse_str(generated.headers()["x-request-id"].to_str().unwrap()).is_ok(),
            "{path}"
        );
    }
    let r = app.client.post(app.url("/health")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    let body: Value = r.json().await.unwrap();
    assert!(body["error"].is_string(), "{body}");
    app.stop().await;
}

#[tokio::test]
async fn ready_with_database_and_redis() {
    let app = spawn_app().await;
    let r = app.get("/ready").await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(body["checks"]["database"], "ok");
    assert_eq!(body["checks"]["redis"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert!(body["uptimeSeconds"].is_u64());
    app.stop().await;
}

#[tokio::test]
async fn redis_down_is_degraded_not_unavailable() {
    let dead = format!("redis://{}", closed_port());
    let app = spawn_app_with(&[("REDIS_URL", &dead)]).await;
    for _ in 0..3 {
        assert_eq!(
            app.get("/").await.status(),
            StatusCode::OK,
            "the API still answers"
        );
    }
    let r = app.get("/ready").await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["status"], "degraded");
    assert_eq!(body["checks"]["redis"], "unavailable");
    app.stop().await;
}

#[tokio::test]
async fn without_redis_the_memory_cache_serves() {
    let app = spawn_app_with(&[("REDIS_URL", "")]).await;
    let body: Value = app.get("/ready").await.json().await.unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(body["checks"]["redis"], "not_configured");
    app.stop().await;
}

#[tokio::test]
async fn postgres_outage_is_a_fast_503_and_recovers_without_restart() {
    let db = TestDatabase::migrated().await;
    let real: url::Url = db.url.parse().unwrap();
    let target = format!("{}:{}", real.host_str().unwrap(), real.port().unwrap_or(5432))
        .parse()
        .unwrap();
    let proxy = ChaosProxy::start(target).await;
    let mut through_proxy = real.clone();
    through_proxy.set_host(Some("127.0.0.1")).unwrap();
    through_proxy.set_port(Some(proxy.addr().port())).unwrap();
    let settings = test_settings(through_proxy.as_str(), &[]);
    let pool = neptu_shared::db::pool(&settings.database, "neptu-api-test");
    let app = spawn_on(db, settings, pool).await;
    assert_eq!(app.get("/ready").await.status(), StatusCode::OK);

    for mode in [Mode::Down, Mode::BlackHole] {
        proxy.set_mode(mode);
        let started = Instant::now();
        let r = app.get("/ready").await;
        let took = started.elapsed();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE, "{mode:?}");
        assert!(took < Duration::from_secs(2), "{mode:?}: /ready took {took:?}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["status"], "unavailable");
        assert_eq!(body["checks"]["database"], "unavailable");

        proxy.set_mode(Mode::Up);
        let back = Instant::now();
        loop {
            if app.get("/ready").await.status() == StatusCode::OK {
                break;
            }
            assert!(
                back.elapsed() < Duration::from_secs(5),
                "{mode:?}: not ready 5 s after Postgres returned"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn unknown_routes_are_json_404() {
    let app = spawn_app().await;
    let r = app.get("/api/users/").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({"error": "Not Found", "message": "Route not found"})
    );
    app.stop().await;
}
