//! Backups: a dump taken by `neptu-api backup` restores into a fresh database with the same
//! rows; retention deletes only our old dumps; S3 uploads are signed and not chunked.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::get;
use chrono::Utc;
use neptu_shared::backup::dump_name;
use neptu_shared::testing::{FakeServer, TestDatabase};
use sqlx::PgPool;

use crate::test_settings;

const BIN: &str = env!("CARGO_BIN_EXE_neptu-api");

fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("neptu-backup-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Rows per table, over every schema the application owns.
async fn row_counts(pool: &PgPool) -> BTreeMap<String, i64> {
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_schema, table_name FROM information_schema.tables
         WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut counts = BTreeMap::new();
    for (schema, table) in tables {
        let sql = format!("SELECT count(*) FROM \"{schema}\".\"{table}\"");
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_one(pool)
            .await
            .unwrap();
        counts.insert(format!("{schema}.{table}"), n);
    }
    counts
}

/// A digest of every user row, so the restore is compared by value, not only by count.
async fn users_digest(pool: &PgPool) -> String {
    let (digest,): (Option<String>,) =
        sqlx::query_as("SELECT md5(string_agg(u::text, '|' ORDER BY u.id)) FROM users u")
            .fetch_one(pool)
            .await
            .unwrap();
    digest.expect("users exist")
}

async fn seeded_database() -> TestDatabase {
    let db = TestDatabase::migrated().await;
    neptu_api::commands::seed(&db.pool, None).await.unwrap();
    // Text that survives only a faithful dump: quotes, newlines, unicode.
    for i in 0..50 {
        sqlx::query("INSERT INTO users (wallet_address, display_name) VALUES ($1, $2)")
            .bind(format!("Backup{i:040}"))
            .bind(format!("Ni Luh 'Putu' \"{i}\"\nSanur ☀ {i}"))
            .execute(&db.pool)
            .await
            .unwrap();
    }
    db
}

#[tokio::test]
async fn a_backup_restores_into_a_fresh_database_with_identical_rows() {
    let source = seeded_database().await;
    let dir = scratch_dir();
    let old = dir.join("neptu-20200101T030000Z.dump");
    std::fs::write(&old, b"an expired dump").unwrap();
    std::fs::write(dir.join("notes.txt"), b"not ours").unwrap();

    let settings = test_settings(&source.url, &[("BACKUP_KEEP_DAYS", "7")]);
    neptu_api::commands::backup::run(&settings, Some(dir.to_str().unwrap()))
        .await
        .unwrap();

    let dumps: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "dump"))
        .collect();
    assert_eq!(
        dumps.len(),
        1,
        "the new dump only, the expired one pruned: {dumps:?}"
    );
    assert!(!old.exists());
    assert!(
        dir.join("notes.txt").exists(),
        "files that are not dumps are left alone"
    );
    let dump = &dumps[0];
    let name = dump.file_name().unwrap().to_str().unwrap();
    assert!(neptu_shared::backup::dump_time(name).is_some(), "{name}");

    // The binary checks it without any configuration.
    let verified = Command::new(BIN)
        .args(["backup-verify", dump.to_str().unwrap()])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&verified.stdout);
    assert!(
        verified.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&verified.stderr)
    );
    assert!(stdout.contains("tables with data"), "{stdout}");

    let target = TestDatabase::empty().await;
    restore(dump, &target.url);
    let before = row_counts(&source.pool).await;
    assert!(before["public.users"] > 50, "{before:?}");
    assert!(before["public.pricing_plans"] > 0, "{before:?}");
    assert_eq!(row_counts(&target.pool).await, before);
    assert_eq!(users_digest(&target.pool).await, users_digest(&source.pool).await);

    std::fs::remove_dir_all(&dir).unwrap();
    target.drop_database().await;
    source.drop_database().await;
}

fn restore(dump: &Path, url: &str) {
    let output = Command::new("pg_restore")
        .args([
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--dbname",
            url,
        ])
        .arg(dump)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "pg_restore: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn backup_verify_rejects_a_file_that_is_not_a_dump() {
    let dir = scratch_dir();
    let file = dir.join("neptu-20261125T030000Z.dump");
    std::fs::write(&file, b"PGDMP but not really").unwrap();
    let output = Command::new(BIN)
        .args(["backup-verify", file.to_str().unwrap()])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not a usable backup"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_failed_dump_stores_nothing() {
    let dir = scratch_dir();
    // A database that does not exist: pg_dump fails, nothing (not even a partial) remains.
    let db = TestDatabase::migrated().await;
    let missing = db
        .url
        .replace(&db.name, "neptu_no_such_database")
        .replace("postgres@", "postgres:s3cr3t-pw@");
    assert!(missing.contains("s3cr3t-pw"), "{missing}");
    let settings = test_settings(&missing, &[]);
    let error = neptu_api::commands::backup::run(&settings, Some(dir.to_str().unwrap()))
        .await
        .unwrap_err();
    assert!(format!("{error:#}").contains("pg_dump failed"), "{error:#}");
    assert!(!format!("{error:#}").contains("s3cr3t-pw"), "{error:#}");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    std::fs::remove_dir_all(&dir).unwrap();
    db.drop_database().await;
}

/// An in-memory S3 bucket: records how each request was made.
#[derive(Default)]
struct FakeBucket {
    objects: Mutex<HashMap<String, Vec<u8>>>,
    unsigned: Mutex<u32>,
    chunked_uploads: Mutex<u32>,
}

fn signed(query: &HashMap<String, String>) -> bool {
    query.get("X-Amz-Algorithm").map(String::as_str) == Some("AWS4-HMAC-SHA256")
        && query.contains_key("X-Amz-Signature")
        && query
            .get("X-Amz-Credential")
            .is_some_and(|c| c.starts_with("test-key-id/"))
}

fn fake_s3(bucket: Arc<FakeBucket>) -> Router {
    async fn list(
        State(b): State<Arc<FakeBucket>>,
        Query(q): Query<HashMap<String, String>>,
    ) -> (StatusCode, String) {
        if !signed(&q) {
            *b.unsigned.lock().unwrap() += 1;
            return (StatusCode::FORBIDDEN, "<Error/>".into());
        }
        let prefix = q.get("prefix").cloned().unwrap_or_default();
        let mut keys: Vec<String> = b.objects.lock().unwrap().keys().cloned().collect();
        keys.sort();
        let contents: String = keys
            .iter()
            .filter(|k| k.starts_with(&prefix))
            .map(|k| format!("<Contents><Key>{k}</Key><Size>1</Size></Contents>"))
            .collect();
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>neptu-backups</Name><Prefix>{prefix}</Prefix><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>{contents}</ListBucketResult>"#
        );
        (StatusCode::OK, xml)
    }
    async fn put(
        State(b): State<Arc<FakeBucket>>,
        UrlPath((_bucket, key)): UrlPath<(String, String)>,
        Query(q): Query<HashMap<String, String>>,
        headers: HeaderMap,
        body: Bytes,
    ) -> StatusCode {
        if !signed(&q) {
            *b.unsigned.lock().unwrap() += 1;
            return StatusCode::FORBIDDEN;
        }
        if headers.contains_key(header::TRANSFER_ENCODING) || !headers.contains_key(header::CONTENT_LENGTH) {
            *b.chunked_uploads.lock().unwrap() += 1;
            return StatusCode::NOT_IMPLEMENTED;
        }
        b.objects.lock().unwrap().insert(key, body.to_vec());
        StatusCode::OK
    }
    async fn delete(
        State(b): State<Arc<FakeBucket>>,
        UrlPath((_bucket, key)): UrlPath<(String, String)>,
        Query(q): Query<HashMap<String, String>>,
    ) -> StatusCode {
        if !signed(&q) {
            *b.unsigned.lock().unwrap() += 1;
            return StatusCode::FORBIDDEN;
        }
        b.objects.lock().unwrap().remove(&key);
        StatusCode::NO_CONTENT
    }
    Router::new()
        .route("/{bucket}/", get(list))
        .route("/{bucket}/{*key}", axum::routing::put(put).delete(delete))
        .with_state(bucket)
}

#[tokio::test]
async fn s3_backups_are_signed_uploaded_whole_and_pruned_under_their_prefix() {
    let bucket = Arc::new(FakeBucket::default());
    for key in [
        "daily/neptu-20200101T030000Z.dump",
        "daily/readme.txt",
        "other/neptu-20200101T030000Z.dump",
    ] {
        bucket.objects.lock().unwrap().insert(key.into(), b"old".to_vec());
    }
    let s3 = FakeServer::start(fake_s3(Arc::clone(&bucket))).await;
    let db = seeded_database().await;
    let endpoint = s3.url("");
    let settings = test_settings(
        &db.url,
        &[
            ("BACKUP_S3_ENDPOINT", endpoint.as_str()),
            ("BACKUP_S3_ACCESS_KEY_ID", "test-key-id"),
            ("BACKUP_S3_SECRET_ACCESS_KEY", "test-secret-key"),
        ],
    );
    let before = Utc::now();
    neptu_api::commands::backup::run(&settings, Some("s3://neptu-backups/daily"))
        .await
        .unwrap();

    assert_eq!(*bucket.unsigned.lock().unwrap(), 0);
    assert_eq!(*bucket.chunked_uploads.lock().unwrap(), 0);
    let objects = bucket.objects.lock().unwrap().clone();
    let mut keys: Vec<&String> = objects.keys().collect();
    keys.sort();
    let new_key = keys
        .iter()
        .find(|k| k.starts_with("daily/neptu-") && **k != "daily/neptu-20200101T030000Z.dump")
        .expect("the new dump was uploaded");
    let expected_names = [
        dump_name(before),
        dump_name(before + chrono::TimeDelta::seconds(5)),
    ];
    assert!(expected_names[0].as_str() <= &new_key["daily/".len()..]);
    assert!(&new_key["daily/".len()..] <= expected_names[1].as_str());
    assert!(objects[*new_key].starts_with(b"PGDMP"), "a custom-format dump");
    assert!(
        !objects.contains_key("daily/neptu-20200101T030000Z.dump"),
        "expired dump pruned"
    );
    assert!(objects.contains_key("daily/readme.txt"));
    assert!(
        objects.contains_key("other/neptu-20200101T030000Z.dump"),
        "outside the prefix"
    );
    assert_eq!(objects.len(), 3, "{keys:?}");
    db.drop_database().await;
}
