//! The D1 import against generated exports full of edge cases.

#[path = "../../examples/d1_dump/generator.rs"]
pub(crate) mod generator;

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::{DateTime, NaiveDateTime, Utc};
use generator::{Dataset, GenTable, Val};
use neptu_api::import::{self, Options, Report};
use neptu_shared::testing::TestDatabase;
use rust_decimal::Decimal;
use sqlx::Row;

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("neptu-import-{}-{name}", uuid::Uuid::new_v4().simple()))
}

async fn import(db: &TestDatabase, path: &std::path::Path, truncate: bool, dry_run: bool) -> Report {
    import::run(
        Some(&db.pool),
        &Options {
            truncate,
            dry_run,
            ..Options::new(path)
        },
    )
    .await
    .expect("the import runs")
}

fn text(v: &Val) -> Option<String> {
    match v {
        Val::Text(t) => Some(t.clone()),
        Val::Null => None,
        other => panic!("not text: {other:?}"),
    }
}

/// What the source `created_at`/`updated_at` text means.
fn instant(v: &Val) -> DateTime<Utc> {
    let t = text(v).expect("a time");
    DateTime::parse_from_rfc3339(&t)
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_else(|_| {
            NaiveDateTime::parse_from_str(&t, "%Y-%m-%d %H:%M:%S")
                .expect("sqlite datetime")
                .and_utc()
        })
}

/// JSON text, unwrapping JSON stored as a string inside a string.
fn json(v: &Val) -> serde_json::Value {
    let mut parsed: serde_json::Value = serde_json::from_str(&text(v).expect("json")).unwrap();
    while let serde_json::Value::String(inner) = parsed {
        parsed = serde_json::from_str(&inner).unwrap();
    }
    parsed
}

fn by_id(table: &GenTable) -> HashMap<String, &Vec<Val>> {
    table
        .rows
        .iter()
        .map(|row| (text(&table.get(row, "id")).unwrap(), row))
        .collect()
}

async fn check_counts(db: &TestDatabase, dataset: &Dataset, report: &Report) {
    assert!(report.complete(), "{}", report.render());
    for t in &report.tables {
        let expected = dataset.table(t.table).rows.len();
        assert_eq!(
            (t.source_rows, t.imported as usize),
            (expected, expected),
            "{}",
            t.table
        );
        let counted: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {}", t.table)))
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(counted as usize, expected, "{} in the database", t.table);
    }
    assert_eq!(
        report
            .tables
            .iter()
            .find(|t| t.table == "users")
            .unwrap()
            .unknown_columns,
        ["legacy_flag"]
    );
    assert_eq!(report.other_tables, [("d1_migrations".to_owned(), 1)]);
}

async fn check_values(db: &TestDatabase, dataset: &Dataset) {
    let users = dataset.table("users");
    let expected = by_id(users);
    let rows = sqlx::query("SELECT id::text, wallet_address, email, display_name, birth_date::text, interests, onboarded, role, created_at, updated_at FROM users")
        .fetch_all(&db.pool)
        .await
        .unwrap();
    for row in rows {
        let source = expected[&row.get::<String, _>(0)];
        assert_eq!(
            row.get::<String, _>(1),
            text(&users.get(source, "wallet_address")).unwrap()
        );
        assert_eq!(row.get::<Option<String>, _>(2), text(&users.get(source, "email")));
        let name = text(&users.get(source, "display_name")).filter(|n| !n.trim().is_empty());
        assert_eq!(
            row.get::<Option<String>, _>(3),
            name,
            "quotes, newlines and unicode survive"
        );
        assert_eq!(
            row.get::<Option<String>, _>(4),
            text(&users.get(source, "birth_date"))
        );
        let interests = match users.get(source, "interests") {
            Val::Null => serde_json::json!([]),
            v => json(&v),
        };
        assert_eq!(row.get::<serde_json::Value, _>(5), interests);
        assert_eq!(
            row.get::<bool, _>(6),
            users.get(source, "onboarded") == Val::Int(1)
        );
        let role = if users.get(source, "is_admin") == Val::Int(1) {
            "admin"
        } else {
            "user"
        };
        assert_eq!(row.get::<String, _>(7), role);
        assert_eq!(
            row.get::<DateTime<Utc>, _>(8),
            instant(&users.get(source, "created_at"))
        );
        assert_eq!(
            row.get::<DateTime<Utc>, _>(9),
            instant(&users.get(source, "updated_at"))
        );
    }

    let readings = dataset.table("readings");
    let expected = by_id(readings);
    let rows = sqlx::query("SELECT id::text, reading_data, target_date::text, tx_signature FROM readings")
        .fetch_all(&db.pool)
        .await
        .unwrap();
    for row in rows {
        let source = expected[&row.get::<String, _>(0)];
        assert_eq!(
            row.get::<serde_json::Value, _>(1),
            json(&readings.get(source, "reading_data"))
        );
        assert_eq!(
            Some(row.get::<String, _>(2)),
            text(&readings.get(source, "target_date"))
        );
        assert_eq!(
            row.get::<Option<String>, _>(3),
            text(&readings.get(source, "tx_signature"))
        );
    }

    let transactions = dataset.table("token_transactions");
    let expected = by_id(transactions);
    let rows =
        sqlx::query("SELECT id::text, sol_amount, sudigital_amount, confirmed_at FROM token_transactions")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    for row in rows {
        let source = expected[&row.get::<String, _>(0)];
        let sol = match transactions.get(source, "sol_amount") {
            Val::Real(r) => Some(r.to_string().parse::<Decimal>().unwrap()),
            _ => None,
        };
        assert_eq!(
            row.get::<Option<Decimal>, _>(1),
            sol,
            "reals become exact decimals"
        );
        assert_eq!(
            row.get::<Option<Decimal>, _>(2),
            None,
            "a column missing from an old export is NULL"
        );
        assert_eq!(
            row.get::<Option<DateTime<Utc>>, _>(3),
            Some(instant(&transactions.get(source, "confirmed_at")))
        );
    }

    let plans: Vec<(String, Decimal, serde_json::Value)> =
        sqlx::query_as("SELECT slug, price_usd, limits FROM pricing_plans ORDER BY sort_order")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    assert_eq!(
        plans.iter().map(|p| p.1.to_string()).collect::<Vec<_>>(),
        ["0", "9.99", "24.99"]
    );
    assert_eq!(plans[0].2["dailyReadings"], -1);

    let daily: serde_json::Value =
        sqlx::query_scalar("SELECT reading_data FROM daily_readings WHERE date = '2026-03-05'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(
        daily,
        serde_json::json!({ "day": 4 }),
        "double-encoded JSON becomes an object"
    );

    // History ids are kept and new rows continue after the largest ever handed out: the
    // export's sqlite_sequence (ids of deleted rows are not reused).
    let history = dataset.table("crypto_market_history");
    let max_id = history
        .rows
        .iter()
        .map(|r| match r[0] {
            Val::Int(i) => i,
            _ => 0,
        })
        .max()
        .unwrap();
    let (smallest, largest): (i64, i64) =
        sqlx::query_as("SELECT min(id), max(id) FROM crypto_market_history")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!((smallest, largest), (1_000, max_id));
    let next: i64 = sqlx::query_scalar(
        "INSERT INTO crypto_market_history (coin_id, symbol) VALUES ('x', 'X') RETURNING id",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(next, max_id.max(generator::HISTORY_SEQUENCE) + 1);
}

#[tokio::test]
async fn a_sql_dump_round_trips_every_row_and_value() {
    let dataset = generator::generate(2_000);
    assert!(dataset.rows() > 10_000);
    let path = temp("dump.sql");
    std::fs::write(&path, generator::to_sql(&dataset)).unwrap();
    let db = TestDatabase::migrated().await;

    let dry = import(&db, &path, false, true).await;
    assert!(dry.complete(), "{}", dry.render());
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(users, 0, "a dry run writes nothing");

    let report = import(&db, &path, false, false).await;
    check_counts(&db, &dataset, &report).await;
    check_values(&db, &dataset).await;

    // A second import is refused unless the target is emptied first.
    let refused = import::run(Some(&db.pool), &Options::new(&path)).await;
    assert!(refused.unwrap_err().to_string().contains("--truncate"));
    let again = import(&db, &path, true, false).await;
    check_counts(&db, &dataset, &again).await;
    std::fs::remove_file(path).unwrap();
    db.drop_database().await;
}

#[tokio::test]
async fn an_sqlite_file_imports_the_same() {
    let dataset = generator::generate(2_000);
    let path = temp("d1.sqlite");
    generator::to_sqlite(&dataset, &path).unwrap();
    let db = TestDatabase::migrated().await;
    let report = import(&db, &path, false, false).await;
    check_counts(&db, &dataset, &report).await;
    check_values(&db, &dataset).await;
    std::fs::remove_file(path).unwrap();
    db.drop_database().await;
}

#[tokio::test]
async fn rows_that_cannot_be_imported_are_reported_not_dropped() {
    let mut dataset = generator::generate(50);
    let users = dataset.tables.iter_mut().find(|t| t.name == "users").unwrap();
    users.rows[3][0] = Val::Text("not-a-uuid".into());
    users.rows[4][4] = Val::Text("1990-02-30".into());
    let readings = dataset.tables.iter_mut().find(|t| t.name == "readings").unwrap();
    let orphan = readings.rows[0][0].clone();
    readings.rows[0][1] = Val::Text("00000000-0000-4000-8000-00000000dead".into());
    let path = temp("bad.sql");
    std::fs::write(&path, generator::to_sql(&dataset)).unwrap();
    let db = TestDatabase::migrated().await;
    let report = import(&db, &path, false, false).await;
    assert!(!report.complete());
    let rendered = report.render();
    let user_report = report.tables.iter().find(|t| t.table == "users").unwrap();
    assert_eq!(
        (
            user_report.source_rows,
            user_report.imported,
            user_report.skipped.len()
        ),
        (50, 48, 2)
    );
    assert!(
        user_report
            .skipped
            .iter()
            .any(|s| s.key == "not-a-uuid" && s.column == "id"),
        "{rendered}"
    );
    assert!(
        user_report
            .skipped
            .iter()
            .any(|s| s.column == "birth_date" && s.reason.contains("not a date")),
        "{rendered}"
    );
    let reading_report = report.tables.iter().find(|t| t.table == "readings").unwrap();
    let skipped = reading_report
        .skipped
        .iter()
        .find(|s| s.column == "user_id")
        .expect("the orphan is reported");
    assert_eq!(Some(skipped.key.clone()), text(&orphan));
    assert!(rendered.contains("INCOMPLETE"));
    std::fs::remove_file(path).unwrap();
    db.drop_database().await;
}
