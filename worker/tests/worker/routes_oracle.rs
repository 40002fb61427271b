//! The AI oracle routes: shapes, the original's cache keys, unconfigured and failing model,
//! and the per-caller hourly limit (failing open without Redis).

use neptu_shared::domain::enums::Role;
use neptu_shared::domain::oracle;
use neptu_shared::testing::closed_port;
use neptu_wariga::{self as wariga, CivilDate};
use serde_json::{Value, json};

use crate::fakes::Answer;
use crate::harness;

fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

#[tokio::test]
async fn questions_are_answered_once_then_served_from_the_cache() {
    let w = harness::spawn().await;
    let ask =
        json!({ "question": "Is this a good week to travel?", "birthDate": "1990-05-15", "language": "en" });
    let r = w.post("/api/oracle", ask.clone()).await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body,
        json!({ "success": true, "message": "The stars favour a quiet start.", "cached": false, "tokensUsed": 42 })
    );
    let again: Value = w.post("/api/oracle", ask).await.json().await.unwrap();
    assert_eq!(again["cached"], true);
    assert_eq!(again["message"], body["message"]);
    assert_eq!(w.fake.hits("azure"), 1);

    // The original's key: shared by everyone with the same wuku and urip asking the same.
    let birth = wariga::potensi(CivilDate::parse("1990-05-15").unwrap());
    let key = oracle::question_key(&birth, None, "is this a good week to travel?", "en");
    assert!(key.starts_with("oracle:") && key.contains(":potensi:"));
    assert_eq!(
        w.cache().get(&key).await.as_deref(),
        Some("The stars favour a quiet start.")
    );
    // The prompt carries the reading and the question.
    let sent = w.fake.writes("completion");
    let user = sent[0].1["messages"][1]["content"].as_str().unwrap().to_owned();
    assert!(user.contains("MERAKIH") && user.contains("good week to travel"));
    w.stop().await;
}

#[tokio::test]
async fn daily_interpret_and_compatibility_keep_their_shapes_and_keys() {
    let w = harness::spawn().await;
    let daily: Value = w
        .get("/api/oracle/daily/1990-05-15?language=id")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(daily["success"], true);
    assert_eq!(daily["date"], today());
    assert_eq!(daily["cached"], false);
    assert!(
        w.cache()
            .get(&format!("daily:1990-05-15:{}:id", today()))
            .await
            .is_some()
    );
    let system = w.fake.writes("completion")[0].1["messages"][0]["content"].clone();
    assert!(system.as_str().unwrap().contains("Respond ONLY in Indonesian"));

    let body = json!({ "birthDate": "1990-05-15", "targetDate": "2026-12-01" });
    let interpret: Value = w
        .post("/api/oracle/interpret", body.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        interpret,
        json!({ "success": true, "interpretation": "The stars favour a quiet start.", "date": "2026-12-01", "cached": false })
    );
    assert!(
        w.cache()
            .get("interpret:1990-05-15:2026-12-01:en")
            .await
            .is_some()
    );
    assert_eq!(
        w.post("/api/oracle/interpret", body)
            .await
            .json::<Value>()
            .await
            .unwrap()["cached"],
        true
    );

    let pair = json!({ "birthDate1": "1990-05-15", "birthDate2": "1992-08-01", "language": "fr" });
    let compat: Value = w
        .post("/api/oracle/compatibility", pair)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (compat["success"].as_bool(), compat["cached"].as_bool()),
        (Some(true), Some(false))
    );
    assert!(w.cache().get("compat:1990-05-15:1992-08-01:fr").await.is_some());
    w.stop().await;
}

#[tokio::test]
async fn bad_input_is_a_400_and_no_model_is_a_503() {
    let w = harness::spawn().await;
    let cases = [
        (
            "/api/oracle",
            json!({ "birthDate": "1990-05-15" }),
            "question and birthDate are required",
        ),
        (
            "/api/oracle",
            json!({ "question": "x", "birthDate": "1990-13-01" }),
            "Invalid date format. Use YYYY-MM-DD",
        ),
        (
            "/api/oracle/interpret",
            json!({ "birthDate": "1990-05-15" }),
            "birthDate and targetDate are required",
        ),
        (
            "/api/oracle/compatibility",
            json!({ "birthDate1": "1990-05-15" }),
            "birthDate1 and birthDate2 are required",
        ),
    ];
    for (path, body, error) in cases {
        let r = w.post(path, body).await;
        assert_eq!(r.status(), 400, "{path}");
        assert_eq!(r.json::<Value>().await.unwrap()["error"], error);
    }
    let r = w
        .post(
            "/api/oracle",
            json!({ "question": "x", "birthDate": "1990-05-15", "language": "tlh" }),
        )
        .await;
    assert_eq!(r.status(), 400);
    let r = w
        .post(
            "/api/oracle",
            json!({ "question": "x".repeat(1001), "birthDate": "1990-05-15" }),
        )
        .await;
    assert_eq!(r.status(), 400);
    let r = w
        .client
        .post(w.url("/api/oracle"))
        .header("content-type", "application/json")
        .body("{nope")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(w.fake.hits("azure"), 0);
    w.stop().await;

    let w = harness::spawn_with(&[("AZURE_OPENAI_API_KEY", "")]).await;
    let r = w
        .post(
            "/api/oracle",
            json!({ "question": "x", "birthDate": "1990-05-15" }),
        )
        .await;
    assert_eq!(r.status(), 503);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"],
        "AI oracle not configured"
    );
    assert_eq!(w.get("/api/oracle/daily/1990-05-15").await.status(), 503);
    w.stop().await;
}

#[tokio::test]
async fn model_failures_are_reported_and_not_cached() {
    let w = harness::spawn().await;
    w.fake
        .script("azure", vec![Answer::Status(500), Answer::Malformed]);
    let ask = json!({ "question": "Will it work?", "birthDate": "1990-05-15" });
    let r = w.post("/api/oracle", ask.clone()).await;
    assert_eq!(r.status(), 502);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "Failed to get oracle response");
    assert_eq!(body["message"], "Azure OpenAI returned 500");
    assert_eq!(w.post("/api/oracle", ask.clone()).await.status(), 502);
    let ok: Value = w.post("/api/oracle", ask).await.json().await.unwrap();
    assert_eq!(ok["cached"], false, "failures left nothing in the cache");
    w.stop().await;
}

#[tokio::test]
async fn fresh_answers_are_limited_per_caller_per_hour() {
    let w = harness::spawn_with(&[("ORACLE_RATE_LIMIT_PER_HOUR", "2")]).await;
    let ask = |q: &str| json!({ "question": q, "birthDate": "1990-05-15" });
    assert_eq!(w.post("/api/oracle", ask("one")).await.status(), 200);
    assert_eq!(w.post("/api/oracle", ask("two")).await.status(), 200);
    let r = w.post("/api/oracle", ask("three")).await;
    assert_eq!(r.status(), 429);
    let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=3600).contains(&retry));
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["success"], false);
    assert_eq!(body["retryAfter"], retry);
    assert_eq!(w.fake.hits("azure"), 2);
    // A cached answer costs nothing, so it is still served.
    assert_eq!(w.post("/api/oracle", ask("one")).await.status(), 200);

    // A signed-in wallet has its own quota, whatever address it comes from.
    let token = w.token("Wa11etOfAlice1111111111111111111111111111111", Role::User);
    let r = w
        .client
        .post(w.url("/api/oracle"))
        .bearer_auth(&token)
        .json(&ask("four"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // A bad token is just anonymous: counted by address, which is spent.
    let r = w
        .client
        .post(w.url("/api/oracle"))
        .bearer_auth("not-a-token")
        .json(&ask("five"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    w.stop().await;
}

#[tokio::test]
async fn without_redis_the_limit_fails_open() {
    let down = format!("redis://{}", closed_port());
    let w = harness::spawn_with(&[("REDIS_URL", &down), ("ORACLE_RATE_LIMIT_PER_HOUR", "1")]).await;
    for q in ["a", "b", "c"] {
        let r = w
            .post("/api/oracle", json!({ "question": q, "birthDate": "1990-05-15" }))
            .await;
        assert_eq!(r.status(), 200, "uncounted requests go through");
    }
    assert_eq!(w.fake.hits("azure"), 3);
    w.stop().await;
}

#[tokio::test]
async fn fresh_wallets_from_one_address_share_its_quota() {
    let w = harness::spawn_with(&[
        ("ORACLE_RATE_LIMIT_PER_HOUR", "2"),
        ("ORACLE_RATE_LIMIT_PER_ADDRESS_PER_HOUR", "3"),
    ])
    .await;
    let ask = |token: &str, q: &str| {
        w.client
            .post(w.url("/api/oracle"))
            .bearer_auth(token)
            .json(&json!({ "question": q, "birthDate": "1990-05-15" }))
            .send()
    };
    let first = w.token("Wa11etOfFresh1111111111111111111111111111111", Role::User);
    let second = w.token("Wa11etOfFresh2222222222222222222222222222222", Role::User);
    assert_eq!(ask(&first, "one").await.unwrap().status(), 200);
    assert_eq!(ask(&first, "two").await.unwrap().status(), 200);
    assert_eq!(
        ask(&first, "three").await.unwrap().status(),
        429,
        "the wallet's own quota"
    );
    assert_eq!(ask(&second, "four").await.unwrap().status(), 200);
    // A second wallet's quota is not spent, but the address's is.
    let r = ask(&second, "five").await.unwrap();
    assert_eq!(r.status(), 429);
    let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=3600).contains(&retry));
    let third = w.token("Wa11etOfFresh3333333333333333333333333333333", Role::User);
    assert_eq!(ask(&third, "six").await.unwrap().status(), 429);
    assert_eq!(w.fake.hits("azure"), 3);
    // Cached answers still cost nothing.
    assert_eq!(ask(&third, "one").await.unwrap().status(), 200);
    w.stop().await;
}
