//! `/api/admin/api-keys`: every developer's keys, filtered, and revoking one.

use chrono::Duration;
use neptu_shared::domain::enums::Role;
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::fixtures::{KEY_FIELDS, PAGE_FIELDS, assert_keys, create_key, subscribe};
use crate::spawn_app;

#[tokio::test]
async fn admins_list_and_revoke_api_keys() {
    let app = spawn_app().await;
    let (_, admin) = app.user_with_role(1, Role::Admin).await;
    let (alice, alice_token) = app.user(2).await;
    let (bob, bob_token) = app.user(3).await;
    subscribe(&app, alice.id, "api-pro", Duration::days(9)).await;
    subscribe(&app, bob.id, "api-pro", Duration::days(9)).await;
    let first = create_key(&app, &alice_token, "a1").await;
    create_key(&app, &alice_token, "a2").await;
    let bobs = create_key(&app, &bob_token, "b1").await;

    let revoke = format!("/api/admin/api-keys/{}/revoke", first["id"].as_str().unwrap());
    let (status, answer) = app.call(Method::PUT, &revoke, Some(&admin), None).await;
    assert_eq!((status, answer), (200, json!({ "success": true })));
    let (status, answer) = app
        .call(
            Method::PUT,
            &format!("/api/admin/api-keys/{}/revoke", Uuid::new_v4()),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (404, Some("API key not found"))
    );

    let (status, answer) = app.get_as("/api/admin/api-keys", &admin).await;
    assert_eq!(status, 200);
    assert_keys(&answer, PAGE_FIELDS);
    assert_eq!(answer["total"], 3);
    assert_keys(&answer["data"][0], KEY_FIELDS);
    assert_eq!(answer["data"][0]["id"], bobs["id"], "newest first");
    let count = async |query: &str| {
        app.get_as(&format!("/api/admin/api-keys{query}"), &admin).await.1["total"].clone()
    };
    // "false" means inactive keys (the original read any non-empty string as true).
    assert_eq!(count("?isActive=false").await, 1);
    assert_eq!(count("?isActive=true").await, 2);
    let by_user = app
        .get_as(
            &format!("/api/admin/api-keys?userId={}&isActive=true", alice.id),
            &admin,
        )
        .await
        .1;
    assert_eq!(
        (&by_user["total"], &by_user["data"][0]["name"]),
        (&json!(1), &json!("a2"))
    );
    let (_, answer) = app.get_as("/api/admin/api-keys?limit=2&page=2", &admin).await;
    assert_eq!(
        (answer["data"].as_array().unwrap().len(), &answer["totalPages"]),
        (1, &json!(2))
    );
    for bad in ["?isActive=yes", "?isActive=1", "?userId=alice", "?limit=500"] {
        assert_eq!(
            app.get_as(&format!("/api/admin/api-keys{bad}"), &admin).await.0,
            400,
            "{bad}"
        );
    }
    let (_, mine) = app.get_as("/api/developer/keys", &alice_token).await;
    assert_eq!(
        mine["keys"][1]["isActive"], false,
        "the owner sees the key revoked"
    );
    app.stop().await;
}
