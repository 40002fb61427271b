//! Repository tests against the real Postgres: every test gets its own freshly migrated
//! database from `#[sqlx::test]` (needs `DATABASE_URL` with the right to create databases).

mod cron_runs;
mod crypto_market;
mod daily_readings;
mod developer;
mod payments;
mod pricing_plans;
mod readings;
mod referrals;
mod schema;
mod tls;
mod token_transactions;
mod user_rewards;
mod user_streaks;
mod users;

use neptu_shared::db::users::User;
use sqlx::PgPool;
use uuid::Uuid;

/// A distinct, valid-looking wallet address for fixture `n`.
pub fn wallet(n: u32) -> String {
    format!("TestWa11et{n:0>34}")
}

/// Creates fixture user `n`.
pub async fn user(pool: &PgPool, n: u32) -> User {
    neptu_shared::db::users::get_or_create(pool, &wallet(n))
        .await
        .unwrap()
        .0
}

/// Pins a row's `created_at` to `hour` hours after a fixed instant, so ordering assertions
/// do not depend on how fast inserts ran.
pub async fn set_created_at(pool: &PgPool, table: &str, id: Uuid, hour: i64) {
    let sql = format!(
        "UPDATE {table} SET created_at = '2026-01-01T00:00:00Z'::timestamptz + make_interval(hours => $2::int) WHERE id = $1"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(hour as i32)
        .execute(pool)
        .await
        .unwrap();
}
