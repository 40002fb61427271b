//! `/api/developer/keys/{keyId}/usage|summary|usage/range` and the public API pricing catalogue.

use chrono::{Duration, Utc};
use neptu_shared::db::api_plans::{self, PlanChanges};
use neptu_shared::domain::developer::month_of;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures::{PACK_FIELDS, PLAN_FIELDS, assert_keys, at, call, create_key, record, subscribe};
use crate::spawn_app;

const USAGE_FIELDS: &[&str] = &[
    "id",
    "apiKeyId",
    "endpoint",
    "method",
    "creditsUsed",
    "isAiEndpoint",
    "responseStatus",
    "responseTimeMs",
    "ipAddress",
    "userAgent",
    "metadata",
    "createdAt",
];
const SUMMARY_FIELDS: &[&str] = &[
    "totalCalls",
    "basicCalls",
    "aiCalls",
    "totalCreditsUsed",
    "averageResponseTimeMs",
    "periodStart",
    "periodEnd",
];
#[tokio::test]
async fn a_keys_usage_history_and_summaries() {
    let app = spawn_app().await;
    let (alice, token) = app.user(1).await;
    let (bob, bob_token) = app.user(2).await;
    subscribe(&app, alice.id, "api-pro", Duration::days(10)).await;
    subscribe(&app, bob.id, "api-pro", Duration::days(10)).await;
    let key = create_key(&app, &token, "ci").await;
    let id: Uuid = key["id"].as_str().unwrap().parse().unwrap();
    let bobs: Uuid = create_key(&app, &bob_token, "other").await["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();

    let (month_start, month_end) = month_of(Utc::now());
    let now = Utc::now();
    record(
        &app,
        &[
            call(id, month_start, false, 1, 10, "/api/v1/reading/potensi"),
            call(id, now - Duration::seconds(2), true, 10, 31, "/api/v1/oracle"),
            call(
                id,
                now - Duration::seconds(1),
                false,
                1,
                20,
                "/api/v1/reading/peluang",
            ),
            // Outside the month.
            call(
                id,
                month_start - Duration::seconds(1),
                false,
                1,
                500,
                "/api/v1/reading/potensi",
            ),
            call(bobs, now, false, 1, 5, "/api/v1/reading/potensi"),
        ],
    )
    .await;

    let base = format!("/api/developer/keys/{id}");
    let (status, answer) = app.get_as(&format!("{base}/usage"), &token).await;
    assert_eq!(status, 200, "{answer}");
    assert_keys(&answer, &["success", "usage"]);
    let usage = answer["usage"].as_array().unwrap();
    assert_eq!(usage.len(), 4, "only this key's rows");
    assert_keys(&usage[0], USAGE_FIELDS);
    assert_eq!(usage[0]["endpoint"], "/api/v1/reading/peluang", "newest first");
    assert_eq!(
        (
            &usage[1]["isAiEndpoint"],
            &usage[1]["creditsUsed"],
            &usage[1]["ipAddress"],
            &usage[1]["responseStatus"]
        ),
        (&json!(true), &json!(10), &json!("203.0.113.7"), &json!(200))
    );
    let (_, answer) = app.get_as(&format!("{base}/usage?limit=2"), &token).await;
    assert_eq!(answer["usage"].as_array().unwrap().len(), 2);
    assert_eq!(
        app.get_as(&format!("{base}/usage?limit=1000"), &token).await.0,
        200
    );
    for bad in ["?limit=1001", "?limit=0", "?limit=-5", "?limit=ten"] {
        assert_eq!(
            app.get_as(&format!("{base}/usage{bad}"), &token).await.0,
            400,
            "{bad}"
        );
    }

    let (status, answer) = app.get_as(&format!("{base}/summary"), &token).await;
    assert_eq!(status, 200, "{answer}");
    assert_keys(&answer, &["success", "summary"]);
    let summary = &answer["summary"];
    assert_keys(summary, SUMMARY_FIELDS);
    assert_eq!(
        [
            &summary["totalCalls"],
            &summary["basicCalls"],
            &summary["aiCalls"],
            &summary["totalCreditsUsed"],
            &summary["averageResponseTimeMs"]
        ],
        [&json!(3), &json!(2), &json!(1), &json!(12), &json!(20)]
    );
    assert_eq!(at(summary["periodStart"].as_str().unwrap()), month_start);
    assert_eq!(at(summary["periodEnd"].as_str().unwrap()), month_end);

    // A day as `end` includes the whole day; instants are taken as they are.
    let last_month = (month_start - Duration::days(1)).date_naive();
    let range = format!("{base}/usage/range?start={last_month}&end={last_month}");
    let (status, answer) = app.get_as(&range, &token).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        (
            &answer["summary"]["totalCalls"],
            &answer["summary"]["averageResponseTimeMs"]
        ),
        (&json!(1), &json!(500))
    );
    let this_month = month_start.date_naive();
    let (_, answer) = app
        .get_as(
            &format!(
                "{base}/usage/range?start={last_month}&end={}",
                (now + Duration::days(1)).date_naive()
            ),
            &token,
        )
        .await;
    assert_eq!(answer["summary"]["totalCalls"], 4);
    let instant = month_start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (_, answer) = app
        .get_as(
            &format!("{base}/usage/range?start={last_month}&end={instant}"),
            &token,
        )
        .await;
    assert_eq!(
        answer["summary"]["totalCalls"], 1,
        "an instant end is excluded: {answer}"
    );

    for (query, message) in [
        ("", Some("Start and end dates required")),
        (
            &*format!("?start={this_month}"),
            Some("Start and end dates required"),
        ),
        ("?start=&end=", Some("Start and end dates required")),
        ("?start=yesterday&end=2026-01-01", None),
        ("?start=2026-01-01&end=2026-02-30", None),
        ("?start=2026-02-01&end=2026-01-01", None),
    ] {
        let (status, answer) = app.get_as(&format!("{base}/usage/range{query}"), &token).await;
        assert_eq!(status, 400, "{query}: {answer}");
        if let Some(message) = message {
            assert_eq!(answer["error"], message, "{query}");
        }
    }

    // Another user's key, or none, is not found; a malformed id is a bad request.
    for path in [
        format!("{base}/usage"),
        format!("{base}/summary"),
        format!("{base}/usage/range?start=2026-01-01&end=2026-01-02"),
    ] {
        let (status, answer) = app.get_as(&path, &bob_token).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (404, Some("API key not found")),
            "{path}"
        );
    }
    let missing = Uuid::new_v4();
    assert_eq!(
        app.get_as(&format!("/api/developer/keys/{missing}/summary"), &token)
            .await
            .0,
        404
    );
    assert_eq!(app.get_as("/api/developer/keys/123/usage", &token).await.0, 400);
    app.stop().await;
}

#[tokio::test]
async fn the_public_catalogue_lists_what_is_on_sale() {
    let app = spawn_app().await;
    let (status, answer) = app
        .call(Method::GET, "/api/developer/api-pricing/plans", None, None)
        .await;
    assert_eq!(status, 200);
    assert_keys(&answer, &["success", "plans"]);
    let slugs: Vec<_> = answer["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        slugs,
        ["api-starter", "api-pro", "api-business", "api-enterprise"]
    );
    let pro = &answer["plans"][1];
    assert_keys(pro, PLAN_FIELDS);
    assert_eq!(
        pro["limits"],
        json!({ "basicCalls": 10000, "aiCalls": 1000, "rateLimit": 120 })
    );
    assert_keys(
        &pro["overageRates"],
        &["basicCallNeptu", "basicCallSol", "aiCallNeptu", "aiCallSol"],
    );
    assert_eq!(
        (&pro["priceUsd"], &pro["isPopular"]),
        (&json!(60.0), &json!(true))
    );

    let (status, answer) = app
        .call(
            Method::GET,
            "/api/developer/api-pricing/plans/api-pro",
            None,
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_keys(&answer, &["success", "plan"]);
    assert_eq!(answer["plan"]["tier"], "pro");

    // A switched-off plan is not on sale any more.
    let business = api_plans::find_by_slug(&app.db.pool, "api-business")
        .await
        .unwrap()
        .unwrap();
    let off = PlanChanges {
        is_active: Some(false),
        ..PlanChanges::default()
    };
    api_plans::update(&app.db.pool, business.id, &off).await.unwrap();
    let (_, answer) = app
        .call(Method::GET, "/api/developer/api-pricing/plans", None, None)
        .await;
    assert_eq!(answer["plans"].as_array().unwrap().len(), 3);
    for slug in ["api-business", "nope"] {
        let (status, answer) = app
            .call(
                Method::GET,
                &format!("/api/developer/api-pricing/plans/{slug}"),
                None,
                None,
            )
            .await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (404, Some("Plan not found")),
            "{slug}"
        );
    }

    let (status, answer) = app
        .call(Method::GET, "/api/developer/api-pricing/credit-packs", None, None)
        .await;
    assert_eq!(status, 200);
    assert_keys(&answer, &["success", "packs"]);
    let packs = answer["packs"].as_array().unwrap();
    let slugs: Vec<&str> = packs.iter().map(|p| p["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["starter-pack", "growth-pack", "scale-pack"]);
    assert_keys(&packs[1], PACK_FIELDS);
    assert_eq!(
        (&packs[1]["credits"], &packs[1]["bonusPercent"]),
        (&json!(5000), &json!(10))
    );
    let (status, answer) = app
        .call(
            Method::GET,
            "/api/developer/api-pricing/credit-packs/growth-pack",
            None,
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_keys(&answer, &["success", "pack"]);
    let (status, answer) = app
        .call(
            Method::GET,
            "/api/developer/api-pricing/credit-packs/gold-pack",
            None,
            None,
        )
        .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (404, Some("Credit pack not found"))
    );
    assert_eq!(answer.get("pack"), None::<&Value>);
    app.stop().await;
}
