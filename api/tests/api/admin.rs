use neptu_shared::db::readings::{self, NewReading};
use neptu_shared::domain::enums::{ReadingKind, Role};
use reqwest::Method;
use serde_json::json;

use crate::spawn_app;

#[tokio::test]
async fn admin_views_and_changes() {
    let app = spawn_app().await;
    let (_, admin) = app.user_with_role(1, Role::Admin).await;
    let (alice, user_token) = app.user(2).await;
    app.user(3).await;
    readings::insert(
        &app.db.pool,
        &NewReading {
            user_id: alice.id,
            kind: ReadingKind::Peluang,
            target_date: "2026-01-01".parse().unwrap(),
            birth_date: None,
            birth_date2: None,
            reading_data: json!({ "x": 1 }),
            tx_signature: None,
        },
    )
    .await
    .unwrap();

    for path in [
        "/api/admin/stats",
        "/api/admin/users",
        "/api/admin/readings",
        "/api/admin/settings",
    ] {
        let (status, body) = app.get_as(path, &user_token).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (403, Some("Admin access required")),
            "{path}"
        );
        assert_eq!(app.call(Method::GET, path, None, None).await.0, 401, "{path}");
    }

    let (_, body) = app.get_as("/api/admin/stats", &admin).await;
    assert_eq!(body["stats"]["users"]["total"], 3);
    assert_eq!(body["stats"]["users"]["admins"], 1);
    assert_eq!(body["stats"]["readings"]["peluang"], 1);

    let (_, body) = app
        .get_as(
            "/api/admin/users?limit=2&page=2&sortBy=walletAddress&sortOrder=asc",
            &admin,
        )
        .await;
    assert_eq!(
        (
            body["total"].as_i64(),
            body["page"].as_i64(),
            body["limit"].as_i64(),
            body["totalPages"].as_i64()
        ),
        (Some(3), Some(2), Some(2), Some(2))
    );
    assert_eq!(body["data"].as_array().unwrap().len(), 1);
    let search = &alice.wallet_address[..10];
    let (_, body) = app
        .get_as(&format!("/api/admin/users?search={search}"), &admin)
        .await;
    assert_eq!(body["total"], 1);
    for bad in [
        "?limit=0",
        "?limit=101",
        "?page=0",
        "?sortBy=email",
        "?sortOrder=up",
    ] {
        assert_eq!(
            app.get_as(&format!("/api/admin/users{bad}"), &admin).await.0,
            400,
            "{bad}"
        );
    }

    let path = format!("/api/admin/users/{}", alice.id);
    let (status, body) = app.get_as(&path, &admin).await;
    assert_eq!(
        (status, body["user"]["walletAddress"].as_str()),
        (200, Some(alice.wallet_address.as_str()))
    );
    let (status, body) = app
        .call(
            Method::PUT,
            &path,
            Some(&admin),
            Some(json!({ "isAdmin": true, "displayName": "Ops" })),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            body["user"]["role"].as_str(),
            body["user"]["isAdmin"].as_bool(),
            body["user"]["displayName"].as_str()
        ),
        (Some("admin"), Some(true), Some("Ops"))
    );
    let (status, _) = app
        .call(Method::PUT, &path, Some(&admin), Some(json!({ "role": "root" })))
        .await;
    assert_eq!(status, 400);
    let missing = format!("/api/admin/users/{}", uuid::Uuid::new_v4());
    assert_eq!(app.get_as(&missing, &admin).await.0, 404);
    assert_eq!(
        app.call(
            Method::PUT,
            &missing,
            Some(&admin),
            Some(json!({ "role": "user" }))
        )
        .await
        .0,
        404
    );

    let (_, body) = app
        .get_as(&format!("/api/admin/readings?userId={}", alice.id), &admin)
        .await;
    assert_eq!(body["total"], 1);
    assert_eq!(app.get_as("/api/admin/readings?userId=nope", &admin).await.0, 400);
    let (_, body) = app.get_as("/api/admin/settings", &admin).await;
    assert_eq!(body["settings"]["apiVersion"], "v1");
    app.stop().await;
}
