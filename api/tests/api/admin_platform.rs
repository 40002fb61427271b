//! `/api/admin/*` over the developer platform: subscriptions, plans, credit packs, API keys.

use chrono::Duration;
use neptu_shared::db::api_subscriptions;
use neptu_shared::domain::enums::Role;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures::{PACK_FIELDS, PAGE_FIELDS, PLAN_FIELDS, SUBSCRIPTION_FIELDS, assert_keys, subscribe};
use crate::{TestApp, spawn_app};

async fn put(app: &TestApp, token: &str, path: impl AsRef<str>, body: Value) -> (u16, Value) {
    app.call(Method::PUT, path.as_ref(), Some(token), Some(body))
        .await
}

#[tokio::test]
async fn admin_platform_routes_are_for_admins_only() {
    let app = spawn_app().await;
    let (_, user) = app.user(1).await;
    let id = Uuid::new_v4();
    for (method, path) in [
        (Method::GET, "/api/admin/subscriptions".to_owned()),
        (Method::GET, format!("/api/admin/subscriptions/{id}")),
        (Method::PUT, format!("/api/admin/subscriptions/{id}")),
        (
            Method::GET,
            "/api/admin/analytics/usage?startDate=2026-01-01&endDate=2026-01-02".to_owned(),
        ),
        (Method::GET, "/api/admin/analytics/endpoints".to_owned()),
        (Method::GET, "/api/admin/plans".to_owned()),
        (Method::POST, "/api/admin/plans".to_owned()),
        (Method::PUT, format!("/api/admin/plans/{id}")),
        (Method::DELETE, format!("/api/admin/plans/{id}")),
        (Method::GET, "/api/admin/credit-packs".to_owned()),
        (Method::POST, "/api/admin/credit-packs".to_owned()),
        (Method::PUT, format!("/api/admin/credit-packs/{id}")),
        (Method::DELETE, format!("/api/admin/credit-packs/{id}")),
        (Method::GET, "/api/admin/api-keys".to_owned()),
        (Method::PUT, format!("/api/admin/api-keys/{id}/revoke")),
    ] {
        let (status, answer) = app
            .call(method.clone(), &path, Some(&user), Some(json!({})))
            .await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (403, Some("Admin access required")),
            "{method} {path}"
        );
        assert_eq!(
            app.call(method.clone(), &path, None, Some(json!({}))).await.0,
            401,
            "{method} {path}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn admins_list_and_change_subscriptions() {
    let app = spawn_app().await;
    let (_, admin) = app.user_with_role(1, Role::Admin).await;
    let (alice, _) = app.user(2).await;
    let (bob, _) = app.user(3).await;
    let old = subscribe(&app, alice.id, "api-starter", Duration::days(1)).await;
    api_subscriptions::cancel_active(&app.db.pool, alice.id)
        .await
        .unwrap();
    let current = subscribe(&app, alice.id, "api-pro", Duration::days(30)).await;
    let bobs = subscribe(&app, bob.id, "api-pro", Duration::days(30)).await;

    let (status, answer) = app.get_as("/api/admin/subscriptions", &admin).await;
    assert_eq!(status, 200, "{answer}");
    assert_keys(&answer, PAGE_FIELDS);
    assert_eq!(
        (
            &answer["total"],
            &answer["page"],
            &answer["limit"],
            &answer["totalPages"]
        ),
        (&json!(3), &json!(1), &json!(20), &json!(1))
    );
    assert_keys(&answer["data"][0], SUBSCRIPTION_FIELDS);
    assert_eq!(answer["data"][0]["id"], json!(bobs.id), "newest first");
    let (_, answer) = app
        .get_as("/api/admin/subscriptions?status=cancelled", &admin)
        .await;
    assert_eq!(
        (&answer["total"], &answer["data"][0]["id"]),
        (&json!(1), &json!(old.id))
    );
    let (_, answer) = app
        .get_as(
            &format!(
                "/api/admin/subscriptions?planId={}&limit=1&page=2",
                current.plan_id
            ),
            &admin,
        )
        .await;
    assert_eq!(
        (&answer["total"], &answer["totalPages"], &answer["data"][0]["id"]),
        (&json!(2), &json!(2), &json!(current.id))
    );
    for bad in [
        "?status=gone",
        "?planId=pro",
        "?limit=0",
        "?limit=101",
        "?page=0",
        "?page=-1",
    ] {
        assert_eq!(
            app.get_as(&format!("/api/admin/subscriptions{bad}"), &admin)
                .await
                .0,
            400,
            "{bad}"
        );
    }

    let path = format!("/api/admin/subscriptions/{}", current.id);
    let (status, answer) = app.get_as(&path, &admin).await;
    assert_eq!(status, 200);
    assert_keys(&answer, &["success", "subscription"]);
    assert_keys(&answer["subscription"], SUBSCRIPTION_FIELDS);
    let missing = format!("/api/admin/subscriptions/{}", Uuid::new_v4());
    let (status, answer) = app.get_as(&missing, &admin).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (404, Some("Subscription not found"))
    );
    assert_eq!(app.get_as("/api/admin/subscriptions/42", &admin).await.0, 400);

    let (status, answer) = put(&app, &admin, path.clone(), json!({ "creditsRemaining": 7 })).await;
    assert_eq!(
        (status, &answer["subscription"]["creditsRemaining"]),
        (200, &json!(7)),
        "{answer}"
    );
    for bad in [
        json!({ "creditsRemaining": -1 }),
        json!({ "creditsRemaining": 1.5 }),
        json!({ "status": "frozen" }),
    ] {
        assert_eq!(put(&app, &admin, path.clone(), bad.clone()).await.0, 400, "{bad}");
    }
    assert_eq!(
        put(&app, &admin, missing, json!({ "status": "expired" })).await.0,
        404
    );
    // Reactivating the old one while the current one is active would give Alice two.
    let old_path = format!("/api/admin/subscriptions/{}", old.id);
    let (status, answer) = put(&app, &admin, old_path.clone(), json!({ "status": "active" })).await;
    assert_eq!(status, 409, "{answer}");
    let (status, answer) = put(&app, &admin, path.clone(), json!({ "status": "cancelled" })).await;
    assert_eq!(
        (status, &answer["subscription"]["status"]),
        (200, &json!("cancelled"))
    );
    assert!(answer["subscription"]["cancelledAt"].is_string());
    let (status, answer) = put(&app, &admin, old_path, json!({ "status": "active" })).await;
    assert_eq!(
        (status, &answer["subscription"]["status"]),
        (200, &json!("active"))
    );
    app.stop().await;
}

fn plan_body(slug: &str) -> Value {
    json!({
        "name": "Indie", "slug": slug, "tier": "starter", "priceUsd": 3.5, "priceSol": 0.02,
        "features": ["500 calls"], "limits": { "basicCalls": 500, "aiCalls": 0, "rateLimit": 30 },
        "overageRates": { "basicCallNeptu": 0.1, "basicCallSol": 0.0001, "aiCallNeptu": 1, "aiCallSol": 0.001 },
        "sortOrder": 9
    })
}

#[tokio::test]
async fn admins_manage_plans_and_credit_packs() {
    let app = spawn_app().await;
    let (_, admin) = app.user_with_role(1, Role::Admin).await;
    let (alice, _) = app.user(2).await;

    let (status, answer) = app
        .post_as("/api/admin/plans", &admin, plan_body("api-indie"))
        .await;
    assert_eq!(status, 201, "{answer}");
    assert_keys(&answer, &["success", "plan"]);
    let plan = &answer["plan"];
    assert_keys(plan, PLAN_FIELDS);
    assert_eq!(
        (
            &plan["billingPeriod"],
            &plan["discountPercent"],
            &plan["isActive"],
            &plan["isPopular"],
            &plan["priceNeptu"]
        ),
        (
            &json!("monthly"),
            &json!(0),
            &json!(true),
            &json!(false),
            &Value::Null
        )
    );
    let id = plan["id"].as_str().unwrap().to_owned();
    let (status, answer) = app
        .post_as("/api/admin/plans", &admin, plan_body("api-indie"))
        .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (409, Some("Plan with this slug already exists"))
    );
    let mut missing = plan_body("api-x");
    missing.as_object_mut().unwrap().remove("overageRates");
    let mut negative = plan_body("api-y");
    negative["priceUsd"] = json!(-1);
    let mut unlimited_rate = plan_body("api-z");
    unlimited_rate["limits"]["rateLimit"] = json!(0);
    for bad in [
        plan_body("Bad Slug"),
        missing,
        negative,
        unlimited_rate,
        json!({ "tier": "gold" }),
    ] {
        assert_eq!(
            app.post_as("/api/admin/plans", &admin, bad.clone()).await.0,
            400,
            "{bad}"
        );
    }

    let path = format!("/api/admin/plans/{id}");
    let (status, answer) = app
        .call(
            Method::PUT,
            &path,
            Some(&admin),
            Some(json!({ "isActive": false, "discountPercent": 15 })),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        (
            &answer["plan"]["isActive"],
            &answer["plan"]["discountPercent"],
            &answer["plan"]["name"]
        ),
        (&json!(false), &json!(15), &json!("Indie"))
    );
    assert_eq!(
        put(&app, &admin, &path, json!({ "slug": "api-pro" })).await.0,
        409
    );
    assert_eq!(
        put(&app, &admin, &path, json!({ "discountPercent": 101 }))
            .await
            .0,
        400
    );
    assert_eq!(
        put(
            &app,
            &admin,
            &format!("/api/admin/plans/{}", Uuid::new_v4()),
            json!({})
        )
        .await
        .0,
        404
    );

    let (status, answer) = app.get_as("/api/admin/plans", &admin).await;
    assert_eq!(status, 200);
    assert_keys(&answer, &["success", "plans"]);
    let slugs: Vec<_> = answer["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].clone())
        .collect();
    assert_eq!(slugs.len(), 5, "inactive plans included");
    assert_eq!(slugs[4], "api-indie", "in display order");

    // A plan that subscriptions use cannot go; an unused one can.
    subscribe(&app, alice.id, "api-starter", Duration::days(3)).await;
    let starter = &answer["plans"][0];
    let starter_path = format!("/api/admin/plans/{}", starter["id"].as_str().unwrap());
    let (status, answer) = app.call(Method::DELETE, &starter_path, Some(&admin), None).await;
    assert_eq!(status, 409, "{answer}");
    let (status, answer) = app.call(Method::DELETE, &path, Some(&admin), None).await;
    assert_eq!((status, answer), (200, json!({ "success": true })));
    let (status, answer) = app.call(Method::DELETE, &path, Some(&admin), None).await;
    assert_eq!((status, answer["error"].as_str()), (404, Some("Plan not found")));

    let pack = json!({ "name": "Mini", "slug": "mini-pack", "credits": 100, "priceUsd": 1.5 });
    let (status, answer) = app.post_as("/api/admin/credit-packs", &admin, pack.clone()).await;
    assert_eq!(status, 201, "{answer}");
    assert_keys(&answer, &["success", "pack"]);
    assert_keys(&answer["pack"], PACK_FIELDS);
    assert_eq!(
        (&answer["pack"]["aiCredits"], &answer["pack"]["bonusPercent"]),
        (&json!(0), &json!(0))
    );
    let pack_path = format!(
        "/api/admin/credit-packs/{}",
        answer["pack"]["id"].as_str().unwrap()
    );
    assert_eq!(app.post_as("/api/admin/credit-packs", &admin, pack).await.0, 409);
    for bad in [
        json!({ "name": "Mini", "slug": "m", "credits": 0, "priceUsd": 1 }),
        json!({ "name": "Mini", "slug": "m", "credits": 1, "priceUsd": 1, "bonusPercent": 101 }),
        json!({ "name": "Mini", "slug": "m", "credits": 1 }),
    ] {
        assert_eq!(
            app.post_as("/api/admin/credit-packs", &admin, bad.clone())
                .await
                .0,
            400,
            "{bad}"
        );
    }
    let (status, answer) = put(
        &app,
        &admin,
        &pack_path,
        json!({ "bonusPercent": 5, "isActive": false }),
    )
    .await;
    assert_eq!(
        (
            status,
            &answer["pack"]["bonusPercent"],
            &answer["pack"]["credits"]
        ),
        (200, &json!(5), &json!(100))
    );
    assert_eq!(
        put(&app, &admin, &pack_path, json!({ "aiCredits": -1 })).await.0,
        400
    );
    let (status, answer) = put(
        &app,
        &admin,
        &format!("/api/admin/credit-packs/{}", Uuid::new_v4()),
        json!({}),
    )
    .await;
    assert_eq!((status, answer["error"].as_str()), (404, Some("Pack not found")));
    let (_, answer) = app.get_as("/api/admin/credit-packs", &admin).await;
    assert_keys(&answer, &["success", "packs"]);
    assert_eq!(
        answer["packs"].as_array().unwrap().len(),
        4,
        "inactive packs included"
    );
    let (_, public) = app
        .call(Method::GET, "/api/developer/api-pricing/credit-packs", None, None)
        .await;
    assert_eq!(public["packs"].as_array().unwrap().len(), 3);
    assert_eq!(
        app.call(Method::DELETE, &pack_path, Some(&admin), None).await,
        (200, json!({ "success": true }))
    );
    assert_eq!(
        app.call(Method::DELETE, &pack_path, Some(&admin), None).await.0,
        404
    );
    assert_eq!(
        app.call(Method::DELETE, "/api/admin/credit-packs/x", Some(&admin), None)
            .await
            .0,
        400
    );
    app.stop().await;
}
