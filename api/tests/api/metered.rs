//! `/api/v1` with developer keys: the key errors, scopes, subscription, the plan's rate limit,
//! legacy keys, the oracle through a fake model, and the usage rows. (Load, shutdown,
//! replicas and outages: `metered_load.rs`.)

use axum::Router;
use axum::response::IntoResponse;
use axum::routing::post;
use chrono::{Duration, Utc};
use neptu_shared::db::api_keys::{self, NewApiKey};
use neptu_shared::db::api_subscriptions::{self, NewSubscription};
use neptu_shared::domain::api_keys::{KeyHasher, generate, legacy_hash};
use neptu_shared::domain::enums::ApiScope;
use neptu_shared::testing::FakeServer;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use uuid::Uuid;

use crate::{TestApp, spawn_app_with};

/// The key secret of every metered test app.
pub const SECRET: &str = "metered-test-key-secret-0123456789abcdef";
pub const POTENSI: &str = "/api/v1/reading/potensi?date=1995-06-15";

/// A developer: their key (the secret), its id and their subscription.
pub struct Dev {
    pub key: String,
    pub key_id: Uuid,
    pub user_id: Uuid,
    pub subscription: Option<Uuid>,
}

/// What a test developer gets.
pub struct Setup {
    pub credits: i64,
    pub ai_credits: i64,
    pub rate_limit: i32,
    pub scopes: Vec<ApiScope>,
    pub subscribed: bool,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            credits: 1000,
            ai_credits: 10,
            rate_limit: 100_000,
            scopes: vec![ApiScope::Read, ApiScope::Ai],
            subscribed: true,
        }
    }
}

/// Settings every metered test app starts with (plus `extra`).
pub fn overrides<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all = vec![("API_KEY_SECRET", SECRET)];
    all.extend_from_slice(extra);
    all
}

pub async fn app(extra: &[(&str, &str)]) -> TestApp {
    spawn_app_with(&overrides(extra)).await
}

/// A user `n` with a plan of `setup.rate_limit` calls a minute, a subscription holding the
/// credits, and a key with the scopes.
pub async fn developer(pool: &sqlx::PgPool, n: u32, setup: Setup) -> Dev {
    let (user, _) = neptu_shared::db::users::get_or_create(pool, &crate::wallet_address(n))
        .await
        .unwrap();
    let mut subscription = None;
    if setup.subscribed {
        let plan: Uuid = sqlx::query_scalar(
            "INSERT INTO api_pricing_plans (name, slug, tier, price_usd, basic_calls, ai_calls, rate_limit)
             VALUES ('Test', $1, 'enterprise', 0, 1000, 10, $2) RETURNING id",
        )
        .bind(format!("test-{n}"))
        .bind(setup.rate_limit)
        .fetch_one(pool)
        .await
        .unwrap();
        let now = Utc::now();
        let sub = api_subscriptions::insert_active(
            pool,
            &NewSubscription {
                user_id: user.id,
                plan_id: plan,
                credits: setup.credits,
                ai_credits: setup.ai_credits,
                cycle_start: now - Duration::days(1),
                cycle_end: now + Duration::days(29),
                payment_method: None,
                payment_tx_signature: None,
            },
        )
        .await
        .unwrap();
        subscription = Some(sub.id);
    }
    let (key, key_id) = new_key(pool, user.id, setup.scopes, None, None).await;
    Dev {
        key,
        key_id,
        user_id: user.id,
        subscription,
    }
}

pub async fn new_key(
    pool: &sqlx::PgPool,
    user_id: Uuid,
    scopes: Vec<ApiScope>,
    allowed_origins: Option<Vec<String>>,
    expires_at: Option<chrono::DateTime<Utc>>,
) -> (String, Uuid) {
    let drawn = generate(&KeyHasher::new(SECRET.as_bytes())).unwrap();
    let row = api_keys::insert(
        pool,
        &NewApiKey {
            user_id,
            name: "test".into(),
            key_prefix: drawn.prefix,
            key_hash: drawn.hash,
            plan_id: None,
            scopes,
            allowed_origins,
            expires_at,
        },
    )
    .await
    .unwrap();
    (drawn.secret, row.id)
}

pub async fn credits(pool: &sqlx::PgPool, subscription: Uuid) -> (i64, i64) {
    let s = api_subscriptions::find_by_id(pool, subscription)
        .await
        .unwrap()
        .unwrap();
    (s.credits_remaining, s.ai_credits_remaining)
}

pub async fn usage_rows(pool: &sqlx::PgPool, key: Uuid) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM api_usage WHERE api_key_id = $1")
        .bind(key)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Stops the server (leases returned, usage written) but keeps the database to count in.
pub async fn stop_server(app: &mut TestApp) {
    app.shutdown.cancel();
    let handle = std::mem::replace(
        &mut app.handle,
        tokio::spawn(async { Ok(neptu_http::Stopped::Drained) }),
    );
    handle.await.unwrap().unwrap();
}

pub async fn call(app: &TestApp, path: &str, key: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    request.send().await.unwrap()
}

async fn refused(request: reqwest::RequestBuilder) -> (u16, String) {
    let r = request.send().await.unwrap();
    let status = r.status().as_u16();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["success"], false);
    (status, body["error"].as_str().unwrap_or_default().to_owned())
}

fn header(r: &reqwest::Response, name: &str) -> Option<u64> {
    r.headers().get(name)?.to_str().ok()?.parse().ok()
}

#[tokio::test]
async fn keys_are_checked_with_the_original_messages() {
    let app = app(&[]).await;
    let pool = &app.db.pool;
    let dev = developer(pool, 1, Setup::default()).await;
    let url = app.url(POTENSI);
    let get = || app.client.get(&url);
    let unauthorized = |m: &str| (401, m.to_owned());
    assert_eq!(
        refused(get()).await,
        unauthorized("Authorization header required")
    );
    assert_eq!(
        refused(get().header("authorization", format!("Basic {}", dev.key))).await,
        unauthorized("Invalid authorization format. Use: Bearer <api_key>")
    );
    assert_eq!(
        refused(get().bearer_auth("nptu_short")).await,
        unauthorized("Invalid API key format")
    );
    let invalid = unauthorized("Invalid or expired API key");
    let unknown = format!("nptu_{}_{}", "Z".repeat(8), "z".repeat(32));
    assert_eq!(refused(get().bearer_auth(&unknown)).await, invalid);
    // Right prefix, wrong secret.
    let forged = format!("{}_{}", &dev.key[..13], "q".repeat(32));
    assert_eq!(refused(get().bearer_auth(&forged)).await, invalid);
    // Expired and inactive keys.
    let (expired, _) = new_key(
        pool,
        dev.user_id,
        vec![ApiScope::Read],
        None,
        Some(Utc::now() - Duration::seconds(1)),
    )
    .await;
    assert_eq!(refused(get().bearer_auth(&expired)).await, invalid);
    let (inactive, inactive_id) = new_key(pool, dev.user_id, vec![ApiScope::Read], None, None).await;
    api_keys::deactivate(pool, inactive_id, None).await.unwrap();
    assert_eq!(refused(get().bearer_auth(&inactive)).await, invalid);
    // Origins: a listed browser origin, or a server (no Origin) only.
    let origins = Some(vec!["https://app.example".to_owned()]);
    let (restricted, _) = new_key(pool, dev.user_id, vec![ApiScope::Read], origins, None).await;
    let from = |origin: &str| get().bearer_auth(&restricted).header("origin", origin);
    assert_eq!(refused(from("https://evil.example")).await, invalid);
    assert_eq!(from("https://app.example").send().await.unwrap().status(), 200);
    assert_eq!(get().bearer_auth(&restricted).send().await.unwrap().status(), 200);

    // Scope and subscription.
    let (read_only, _) = new_key(pool, dev.user_id, vec![ApiScope::Read], None, None).await;
    let oracle = app.client.post(app.url("/api/v1/oracle")).json(&json!({}));
    assert_eq!(
        refused(oracle.bearer_auth(&read_only)).await,
        (403, "Insufficient permissions. Required: neptu:ai".to_owned())
    );
    let (ai_only, _) = new_key(pool, dev.user_id, vec![ApiScope::Ai], None, None).await;
    assert_eq!(
        refused(get().bearer_auth(&ai_only)).await,
        (403, "Insufficient permissions. Required: neptu:read".to_owned())
    );
    let unsubscribed = developer(
        pool,
        2,
        Setup {
            subscribed: false,
            ..Setup::default()
        },
    )
    .await;
    assert_eq!(
        refused(get().bearer_auth(&unsubscribed.key)).await,
        (403, "Active API subscription required".to_owned())
    );
    app.stop().await;
}

#[tokio::test]
async fn readings_answer_like_the_unmetered_routes_and_leave_one_usage_row_each() {
    crate::rate_limit::fresh_window().await;
    // The per-address limit must not count /api/v1 calls.
    let mut app = app(&[("RATE_LIMIT_PUBLIC_PER_MINUTE", "3")]).await;
    let dev = developer(
        &app.db.pool,
        1,
        Setup {
            rate_limit: 500,
            ..Setup::default()
        },
    )
    .await;
    let calls = [
        (
            "/api/v1/reading/potensi?date=1995-06-15",
            "/api/reading/potensi?date=1995-06-15",
        ),
        (
            "/api/v1/reading/peluang?date=2026-11-25",
            "/api/reading/peluang?date=2026-11-25",
        ),
        ("/api/v1/reading/today", "/api/reading/today"),
    ];
    for (v1, plain) in calls {
        let metered = call(&app, v1, Some(&dev.key)).await;
        assert_eq!(metered.status(), 200, "{v1}");
        assert_eq!(header(&metered, "x-ratelimit-limit"), Some(500));
        let metered: Value = metered.json().await.unwrap();
        let unmetered: Value = call(&app, plain, None).await.json().await.unwrap();
        assert_eq!(metered, unmetered, "{v1}");
    }
    assert_eq!(
        call(&app, "/api/reading/today", None).await.status(),
        429,
        "the address's 3 are spent"
    );
    let body = json!({ "birthDate1": "1990-05-15", "birthDate2": "1992-01-01" });
    let metered = app
        .client
        .post(app.url("/api/v1/reading/compatibility"))
        .bearer_auth(&dev.key)
        .header("user-agent", "metered-test/1.0")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(metered.status(), 200);
    assert_eq!(metered.json::<Value>().await.unwrap()["type"], "compatibility");
    // A bad date is the reading's 400, and is charged like any answered call.
    assert_eq!(
        call(&app, "/api/v1/reading/potensi?date=nope", Some(&dev.key))
            .await
            .status(),
        400
    );

    stop_server(&mut app).await;
    let pool = &app.db.pool;
    assert_eq!(credits(pool, dev.subscription.unwrap()).await, (995, 10));
    assert_eq!(usage_rows(pool, dev.key_id).await, 5);
    let (endpoint, method, status, agent, ip): (String, String, i16, Option<String>, Option<String>) =
        sqlx::query_as(
            "SELECT endpoint, method, response_status, user_agent, host(ip_address) FROM api_usage
         WHERE api_key_id = $1 AND method = 'POST'",
        )
        .bind(dev.key_id)
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(
        (
            endpoint.as_str(),
            method.as_str(),
            status,
            agent.as_deref(),
            ip.as_deref()
        ),
        (
            "/api/v1/reading/compatibility",
            "POST",
            200,
            Some("metered-test/1.0"),
            Some("127.0.0.1")
        )
    );
    let templates: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT endpoint FROM api_usage WHERE api_key_id = $1 ORDER BY 1")
            .bind(dev.key_id)
            .fetch_all(pool)
            .await
            .unwrap();
    assert!(templates.iter().all(|t| !t.contains('?')), "{templates:?}");
    let used: Option<chrono::DateTime<Utc>> =
        sqlx::query_scalar("SELECT last_used_at FROM api_keys WHERE id = $1")
            .bind(dev.key_id)
            .fetch_one(pool)
            .await
            .unwrap();
    assert!(used.is_some(), "last use recorded with the batch");
    app.db.drop_database().await;
}

#[tokio::test]
async fn the_plans_rate_limit_answers_429_with_headers() {
    crate::rate_limit::fresh_window().await;
    let mut app = app(&[]).await;
    let dev = developer(
        &app.db.pool,
        1,
        Setup {
            rate_limit: 5,
            ..Setup::default()
        },
    )
    .await;
    let now = Utc::now().timestamp() as u64;
    for remaining in (0..5).rev() {
        let r = call(&app, POTENSI, Some(&dev.key)).await;
        assert_eq!(r.status(), 200);
        assert_eq!(header(&r, "x-ratelimit-limit"), Some(5));
        assert_eq!(header(&r, "x-ratelimit-remaining"), Some(remaining));
        let reset = header(&r, "x-ratelimit-reset").unwrap();
        assert!(reset > now && reset <= now + 61);
    }
    let r = call(&app, POTENSI, Some(&dev.key)).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry = header(&r, "retry-after").unwrap();
    assert!((1..=60).contains(&retry));
    assert_eq!(header(&r, "x-ratelimit-remaining"), Some(0));
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body,
        json!({ "success": false, "error": "Rate limit exceeded", "retryAfter": retry })
    );
    // Another key of the same plan has its own count.
    let other = developer(
        &app.db.pool,
        2,
        Setup {
            rate_limit: 5,
            ..Setup::default()
        },
    )
    .await;
    assert_eq!(call(&app, POTENSI, Some(&other.key)).await.status(), 200);

    stop_server(&mut app).await;
    assert_eq!(
        credits(&app.db.pool, dev.subscription.unwrap()).await.0,
        995,
        "refused calls cost nothing"
    );
    assert_eq!(usage_rows(&app.db.pool, dev.key_id).await, 5);
    app.db.drop_database().await;
}

#[tokio::test]
async fn a_legacy_hash_is_accepted_only_without_a_strong_one_and_upgraded_on_first_use() {
    let app = app(&[]).await;
    let pool = &app.db.pool;
    let dev = developer(pool, 1, Setup::default()).await;
    let imported = format!("nptu_{}_{}", "Legacy00", "L".repeat(32));
    sqlx::query(
        "INSERT INTO api_keys (user_id, name, key_prefix, legacy_hash, scopes) VALUES ($1, 'old', $2, $3, '{neptu:read}')",
    )
    .bind(dev.user_id)
    .bind(&imported[..13])
    .bind(legacy_hash(&imported))
    .execute(pool)
    .await
    .unwrap();
    assert_eq!(call(&app, POTENSI, Some(&imported)).await.status(), 200);
    let (hash, legacy): (Option<Vec<u8>>, Option<String>) =
        sqlx::query_as("SELECT key_hash, legacy_hash FROM api_keys WHERE key_prefix = $1")
            .bind(&imported[..13])
            .fetch_one(pool)
            .await
            .unwrap();
    assert_eq!(
        hash.as_deref(),
        Some(&KeyHasher::new(SECRET.as_bytes()).hash(&imported)[..])
    );
    assert_eq!(legacy, None, "the weak hash is gone");
    assert_eq!(
        call(&app, POTENSI, Some(&imported)).await.status(),
        200,
        "and the key still works"
    );

    // A key with a strong hash is never matched by its legacy one.
    let other = format!("nptu_{}_{}", "Legacy01", "M".repeat(32));
    sqlx::query(
        "INSERT INTO api_keys (user_id, name, key_prefix, key_hash, legacy_hash, scopes)
         VALUES ($1, 'both', $2, $3, $4, '{neptu:read}')",
    )
    .bind(dev.user_id)
    .bind(&other[..13])
    .bind(&KeyHasher::new(b"some other secret entirely, 32+ bytes").hash(&other)[..])
    .bind(legacy_hash(&other))
    .execute(pool)
    .await
    .unwrap();
    assert_eq!(call(&app, POTENSI, Some(&other)).await.status(), 401);
    app.stop().await;
}

/// A stand-in for Azure OpenAI that fails while `failing` is set.
async fn fake_model(failing: Arc<AtomicBool>) -> FakeServer {
    let router = Router::new().route(
        "/openai/deployments/{deployment}/chat/completions",
        post(move || {
            let failing = Arc::clone(&failing);
            async move {
                if failing.load(Ordering::SeqCst) {
                    return (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "down").into_response();
                }
                axum::Json(json!({
                    "choices": [{ "message": { "content": "The stars favour you." } }],
                    "usage": { "total_tokens": 42 },
                }))
                .into_response()
            }
        }),
    );
    FakeServer::start(router).await
}

#[tokio::test]
async fn the_oracle_spends_ai_credits_and_gives_back_those_of_failed_calls() {
    let failing = Arc::new(AtomicBool::new(false));
    let model = fake_model(Arc::clone(&failing)).await;
    let endpoint = model.url("");
    let mut app = app(&[
        ("AZURE_OPENAI_API_KEY", "fake-key"),
        ("AZURE_OPENAI_ENDPOINT", endpoint.as_str()),
        ("AZURE_OPENAI_DEPLOYMENT", "neptu"),
    ])
    .await;
    let dev = developer(
        &app.db.pool,
        1,
        Setup {
            ai_credits: 3,
            ..Setup::default()
        },
    )
    .await;
    let ask = |question: &str| {
        app.client
            .post(app.url("/api/v1/oracle"))
            .bearer_auth(&dev.key)
            .json(&json!({ "question": question, "birthDate": "1990-05-15" }))
    };
    let r = ask("Will I travel?").send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({ "success": true, "message": "The stars favour you.", "cached": false, "tokensUsed": 42 })
    );
    failing.store(true, Ordering::SeqCst);
    let r = ask("Will I move?").send().await.unwrap();
    assert_eq!(r.status(), 502, "the model failed");
    failing.store(false, Ordering::SeqCst);
    let daily = call(
        &app,
        "/api/v1/oracle/daily/1990-05-15?language=id",
        Some(&dev.key),
    )
    .await;
    assert_eq!(daily.status(), 200);
    assert_eq!(
        daily.json::<Value>().await.unwrap()["date"],
        Utc::now().date_naive().to_string()
    );
    let interpret = app
        .client
        .post(app.url("/api/v1/oracle/interpret"))
        .bearer_auth(&dev.key)
        .json(&json!({ "birthDate": "1990-05-15", "targetDate": "2026-06-17" }))
        .send()
        .await
        .unwrap();
    assert_eq!(interpret.status(), 200);
    assert_eq!(
        interpret.json::<Value>().await.unwrap()["interpretation"],
        "The stars favour you."
    );
    // Three answered: the AI credits are spent (the failed call's came back), basic untouched.
    let r = ask("Again?").send().await.unwrap();
    assert_eq!(r.status(), 402);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({ "success": false, "error": "Insufficient credits", "remaining": { "basic": 1000, "ai": 0 } })
    );

    stop_server(&mut app).await;
    let pool = &app.db.pool;
    assert_eq!(credits(pool, dev.subscription.unwrap()).await, (1000, 0));
    let rows: Vec<(i16, i32, bool)> = sqlx::query_as(
        "SELECT response_status, credits_used, is_ai_endpoint FROM api_usage WHERE api_key_id = $1 ORDER BY created_at",
    )
    .bind(dev.key_id)
    .fetch_all(pool)
    .await
    .unwrap();
    assert_eq!(
        rows,
        vec![(200, 1, true), (502, 0, true), (200, 1, true), (200, 1, true)]
    );
    app.db.drop_database().await;
}

#[tokio::test]
async fn without_a_model_the_oracle_answers_503_and_charges_nothing() {
    let mut app = app(&[]).await;
    let dev = developer(&app.db.pool, 1, Setup::default()).await;
    let r = call(&app, "/api/v1/oracle/daily/1990-05-15", Some(&dev.key)).await;
    assert_eq!(r.status(), 503);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"],
        "AI oracle not configured"
    );
    stop_server(&mut app).await;
    assert_eq!(credits(&app.db.pool, dev.subscription.unwrap()).await, (1000, 10));
    app.db.drop_database().await;
}
