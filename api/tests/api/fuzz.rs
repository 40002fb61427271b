//! The whole API router in-process (`tower::ServiceExt::oneshot`, every middleware included) on
//! random requests to every documented route: random path parameters, query strings, bodies
//! and tokens. No answer may be a 5xx, and nothing may panic (a panic fails the test).
//!
//! The routes and the field names to use are read from the router's own `/openapi.json`, so a
//! new route is fuzzed without being listed here. Cases: `FUZZ_CASES` (see
//! `neptu_shared::testing::fuzz`).

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use neptu_api::metered::Metering;
use neptu_http::Draining;
use neptu_shared::auth::Auth;
use neptu_shared::cache;
use neptu_shared::domain::api_keys::KeyHasher;
use neptu_shared::domain::enums::Role;
use neptu_shared::testing::TestDatabase;
use neptu_shared::testing::fuzz::{self, Fuzz};
use secrecy::ExposeSecret;
use serde_json::Value;
use tower::ServiceExt;

use crate::{test_settings, wallet_address};

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, Vec<u8>) {
    let response = app.clone().oneshot(request).await.expect("the router answers");
    let status = response.status();
    let body = to_bytes(response.into_body(), 1 << 22).await.expect("a body");
    (status, body.to_vec())
}

/// Every `(method, path template)` of the document, and every property and parameter name.
fn routes_and_fields(doc: &Value) -> (Vec<(Method, String)>, Vec<String>) {
    let mut routes = Vec::new();
    let mut fields = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            routes.push((method, path.clone()));
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                if let Some(name) = parameter["name"].as_str() {
                    fields.insert(name.to_owned());
                }
            }
        }
    }
    collect_properties(&doc["components"], &mut fields);
    (routes, fields.into_iter().collect())
}

fn collect_properties(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(properties)) = map.get("properties") {
                out.extend(properties.keys().cloned());
            }
            map.values().for_each(|v| collect_properties(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_properties(v, out)),
        _ => {}
    }
}

/// The template with each `{param}` replaced: often a real wallet (so the request gets past
/// the shape checks), else random text.
fn fill(fuzz: &mut Fuzz, template: &str, wallet: &str) -> String {
    let mut out = String::new();
    for (i, piece) in template.split('{').enumerate() {
        if i == 0 {
            out.push_str(piece);
            continue;
        }
        let rest = piece.split_once('}').map_or("", |(_, rest)| rest);
        let value = match fuzz.below(4) {
            0 => wallet.to_owned(),
            1 => (*fuzz.pick(&[
                "1990-05-15",
                "2026-02-30",
                "1",
                "-1",
                "00000000-0000-0000-0000-000000000000",
            ]))
            .to_owned(),
            _ => fuzz.url_piece(12),
        };
        out.push_str(if value.is_empty() { "x" } else { &value });
        out.push_str(rest);
    }
    out
}

/// Random text a header value may hold (no control characters but tab), so that the
/// request can be built at all.
fn header_text(fuzz: &mut Fuzz, before: &str, max: usize) -> HeaderValue {
    let mut bytes = before.as_bytes().to_vec();
    let text = fuzz.text(max).into_bytes();
    bytes.extend(
        text.into_iter()
            .filter(|b| (*b >= 0x20 && *b != 0x7f) || *b == b'\t'),
    );
    HeaderValue::from_bytes(&bytes).expect("visible bytes make a header value")
}

/// The one 5xx allowed: a route whose outside service the test does not configure (the Solana
/// RPC, Azure OpenAI) answers 503 `… not configured`, whatever the input.
fn unconfigured(status: StatusCode, body: &[u8]) -> bool {
    let error = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|b| b["error"].as_str().map(str::to_owned));
    status == StatusCode::SERVICE_UNAVAILABLE && error.is_some_and(|e| e.ends_with(" not configured"))
}

#[tokio::test]
async fn random_requests_to_every_route_never_get_a_5xx() {
    let db = TestDatabase::migrated().await;
    // No rate limits: the requests must reach the handlers, not stop at a 429.
    let settings = test_settings(
        &db.url,
        &[
            ("RATE_LIMIT_AUTH_PER_MINUTE", "0"),
            ("RATE_LIMIT_REFRESH_PER_MINUTE", "0"),
            ("RATE_LIMIT_PUBLIC_PER_MINUTE", "0"),
            ("RATE_LIMIT_SIGNED_IN_PER_MINUTE", "0"),
        ],
    );
    let cache = cache::from_settings(&settings.cache).expect("cache");
    let auth = Auth::from_settings(&settings.auth);
    let hasher = Arc::new(KeyHasher::new(
        settings.developer.key_secret.expose_secret().as_bytes(),
    ));
    let metering = Metering::start(
        &settings,
        db.pool.clone(),
        Arc::clone(&cache),
        Arc::clone(&hasher),
    );
    let app = neptu_api::app::router(
        settings,
        db.pool.clone(),
        cache,
        Arc::clone(&auth),
        Draining::default(),
        hasher,
        metering,
    );

    let mut tokens = Vec::new();
    let wallet = wallet_address(1);
    for (n, role) in [(1, Role::User), (2, Role::Admin)] {
        let (user, _) = neptu_shared::db::users::get_or_create(&db.pool, &wallet_address(n))
            .await
            .unwrap();
        neptu_shared::db::users::set_role(&db.pool, user.id, role)
            .await
            .unwrap();
        let now = chrono::Utc::now().timestamp();
        tokens.push(auth.keys.issue_access(user.id, &user.wallet_address, role, now));
    }

    let (status, doc) = send(&app, Request::get("/openapi.json").body(Body::empty()).unwrap()).await;
    assert_eq!(status, 200);
    let doc: Value = serde_json::from_slice(&doc).unwrap();
    let (routes, fields) = routes_and_fields(&doc);
    assert!(routes.len() > 40, "{} routes", routes.len());
    let fields: Vec<&str> = fields.iter().map(String::as_str).collect();

    let mut fuzz = Fuzz::new(fuzz::seed(0x5eed_0201));
    let cases = fuzz::cases(300);
    let mut answered = BTreeSet::new();
    for case in 0..cases {
        let (method, template) = fuzz.pick(&routes).clone();
        let mut uri = fill(&mut fuzz, &template, &wallet);
        if !fuzz.one_in(3) {
            uri = format!("{uri}?{}", fuzz.query(&fields));
        }
        let mut request = Request::builder().method(method.clone()).uri(&uri);
        match fuzz.below(5) {
            0 => {}
            1 => request = request.header(header::AUTHORIZATION, header_text(&mut fuzz, "Bearer ", 20)),
            2 => request = request.header(header::AUTHORIZATION, format!("Bearer {}", tokens[1])),
            _ => request = request.header(header::AUTHORIZATION, format!("Bearer {}", tokens[0])),
        }
        if fuzz.one_in(4) {
            request = request.header("x-api-key", header_text(&mut fuzz, "", 44));
        }
        let body = if method == Method::GET || fuzz.one_in(6) {
            Body::empty()
        } else {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(fuzz.body(&fields))
        };
        // A target the URI grammar refuses never reaches the router (hyper answers 400).
        let Ok(request) = request.body(body) else { continue };
        let (status, body) = send(&app, request).await;
        let text = String::from_utf8_lossy(&body);
        assert!(
            !status.is_server_error() || unconfigured(status, &body),
            "case {case}: {method} {uri} -> {status}: {text}"
        );
        answered.insert(status.as_u16());
    }
    if cases >= 100 {
        assert!(
            answered.iter().any(|s| *s < 300),
            "some requests succeed: {answered:?}"
        );
    }
    db.drop_database().await;
}
