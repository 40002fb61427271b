//! `/api/developer/*`: keys and subscriptions for the signed-in wallet.

use chrono::{Duration, Utc};
use neptu_shared::db::api_subscriptions;
use neptu_shared::domain::api_keys::{KeyHasher, PresentedKey};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures::{KEY_FIELDS, SUBSCRIPTION_FIELDS, assert_keys, at, create_key, subscribe};
use crate::{spawn_app, spawn_app_with};

const SECRET: &str = "a-test-api-key-secret-of-at-least-32-bytes";

#[tokio::test]
async fn keys_are_created_once_shown_and_managed_by_their_owner() {
    let app = spawn_app_with(&[("API_KEY_SECRET", SECRET)]).await;
    let (alice, token) = app.user(1).await;
    let (_, bob) = app.user(2).await;
    let body = json!({ "name": "ci", "scopes": ["neptu:read", "neptu:ai", "neptu:read"] });

    let (status, answer) = app.post_as("/api/developer/keys", &token, body.clone()).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (403, Some("Active API subscription required"))
    );
    // A subscription still marked active whose cycle has ended does not count.
    let ended = subscribe(&app, alice.id, "api-pro", -Duration::hours(1)).await;
    assert_eq!(
        app.post_as("/api/developer/keys", &token, body.clone()).await.0,
        403
    );
    api_subscriptions::cancel_active(&app.db.pool, alice.id)
        .await
        .unwrap();
    let sub = subscribe(&app, alice.id, "api-pro", Duration::days(20)).await;
    assert_ne!(ended.id, sub.id);

    let expires = (Utc::now() + Duration::days(30)).to_rfc3339();
    let (status, answer) = app
        .post_as(
            "/api/developer/keys",
            &token,
            json!({ "name": " ci ", "scopes": ["neptu:ai", "neptu:read", "neptu:ai"],
                    "allowedOrigins": ["https://app.example.com"], "expiresAt": expires, "allowedIps": ["1.2.3.4"] }),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_keys(&answer, &["success", "key", "warning"]);
    assert_eq!(
        answer["warning"],
        "Store the secret securely. It will not be shown again."
    );
    let key = &answer["key"];
    let mut with_secret = KEY_FIELDS.to_vec();
    with_secret.push("secret");
    assert_keys(key, &with_secret);
    let secret = key["secret"].as_str().unwrap();
    let presented = PresentedKey::parse(secret).expect("a well-formed key");
    assert_eq!(key["keyPrefix"].as_str(), Some(presented.prefix()));
    assert_eq!(key["name"], "ci");
    assert_eq!(key["scopes"], json!(["neptu:read", "neptu:ai"]));
    assert_eq!(key["allowedOrigins"], json!(["https://app.example.com"]));
    assert_eq!(key["allowedIps"], Value::Null, "not settable here");
    assert_eq!(key["planId"], json!(sub.plan_id));
    assert_eq!(key["userId"], json!(alice.id));
    assert_eq!(
        key["expiresAt"].as_str().map(|e| at(e).timestamp()),
        Some(at(&expires).timestamp())
    );
    // Only the keyed hash is stored.
    let (hash, legacy): (Vec<u8>, Option<String>) =
        sqlx::query_as("SELECT key_hash, legacy_hash FROM api_keys WHERE key_prefix = $1")
            .bind(presented.prefix())
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(KeyHasher::new(SECRET.as_bytes()).matches(&presented, &hash));
    assert_eq!(legacy, None);

    let second = create_key(&app, &token, "second").await;
    let (status, list) = app.get_as("/api/developer/keys", &token).await;
    assert_eq!(status, 200);
    assert_keys(&list, &["success", "keys"]);
    let keys = list["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0]["id"], second["id"], "newest first");
    assert_keys(&keys[1], KEY_FIELDS);
    assert_eq!(app.get_as("/api/developer/keys", &bob).await.1["keys"], json!([]));

    let path = format!("/api/developer/keys/{}", key["id"].as_str().unwrap());
    let (status, answer) = app
        .call(
            Method::PUT,
            &path,
            Some(&token),
            Some(json!({ "name": "renamed", "isActive": false })),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_keys(&answer, &["success", "key"]);
    assert_keys(&answer["key"], KEY_FIELDS);
    assert_eq!(
        (
            answer["key"]["name"].as_str(),
            answer["key"]["isActive"].as_bool()
        ),
        (Some("renamed"), Some(false))
    );
    for (who, body, expected) in [
        (&bob, json!({ "name": "mine" }), 404),
        (&token, json!({ "name": "" }), 400),
        (&token, json!({ "name": "k".repeat(101) }), 400),
        (&token, json!({ "isActive": "no" }), 400),
    ] {
        let (status, answer) = app.call(Method::PUT, &path, Some(who), Some(body.clone())).await;
        assert_eq!(status, expected, "{body}: {answer}");
        if expected == 404 {
            assert_eq!(answer["error"], "API key not found");
        }
    }
    assert_eq!(
        app.call(
            Method::PUT,
            "/api/developer/keys/not-a-uuid",
            Some(&token),
            Some(json!({}))
        )
        .await
        .0,
        400
    );

    let second_path = format!("/api/developer/keys/{}", second["id"].as_str().unwrap());
    let (status, answer) = app.call(Method::DELETE, &second_path, Some(&bob), None).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (404, Some("API key not found"))
    );
    let (status, answer) = app.call(Method::DELETE, &second_path, Some(&token), None).await;
    assert_eq!(
        (status, answer),
        (200, json!({ "success": true, "message": "API key revoked" }))
    );
    let (_, list) = app.get_as("/api/developer/keys", &token).await;
    assert_eq!(
        list["keys"][0]["isActive"], false,
        "revoked keys stay listed, switched off"
    );
    let missing = format!("/api/developer/keys/{}", Uuid::new_v4());
    assert_eq!(
        app.call(Method::DELETE, &missing, Some(&token), None).await.0,
        404
    );
    app.stop().await;
}

#[tokio::test]
async fn bad_key_requests_are_400() {
    let app = spawn_app().await;
    let (alice, token) = app.user(1).await;
    subscribe(&app, alice.id, "api-starter", Duration::days(5)).await;
    let past = (Utc::now() - Duration::minutes(1)).to_rfc3339();
    for body in [
        json!({ "scopes": [] }),
        json!({ "name": "ci" }),
        json!({ "name": "", "scopes": [] }),
        json!({ "name": "k".repeat(101), "scopes": [] }),
        json!({ "name": "ci", "scopes": ["neptu:root"] }),
        json!({ "name": "ci", "scopes": [], "allowedOrigins": ["not a url"] }),
        json!({ "name": "ci", "scopes": [], "allowedOrigins": ["https://x.io/path"] }),
        json!({ "name": "ci", "scopes": [], "expiresAt": past }),
        json!({ "name": "ci", "scopes": [], "expiresAt": "next week" }),
    ] {
        let (status, answer) = app.post_as("/api/developer/keys", &token, body.clone()).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert_eq!(answer["success"], false);
    }
    let response = app
        .client
        .post(app.url("/api/developer/keys"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    // An empty scope list is allowed, and an empty origin list restricts nothing.
    let (status, answer) = app
        .post_as(
            "/api/developer/keys",
            &token,
            json!({ "name": "ci", "scopes": [], "allowedOrigins": [] }),
        )
        .await;
    assert_eq!(
        (status, &answer["key"]["scopes"], &answer["key"]["allowedOrigins"]),
        (200, &json!([]), &Value::Null)
    );
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM api_keys")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, 1, "no rejected request stored a key");
    app.stop().await;
}

#[tokio::test]
async fn subscriptions_of_the_caller() {
    let app = spawn_app().await;
    let (alice, token) = app.user(1).await;
    let (_, bob) = app.user(2).await;

    let (status, answer) = app.get_as("/api/developer/subscription", &token).await;
    assert_eq!(
        (status, answer),
        (200, json!({ "success": false, "subscription": null }))
    );
    let first = subscribe(&app, alice.id, "api-starter", Duration::days(3)).await;
    api_subscriptions::cancel_active(&app.db.pool, alice.id)
        .await
        .unwrap();
    let second = subscribe(&app, alice.id, "api-pro", Duration::days(30)).await;

    let (status, answer) = app.get_as("/api/developer/subscription", &token).await;
    assert_eq!(status, 200);
    assert_keys(&answer, &["success", "subscription"]);
    assert_eq!(answer["success"], true);
    assert_keys(&answer["subscription"], SUBSCRIPTION_FIELDS);
    assert_eq!(answer["subscription"]["id"], json!(second.id));
    assert_eq!(answer["subscription"]["status"], "active");
    assert_eq!(answer["subscription"]["creditsRemaining"], 1000);

    let (status, answer) = app.get_as("/api/developer/subscriptions", &token).await;
    assert_eq!(status, 200);
    assert_keys(&answer, &["success", "subscriptions"]);
    let ids: Vec<_> = answer["subscriptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].clone())
        .collect();
    assert_eq!(ids, [json!(second.id), json!(first.id)], "newest first");
    assert_eq!(answer["subscriptions"][1]["status"], "cancelled");
    assert!(answer["subscriptions"][1]["cancelledAt"].is_string());
    assert_eq!(
        app.get_as("/api/developer/subscriptions", &bob).await.1["subscriptions"],
        json!([])
    );

    let (status, answer) = app
        .post_as("/api/developer/subscription/cancel", &bob, json!({}))
        .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (404, Some("No active subscription"))
    );
    let (status, answer) = app
        .post_as("/api/developer/subscription/cancel", &token, json!({}))
        .await;
    assert_eq!(
        (status, answer),
        (
            200,
            json!({ "success": true, "message": "Subscription cancelled" })
        )
    );
    assert_eq!(
        app.get_as("/api/developer/subscription", &token).await.1["success"],
        false
    );
    assert_eq!(
        app.post_as("/api/developer/subscription/cancel", &token, json!({}))
            .await
            .0,
        404
    );
    app.stop().await;
}

#[tokio::test]
async fn developer_routes_need_a_token() {
    let app = spawn_app().await;
    let key = Uuid::new_v4();
    for (method, path) in [
        (Method::GET, "/api/developer/keys".to_owned()),
        (Method::POST, "/api/developer/keys".to_owned()),
        (Method::PUT, format!("/api/developer/keys/{key}")),
        (Method::DELETE, format!("/api/developer/keys/{key}")),
        (Method::GET, "/api/developer/subscription".to_owned()),
        (Method::GET, "/api/developer/subscriptions".to_owned()),
        (Method::POST, "/api/developer/subscription/cancel".to_owned()),
        (Method::GET, format!("/api/developer/keys/{key}/usage")),
        (Method::GET, format!("/api/developer/keys/{key}/summary")),
        (Method::GET, format!("/api/developer/keys/{key}/usage/range")),
    ] {
        let (status, answer) = app.call(method.clone(), &path, None, Some(json!({}))).await;
        assert_eq!(
            (status, answer["success"].as_bool()),
            (401, Some(false)),
            "{method} {path}"
        );
        let (status, _) = app
            .call(method.clone(), &path, Some("not-a-token"), Some(json!({})))
            .await;
        assert_eq!(status, 401, "{method} {path}");
    }
    app.stop().await;
}
