//! `import-pg` from a scratch database holding the original backend's schema and its quirks.
//! Expected values are computed by Postgres itself from the source (casts, `#>> '{}'` for the
//! JSON strings inside jsonb), independently of the importer's own conversions.

use neptu_api::import::{self, PgOptions, Report};
use neptu_shared::testing::TestDatabase;
use serde_json::Value;
use sqlx::PgConnection;

pub const SCHEMA: &str = include_str!("../fixtures/original_pg/schema.sql");
pub const SAMPLE: &str = include_str!("../fixtures/original_pg/sample.sql");
pub const BULK: &str = include_str!("../fixtures/original_pg/bulk.sql");

/// A database shaped like the original's, with the sample rows and `users` generated users.
pub async fn original(users: u32) -> TestDatabase {
    let db = TestDatabase::empty().await;
    sqlx::raw_sql(SCHEMA).execute(&db.pool).await.expect("schema");
    sqlx::raw_sql(SAMPLE).execute(&db.pool).await.expect("sample");
    sqlx::raw_sql(BULK).execute(&db.pool).await.expect("generator");
    sqlx::query("SELECT fill_original($1)")
        .bind(users as i32)
        .execute(&db.pool)
        .await
        .expect("generated rows");
    db
}

pub async fn import_pg(
    target: &TestDatabase,
    source: &TestDatabase,
    truncate: bool,
    dry_run: bool,
) -> anyhow::Result<Report> {
    import::run_pg(
        &target.pool,
        PgOptions {
            from: &source.url,
            connect_timeout: std::time::Duration::from_secs(5),
            truncate,
            dry_run,
        },
    )
    .await
}

/// A JSON value stored either as itself or as a JSON string inside jsonb, as the original did.
fn unwrap(column: &str) -> String {
    format!("CASE WHEN jsonb_typeof({column}) = 'string' THEN ({column} #>> '{{}}')::jsonb ELSE {column} END")
}

fn id(column: &str) -> String {
    format!("lower({column})::uuid")
}

fn num(column: &str) -> String {
    format!("trim_scale({column})::text")
}

/// (table, order key, the source's values in the target's terms, the target's values).
fn comparisons() -> Vec<(&'static str, &'static str, String, String)> {
    let mut out = Vec::new();
    let cols = "id, wallet_address, email, display_name, birth_date, interests, onboarded, role, created_at, updated_at";
    out.push((
        "users",
        "id",
        format!(
            "SELECT {} AS id, wallet_address, email, CASE WHEN btrim(display_name) = '' THEN NULL ELSE display_name END AS display_name,
             birth_date::date AS birth_date, COALESCE({}, '[]') AS interests, COALESCE(onboarded, false) AS onboarded,
             CASE WHEN is_admin THEN 'admin' ELSE 'user' END AS role, created_at, updated_at FROM users",
            id("id"),
            unwrap("interests")
        ),
        format!("SELECT {cols} FROM users"),
    ));
    out.push((
        "readings",
        "id",
        format!(
            "SELECT {} AS id, {} AS user_id, type, target_date::date AS target_date, birth_date::date AS birth_date,
             birth_date_2::date AS birth_date_2, {} AS reading_data, tx_signature, created_at FROM readings",
            id("id"),
            id("user_id"),
            unwrap("reading_data")
        ),
        "SELECT id, user_id, type, target_date, birth_date, birth_date_2, reading_data, tx_signature, created_at FROM readings".into(),
    ));
    let payment = |source: bool| {
        let (i, u, r) = if source {
            (id("id"), id("user_id"), id("reading_id"))
        } else {
            ("id".into(), "user_id".into(), "reading_id".into())
        };
        let confirmed = if source {
            "confirmed_at::timestamptz"
        } else {
            "confirmed_at"
        };
        format!(
            "SELECT {i} AS id, {u} AS user_id, {r} AS reading_id, payment_type, {} AS amount, {} AS neptu_reward,
             {} AS neptu_burned, tx_signature, status, created_at, {confirmed} AS confirmed_at FROM payments",
            num("amount"),
            num("neptu_reward"),
            num("neptu_burned")
        )
    };
    out.push(("payments", "id", payment(true), payment(false)));
    let transaction = |source: bool| {
        let (i, u) = if source {
            (id("id"), id("user_id"))
        } else {
            ("id".into(), "user_id".into())
        };
        let confirmed = if source {
            "confirmed_at::timestamptz"
        } else {
            "confirmed_at"
        };
        let amounts = [
            "sol_amount",
            "neptu_amount",
            "sudigital_amount",
            "neptu_burned",
            "neptu_rewarded",
        ]
        .map(|c| format!("{} AS {c}", num(c)))
        .join(", ");
        format!(
            "SELECT {i} AS id, {u} AS user_id, tx_signature, transaction_type, reading_type, {amounts}, status, created_at,
             {confirmed} AS confirmed_at FROM token_transactions"
        )
    };
    out.push(("token_transactions", "id", transaction(true), transaction(false)));
    out.push((
        "daily_readings",
        "date",
        format!(
            "SELECT date::date AS date, type, {} AS reading_data, created_at FROM daily_readings",
            unwrap("reading_data")
        ),
        "SELECT date, type, reading_data, created_at FROM daily_readings".into(),
    ));
    let reward = |source: bool| {
        let (i, u) = if source {
            (id("id"), id("user_id"))
        } else {
            ("id".into(), "user_id".into())
        };
        let cast = if source { "::timestamptz" } else { "" };
        format!(
            "SELECT {i} AS id, {u} AS user_id, reward_type, {} AS neptu_amount, status, description, claim_tx_signature,
             expires_at{cast} AS expires_at, created_at, claimed_at{cast} AS claimed_at FROM user_rewards",
            num("neptu_amount")
        )
    };
    out.push(("user_rewards", "id", reward(true), reward(false)));
    out.push((
        "user_streaks",
        "id",
        format!(
            "SELECT {} AS id, {} AS user_id, current_streak, longest_streak, last_check_in::timestamptz AS last_check_in,
             total_check_ins, created_at, updated_at FROM user_streaks",
            id("id"),
            id("user_id")
        ),
        "SELECT id, user_id, current_streak, longest_streak, last_check_in, total_check_ins, created_at, updated_at FROM user_streaks".into(),
    ));
    out.push((
        "referrals",
        "id",
        format!(
            "SELECT {} AS id, {} AS referrer_id, {} AS referee_id, {} AS a, {} AS b, referrer_reward_paid, referee_reward_paid,
             completed_at::timestamptz AS completed_at FROM referrals",
            id("id"),
            id("referrer_id"),
            id("referee_id"),
            num("referrer_reward_amount"),
            num("referee_reward_amount")
        ),
        format!(
            "SELECT id, referrer_id, referee_id, {} AS a, {} AS b, referrer_reward_paid, referee_reward_paid, completed_at FROM referrals",
            num("referrer_reward_amount"),
            num("referee_reward_amount")
        ),
    ));
    let plan = |source: bool| {
        let (i, features, limits) = if source {
            (id("id"), unwrap("features"), unwrap("limits"))
        } else {
            ("id".into(), "features".into(), "limits".into())
        };
        format!(
            "SELECT {i} AS id, name, slug, description, {} AS usd, {} AS sol, {} AS neptu, {features} AS features, {limits} AS limits,
             COALESCE(is_active, true) AS is_active, COALESCE(is_popular, false) AS is_popular, COALESCE(sort_order, 0) AS sort_order,
             created_at, updated_at FROM pricing_plans",
            num("price_usd"),
            num("price_sol"),
            num("price_neptu")
        )
    };
    out.push(("pricing_plans", "id", plan(true), plan(false)));
    let market = |cast: &str| {
        format!(
            "SELECT id, symbol, name, image, current_price, market_cap, market_cap_rank, max_supply, ath,
             ath_date{cast} AS ath_date, atl_date{cast} AS atl_date, last_updated{cast} AS last_updated, fetched_at FROM crypto_market"
        )
    };
    out.push(("crypto_market", "id", market("::timestamptz"), market("")));
    let history = "SELECT id, coin_id, symbol, current_price, market_cap, market_cap_rank, total_volume, price_change_24h,
                   price_change_percentage_24h, recorded_at FROM crypto_market_history";
    out.push(("crypto_market_history", "id", history.into(), history.into()));
    out
}

/// Every value of every table, as one JSON array per table, on a UTC session.
async fn values(conn: &mut PgConnection, sql: &str, order: &str) -> Value {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COALESCE(jsonb_agg(to_jsonb(t) ORDER BY t.{order}), '[]') FROM ({sql}) t"
    )))
    .fetch_one(conn)
    .await
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Every row of the source is in the target, with the values the source meant.
pub async fn check_everything(source: &TestDatabase, target: &TestDatabase, report: &Report) {
    assert!(report.complete(), "{}", report.render());
    let mut from = source.pool.acquire().await.unwrap();
    let mut to = target.pool.acquire().await.unwrap();
    for conn in [&mut *from, &mut *to] {
        sqlx::query("SET TIME ZONE 'UTC'")
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    let compared = comparisons();
    assert_eq!(compared.len(), report.tables.len(), "every table is compared");
    for (table, order, source_sql, target_sql) in compared {
        let expected = values(&mut from, &source_sql, order).await;
        let got = values(&mut to, &target_sql, order).await;
        let rows = expected.as_array().unwrap().len();
        let line = report.tables.iter().find(|t| t.table == table).unwrap();
        assert_eq!(
            (line.source_rows, line.imported as usize),
            (rows, rows),
            "{table}"
        );
        assert!(
            line.skipped.is_empty() && line.unknown_columns.is_empty(),
            "{table}"
        );
        assert_eq!(got, expected, "{table}: values differ");
    }
}

#[tokio::test]
async fn the_original_database_round_trips_every_row_and_value() {
    let source = original(300).await;
    sqlx::raw_sql("CREATE TABLE legacy_notes (id text); INSERT INTO legacy_notes VALUES ('a'), ('b');")
        .execute(&source.pool)
        .await
        .unwrap();
    let target = TestDatabase::migrated().await;

    let dry = import_pg(&target, &source, false, true).await.unwrap();
    assert!(dry.complete() && dry.rows() > 2_400, "{}", dry.render());
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&target.pool)
        .await
        .unwrap();
    assert_eq!(users, 0, "a dry run writes nothing");

    let report = import_pg(&target, &source, false, false).await.unwrap();
    check_everything(&source, &target, &report).await;
    assert_eq!(report.other_tables, [("legacy_notes".to_owned(), 2)]);
    let admins: Vec<String> =
        sqlx::query_scalar("SELECT wallet_address FROM users WHERE role = 'admin' ORDER BY wallet_address")
            .fetch_all(&target.pool)
            .await
            .unwrap();
    assert_eq!(
        admins.len(),
        7,
        "the sample admin and every 50th generated user: {admins:?}"
    );
    let upper: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM readings r JOIN users u ON u.id = r.user_id WHERE u.id = '3eb17f4d-8c5a-4bae-8d94-6f5a4b3c7d44'",
    )
    .fetch_one(&target.pool)
    .await
    .unwrap();
    assert_eq!(
        upper, 1,
        "an upper-case text id and its references meet again as one uuid"
    );
    let next: i64 = sqlx::query_scalar(
        "INSERT INTO crypto_market_history (coin_id, symbol) VALUES ('x', 'X') RETURNING id",
    )
    .fetch_one(&target.pool)
    .await
    .unwrap();
    assert_eq!(next, 11, "the history sequence continues after the imported ids");

    let refused = import_pg(&target, &source, false, false).await;
    assert!(refused.unwrap_err().to_string().contains("--truncate"));
    let again = import_pg(&target, &source, true, false).await.unwrap();
    check_everything(&source, &target, &again).await;
    source.drop_database().await;
    target.drop_database().await;
}

#[tokio::test]
async fn the_later_schema_with_role_and_language_imports_too() {
    let source = original(20).await;
    sqlx::raw_sql(
        "ALTER TABLE users ADD COLUMN role text DEFAULT 'user' NOT NULL, ADD COLUMN preferred_language text DEFAULT 'en';
         UPDATE users SET role = 'developer', preferred_language = 'id' WHERE display_name = 'Alice';",
    )
    .execute(&source.pool)
    .await
    .unwrap();
    let target = TestDatabase::migrated().await;
    let report = import_pg(&target, &source, false, false).await.unwrap();
    assert!(report.complete(), "{}", report.render());
    let roles: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT coalesce(display_name, wallet_address), role, preferred_language FROM users
         WHERE display_name IN ('Alice') OR role <> 'user' ORDER BY 1",
    )
    .fetch_all(&target.pool)
    .await
    .unwrap();
    assert_eq!(
        roles,
        [
            ("Alice".to_owned(), "developer".to_owned(), "id".to_owned()),
            (
                "Ñyoman ☀️ O'Brien \"the admin\"".into(),
                "admin".into(),
                "en".into()
            ),
        ],
        "role comes over; a set admin flag still makes an admin"
    );
    source.drop_database().await;
    target.drop_database().await;
}
