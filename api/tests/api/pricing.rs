use neptu_shared::domain::enums::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::spawn_app;

fn plan(slug: &str) -> Value {
    json!({
        "name": "Gold", "slug": slug, "priceUsd": 49.5, "priceSudigital": 12,
        "features": ["Everything"],
        "limits": { "dailyReadings": -1, "oracleChats": -1, "customReadings": 3, "advancedInsights": true, "prioritySupport": true },
        "sortOrder": 5
    })
}

#[tokio::test]
async fn public_reads_and_admin_crud() {
    let app = spawn_app().await;
    let (_, admin) = app.user_with_role(1, Role::Admin).await;
    let (_, user) = app.user(2).await;

    let (_, body) = app.call(Method::GET, "/api/pricing", None, None).await;
    assert_eq!(body, json!({ "success": true, "plans": [] }));
    assert_eq!(app.post_as("/api/pricing/seed", &user, json!({})).await.0, 403);
    assert_eq!(
        app.call(Method::POST, "/api/pricing/seed", None, None).await.0,
        401
    );
    let (status, body) = app.post_as("/api/pricing/seed", &admin, json!({})).await;
    assert_eq!((status, body["message"].as_str()), (200, Some("Plans seeded")));
    let (_, body) = app.call(Method::GET, "/api/pricing", None, None).await;
    let slugs: Vec<_> = body["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        slugs,
        ["free", "basic", "premium"],
        "the cache was cleared by the seed"
    );
    let basic = &body["plans"][1];
    for key in [
        "id",
        "name",
        "slug",
        "description",
        "priceUsd",
        "priceSol",
        "priceNeptu",
        "priceSudigital",
        "features",
        "limits",
        "isActive",
        "isPopular",
        "sortOrder",
        "createdAt",
        "updatedAt",
    ] {
        assert!(basic.get(key).is_some(), "PricingPlanDTO.{key}");
    }
    assert_eq!(
        (basic["priceUsd"].as_f64(), basic["isPopular"].as_bool()),
        (Some(9.99), Some(true))
    );

    let (status, body) = app.post_as("/api/pricing/admin", &admin, plan("gold")).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        body["plan"]["priceSudigital"].as_f64(),
        Some(12.0),
        "priceSudigital is kept"
    );
    assert_eq!(
        (
            body["plan"]["isActive"].as_bool(),
            body["plan"]["isPopular"].as_bool()
        ),
        (Some(true), Some(false))
    );
    let id = body["plan"]["id"].as_str().unwrap().to_owned();
    let (status, body) = app.post_as("/api/pricing/admin", &admin, plan("gold")).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("Plan with this slug already exists"))
    );
    let (status, body) = app
        .post_as(
            "/api/pricing/admin",
            &admin,
            json!({ "name": "", "slug": "Bad Slug", "priceUsd": -1 }),
        )
        .await;
    assert_eq!(status, 400);
    let paths: Vec<_> = body["error"]["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"][0].as_str().unwrap().to_owned())
        .collect();
    for field in ["name", "slug", "priceUsd", "features", "limits"] {
        assert!(paths.contains(&field.to_owned()), "{field} in {paths:?}");
    }
    let (_, listed) = app.call(Method::GET, "/api/pricing", None, None).await;
    assert_eq!(listed["plans"].as_array().unwrap().len(), 4);

    let (status, body) = app
        .call(
            Method::PUT,
            &format!("/api/pricing/admin/{id}"),
            Some(&admin),
            Some(json!({ "isActive": false, "priceSudigital": 15 })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (
            body["plan"]["isActive"].as_bool(),
            body["plan"]["priceSudigital"].as_f64(),
            body["plan"]["name"].as_str()
        ),
        (Some(false), Some(15.0), Some("Gold"))
    );
    let (_, listed) = app.call(Method::GET, "/api/pricing", None, None).await;
    assert_eq!(
        listed["plans"].as_array().unwrap().len(),
        3,
        "inactive plans are not listed"
    );
    let (status, body) = app.call(Method::GET, "/api/pricing/gold", None, None).await;
    assert_eq!(
        (status, body["plan"]["isActive"].as_bool()),
        (200, Some(false)),
        "but can be read by slug"
    );
    let (_, all) = app.get_as("/api/pricing/admin/all", &admin).await;
    assert_eq!(all["plans"].as_array().unwrap().len(), 4);
    let (status, _) = app
        .call(
            Method::PUT,
            &format!("/api/pricing/admin/{id}"),
            Some(&admin),
            Some(json!({ "slug": "basic" })),
        )
        .await;
    assert_eq!(status, 400, "slug taken");

    let (status, body) = app
        .call(
            Method::DELETE,
            &format!("/api/pricing/admin/{id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!((status, body["message"].as_str()), (200, Some("Plan deleted")));
    let (status, body) = app
        .call(
            Method::DELETE,
            &format!("/api/pricing/admin/{id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!((status, body["error"].as_str()), (404, Some("Plan not found")));
    assert_eq!(
        app.call(Method::GET, "/api/pricing/nope", None, None).await.0,
        404
    );
    assert_eq!(
        app.call(
            Method::DELETE,
            "/api/pricing/admin/not-a-uuid",
            Some(&admin),
            None
        )
        .await
        .0,
        400
    );
    app.stop().await;
}
