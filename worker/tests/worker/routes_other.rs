//! `/api/daily`, the forum stats routes, `/api/jobs` and `/ready`'s view of outside services.

use neptu_shared::domain::enums::Role;
use serde_json::{Value, json};

use crate::fakes::Answer;
use crate::harness::{self, slot};

#[tokio::test]
async fn daily_reading_route_reads_the_store_then_the_cache() {
    let w = harness::spawn().await;
    let r = w.get("/api/daily/2026-11-26").await;
    assert_eq!(r.status(), 404);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"],
        "Daily reading not found"
    );
    for bad in ["2026-02-30", "26-11-2026", "today"] {
        let r = w.get(&format!("/api/daily/{bad}")).await;
        assert_eq!(r.status(), 400, "{bad}");
        assert_eq!(
            r.json::<Value>().await.unwrap()["error"],
            "Invalid date format. Use YYYY-MM-DD"
        );
    }

    w.run_job("daily_tasks", slot(0, 0)).await.unwrap();
    w.cache().delete("daily:2026-11-26").await.unwrap();
    let body: Value = w.get("/api/daily/2026-11-26").await.json().await.unwrap();
    assert_eq!(body["date"], "2026-11-26");
    assert_eq!(body["type"], "peluang");
    assert!(body["readingData"]["wuku"]["name"].is_string());
    assert!(body["createdAt"].as_str().unwrap().ends_with('Z'));
    // Served from the cache now, even with the row gone.
    sqlx::query("DELETE FROM daily_readings")
        .execute(&w.state.db)
        .await
        .unwrap();
    let again: Value = w.get("/api/daily/2026-11-26").await.json().await.unwrap();
    assert_eq!(again, body);
    w.stop().await;
}

#[tokio::test]
async fn forum_stats_have_the_original_shapes_and_are_cached_five_minutes() {
    let w = harness::spawn().await;
    let votes: Value = w.get("/api/colosseum/project-votes").await.json().await.unwrap();
    assert_eq!(
        (
            votes["humanVotes"].as_i64(),
            votes["agentVotes"].as_i64(),
            votes["totalVotes"].as_i64()
        ),
        (Some(12), Some(30), Some(42))
    );
    assert_eq!(
        (votes["projectName"].as_str(), votes["projectSlug"].as_str()),
        (Some("Neptu"), Some("neptu"))
    );
    assert!(votes["updatedAt"].as_str().unwrap().ends_with('Z'));
    let again: Value = w.get("/api/colosseum/project-votes").await.json().await.unwrap();
    assert_eq!(again, votes);
    assert_eq!(
        w.fake.hits("project_page"),
        1,
        "the second answer came from the cache"
    );

    w.cache()
        .put(
            "analytics:2026-11-25",
            &json!({ "post_created": { "total": 2 }, "comment_posted": { "total": 5 }, "vote_cast": { "total": 7 } })
                .to_string(),
            None,
        )
        .await
        .unwrap();
    let stats: Value = w.get("/api/colosseum/agent-stats").await.json().await.unwrap();
    assert_eq!(stats["agent"]["displayName"], "Neptu AI");
    assert_eq!(stats["agent"]["xUsername"], "sudiarth");
    assert_eq!(stats["project"]["totalVotes"], 42);
    assert_eq!(
        stats["projectUrl"],
        "https://colosseum.com/agent-hackathon/projects/neptu"
    );
    assert!(stats["stats"]["posts"].is_u64() && stats["stats"]["mentions"].is_u64());
    w.stop().await;
}

#[tokio::test]
async fn forum_stats_report_upstream_failures_as_json() {
    let w = harness::spawn_with(&[("COLOSSEUM_API_KEY", "")]).await;
    // A 404 is the service answering (no retry); a malformed page is a failure.
    w.fake
        .script("project_page", vec![Answer::Status(404), Answer::Malformed]);
    let r = w.get("/api/colosseum/project-votes").await;
    assert_eq!(r.status(), 502);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"],
        "Failed to fetch vote data"
    );
    let r = w.get("/api/colosseum/agent-stats").await;
    assert_eq!(r.status(), 502);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"],
        "Failed to fetch agent stats"
    );
    // The public project page needs no key: the route works without one.
    let r = w.get("/api/colosseum/project-votes").await;
    assert_eq!(r.status(), 200);
    w.stop().await;
}

#[tokio::test]
async fn the_jobs_route_is_for_admins_and_lists_schedules_and_runs() {
    let w = harness::spawn_with(&[
        ("SCHEDULE_MARKET_REFRESH", "*/10 * * * *"),
        ("SCHEDULE_FORUM_REPLIES", "0 */3 * * * *"),
        ("COLOSSEUM_API_KEY", ""),
    ])
    .await;
    assert_eq!(w.get("/api/jobs").await.status(), 401);
    let user = w.token("UserWa11et111111111111111111111111111111111", Role::User);
    let r = w
        .client
        .get(w.url("/api/jobs"))
        .bearer_auth(user)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    w.run_job("market_refresh", slot(9, 10)).await.unwrap();
    let r = w
        .client
        .get(w.url("/api/jobs?limit=5"))
        .bearer_auth(w.admin_token())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["runtime"], "running");
    let job = |name: &str| {
        body["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|j| j["job"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} missing"))
    };
    let market = job("market_refresh");
    assert_eq!(market["enabled"], true);
    assert_eq!(market["schedule"], "0 */10 * * * *");
    assert_eq!(market["nextFires"].as_array().unwrap().len(), 3);
    assert_eq!(market["recentRuns"][0]["status"], "succeeded");
    assert_eq!(market["recentRuns"][0]["slot"], "2026-11-25T09:10:00.000Z");
    assert_eq!(market["recentRuns"][0]["attempts"], 1);
    let replies = job("forum_replies");
    assert_eq!(replies["enabled"], false);
    assert_eq!(replies["disabledReason"], "COLOSSEUM_API_KEY is not set");
    assert!(
        job("daily_tasks")["disabledReason"]
            .as_str()
            .unwrap()
            .contains("off")
    );
    assert_eq!(body["clients"]["coingecko"]["requests"], 1);

    let r = w
        .client
        .get(w.url("/api/jobs?limit=0"))
        .bearer_auth(w.admin_token())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    w.stop().await;
}

#[tokio::test]
async fn ready_says_which_outside_service_is_failing_without_going_unready() {
    let w = harness::spawn_with(&[("COLOSSEUM_API_KEY", ""), ("AZURE_OPENAI_API_KEY", "")]).await;
    let ready: Value = w.get("/ready").await.json().await.unwrap();
    assert_eq!(ready["status"], "ready");
    assert_eq!(
        ready["checks"]["outside"],
        json!({ "coingecko": "ok", "azureOpenAi": "not_configured", "colosseum": "not_configured" })
    );

    // CoinGecko fails three times in a row: its breaker opens.
    w.fake.script("markets", vec![Answer::Status(503); 3]);
    assert!(w.run_job("market_refresh", slot(9, 0)).await.is_err());
    let r = w.get("/ready").await;
    assert_eq!(r.status(), 200, "the worker still serves");
    let ready: Value = r.json().await.unwrap();
    assert_eq!(ready["status"], "degraded");
    assert_eq!(ready["checks"]["outside"]["coingecko"], "unavailable");
    assert_eq!(ready["checks"]["jobs"], "ok");
    // Routes that need no outside service keep answering.
    assert_eq!(w.get("/api/crypto/birthdays").await.status(), 200);
    w.stop().await;
}

#[tokio::test]
async fn with_every_outside_service_down_the_worker_serves_and_writes_nothing_half_way() {
    let dead = format!("http://{}", neptu_shared::testing::closed_port());
    let w = harness::spawn_with(&[
        ("COINGECKO_API_URL", &dead),
        ("AZURE_OPENAI_ENDPOINT", &dead),
        ("COLOSSEUM_API_URL", &dead),
    ])
    .await;
    // Jobs fail, are recorded for a retry, and leave nothing behind.
    let error = w.run_job("market_refresh", slot(9, 0)).await.unwrap_err();
    assert!(error.contains("connection failed"), "{error}");
    assert!(w.run_job("forum_replies", slot(9, 3)).await.is_err());
    assert_eq!(w.run_row("forum_replies", slot(9, 3)).await.status, "retrying");
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM crypto_market")
        .fetch_one(&w.state.db)
        .await
        .unwrap();
    assert_eq!(rows, 0);
    // Routes that need an outside service say so; the others answer as usual.
    for _ in 0..3 {
        let r = w
            .post(
                "/api/oracle",
                json!({ "question": "?", "birthDate": "1990-05-15" }),
            )
            .await;
        assert_eq!(r.status(), 502);
    }
    let r = w
        .post(
            "/api/oracle",
            json!({ "question": "?", "birthDate": "1990-05-15" }),
        )
        .await;
    assert_eq!(r.status(), 503, "the breaker is open");
    // The chart calls have a breaker of their own: the market's failures leave it closed,
    // their own (three tries of one call) open it.
    assert_eq!(w.get("/api/crypto/chart/bitcoin?days=7").await.status(), 502);
    assert_eq!(w.get("/api/crypto/chart/bitcoin?days=7").await.status(), 503);
    assert_eq!(w.get("/api/colosseum/project-votes").await.status(), 502);
    assert_eq!(w.get("/api/crypto/market").await.status(), 200);
    assert_eq!(w.get("/api/crypto/cosmic/1990-05-15").await.status(), 200);

    let r = w.get("/ready").await;
    assert_eq!(r.status(), 200);
    let ready: Value = r.json().await.unwrap();
    assert_eq!(ready["status"], "degraded");
    assert_eq!(
        ready["checks"]["outside"],
        json!({ "coingecko": "unavailable", "azureOpenAi": "unavailable", "colosseum": "unavailable" })
    );
    assert_eq!(
        (
            ready["checks"]["database"].as_str(),
            ready["checks"]["jobs"].as_str()
        ),
        (Some("ok"), Some("ok"))
    );
    w.stop().await;
}
