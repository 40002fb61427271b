//! `neptu-api migrate status` against real databases in each state it reports.

use std::process::Output;
use std::time::{Duration, Instant};

use neptu_shared::db::MIGRATOR;
use neptu_shared::testing::{TestDatabase, closed_port};

use crate::binary::run;

fn status(url: &str) -> Output {
    run(
        &["migrate", "status"],
        &[("DATABASE_URL", url), ("LOG_LEVEL", "warn")],
    )
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn versions() -> Vec<i64> {
    MIGRATOR.iter().map(|m| m.version).collect()
}

/// Exit 1, and stderr is exactly one line per expected fragment, each naming its version.
fn assert_problems(out: &Output, expected: &[(i64, &str)]) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), expected.len(), "{stderr}");
    for (version, fragment) in expected {
        assert!(
            lines
                .iter()
                .any(|l| l.contains(&version.to_string()) && l.contains(fragment)),
            "no line about {version} with {fragment:?} in:\n{stderr}"
        );
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[tokio::test]
async fn a_current_schema_is_clean() {
    let db = TestDatabase::migrated().await;
    let out = status(&db.url);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    for version in versions() {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with("applied") && l.contains(&version.to_string())),
            "{version} not listed as applied:\n{stdout}"
        );
    }
    assert!(
        stdout.contains(&format!("{} applied, 0 problem(s)", versions().len())),
        "{stdout}"
    );
    db.drop_database().await;
}

#[tokio::test]
async fn pending_migrations_are_listed_and_fail() {
    // Nothing applied yet (no bookkeeping table at all): every migration is pending.
    let db = TestDatabase::empty().await;
    let all: Vec<(i64, &str)> = versions().into_iter().map(|v| (v, "is pending")).collect();
    assert_problems(&status(&db.url), &all);
    db.drop_database().await;

    // The newest one not applied.
    let db = TestDatabase::migrated().await;
    let latest = *versions().last().unwrap();
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = $1")
        .bind(latest)
        .execute(&db.pool)
        .await
        .unwrap();
    let out = status(&db.url);
    assert_problems(&out, &[(latest, "is pending")]);
    assert!(
        text(&out.stdout)
            .lines()
            .any(|l| l.starts_with("pending") && l.contains(&latest.to_string()))
    );
    db.drop_database().await;
}

#[tokio::test]
async fn a_checksum_that_differs_from_the_file_fails() {
    let db = TestDatabase::migrated().await;
    let first = versions()[0];
    sqlx::query("UPDATE _sqlx_migrations SET checksum = '\\x00'::bytea WHERE version = $1")
        .bind(first)
        .execute(&db.pool)
        .await
        .unwrap();
    assert_problems(&status(&db.url), &[(first, "checksum")]);
    db.drop_database().await;
}

#[tokio::test]
async fn a_migration_the_binary_does_not_know_fails() {
    let db = TestDatabase::migrated().await;
    let future = 29_991_231_000_001_i64;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES ($1, 'added by a newer release', true, '\\x01'::bytea, 1)",
    )
    .bind(future)
    .execute(&db.pool)
    .await
    .unwrap();
    let out = status(&db.url);
    assert_problems(&out, &[(future, "unknown to this binary")]);
    assert!(text(&out.stdout).contains("added by a newer release"));
    db.drop_database().await;
}

#[test]
fn an_unreachable_or_invalid_database_is_one_line_and_no_panic() {
    let nowhere = format!("postgres://postgres@{}/neptu", closed_port());
    let started = Instant::now();
    let out = run(
        &["migrate", "status"],
        &[
            ("DATABASE_URL", nowhere.as_str()),
            ("DATABASE_ACQUIRE_TIMEOUT_MS", "500"),
        ],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("cannot connect to the database"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(20));

    let out = status("not a url");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("DATABASE_URL"), "{stderr}");
    assert!(!stderr.contains("panicked"));
}

#[tokio::test]
async fn a_migration_that_failed_part_way_fails() {
    let db = TestDatabase::migrated().await;
    let latest = *versions().last().unwrap();
    sqlx::query("UPDATE _sqlx_migrations SET success = false WHERE version = $1")
        .bind(latest)
        .execute(&db.pool)
        .await
        .unwrap();
    assert_problems(&status(&db.url), &[(latest, "failed part-way")]);
    db.drop_database().await;
}
