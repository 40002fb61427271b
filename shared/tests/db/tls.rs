//! Postgres over verified TLS, against a private cluster that takes TCP clients over TLS only,
//! with a certificate from a CA the test makes up. Settings come from configuration, as the
//! services build them.

use std::collections::HashMap;
use std::path::Path;

use neptu_shared::config::{DatabaseSettings, Service, Settings};
use neptu_shared::testing::{TempDir, TestCa, TlsPostgres, system_bundle_with};
use sqlx::{Connection, PgConnection};

fn settings(extra: &[(&str, &str)]) -> Settings {
    let mut env: HashMap<String, String> = HashMap::from([("ENVIRONMENT".into(), "development".into())]);
    env.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    Settings::from_env(Service::Worker, &env).expect("configuration")
}

fn database(url: &str, ca: Option<&Path>) -> DatabaseSettings {
    let ca = ca.map(|p| p.display().to_string());
    let mut env = vec![("DATABASE_URL", url)];
    if let Some(ca) = &ca {
        env.push(("DATABASE_CA_FILE", ca));
    }
    settings(&env).database
}

async fn connect(settings: &DatabaseSettings) -> Result<PgConnection, String> {
    PgConnection::connect_with(&settings.connect_options("neptu-tls-test"))
        .await
        .map_err(|e| e.to_string())
}

#[tokio::test]
async fn verify_full_trusts_the_ca_file_and_refuses_other_roots() {
    let ca = TestCa::new("neptu test CA");
    let server = TlsPostgres::start(&ca, &["127.0.0.1"]).await;
    let files = TempDir::new("pg-ca");
    let right = files.write("ca.pem", ca.pem());
    let other = files.write("other.pem", TestCa::new("some other CA").pem());
    let url = server.url("127.0.0.1", "verify-full");

    let verified = database(&url, Some(&right));
    let mut conn = connect(&verified).await.expect("TLS with the server's CA");
    let ssl: bool = sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert!(ssl, "the session must be encrypted");
    // The pool the services use takes the same options.
    let pool = neptu_shared::db::pool(&verified, "neptu-tls-test");
    let one: i32 = sqlx::query_scalar("SELECT 1").fetch_one(&pool).await.unwrap();
    assert_eq!(one, 1);
    pool.close().await;
    // A large bundle holding the CA among many others (the system's) works as well.
    let bundle = files.write("bundle.pem", &system_bundle_with(&ca));
    connect(&database(&url, Some(&bundle)))
        .await
        .expect("TLS with a bundle");

    let error = connect(&database(&url, Some(&other))).await.unwrap_err();
    assert!(
        error.contains("UnknownIssuer"),
        "another CA must be refused: {error}"
    );
    let error = connect(&database(&url, None)).await.unwrap_err();
    assert!(
        error.contains("UnknownIssuer"),
        "the built-in roots do not know a private CA: {error}"
    );

    // The server refuses TCP clients without TLS, so the connection above was encrypted.
    let plain = connect(&database(&server.url("127.0.0.1", "disable"), None)).await;
    assert!(plain.is_err(), "a plain connection must be refused");
}

#[tokio::test]
async fn verify_full_refuses_a_certificate_for_another_host() {
    let ca = TestCa::new("neptu test CA");
    let server = TlsPostgres::start(&ca, &["db.other.example"]).await;
    let files = TempDir::new("pg-ca");
    let right = files.write("ca.pem", ca.pem());

    let error = connect(&database(&server.url("127.0.0.1", "verify-full"), Some(&right)))
        .await
        .unwrap_err();
    assert!(
        error.to_ascii_lowercase().contains("not valid for name") || error.contains("NotValidForName"),
        "a certificate for another host must be refused: {error}"
    );
    // verify-ca checks the chain only: the same CA connects, so the refusal was the name.
    connect(&database(&server.url("127.0.0.1", "verify-ca"), Some(&right)))
        .await
        .expect("verify-ca with the server's CA");
}

/// The backup's `pg_dump` (libpq, which does not know our built-in roots) is given the CA file.
#[tokio::test]
async fn backups_verify_the_server_with_the_ca_file() {
    let ca = TestCa::new("neptu test CA");
    let server = TlsPostgres::start(&ca, &["127.0.0.1"]).await;
    let files = TempDir::new("pg-ca");
    let right = files.write("ca.pem", ca.pem());
    let dumps = TempDir::new("pg-dumps");
    let url = server.url("127.0.0.1", "verify-full");
    let ca_path = right.display().to_string();
    let bin_dir = server.bin_dir().display().to_string();
    let to = dumps.path().display().to_string();
    let with_ca = settings(&[
        ("DATABASE_URL", &url),
        ("DATABASE_CA_FILE", &ca_path),
        ("BACKUP_TO", &to),
        ("BACKUP_PG_BIN_DIR", &bin_dir),
    ]);

    let mut conn = connect(&with_ca.database).await.unwrap();
    sqlx::raw_sql("CREATE TABLE kept (n int); INSERT INTO kept VALUES (1)")
        .execute(&mut conn)
        .await
        .unwrap();
    let report = neptu_shared::backup::run(&with_ca.backup, &with_ca.database, chrono::Utc::now())
        .await
        .expect("backup over verified TLS");
    assert_eq!(report.tables_with_data, 1);

    // Without the CA file libpq has nothing to check the server against, and refuses.
    let without_ca = settings(&[
        ("DATABASE_URL", &url),
        ("BACKUP_TO", &to),
        ("BACKUP_PG_BIN_DIR", &bin_dir),
    ]);
    let error = neptu_shared::backup::run(&without_ca.backup, &without_ca.database, chrono::Utc::now())
        .await
        .unwrap_err();
    assert!(format!("{error:#}").contains("root certificate"), "{error:#}");
}
