use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use neptu_http::{ApiError, ApiResult, Json};
use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{ORIGIN, serve, settings};

#[derive(Deserialize)]
struct Echo {
    text: String,
}

fn routes() -> Router {
    Router::new()
        .route("/ok", get(|| async { axum::Json(json!({"success": true})) }))
        .route("/big", get(|| async { "x".repeat(20_000) }))
        .route("/panic", get(panics))
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                "late"
            }),
        )
        .route(
            "/echo",
            post(|Json(e): Json<Echo>| async move { axum::Json(json!({"text": e.text})) }),
        )
        .route(
            "/fail",
            get(|| async {
                ApiResult::<()>::Err(ApiError::internal(anyhow::anyhow!("db password leaked?")))
            }),
        )
}

async fn panics() -> &'static str {
    std::panic::panic_any("boom with a secret")
}

async fn body(response: reqwest::Response) -> Value {
    response.json().await.unwrap()
}

#[tokio::test]
async fn errors_are_json() {
    let s = serve(routes(), &settings(), Duration::from_secs(1)).await;
    let c = reqwest::Client::new();

    let r = c.get(s.url("/nope")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        body(r).await,
        json!({"error": "Not Found", "message": "Route not found"})
    );

    let r = c.get(s.url("/panic")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let b = body(r).await;
    assert_eq!(
        b,
        json!({"error": "Internal Server Error", "message": "internal error"})
    );

    let r = c.get(s.url("/fail")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(!body(r).await.to_string().contains("password"));

    let r = c.get(s.url("/slow")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        body(r).await,
        json!({"success": false, "error": "Request timed out"})
    );

    let r = c
        .post(s.url("/echo"))
        .header("content-type", "application/json")
        .body("{oops")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(body(r).await["error"], "Malformed JSON in request body");

    let big = format!("{{\"text\":\"{}\"}}", "a".repeat(70 * 1024));
    let r = c
        .post(s.url("/echo"))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body(r).await["success"], false);

    let r = c
        .post(s.url("/echo"))
        .json(&json!({"text": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(body(r).await, json!({"text": "hi"}));
}

#[tokio::test]
async fn request_ids_are_generated_or_echoed() {
    let s = serve(routes(), &settings(), Duration::from_secs(1)).await;
    let c = reqwest::Client::new();
    let r = c
        .get(s.url("/ok"))
        .header("x-request-id", "given-id-42")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "given-id-42");
    let r = c.get(s.url("/nope")).send().await.unwrap();
    let id = r.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "a generated UUID: {id}");
}

#[tokio::test]
async fn cors_allows_only_configured_origins() {
    let s = serve(routes(), &settings(), Duration::from_secs(1)).await;
    let c = reqwest::Client::new();
    let preflight = c
        .request(reqwest::Method::OPTIONS, s.url("/anything/at/all"))
        .header("origin", ORIGIN)
        .header("access-control-request-method", "PUT")
        .header("access-control-request-headers", "authorization,content-type")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    assert_eq!(preflight.headers()["access-control-allow-origin"], ORIGIN);
    assert_eq!(preflight.headers()["access-control-allow-credentials"], "true");
    let methods = preflight.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap();
    assert!(methods.contains("PUT") && methods.contains("DELETE"), "{methods}");

    let r = c.get(s.url("/ok")).header("origin", ORIGIN).send().await.unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], ORIGIN);
    let r = c
        .get(s.url("/ok"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "served, but without CORS approval");
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn security_headers_and_hsts_in_production_only() {
    let s = serve(routes(), &settings(), Duration::from_secs(1)).await;
    let r = reqwest::get(s.url("/ok")).await.unwrap();
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert_eq!(r.headers()["referrer-policy"], "no-referrer");
    assert!(r.headers().get("strict-transport-security").is_none());

    let production = neptu_http::StackSettings {
        hsts: true,
        ..settings()
    };
    let s = serve(routes(), &production, Duration::from_secs(1)).await;
    let r = reqwest::get(s.url("/panic")).await.unwrap();
    assert!(
        r.headers()["strict-transport-security"]
            .to_str()
            .unwrap()
            .starts_with("max-age=")
    );
}

#[tokio::test]
async fn large_responses_are_compressed_small_ones_not() {
    let s = serve(routes(), &settings(), Duration::from_secs(1)).await;
    let c = reqwest::Client::new();
    let r = c
        .get(s.url("/big"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-encoding"], "gzip");
    let r = c
        .get(s.url("/ok"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("content-encoding").is_none());
}
