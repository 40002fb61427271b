//! The market refresh and daily readings jobs, one attempt at a time.

use std::time::Duration;

use neptu_shared::db::{daily_readings, sign_in_nonces};
use serde_json::json;

use crate::fakes::Answer;
use crate::harness::{self, slot};

async fn count(w: &harness::TestWorker, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
        .fetch_one(&w.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn market_refresh_stores_all_coins_and_its_run_in_one_transaction() {
    let w = harness::spawn().await;
    w.run_job("market_refresh", slot(9, 10)).await.unwrap();
    assert_eq!(count(&w, "crypto_market").await, 13);
    assert_eq!(count(&w, "crypto_market_history").await, 13);
    let run = w.run_row("market_refresh", slot(9, 10)).await;
    assert_eq!((run.status.as_str(), run.attempts), ("succeeded", 1));
    assert_eq!(run.outcome, Some(json!({ "coinsUpdated": 13 })));
    assert!(run.duration_ms.is_some() && run.finished_at.is_some());

    // The next slot upserts the same 13 coins and appends 13 more history rows.
    w.run_job("market_refresh", slot(9, 20)).await.unwrap();
    assert_eq!(count(&w, "crypto_market").await, 13);
    assert_eq!(count(&w, "crypto_market_history").await, 26);
    w.stop().await;
}

#[tokio::test]
async fn bad_upstream_answers_are_recorded_failures_that_write_nothing() {
    let w = harness::spawn().await;
    w.fake
        .script("markets", vec![Answer::Malformed, Answer::Status(429)]);
    let at = slot(9, 30);

    let error = w.run_job("market_refresh", at).await.unwrap_err();
    assert!(error.contains("malformed response"), "{error}");
    let run = w.run_row("market_refresh", at).await;
    assert_eq!((run.status.as_str(), run.attempts), ("retrying", 1));
    assert!(run.error.unwrap().contains("malformed"));
    assert_eq!(count(&w, "crypto_market").await, 0, "nothing half-written");

    let error = w.attempt("market_refresh", at).await.unwrap_err();
    assert!(error.contains("CoinGecko returned 429"), "{error}");
    assert_eq!(w.fake.hits("markets"), 2, "a 429 is not hammered");
    assert_eq!(count(&w, "crypto_market_history").await, 0);

    w.attempt("market_refresh", at).await.unwrap();
    let run = w.run_row("market_refresh", at).await;
    assert_eq!((run.status.as_str(), run.attempts), ("succeeded", 3));
    assert_eq!(count(&w, "crypto_market_history").await, 13);
    w.stop().await;
}

#[tokio::test]
async fn a_silent_upstream_times_out_and_the_last_attempt_fails_the_run() {
    let w = harness::spawn().await;
    w.fake
        .script("markets", vec![Answer::Slow(Duration::from_secs(3)); 3]);
    let at = slot(10, 0);
    let started = std::time::Instant::now();
    let error = w.run_job("market_refresh", at).await.unwrap_err();
    assert!(error.contains("no answer in time"), "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "bounded by the outbound timeout"
    );
    // Three timeouts opened the breaker: the next attempts fail at once without a call.
    for _ in 0..2 {
        let error = w.attempt("market_refresh", at).await.unwrap_err();
        assert!(error.contains("circuit open"), "{error}");
    }
    assert_eq!(w.fake.hits("markets"), 3);
    let run = w.run_row("market_refresh", at).await;
    assert_eq!((run.status.as_str(), run.attempts), ("failed", 3));
    assert_eq!(count(&w, "crypto_market").await, 0);
    w.stop().await;
}

#[tokio::test]
async fn a_repeated_delivery_of_a_finished_run_applies_nothing_twice() {
    let w = harness::spawn().await;
    let at = slot(11, 0);
    w.run_job("market_refresh", at).await.unwrap();
    // As if the process died after committing but before the queue heard of it.
    w.attempt("market_refresh", at).await.unwrap();
    assert_eq!(w.fake.hits("markets"), 1, "the finished run is not fetched again");
    assert_eq!(count(&w, "crypto_market_history").await, 13);
    assert_eq!(w.run_row("market_refresh", at).await.attempts, 1);
    w.stop().await;
}

#[tokio::test]
async fn daily_tasks_store_and_cache_a_week_of_readings_then_refresh_the_market() {
    let w = harness::spawn().await;
    let at = slot(0, 0);
    w.run_job("daily_tasks", at).await.unwrap();
    let run = w.run_row("daily_tasks", at).await;
    assert_eq!(run.status, "succeeded");
    let outcome = run.outcome.unwrap();
    assert_eq!(
        (outcome["readings"].as_u64(), outcome["coinsUpdated"].as_u64()),
        (Some(7), Some(13))
    );
    assert_eq!(outcome["firstDate"], "2026-11-25", "the slot's day, not today's");

    for day in 25..=30 {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
        let row = daily_readings::find(&w.state.db, date)
            .await
            .unwrap()
            .expect("stored");
        // The original's Peluang keys at the top level, plus the calendar extras.
        assert!(row.reading_data["wuku"]["name"].is_string());
        assert!(row.reading_data["total_urip"].is_number());
        assert!(row.reading_data["pawukon"].is_object());
        let cached = w.cache().get(&format!("daily:{date}")).await.expect("cached");
        let cached: serde_json::Value = serde_json::from_str(&cached).unwrap();
        assert_eq!(cached["date"], date.to_string());
        assert_eq!(cached["type"], "peluang");
    }
    assert!(
        daily_readings::find(&w.state.db, chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap())
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(count(&w, "daily_readings").await, 7);
    assert_eq!(count(&w, "crypto_market").await, 13);

    // Running it again replaces the same seven days.
    w.run_job("daily_tasks", slot(0, 1)).await.unwrap();
    assert_eq!(count(&w, "daily_readings").await, 7);
    w.stop().await;
}

#[tokio::test]
async fn daily_tasks_purge_expired_sign_in_nonces_and_keep_live_ones() {
    let w = harness::spawn().await;
    let wallet = "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU";
    let (live, stale) = ("a".repeat(64), "b".repeat(64));
    for nonce in [&live, &stale] {
        sign_in_nonces::insert(&w.state.db, wallet, nonce, Duration::from_secs(300))
            .await
            .unwrap();
    }
    sqlx::query("UPDATE sign_in_nonces SET expires_at = now() - interval '1 minute' WHERE nonce = $1")
        .bind(&stale)
        .execute(&w.state.db)
        .await
        .unwrap();
    let at = slot(0, 0);
    w.run_job("daily_tasks", at).await.unwrap();
    let outcome = w.run_row("daily_tasks", at).await.outcome.unwrap();
    assert_eq!(outcome["prunedNonces"], 1, "{outcome}");
    let left: Vec<String> = sign_in_nonces::for_wallet(&w.state.db, wallet)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.nonce)
        .collect();
    assert_eq!(left, [live]);
    w.stop().await;
}

#[tokio::test]
async fn the_backup_job_stores_a_dump_named_after_its_slot_and_prunes_old_ones() {
    let dir = std::env::temp_dir().join(format!("neptu-worker-backup-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    // Eight days before the slot: past the default retention of seven.
    std::fs::write(dir.join("neptu-20261117T030000Z.dump"), b"old").unwrap();
    std::fs::write(dir.join("neptu-20261119T030000Z.dump"), b"recent").unwrap();
    let w = harness::spawn_with(&[("BACKUP_TO", dir.to_str().unwrap())]).await;
    let at = slot(3, 0);
    w.run_job("backup", at).await.unwrap();

    let run = w.run_row("backup", at).await;
    assert_eq!(run.status, "succeeded");
    let outcome = run.outcome.unwrap();
    let dump = dir.join("neptu-20261125T030000Z.dump");
    assert_eq!(outcome["location"], dump.display().to_string());
    assert_eq!(
        outcome["pruned"],
        serde_json::json!(["neptu-20261117T030000Z.dump"])
    );
    assert!(outcome["tablesWithData"].as_u64().unwrap() > 0);
    assert_eq!(
        outcome["bytes"].as_u64(),
        Some(std::fs::metadata(&dump).unwrap().len())
    );
    assert!(std::fs::read(&dump).unwrap().starts_with(b"PGDMP"));
    assert!(dir.join("neptu-20261119T030000Z.dump").exists());
    assert!(!dir.join("neptu-20261117T030000Z.dump").exists());
    w.stop().await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn without_a_backup_target_the_backup_job_is_not_registered() {
    let w = harness::spawn().await;
    assert!(w.registry.get("backup").is_none());
    w.stop().await;
}
