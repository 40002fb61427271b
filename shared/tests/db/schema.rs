use std::collections::HashMap;
use std::time::Duration;

use neptu_shared::db::{self, MIGRATOR};
use sqlx::PgPool;

const TABLES: [&str; 18] = [
    "users",
    "readings",
    "payments",
    "token_transactions",
    "daily_readings",
    "user_rewards",
    "user_streaks",
    "referrals",
    "pricing_plans",
    "crypto_market",
    "crypto_market_history",
    "cron_runs",
    "api_pricing_plans",
    "api_credit_packs",
    "api_subscriptions",
    "api_payments",
    "api_keys",
    "api_usage",
];

async fn column_types(pool: &PgPool) -> HashMap<(String, String), String> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    rows.into_iter().map(|(t, c, ty)| ((t, c), ty)).collect()
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn all_tables_exist_with_the_decided_types(pool: PgPool) {
    let types = column_types(&pool).await;
    for table in TABLES {
        assert!(types.keys().any(|(t, _)| t == table), "{table} is missing");
    }
    for ((table, column), ty) in &types {
        let expect = |want: &str| assert_eq!(ty, want, "{table}.{column}");
        match column.as_str() {
            c if c.ends_with("_at")
                || ["last_check_in", "ath_date", "atl_date", "last_updated"].contains(&c) =>
            {
                expect("timestamp with time zone")
            }
            "slot" | "billing_cycle_start" | "billing_cycle_end" => expect("timestamp with time zone"),
            "plan_id" | "pack_id" | "subscription_id" | "api_key_id" => expect("uuid"),
            "key_hash" => expect("bytea"),
            "scopes" | "allowed_origins" | "allowed_ips" => expect("ARRAY"),
            "metadata" => expect("jsonb"),
            "ip_address" => expect("inet"),
            "credits_remaining" | "ai_credits_remaining" => expect("bigint"),
            "response_status" => expect("smallint"),
            "basic_calls" | "ai_calls" | "rate_limit" | "discount_percent" | "credits" | "ai_credits"
            | "bonus_percent" | "credits_used" | "response_time_ms" => expect("integer"),
            c if (c.starts_with("price_") || c.starts_with("overage_")) && table.starts_with("api_") => {
                expect("numeric")
            }
            "attempts" => expect("integer"),
            "duration_ms" => expect("bigint"),
            "outcome" => expect("jsonb"),
            "birth_date" | "birth_date_2" | "target_date" | "date" => expect("date"),
            "id" if table == "crypto_market" => expect("text"),
            "id" if table == "crypto_market_history" || table == "auth_revocations" => expect("bigint"),
            "id" | "user_id" | "referrer_id" | "referee_id" | "reading_id" | "family_id" => expect("uuid"),
            "token_hash" => expect("bytea"),
            "interests" | "reading_data" | "features" | "limits" => expect("jsonb"),
            "onboarded" | "is_admin" | "is_active" | "is_popular" | "daily_view" | "is_ai_endpoint" => {
                expect("boolean")
            }
            c if c.starts_with("price_") && table == "pricing_plans" => expect("numeric"),
            "amount"
            | "neptu_reward"
            | "neptu_burned"
            | "sol_amount"
            | "neptu_amount"
            | "sudigital_amount"
            | "neptu_rewarded"
            | "referrer_reward_amount"
            | "referee_reward_amount" => expect("numeric"),
            "market_cap_rank" | "sort_order" | "current_streak" | "longest_streak" | "total_check_ins" => {
                expect("integer")
            }
            _ if table.starts_with("crypto_market")
                && !["symbol", "name", "image", "coin_id"].contains(&column.as_str()) =>
            {
                expect("double precision")
            }
            _ => expect("text"),
        }
    }
    let identity: String = sqlx::query_scalar(
        "SELECT identity_generation::text FROM information_schema.columns
         WHERE table_name = 'crypto_market_history' AND column_name = 'id'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(identity, "ALWAYS");
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn no_index_duplicates_another(pool: PgPool) {
    // (table, index, key columns, unique) for every index in the public schema.
    let rows: Vec<(String, String, Vec<i16>, bool)> = sqlx::query_as(
        "SELECT c.relname::text, i.relname::text, string_to_array(x.indkey::text, ' ')::int2[], x.indisunique
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for (table, name, keys, unique) in &rows {
        for (other_table, other, other_keys, _) in &rows {
            if table != other_table || name == other {
                continue;
            }
            assert!(!(keys == other_keys && name < other), "{name} duplicates {other}");
            // A plain index whose columns lead another index adds nothing.
            let redundant_prefix = !unique && keys.len() < other_keys.len() && other_keys.starts_with(keys);
            assert!(!redundant_prefix, "{name} is a prefix of {other}");
        }
    }
}

#[sqlx::test(migrations = false)]
async fn migrating_twice_is_a_no_op(pool: PgPool) {
    assert!(!db::schema_is_current(&pool).await.unwrap());
    let waited = db::wait_for_schema(&pool, Duration::from_millis(300), Duration::from_millis(100)).await;
    assert!(
        waited.is_err(),
        "an unmigrated database is not waited for forever"
    );

    db::migrate(&pool).await.unwrap();
    assert!(db::schema_is_current(&pool).await.unwrap());
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .unwrap();
    db::migrate(&pool).await.unwrap();
    let again: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(applied, again);
    assert_eq!(applied as usize, MIGRATOR.iter().count());
    db::wait_for_schema(&pool, Duration::from_secs(1), Duration::from_millis(100))
        .await
        .unwrap();
}
