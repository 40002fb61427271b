//! Fixtures and checks the developer-platform tests share: DTO key sets, subscriptions,
//! keys and usage rows.

use chrono::{DateTime, Duration, Utc};
use neptu_shared::db::api_keys::{self, NewApiKey};
use neptu_shared::db::api_plans;
use neptu_shared::db::api_subscriptions::{self, NewSubscription, Subscription};
use neptu_shared::db::api_usage::{self, UsageRecord};
use neptu_shared::domain::api_keys::{KeyHasher, generate};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::TestApp;

pub const KEY_FIELDS: &[&str] = &[
    "id",
    "userId",
    "name",
    "keyPrefix",
    "planId",
    "scopes",
    "allowedOrigins",
    "allowedIps",
    "isActive",
    "lastUsedAt",
    "expiresAt",
    "createdAt",
    "updatedAt",
];
pub const SUBSCRIPTION_FIELDS: &[&str] = &[
    "id",
    "userId",
    "planId",
    "status",
    "creditsRemaining",
    "aiCreditsRemaining",
    "billingCycleStart",
    "billingCycleEnd",
    "paymentMethod",
    "paymentTxSignature",
    "metadata",
    "cancelledAt",
    "createdAt",
    "updatedAt",
];
pub const PLAN_FIELDS: &[&str] = &[
    "id",
    "name",
    "slug",
    "description",
    "tier",
    "priceUsd",
    "priceSol",
    "priceNeptu",
    "billingPeriod",
    "features",
    "limits",
    "overageRates",
    "discountPercent",
    "isActive",
    "isPopular",
    "sortOrder",
    "createdAt",
    "updatedAt",
];
pub const PACK_FIELDS: &[&str] = &[
    "id",
    "name",
    "slug",
    "description",
    "credits",
    "aiCredits",
    "priceUsd",
    "priceSol",
    "priceNeptu",
    "bonusPercent",
    "isActive",
    "sortOrder",
    "createdAt",
    "updatedAt",
];

pub const PAGE_FIELDS: &[&str] = &["success", "data", "total", "page", "limit", "totalPages"];

/// Asserts that `value` is an object with exactly these keys.
pub fn assert_keys(value: &Value, expected: &[&str]) {
    let mut found: Vec<&str> = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = expected.to_vec();
    found.sort_unstable();
    expected.sort_unstable();
    assert_eq!(found, expected, "{value}");
}

/// An active subscription to plan `slug` whose cycle ends `ends_in` from now.
pub async fn subscribe(app: &TestApp, user_id: Uuid, slug: &str, ends_in: Duration) -> Subscription {
    let plan = api_plans::find_by_slug(&app.db.pool, slug)
        .await
        .unwrap()
        .unwrap();
    let start = Utc::now() - Duration::days(40);
    let new = NewSubscription {
        user_id,
        plan_id: plan.id,
        credits: 1000,
        ai_credits: 100,
        cycle_start: start,
        cycle_end: Utc::now() + ends_in,
        payment_method: None,
        payment_tx_signature: None,
    };
    api_subscriptions::insert_active(&app.db.pool, &new)
        .await
        .unwrap()
}

/// One usage row of `key` at `at`.
pub fn call(key: Uuid, at: DateTime<Utc>, ai: bool, credits: i32, ms: i32, endpoint: &str) -> UsageRecord {
    UsageRecord {
        id: Uuid::new_v4(),
        api_key_id: key,
        endpoint: endpoint.into(),
        method: "GET".into(),
        credits_used: credits,
        is_ai_endpoint: ai,
        response_status: 200,
        response_time_ms: ms,
        ip_address: Some("203.0.113.7".parse().unwrap()),
        user_agent: Some("curl/8".into()),
        created_at: at,
    }
}

/// Stores usage rows, creating the monthly partitions they need.
pub async fn record(app: &TestApp, rows: &[UsageRecord]) {
    for row in rows {
        api_usage::ensure_partition(&app.db.pool, row.created_at)
            .await
            .unwrap();
    }
    assert_eq!(
        api_usage::insert_batch(&app.db.pool, rows).await.unwrap(),
        rows.len() as u64
    );
}

pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

/// Creates a key through the API; returns the answer's `key` object.
pub async fn create_key(app: &TestApp, token: &str, name: &str) -> Value {
    let (status, body) = app
        .post_as(
            "/api/developer/keys",
            token,
            json!({ "name": name, "scopes": ["neptu:read"] }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["key"].clone()
}

/// A key stored directly (these tests need rows, not the key route).
pub async fn stored_key(app: &TestApp, user_id: Uuid) -> Uuid {
    let drawn = generate(&KeyHasher::new(b"fixture")).unwrap();
    let new = NewApiKey {
        user_id,
        name: "fixture".into(),
        key_prefix: drawn.prefix,
        key_hash: drawn.hash,
        plan_id: None,
        scopes: vec![],
        allowed_origins: None,
        expires_at: None,
    };
    api_keys::insert(&app.db.pool, &new).await.unwrap().id
}
