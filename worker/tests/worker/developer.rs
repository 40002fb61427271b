//! The developer platform's daily upkeep: subscriptions expired at the end of their cycle,
//! once per slot, and the monthly usage partitions rolled over by the slot.

use chrono::{DateTime, Duration, TimeZone, Utc};
use neptu_shared::db::api_keys::{self, NewApiKey};
use neptu_shared::db::api_subscriptions::{self, NewSubscription, Subscription};
use neptu_shared::db::api_usage::{self, UsageRecord};
use neptu_shared::db::{api_plans, users};
use neptu_shared::domain::enums::ApiScope;
use neptu_worker::jobs::developer::NAME;
use serde_json::json;
use uuid::Uuid;

use crate::harness::{self, TestWorker};

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

/// An active subscription of a new user, for the cycle `[start, end)`.
async fn subscription(w: &TestWorker, n: u32, start: DateTime<Utc>, end: DateTime<Utc>) -> Subscription {
    let db = &w.state.db;
    let (user, _) = users::get_or_create(db, &format!("Wa11et{n:0>38}"))
        .await
        .unwrap();
    let plan = api_plans::find_by_slug(db, "api-starter").await.unwrap().unwrap();
    let new = NewSubscription {
        user_id: user.id,
        plan_id: plan.id,
        credits: 1000,
        ai_credits: 100,
        cycle_start: start,
        cycle_end: end,
        payment_method: None,
        payment_tx_signature: None,
    };
    api_subscriptions::insert_active(db, &new).await.unwrap()
}

async fn status(w: &TestWorker, id: Uuid) -> String {
    let sub = api_subscriptions::find_by_id(&w.state.db, id)
        .await
        .unwrap()
        .unwrap();
    sub.status.to_string()
}

#[tokio::test]
async fn expiry_marks_exactly_the_ended_subscriptions_once_per_slot() {
    let w = harness::spawn().await;
    let slot = at(2030, 3, 10, 0, 5);
    let month = Duration::days(30);
    let ended = subscription(&w, 1, slot - month, slot - Duration::seconds(1)).await;
    let ends_at_slot = subscription(&w, 2, slot - month, slot).await;
    let running = subscription(&w, 3, slot - month, slot + Duration::seconds(1)).await;
    let cancelled = subscription(&w, 4, slot - month, slot - Duration::days(1)).await;
    api_subscriptions::cancel_active(&w.state.db, cancelled.user_id)
        .await
        .unwrap();

    w.run_job(NAME, slot).await.unwrap();
    assert_eq!(status(&w, ended.id).await, "expired");
    assert_eq!(status(&w, ends_at_slot.id).await, "expired");
    assert_eq!(status(&w, running.id).await, "active");
    assert_eq!(status(&w, cancelled.id).await, "cancelled");
    let run = w.run_row(NAME, slot).await;
    assert_eq!((run.status.as_str(), run.attempts), ("succeeded", 1));
    let outcome = run.outcome.unwrap();
    assert_eq!(outcome["subscriptionsExpired"], 2);

    // Delivered again (another replica's tick, a retry after a lost reply): nothing is done,
    // even though a subscription that ended before the slot has appeared meanwhile.
    let late = subscription(&w, 5, slot - month, slot - Duration::hours(1)).await;
    w.run_job(NAME, slot).await.unwrap();
    w.attempt(NAME, slot).await.unwrap();
    assert_eq!(status(&w, late.id).await, "active");
    let again = w.run_row(NAME, slot).await;
    assert_eq!((again.attempts, again.outcome), (1, Some(outcome)));

    // The next day's slot expires it, and the one that was still running by then.
    let next = slot + Duration::days(1);
    w.run_job(NAME, next).await.unwrap();
    assert_eq!(status(&w, late.id).await, "expired");
    assert_eq!(status(&w, running.id).await, "expired");
    assert_eq!(
        w.run_row(NAME, next).await.outcome.unwrap()["subscriptionsExpired"],
        2
    );
    w.stop().await;
}

#[tokio::test]
async fn two_deliveries_of_one_slot_at_once_expire_once() {
    let w = harness::spawn().await;
    let slot = at(2030, 3, 10, 0, 5);
    for n in 1..=20 {
        subscription(
            &w,
            n,
            slot - Duration::days(30),
            slot - Duration::minutes(n.into()),
        )
        .await;
    }
    let queue = w.registry.get(NAME).unwrap().queue();
    neptu_worker::jobs::claim::claim_and_enqueue(&w.state.db, NAME, queue, slot, "test", 3)
        .await
        .unwrap();
    let (a, b) = tokio::join!(w.attempt(NAME, slot), w.attempt(NAME, slot));
    a.unwrap();
    b.unwrap();
    let run = w.run_row(NAME, slot).await;
    assert_eq!(run.status, "succeeded");
    assert_eq!(run.outcome.unwrap()["subscriptionsExpired"], 20);
    let expired: i64 = sqlx::query_scalar("SELECT count(*) FROM api_subscriptions WHERE status = 'expired'")
        .fetch_one(&w.state.db)
        .await
        .unwrap();
    assert_eq!(expired, 20);
    w.stop().await;
}

async fn partitions(w: &TestWorker) -> Vec<String> {
    let found = api_usage::partitions(&w.state.db).await.unwrap();
    found.into_iter().map(|(name, _)| name).collect()
}

/// A key to write usage rows for.
async fn key(w: &TestWorker) -> Uuid {
    let db = &w.state.db;
    let (user, _) = users::get_or_create(db, "Wa11etKey00000000000000000000000000000000")
        .await
        .unwrap();
    let new = NewApiKey {
        user_id: user.id,
        name: "ci".into(),
        key_prefix: "nptu_AbCdEf12".into(),
        key_hash: [7; 32],
        plan_id: None,
        scopes: vec![ApiScope::Read],
        allowed_origins: None,
        expires_at: None,
    };
    api_keys::insert(db, &new).await.unwrap().id
}

async fn usage_at(w: &TestWorker, key: Uuid, created_at: DateTime<Utc>) -> sqlx::Result<u64> {
    let row = UsageRecord {
        id: Uuid::new_v4(),
        api_key_id: key,
        endpoint: "/api/v1/reading/potensi".into(),
        method: "GET".into(),
        credits_used: 1,
        is_ai_endpoint: false,
        response_status: 200,
        response_time_ms: 3,
        ip_address: None,
        user_agent: None,
        created_at,
    };
    api_usage::insert_batch(&w.state.db, &[row]).await
}

#[tokio::test]
async fn usage_partitions_roll_over_with_the_slot() {
    let w = harness::spawn_with(&[("API_USAGE_RETENTION_DAYS", "31")]).await;
    let key = key(&w).await;
    // Months the job will judge: January 2030 ends 2030-02-01, more than 31 days before the
    // slot; February ends 2030-03-01, less than 31 days before it.
    for month in [at(2030, 1, 15, 0, 0), at(2030, 2, 15, 0, 0)] {
        api_usage::ensure_partition(&w.state.db, month).await.unwrap();
    }
    assert_eq!(usage_at(&w, key, at(2030, 1, 20, 12, 0)).await.unwrap(), 1);
    assert_eq!(usage_at(&w, key, at(2030, 2, 20, 12, 0)).await.unwrap(), 1);
    assert!(
        usage_at(&w, key, at(2030, 4, 2, 0, 0)).await.is_err(),
        "no partition for April yet"
    );
    let migrated = partitions(&w).await;
    assert_eq!(
        migrated.len(),
        4,
        "this and next month from the migration, and 2030's: {migrated:?}"
    );

    let slot = at(2030, 3, 10, 0, 5);
    w.run_job(NAME, slot).await.unwrap();
    assert_eq!(
        partitions(&w).await,
        ["api_usage_2030_02", "api_usage_2030_03", "api_usage_2030_04"]
    );
    let mut dropped = migrated[..2].to_vec();
    dropped.push("api_usage_2030_01".into());
    dropped.sort();
    let outcome = w.run_row(NAME, slot).await.outcome.unwrap();
    assert_eq!(
        outcome["partitionsEnsured"],
        json!(["api_usage_2030_03", "api_usage_2030_04"])
    );
    let mut reported: Vec<String> = serde_json::from_value(outcome["partitionsDropped"].clone()).unwrap();
    reported.sort();
    assert_eq!(reported, dropped);
    assert_eq!(outcome["retentionDays"], 31);
    assert_eq!(usage_at(&w, key, at(2030, 4, 2, 0, 0)).await.unwrap(), 1);
    let count = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql).fetch_one(&w.state.db);
    assert_eq!(count("SELECT count(*) FROM api_usage").await.unwrap(), 2);

    // A month on: May is created, February (ended 2030-03-01, 31 days and 5 minutes before
    // the slot) goes with its row.
    let slot = at(2030, 4, 1, 0, 5);
    w.run_job(NAME, slot).await.unwrap();
    assert_eq!(
        partitions(&w).await,
        ["api_usage_2030_03", "api_usage_2030_04", "api_usage_2030_05"]
    );
    assert_eq!(count("SELECT count(*) FROM api_usage").await.unwrap(), 1);
    w.stop().await;
}

#[tokio::test]
async fn the_upkeep_is_scheduled_at_five_past_midnight_by_default() {
    let w = harness::spawn_with(&[("SCHEDULE_DEVELOPER_MAINTENANCE", "")]).await;
    assert!(w.registry.get(NAME).is_some());
    let settings = &w.state.settings.jobs;
    assert_eq!(
        settings.schedule(neptu_shared::config::ScheduledJob::DeveloperMaintenance),
        Some("0 5 0 * * *")
    );
    w.stop().await;
}
