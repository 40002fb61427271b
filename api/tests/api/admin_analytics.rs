//! `/api/admin/analytics/*` on fixture usage rows, and the developer-platform blocks of
//! `/api/admin/stats`.

use chrono::{Duration, Utc};
use neptu_shared::db::api_payments::{self, NewApiPayment};
use neptu_shared::db::{api_packs, api_plans, api_subscriptions};
use neptu_shared::domain::enums::{ApiPaymentKind, PaymentType, Role, SubscriptionStatus};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::fixtures::{assert_keys, at, call, record, stored_key, subscribe};
use crate::spawn_app;

/// `[date, totalCalls, basicCalls, aiCalls, creditsUsed]` of each bucket.
fn buckets(answer: &Value) -> Vec<(String, i64, i64, i64, i64)> {
    answer["analytics"]
        .as_array()
        .unwrap_or_else(|| panic!("{answer}"))
        .iter()
        .map(|b| {
            assert_keys(b, &["date", "totalCalls", "basicCalls", "aiCalls", "creditsUsed"]);
            let n = |k: &str| b[k].as_i64().unwrap();
            (
                b["date"].as_str().unwrap().to_owned(),
                n("totalCalls"),
                n("basicCalls"),
                n("aiCalls"),
                n("creditsUsed"),
            )
        })
        .collect()
}

fn row(date: &str, total: i64, basic: i64, ai: i64, credits: i64) -> (String, i64, i64, i64, i64) {
    (date.to_owned(), total, basic, ai, credits)
}

#[tokio::test]
async fn usage_analytics_by_day_week_and_month() {
    let app = spawn_app().await;
    let (_, admin) = app.user_with_role(1, Role::Admin).await;
    let (alice, _) = app.user(2).await;
    let key = stored_key(&app, alice.id).await;
    let basic = |t: &str| call(key, at(t), false, 1, 10, "/api/v1/reading/potensi");
    let ai = |t: &str| call(key, at(t), true, 10, 100, "/api/v1/oracle");
    record(
        &app,
        &[
            basic("2026-02-28T23:59:59Z"), // the day before the window
            basic("2026-03-01T23:59:59Z"), // Sunday: the ISO week of Monday 23 February
            ai("2026-03-02T00:00:00Z"),    // Monday: a new week
            basic("2026-03-02T12:00:00Z"),
            basic("2026-03-29T10:00:00Z"), // Sunday
            basic("2026-03-30T00:00:00Z"), // Monday: a week that straddles the month end
            ai("2026-03-31T23:59:59.999Z"),
            basic("2026-04-01T00:00:00Z"),
            basic("2026-04-05T23:59:59Z"), // the last day of the window, included whole
            basic("2026-04-06T00:00:00Z"), // the day after
        ],
    )
    .await;
    let window = "/api/admin/analytics/usage?startDate=2026-03-01&endDate=2026-04-05";

    let (status, answer) = app.get_as(window, &admin).await;
    assert_eq!(status, 200, "{answer}");
    assert_keys(&answer, &["success", "analytics"]);
    assert_eq!(
        buckets(&answer),
        [
            row("2026-03-01", 1, 1, 0, 1),
            row("2026-03-02", 2, 1, 1, 11),
            row("2026-03-29", 1, 1, 0, 1),
            row("2026-03-30", 1, 1, 0, 1),
            row("2026-03-31", 1, 0, 1, 10),
            row("2026-04-01", 1, 1, 0, 1),
            row("2026-04-05", 1, 1, 0, 1),
        ]
    );
    assert_eq!(
        answer,
        app.get_as(&format!("{window}&groupBy=day"), &admin).await.1
    );
    let (_, answer) = app.get_as(&format!("{window}&groupBy=week"), &admin).await;
    assert_eq!(
        buckets(&answer),
        [
            row("2026-02-23", 1, 1, 0, 1),
            row("2026-03-02", 2, 1, 1, 11),
            row("2026-03-23", 1, 1, 0, 1),
            row("2026-03-30", 4, 3, 1, 13),
        ]
    );
    let (_, answer) = app.get_as(&format!("{window}&groupBy=month"), &admin).await;
    assert_eq!(
        buckets(&answer),
        [row("2026-03", 6, 4, 2, 24), row("2026-04", 2, 2, 0, 2)]
    );
    let (_, answer) = app
        .get_as(
            "/api/admin/analytics/usage?startDate=2026-04-06&endDate=2026-04-06&groupBy=week",
            &admin,
        )
        .await;
    assert_eq!(buckets(&answer), [row("2026-04-06", 1, 1, 0, 1)]);
    let (_, answer) = app
        .get_as(
            "/api/admin/analytics/usage?startDate=2025-01-01&endDate=2025-12-31",
            &admin,
        )
        .await;
    assert_eq!(answer, json!({ "success": true, "analytics": [] }));

    for bad in [
        "",
        "?startDate=2026-03-01",
        "?endDate=2026-03-01",
        "?startDate=2026-02-30&endDate=2026-03-01",
        "?startDate=2026-3-1&endDate=2026-03-02",
        "?startDate=2026-03-01T00:00:00Z&endDate=2026-03-02",
        "?startDate=2026-03-05&endDate=2026-03-01",
        "?startDate=2026-03-01&endDate=2026-03-02&groupBy=year",
        "?startDate=2026-03-01&endDate=2026-03-02&groupBy=",
    ] {
        let (status, answer) = app
            .get_as(&format!("/api/admin/analytics/usage{bad}"), &admin)
            .await;
        assert_eq!(
            (status, &answer["success"]),
            (400, &json!(false)),
            "{bad}: {answer}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn the_most_called_endpoints() {
    let app = spawn_app().await;
    let (_, admin) = app.user_with_role(1, Role::Admin).await;
    let (alice, _) = app.user(2).await;
    let key = stored_key(&app, alice.id).await;
    let now = Utc::now();
    let mut rows = Vec::new();
    for (endpoint, method, times) in [
        ("/api/v1/reading/peluang", "GET", &[10, 11][..]),
        ("/api/v1/reading/potensi", "GET", &[4, 4, 5][..]),
        ("/api/v1/reading/compatibility", "POST", &[30][..]),
    ] {
        for ms in times {
            let mut r = call(key, now, false, 1, *ms, endpoint);
            r.method = method.into();
            rows.push(r);
        }
    }
    // Twelve endpoints with one call each: only ten endpoints are listed.
    for i in 0..12 {
        rows.push(call(
            key,
            now - Duration::minutes(1),
            false,
            1,
            1,
            &format!("/api/v1/extra/{i:02}"),
        ));
    }
    record(&app, &rows).await;
    let (status, answer) = app.get_as("/api/admin/analytics/endpoints", &admin).await;
    assert_eq!(status, 200, "{answer}");
    assert_keys(&answer, &["success", "endpoints"]);
    let endpoints = answer["endpoints"].as_array().unwrap();
    assert_eq!(endpoints.len(), 10);
    assert_keys(
        &endpoints[0],
        &["endpoint", "method", "totalCalls", "avgResponseTime"],
    );
    assert_eq!(
        endpoints[0],
        json!({ "endpoint": "/api/v1/reading/potensi", "method": "GET", "totalCalls": 3, "avgResponseTime": 4 })
    );
    assert_eq!(
        endpoints[1],
        json!({ "endpoint": "/api/v1/reading/peluang", "method": "GET", "totalCalls": 2, "avgResponseTime": 11 })
    );
    assert_eq!(endpoints[2]["totalCalls"], 1);
    app.stop().await;
}

#[tokio::test]
async fn stats_count_subscriptions_and_usage() {
    let app = spawn_app().await;
    let (_, admin) = app.user_with_role(1, Role::Admin).await;
    let (_, answer) = app.get_as("/api/admin/stats", &admin).await;
    assert_keys(&answer["stats"], &["users", "readings", "subscriptions", "usage"]);
    assert_eq!(
        answer["stats"]["subscriptions"],
        json!({ "total": 0, "active": 0, "cancelled": 0, "expired": 0, "totalRevenue": 0.0 })
    );
    assert_eq!(
        answer["stats"]["usage"],
        json!({ "totalCalls": 0, "todayCalls": 0, "totalCreditsUsed": 0, "avgResponseTime": 0 })
    );

    let (alice, _) = app.user(2).await;
    let (bob, _) = app.user(3).await;
    let (carol, _) = app.user(4).await;
    subscribe(&app, alice.id, "api-starter", Duration::days(1)).await;
    api_subscriptions::cancel_active(&app.db.pool, alice.id)
        .await
        .unwrap();
    let current = subscribe(&app, alice.id, "api-pro", Duration::days(30)).await;
    subscribe(&app, bob.id, "api-pro", Duration::days(30)).await;
    let ended = subscribe(&app, carol.id, "api-starter", Duration::days(30)).await;
    api_subscriptions::admin_update(&app.db.pool, ended.id, Some(SubscriptionStatus::Expired), None)
        .await
        .unwrap();
    let pro = api_plans::find_by_slug(&app.db.pool, "api-pro")
        .await
        .unwrap()
        .unwrap();
    let growth = api_packs::find_by_slug(&app.db.pool, "growth-pack")
        .await
        .unwrap()
        .unwrap();
    for (signature, kind, plan_id, pack_id) in [
        ("sig-plan", ApiPaymentKind::Subscription, Some(pro.id), None),
        ("sig-pack", ApiPaymentKind::Credits, None, Some(growth.id)),
    ] {
        let payment = NewApiPayment {
            tx_signature: signature.into(),
            user_id: alice.id,
            kind,
            plan_id,
            pack_id,
            payment_method: PaymentType::Sol,
            amount: Decimal::new(4, 1),
        };
        api_payments::insert(&app.db.pool, &payment, Some(current.id))
            .await
            .unwrap();
    }

    let key = stored_key(&app, alice.id).await;
    let now = Utc::now();
    record(
        &app,
        &[
            call(key, now, false, 1, 10, "/api/v1/reading/potensi"),
            call(key, now, true, 10, 15, "/api/v1/oracle"),
            call(
                key,
                now - Duration::days(40),
                false,
                1,
                20,
                "/api/v1/reading/potensi",
            ),
        ],
    )
    .await;
    let (status, answer) = app.get_as("/api/admin/stats", &admin).await;
    assert_eq!(status, 200);
    let stats = &answer["stats"];
    assert_eq!(
        stats["subscriptions"],
        json!({ "total": 4, "active": 2, "cancelled": 1, "expired": 1, "totalRevenue": 120.0 })
    );
    // 10, 15 and 20 ms average to 15.
    assert_eq!(
        stats["usage"],
        json!({ "totalCalls": 3, "todayCalls": 2, "totalCreditsUsed": 12, "avgResponseTime": 15 })
    );
    assert_eq!(stats["users"]["total"], 4);
    app.stop().await;
}
