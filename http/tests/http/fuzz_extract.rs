//! The `Json`, `Query` and `Path` extractors behind a small router, on random bodies, query
//! strings and path segments: every answer is a 2xx or a 4xx in the JSON error shape, and
//! nothing panics (a panicking handler would fail the test: there is no catch here).

use std::collections::HashMap;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use axum::routing::{get, post};
use neptu_http::{Json, Path, Query};
use neptu_shared::testing::fuzz::{self, Fuzz};
use serde::Deserialize;
use serde_json::Value;
use tower::ServiceExt;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Profile {
    wallet_address: String,
    display_name: Option<String>,
    birth_date: Option<String>,
    limit: Option<u32>,
    amount: Option<f64>,
    interests: Option<Vec<String>>,
    nested: Option<HashMap<String, Value>>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Page {
    limit: Option<u32>,
    offset: Option<i64>,
    days: Option<String>,
    active: Option<bool>,
}

const FIELDS: &[&str] = &[
    "walletAddress",
    "displayName",
    "birthDate",
    "limit",
    "amount",
    "interests",
    "nested",
    "offset",
    "days",
    "active",
];

fn router() -> Router {
    Router::new()
        .route(
            "/typed",
            post(|Json(p): Json<Profile>| async move { format!("{p:?}") }),
        )
        .route("/any", post(|Json(v): Json<Value>| async move { v.to_string() }))
        .route(
            "/query",
            get(|Query(p): Query<Page>| async move { format!("{p:?}") }),
        )
        .route(
            "/map",
            get(|Query(m): Query<HashMap<String, String>>| async move { m.len().to_string() }),
        )
        .route(
            "/path/{name}/{n}",
            get(|Path((name, n)): Path<(String, u32)>| async move { format!("{name}{n}") }),
        )
        .route("/one/{name}", get(|Path(name): Path<String>| async move { name }))
}

/// Sends the request and checks the answer: 2xx, or 4xx with `success: false` and an error.
/// Returns whether it was accepted.
async fn check(app: &Router, request: Request<Body>, case: usize) -> bool {
    let what = format!("case {case}: {} {}", request.method(), request.uri());
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    assert!(
        status.is_success() || status.is_client_error(),
        "{what} -> {status}"
    );
    if status.is_client_error() && status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED
    {
        let body = to_bytes(response.into_body(), 1 << 20).await.unwrap();
        let body: Value = serde_json::from_slice(&body).unwrap_or_else(|_| panic!("{what}: not JSON"));
        assert_eq!(body["success"], false, "{what}: {body}");
        assert!(!body["error"].is_null(), "{what}: {body}");
    }
    status.is_success()
}

/// The generators reach both sides: inputs the extractors take and inputs they refuse.
fn assert_both_sides(accepted: usize, cases: usize) {
    if cases >= 100 {
        assert!(accepted > 0 && accepted < cases, "{accepted} of {cases} accepted");
    }
}

#[tokio::test]
async fn json_bodies_are_read_or_refused_with_a_json_400() {
    let app = router();
    let mut fuzz = Fuzz::new(fuzz::seed(0x5eed_0101));
    let (cases, mut accepted) = (fuzz::cases(400), 0);
    for case in 0..cases {
        let body = fuzz.body(FIELDS);
        let path = *fuzz.pick(&["/typed", "/any"]);
        let mut request = Request::post(path);
        match fuzz.below(6) {
            0 => {}
            1 => request = request.header(header::CONTENT_TYPE, fuzz.text(8)),
            _ => request = request.header(header::CONTENT_TYPE, "application/json"),
        }
        let Ok(request) = request.body(Body::from(body)) else {
            continue;
        };
        accepted += usize::from(check(&app, request, case).await);
    }
    assert_both_sides(accepted, cases);
}

#[tokio::test]
async fn query_strings_and_path_segments_are_read_or_refused_with_a_json_400() {
    let app = router();
    let mut fuzz = Fuzz::new(fuzz::seed(0x5eed_0102));
    let (cases, mut accepted) = (fuzz::cases(400), 0);
    for case in 0..cases {
        let uri = match fuzz.below(4) {
            0 => format!("/query?{}", fuzz.query(FIELDS)),
            1 => format!("/map?{}", fuzz.query(FIELDS)),
            2 => format!("/path/{}/{}", fuzz.url_piece(10), fuzz.url_piece(4)),
            _ => format!("/one/{}?{}", fuzz.url_piece(12), fuzz.query(&[])),
        };
        // A target the URI grammar refuses never reaches a router (hyper answers 400).
        let Ok(request) = Request::get(&uri).body(Body::empty()) else {
            continue;
        };
        accepted += usize::from(check(&app, request, case).await);
    }
    assert_both_sides(accepted, cases);
}
