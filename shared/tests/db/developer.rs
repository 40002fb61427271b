use chrono::{Duration, TimeZone, Utc};
use neptu_shared::db::api_keys::{self, NewApiKey};
use neptu_shared::db::api_subscriptions::{self, CreditKind, NewSubscription};
use neptu_shared::db::api_usage::{self, Bucket, UsageRecord};
use neptu_shared::db::{api_plans, is_unique_violation};
use neptu_shared::domain::api_keys::{KeyHasher, generate};
use neptu_shared::domain::enums::{ApiScope, SubscriptionStatus};
use sqlx::PgPool;
use uuid::Uuid;

use super::user;

async fn subscribe(pool: &PgPool, user_id: Uuid, credits: i64) -> api_subscriptions::Subscription {
    let plan = api_plans::find_by_slug(pool, "api-starter")
        .await
        .unwrap()
        .unwrap();
    let now = Utc::now();
    api_subscriptions::insert_active(
        pool,
        &NewSubscription {
            user_id,
            plan_id: plan.id,
            credits,
            ai_credits: 10,
            cycle_start: now,
            cycle_end: now + Duration::days(30),
            payment_method: None,
            payment_tx_signature: None,
        },
    )
    .await
    .unwrap()
}

async fn key(pool: &PgPool, user_id: Uuid) -> api_keys::ApiKey {
    let drawn = generate(&KeyHasher::new(b"secret")).unwrap();
    api_keys::insert(
        pool,
        &NewApiKey {
            user_id,
            name: "ci".into(),
            key_prefix: drawn.prefix,
            key_hash: drawn.hash,
            plan_id: None,
            scopes: vec![ApiScope::Read, ApiScope::Ai],
            allowed_origins: None,
            expires_at: None,
        },
    )
    .await
    .unwrap()
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn the_migration_seeds_plans_and_packs(pool: PgPool) {
    let plans = api_plans::list(&pool, true).await.unwrap();
    let slugs: Vec<_> = plans.iter().map(|p| p.slug.as_str()).collect();
    assert_eq!(
        slugs,
        ["api-starter", "api-pro", "api-business", "api-enterprise"]
    );
    assert_eq!(plans[1].limits.rate_limit, 120);
    assert_eq!(plans[3].limits.basic_calls, -1);
    let json = serde_json::to_value(&plans[1]).unwrap();
    assert_eq!(json["overageRates"]["basicCallNeptu"], 0.08);
    assert_eq!(
        json["limits"],
        serde_json::json!({"basicCalls": 10000, "aiCalls": 1000, "rateLimit": 120})
    );
    let packs = neptu_shared::db::api_packs::list(&pool, true).await.unwrap();
    assert_eq!(packs.len(), 3);
    assert_eq!(packs[1].bonus_percent, 10);
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn leases_never_take_more_than_is_there(pool: PgPool) {
    let owner = user(&pool, 1).await;
    let sub = subscribe(&pool, owner.id, 100).await;
    let leases = (0..40).map(|_| api_subscriptions::lease(&pool, sub.id, CreditKind::Basic, 7));
    let taken: i64 = futures::future::join_all(leases)
        .await
        .into_iter()
        .map(Result::unwrap)
        .sum();
    assert_eq!(taken, 100);
    let now = api_subscriptions::find_by_id(&pool, sub.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(now.credits_remaining, 0);
    assert_eq!(now.ai_credits_remaining, 10, "the other balance is untouched");
    api_subscriptions::give_back(&pool, sub.id, CreditKind::Basic, 3)
        .await
        .unwrap();
    assert_eq!(
        api_subscriptions::lease(&pool, sub.id, CreditKind::Basic, 50)
            .await
            .unwrap(),
        3
    );
    // Unlimited balances are never leased from, and stay unlimited.
    api_subscriptions::admin_update(&pool, sub.id, None, Some(-1))
        .await
        .unwrap();
    assert_eq!(
        api_subscriptions::lease(&pool, sub.id, CreditKind::Basic, 5)
            .await
            .unwrap(),
        0
    );
    api_subscriptions::give_back(&pool, sub.id, CreditKind::Basic, 5)
        .await
        .unwrap();
    let after = api_subscriptions::find_by_id(&pool, sub.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.credits_remaining, -1);
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn shared_leases_shrink_with_the_balance_and_never_overdraw(pool: PgPool) {
    let owner = user(&pool, 1).await;
    let sub = subscribe(&pool, owner.id, 100).await;
    let lease = |max| api_subscriptions::lease_share(&pool, sub.id, CreditKind::Basic, max, 4);
    // A quarter of what is left, capped by the lease size, at least one.
    assert_eq!(lease(10).await.unwrap(), (10, 90));
    assert_eq!(lease(50).await.unwrap(), (22, 68));
    let leases = (0..200).map(|_| lease(25));
    let taken: i64 = futures::future::join_all(leases)
        .await
        .into_iter()
        .map(|r| r.unwrap().0)
        .sum();
    assert_eq!(taken, 68, "exactly what was left, whatever the concurrency");
    assert_eq!(lease(25).await.unwrap(), (0, 0));
    let ai = api_subscriptions::lease_share(&pool, sub.id, CreditKind::Ai, 25, 4)
        .await
        .unwrap();
    assert_eq!(ai, (2, 8), "the AI balance is leased on its own");
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn one_active_subscription_per_user_and_expiry(pool: PgPool) {
    let owner = user(&pool, 2).await;
    let sub = subscribe(&pool, owner.id, 5).await;
    let plan = api_plans::find_by_slug(&pool, "api-pro").await.unwrap().unwrap();
    let now = Utc::now();
    let second = NewSubscription {
        user_id: owner.id,
        plan_id: plan.id,
        credits: 1,
        ai_credits: 1,
        cycle_start: now - Duration::days(40),
        cycle_end: now - Duration::days(10),
        payment_method: None,
        payment_tx_signature: None,
    };
    let err = api_subscriptions::insert_active(&pool, &second)
        .await
        .unwrap_err();
    assert!(is_unique_violation(
        &err,
        api_subscriptions::ONE_ACTIVE_CONSTRAINT
    ));
    let cancelled = api_subscriptions::cancel_active(&pool, owner.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (cancelled.id, cancelled.status),
        (sub.id, SubscriptionStatus::Cancelled)
    );
    assert!(cancelled.cancelled_at.is_some());
    let ended = api_subscriptions::insert_active(&pool, &second).await.unwrap();
    // An ended cycle grants no credits even before the sweep marks it expired.
    assert_eq!(
        api_subscriptions::lease(&pool, ended.id, CreditKind::Basic, 1)
            .await
            .unwrap(),
        0
    );
    assert_eq!(api_subscriptions::expire_ended(&pool, now).await.unwrap(), 1);
    assert_eq!(api_subscriptions::expire_ended(&pool, now).await.unwrap(), 0);
    let list = api_subscriptions::list_for_user(&pool, owner.id).await.unwrap();
    assert_eq!(list.len(), 2);
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn a_key_grant_carries_the_active_subscription(pool: PgPool) {
    let owner = user(&pool, 3).await;
    let k = key(&pool, owner.id).await;
    let grant = api_keys::grant_by_prefix(&pool, &k.key_prefix)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (grant.id, grant.subscription_id, grant.rate_limit),
        (k.id, None, None)
    );
    let sub = subscribe(&pool, owner.id, 100).await;
    let grant = api_keys::grant_by_prefix(&pool, &k.key_prefix)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(grant.subscription_id, Some(sub.id));
    assert_eq!((grant.rate_limit, grant.unlimited_basic), (Some(60), Some(false)));
    assert_eq!(grant.scopes, [ApiScope::Read, ApiScope::Ai]);
    assert!(
        api_keys::grant_by_prefix(&pool, "nptu_AAAAAAAA")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        !api_keys::deactivate(&pool, k.id, Some(Uuid::new_v4()))
            .await
            .unwrap()
    );
    assert!(api_keys::deactivate(&pool, k.id, Some(owner.id)).await.unwrap());
    let grant = api_keys::grant_by_prefix(&pool, &k.key_prefix)
        .await
        .unwrap()
        .unwrap();
    assert!(!grant.is_active);
}

fn record(key: Uuid, ai: bool, at: chrono::DateTime<Utc>) -> UsageRecord {
    UsageRecord {
        id: Uuid::new_v4(),
        api_key_id: key,
        endpoint: "/api/v1/reading/potensi".into(),
        method: "GET".into(),
        credits_used: 1,
        is_ai_endpoint: ai,
        response_status: 200,
        response_time_ms: 4,
        ip_address: Some("203.0.113.9".parse().unwrap()),
        user_agent: Some("curl/8".into()),
        created_at: at,
    }
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn usage_batches_are_idempotent_and_summed(pool: PgPool) {
    let owner = user(&pool, 4).await;
    let k = key(&pool, owner.id).await;
    let now = Utc::now();
    let mut rows: Vec<_> = (0..5).map(|i| record(k.id, i == 0, now)).collect();
    rows.push(record(Uuid::new_v4(), false, now)); // a key that no longer exists
    assert_eq!(api_usage::insert_batch(&pool, &rows).await.unwrap(), 5);
    assert_eq!(
        api_usage::insert_batch(&pool, &rows).await.unwrap(),
        0,
        "a retry inserts nothing"
    );
    let listed = api_usage::list_for_key(&pool, k.id, 3).await.unwrap();
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[0].ip_address.as_deref(), Some("203.0.113.9"));
    let summary = api_usage::summary(&pool, k.id, now - Duration::hours(1), now + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(
        (summary.total_calls, summary.ai_calls, summary.basic_calls),
        (5, 1, 4)
    );
    assert_eq!(
        (summary.total_credits_used, summary.average_response_time_ms),
        (5, 4)
    );
    let stats = api_usage::stats(&pool).await.unwrap();
    assert_eq!((stats.total_calls, stats.today_calls), (5, 5));
    assert_eq!(api_usage::top_endpoints(&pool).await.unwrap()[0].total_calls, 5);
    api_keys::touch(&pool, &[k.id, k.id], &[now - Duration::minutes(1), now])
        .await
        .unwrap();
    let touched = api_keys::find_owned(&pool, k.id, owner.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        touched.last_used_at.map(|t| t.timestamp_millis()),
        Some(now.timestamp_millis())
    );

    // Deleting the owner deletes their keys, and with them the keys' usage rows.
    let other = key(&pool, user(&pool, 5).await.id).await;
    api_usage::insert_batch(&pool, &[record(other.id, false, now)])
        .await
        .unwrap();
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(owner.id)
        .execute(&pool)
        .await
        .unwrap();
    let left: Vec<Uuid> = sqlx::query_scalar("SELECT api_key_id FROM api_usage")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(left, vec![other.id], "only the other key's row is left");
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn analytics_buckets_and_partitions(pool: PgPool) {
    let owner = user(&pool, 5).await;
    let k = key(&pool, owner.id).await;
    let at = |m, d, h| Utc.with_ymd_and_hms(2025, m, d, h, 0, 0).unwrap();
    for month in [1, 2] {
        api_usage::ensure_partition(&pool, at(month, 1, 0)).await.unwrap();
    }
    // Wed 2025-01-29 and Sun 2025-02-02 share an ISO week (Mon 2025-01-27); 02-03 starts the next.
    let rows = vec![
        record(k.id, false, at(1, 29, 10)),
        record(k.id, true, at(2, 2, 23)),
        record(k.id, false, at(2, 3, 0)),
        record(k.id, false, at(2, 3, 12)),
    ];
    api_usage::insert_batch(&pool, &rows).await.unwrap();
    let day = |s: &str| s.parse().unwrap();
    let by_day = api_usage::analytics(&pool, day("2025-01-29"), day("2025-02-03"), Bucket::Day)
        .await
        .unwrap();
    let dates: Vec<_> = by_day.iter().map(|b| (b.date.as_str(), b.total_calls)).collect();
    assert_eq!(dates, [("2025-01-29", 1), ("2025-02-02", 1), ("2025-02-03", 2)]);
    let by_week = api_usage::analytics(&pool, day("2025-01-01"), day("2025-02-28"), Bucket::Week)
        .await
        .unwrap();
    let weeks: Vec<_> = by_week
        .iter()
        .map(|b| (b.date.as_str(), b.total_calls, b.ai_calls))
        .collect();
    assert_eq!(weeks, [("2025-01-27", 2, 1), ("2025-02-03", 2, 0)]);
    let by_month = api_usage::analytics(&pool, day("2025-01-01"), day("2025-02-28"), Bucket::Month)
        .await
        .unwrap();
    let months: Vec<_> = by_month
        .iter()
        .map(|b| (b.date.as_str(), b.credits_used))
        .collect();
    assert_eq!(months, [("2025-01", 1), ("2025-02", 3)]);

    let names: Vec<String> = api_usage::partitions(&pool)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.0)
        .collect();
    assert!(
        names.starts_with(&["api_usage_2025_01".to_owned(), "api_usage_2025_02".to_owned()]),
        "{names:?}"
    );
    let (_, ends) = api_usage::partitions(&pool).await.unwrap()[0].clone();
    assert_eq!(ends, at(2, 1, 0));
    api_usage::drop_partition(&pool, "api_usage_2025_01")
        .await
        .unwrap();
    let by_month = api_usage::analytics(&pool, day("2025-01-01"), day("2025-02-28"), Bucket::Month)
        .await
        .unwrap();
    assert_eq!(by_month.len(), 1);
    assert!(api_usage::drop_partition(&pool, "users").await.is_err());
}
