//! Hostile input at the edge: NUL characters, values Postgres refuses, framework rejections,
//! local CORS origins in production, rate-limit keys of IPv6 clients, piles of duplicates,
//! negative plan limits.

use neptu_http::ApiError;
use neptu_shared::domain::enums::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::rate_limit::fresh_window;
use crate::{TestApp, spawn_app, spawn_app_with, wallet_address};

/// A 400 in the validation shape whose first issue is at `path`.
fn assert_nul_rejected(status: u16, body: &Value, path: Value, what: &str) {
    assert_eq!(status, 400, "{what}: {body}");
    assert_eq!(body["error"]["name"], "ValidationError", "{what}: {body}");
    assert_eq!(body["error"]["issues"][0]["path"], path, "{what}: {body}");
}

#[tokio::test]
async fn nul_characters_are_400_everywhere_never_500() {
    let app = spawn_app().await;
    let (user, token) = app.user(1).await;
    let (_, admin) = app.user_with_role(2, Role::Admin).await;
    let wallet = &user.wallet_address;

    // Unauthenticated: a path parameter.
    let (status, body) = app.call(Method::GET, "/api/pricing/%00", None, None).await;
    assert_nul_rejected(status, &body, json!(["slug"]), "pricing slug");
    // A query parameter (admin search).
    let (status, body) = app.get_as("/api/admin/users?search=a%00b", &admin).await;
    assert_nul_rejected(status, &body, json!(["search"]), "admin search");
    // JSON strings: profile, user creation, admin update, plans.
    for (field, value) in [("displayName", "Made\u{0}"), ("email", "a\u{0}@b.co")] {
        let path = format!("/api/users/{wallet}");
        let (status, body) = app
            .call(Method::PUT, &path, Some(&token), Some(json!({ field: value })))
            .await;
        assert_nul_rejected(status, &body, json!([field]), field);
    }
    let (status, body) = app
        .call(
            Method::POST,
            "/api/users",
            None,
            Some(json!({ "walletAddress": wallet_address(3), "email": "x\u{0}@b.co" })),
        )
        .await;
    assert_nul_rejected(status, &body, json!(["email"]), "create user");
    let (status, body) = app
        .call(
            Method::PUT,
            &format!("/api/admin/users/{}", user.id),
            Some(&admin),
            Some(json!({ "displayName": "\u{0}" })),
        )
        .await;
    assert_nul_rejected(status, &body, json!(["displayName"]), "admin update");
    let mut plan = json!({
        "name": "Gold\u{0}", "slug": "gold", "priceUsd": 1, "features": ["ok"],
        "limits": { "dailyReadings": 1, "oracleChats": 1, "customReadings": 1, "advancedInsights": false, "prioritySupport": false }
    });
    let (status, body) = app.post_as("/api/pricing/admin", &admin, plan.clone()).await;
    assert_nul_rejected(status, &body, json!(["name"]), "plan name");
    plan["name"] = json!("Gold");
    plan["features"] = json!(["ok", "bad\u{0}"]);
    let (status, body) = app.post_as("/api/pricing/admin", &admin, plan).await;
    assert_nul_rejected(status, &body, json!(["features", 1]), "plan features");

    // Nothing was stored, and the server is fine.
    let (status, body) = app.get_as(&format!("/api/users/{wallet}"), &token).await;
    assert_eq!(status, 200);
    assert!(body["user"]["displayName"].is_null(), "{body}");
    app.stop().await;
}

#[tokio::test]
async fn values_postgres_refuses_are_400_not_500() {
    let app = spawn_app().await;
    for (sql, value) in [
        ("SELECT $1::text", "a\u{0}b"),
        ("SELECT $1::text::int", "not a number"),
        ("SELECT $1::text::jsonb", r#"{"a":"\u0000"}"#),
    ] {
        let error = sqlx::query(sql)
            .bind(value)
            .execute(&app.db.pool)
            .await
            .expect_err("Postgres refuses it");
        assert_eq!(ApiError::from(error).status(), StatusCode::BAD_REQUEST, "{sql}");
    }
    // However deep a service wrapped it.
    let error = sqlx::query("SELECT $1::text")
        .bind("a\u{0}")
        .execute(&app.db.pool)
        .await
        .unwrap_err();
    let wrapped = anyhow::Error::from(error).context("saving the profile");
    assert_eq!(ApiError::from(wrapped).status(), StatusCode::BAD_REQUEST);
    // A genuine bug stays a 500.
    let error = sqlx::query("SELECT * FROM no_such_table")
        .execute(&app.db.pool)
        .await
        .unwrap_err();
    assert_eq!(ApiError::from(error).status(), StatusCode::INTERNAL_SERVER_ERROR);
    app.stop().await;
}

#[tokio::test]
async fn framework_rejections_on_the_api_are_json() {
    let app = spawn_app().await;
    let response = app.client.delete(app.url("/api/pricing")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(response.headers().contains_key("allow"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, json!({"success": false, "error": "Method not allowed"}));
    let response = app
        .client
        .get(app.url("/api/pricing"))
        .header("x-filler", "f".repeat(20 * 1024))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["success"], false);
    let long = format!("/api/pricing?x={}", "y".repeat(9 * 1024));
    let response = app.client.get(app.url(&long)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::URI_TOO_LONG);
    assert_eq!(response.json::<Value>().await.unwrap()["success"], false);
    app.stop().await;
}

const SECRETS: [(&str, &str); 2] = [
    ("AUTH_TOKEN_SECRET", "0123456789abcdef0123456789abcdef"),
    ("API_KEY_SECRET", "fedcba9876543210fedcba9876543210"),
];

async fn allowed_origin(app: &TestApp, origin: &str) -> Option<String> {
    let response = app
        .client
        .request(Method::OPTIONS, app.url("/api/pricing"))
        .header("origin", origin)
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    response
        .headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap().to_owned())
}

#[tokio::test]
async fn localhost_origins_are_allowed_in_development_only() {
    let dev = spawn_app().await;
    assert_eq!(
        allowed_origin(&dev, "http://localhost:5173").await.as_deref(),
        Some("http://localhost:5173")
    );
    dev.stop().await;
    let mut overrides = SECRETS.to_vec();
    overrides.push(("ENVIRONMENT", "production"));
    let prod = spawn_app_with(&overrides).await;
    assert_eq!(allowed_origin(&prod, "http://localhost:5173").await, None);
    assert_eq!(
        allowed_origin(&prod, "https://neptu.sudigital.com")
            .await
            .as_deref(),
        Some("https://neptu.sudigital.com")
    );
    prod.stop().await;
}

#[tokio::test]
async fn ipv6_clients_are_counted_per_64_and_mapped_ipv4_as_ipv4() {
    fresh_window().await;
    let app = spawn_app_with(&[("RATE_LIMIT_PUBLIC_PER_MINUTE", "2"), ("TRUST_PROXY", "true")]).await;
    let status = |ip: &'static str| {
        let request = app
            .client
            .get(app.url("/api/reading/today"))
            .header("x-forwarded-for", ip);
        async move { request.send().await.unwrap().status() }
    };
    // Three addresses of one /64 share its quota of 2.
    assert_eq!(status("2001:db8:1:2::1").await, StatusCode::OK);
    assert_eq!(status("2001:db8:1:2:aaaa:bbbb:cccc:dddd").await, StatusCode::OK);
    assert_eq!(status("2001:db8:1:2::3").await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(status("2001:db8:1:3::1").await, StatusCode::OK, "another /64");
    // 10.9.8.7 written as an IPv4-mapped IPv6 address is the same client.
    assert_eq!(status("10.9.8.7").await, StatusCode::OK);
    assert_eq!(status("::ffff:10.9.8.7").await, StatusCode::OK);
    assert_eq!(status("::ffff:10.9.8.7").await, StatusCode::TOO_MANY_REQUESTS);
    app.stop().await;
}

#[tokio::test]
async fn interests_are_stored_once_each_and_piles_of_duplicates_refused() {
    let app = spawn_app().await;
    let (user, token) = app.user(1).await;
    let path = format!("/api/users/{}", user.wallet_address);
    let pile = vec!["love"; 3000];
    let (status, body) = app
        .call(
            Method::PUT,
            &path,
            Some(&token),
            Some(json!({ "interests": pile })),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["issues"][0]["path"], json!(["interests"]));
    let (status, body) = app
        .call(
            Method::PUT,
            &path,
            Some(&token),
            Some(json!({ "interests": ["love", "career", "love", "career"] })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"]["interests"], json!(["love", "career"]));
    app.stop().await;
}

#[tokio::test]
async fn plan_limits_below_unlimited_are_refused() {
    let app = spawn_app().await;
    let (_, admin) = app.user_with_role(1, Role::Admin).await;
    let plan = |daily: i64| {
        json!({
            "name": "Gold", "slug": "gold", "priceUsd": 1, "features": ["ok"],
            "limits": { "dailyReadings": daily, "oracleChats": -1, "customReadings": 0, "advancedInsights": false, "prioritySupport": false }
        })
    };
    let (status, body) = app.post_as("/api/pricing/admin", &admin, plan(-5)).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["error"]["issues"][0]["path"],
        json!(["limits", "dailyReadings"])
    );
    let (status, body) = app.post_as("/api/pricing/admin", &admin, plan(-1)).await;
    assert_eq!(status, 201, "{body}");
    let id = body["plan"]["id"].as_str().unwrap().to_owned();
    let mut negative = plan(3);
    negative["limits"]["oracleChats"] = json!(-2);
    let (status, _) = app
        .call(
            Method::PUT,
            &format!("/api/pricing/admin/{id}"),
            Some(&admin),
            Some(json!({ "limits": negative["limits"] })),
        )
        .await;
    assert_eq!(status, 400);
    app.stop().await;
}
