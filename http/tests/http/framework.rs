//! Answers the framework gives by itself (no handler involved) are JSON in the API's error
//! format: unknown route, wrong method, malformed or oversized body, wrong content type, a
//! too long target, too large headers.

use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use neptu_http::Json;
use neptu_http::limits::{MAX_HEADER_BYTES, MAX_URI_BYTES};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::{serve, settings};

fn routes() -> Router {
    Router::new()
        .route("/ok", get(|| async { "ok" }))
        .route("/echo", post(|Json(v): Json<Value>| async move { axum::Json(v) }))
}

async fn answer(request: reqwest::RequestBuilder) -> (u16, Option<String>, Value) {
    let response = request.send().await.expect("answered");
    let status = response.status().as_u16();
    let allow = response
        .headers()
        .get("allow")
        .map(|v| v.to_str().unwrap().to_owned());
    assert!(
        response.headers().contains_key("x-request-id"),
        "{status} went through the stack"
    );
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("{status}: not JSON: {text:?}"));
    (status, allow, body)
}

#[tokio::test]
async fn every_framework_rejection_is_json() {
    let served = serve(routes(), &settings(), Duration::from_secs(1)).await;
    let client = reqwest::Client::new();

    let (status, allow, body) = answer(client.delete(served.url("/ok"))).await;
    assert_eq!(status, 405);
    assert!(allow.unwrap().contains("GET"));
    assert_eq!(body, json!({"success": false, "error": "Method not allowed"}));

    let (status, _, body) = answer(client.get(served.url("/nowhere"))).await;
    assert_eq!(status, 404);
    assert_eq!(body["error"], "Not Found");

    let post = |body: &'static str| {
        client
            .post(served.url("/echo"))
            .header("content-type", "application/json")
            .body(body)
    };
    let (status, _, body) = answer(post("{nope")).await;
    assert_eq!((status, body["success"].clone()), (400, json!(false)));
    let big = format!("{{\"a\":\"{}\"}}", "x".repeat(100 * 1024));
    let (status, _, body) = answer(
        client
            .post(served.url("/echo"))
            .header("content-type", "application/json")
            .body(big),
    )
    .await;
    assert_eq!(
        (status, body["error"].clone()),
        (413, json!("Request body too large"))
    );
    let (status, _, body) = answer(
        client
            .post(served.url("/echo"))
            .header("content-type", "text/plain")
            .body("{}"),
    )
    .await;
    assert_eq!((status, body["success"].clone()), (415, json!(false)));

    let long = format!("/ok?q={}", "a".repeat(MAX_URI_BYTES));
    let (status, _, body) = answer(client.get(served.url(&long))).await;
    assert_eq!(
        (status, body["error"].clone()),
        (414, json!("Request URI too long"))
    );

    let (status, _, body) = answer(
        client
            .get(served.url("/ok"))
            .header("x-big", "b".repeat(MAX_HEADER_BYTES)),
    )
    .await;
    assert_eq!(
        (status, body["error"].clone()),
        (431, json!("Request headers too large"))
    );

    // Far beyond the limits hyper answers before the stack runs: the status is right, the
    // body is empty (nothing can be configured there). Sent raw: clients refuse such URIs.
    let mut raw = tokio::net::TcpStream::connect(served.addr).await.unwrap();
    let request = format!(
        "GET /ok?q={} HTTP/1.1\r\nHost: test\r\n\r\n",
        "a".repeat(70 * 1024)
    );
    raw.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = raw.read_to_end(&mut answer).await;
    assert!(
        answer.starts_with(b"HTTP/1.1 414"),
        "{:?}",
        String::from_utf8_lossy(&answer[..answer.len().min(200)])
    );
    // More than hyper's 100 headers: its own 431, also without a body.
    let mut many = client.get(served.url("/ok"));
    for i in 0..150 {
        many = many.header(format!("x-h{i}"), "1");
    }
    assert_eq!(many.send().await.unwrap().status().as_u16(), 431);
    served.shutdown.cancel();
}
