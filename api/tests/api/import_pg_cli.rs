//! `neptu-api import-pg` as a command (exit status on garbage, an unreachable or a wrong
//! source), and an imported user signing in with their wallet and reading their data.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use neptu_shared::testing::{ChaosProxy, Mode, TestDatabase, database_url};
use reqwest::Method;
use ring::signature::{Ed25519KeyPair, KeyPair};
use serde_json::json;

use crate::import_pg::{import_pg, original};
use crate::{spawn_on, test_settings};

const BIN: &str = env!("CARGO_BIN_EXE_neptu-api");
/// The sample's user Alice: her wallet is the public key of this seed.
const ALICE_SEED: [u8; 32] = [0x41; 32];
const ADMIN_WALLET: &str = "8qbHcLybVqmpmc5GvFGDMrg71EmtWgXPsGb2Jsap5rR";

fn import_command(target: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("import-pg")
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("ENVIRONMENT", "development")
        .env("DATABASE_URL", target)
        .env("LOG_LEVEL", "warn")
        .output()
        .expect("run neptu-api")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[tokio::test]
async fn garbage_in_the_source_is_reported_row_by_row_and_fails_the_command() {
    let source = original(0).await;
    sqlx::raw_sql(
        "INSERT INTO users (id, wallet_address) VALUES ('user-1', 'GarbageWallet00000000000000000000001');
         INSERT INTO users (id, wallet_address, created_at) VALUES
             ('5f0c1b2a-0000-4000-8000-000000000001', 'GarbageWallet00000000000000000000002', 'infinity');
         INSERT INTO readings (id, user_id, type, target_date, reading_data) VALUES
             ('5f0c1b2a-0000-4000-8000-000000000002', 'user-1', 'potensi', '2026-02-10', '{}'),
             ('5f0c1b2a-0000-4000-8000-000000000006', '5f0c1b2a-0000-4000-8000-000000000001', 'potensi', '2026-02-10', '{}'),
             ('5f0c1b2a-0000-4000-8000-000000000003', '0b8e4c1a-5f2d-4e7b-9a61-3c2d1e0f4a11', 'potensi', '2026-02-10',
              to_jsonb('not json at all'::text));
         INSERT INTO user_rewards (id, user_id, reward_type, neptu_amount, expires_at) VALUES
             ('5f0c1b2a-0000-4000-8000-000000000004', '0b8e4c1a-5f2d-4e7b-9a61-3c2d1e0f4a11', 'daily_check_in', 0.1, 'next tuesday');
         INSERT INTO payments (id, user_id, payment_type, amount, tx_signature) VALUES
             ('5f0c1b2a-0000-4000-8000-000000000005', '0b8e4c1a-5f2d-4e7b-9a61-3c2d1e0f4a11', 'sol', 'NaN', 'sigNaN');
         INSERT INTO daily_readings (date, type, reading_data) VALUES ('2026-03-07', 'peluang', '42');",
    )
    .execute(&source.pool)
    .await
    .unwrap();
    let target = TestDatabase::migrated().await;

    let dry = import_command(&target.url, &["--from", &source.url, "--dry-run"]);
    assert!(!dry.status.success(), "a dry run fails too: {}", text(&dry));

    let out = import_command(&target.url, &["--from", &source.url]);
    let report = text(&out);
    assert!(!out.status.success(), "{report}");
    for expected in [
        "skipped users user-1 (column id): \"user-1\" is not a UUID",
        "skipped users 5f0c1b2a-0000-4000-8000-000000000001 (column created_at): \"infinity\" is not a date-time",
        "skipped readings 5f0c1b2a-0000-4000-8000-000000000002 (column user_id): \"user-1\" is not a UUID",
        "skipped readings 5f0c1b2a-0000-4000-8000-000000000006 (column user_id): user 5f0c1b2a-0000-4000-8000-000000000001 is not imported",
        "skipped readings 5f0c1b2a-0000-4000-8000-000000000003 (column reading_data): a JSON string that is not JSON",
        "skipped user_rewards 5f0c1b2a-0000-4000-8000-000000000004 (column expires_at)",
        "skipped payments 5f0c1b2a-0000-4000-8000-000000000005 (column amount)",
        "skipped daily_readings 2026-03-07/peluang (column reading_data): expected a JSON object, got number",
        "INCOMPLETE",
    ] {
        assert!(report.contains(expected), "{expected:?} in:\n{report}");
    }
    let users_line = report.lines().find(|l| l.starts_with("users ")).unwrap();
    assert_eq!(
        users_line.split_whitespace().collect::<Vec<_>>(),
        ["users", "6", "4", "2"],
        "source, imported, skipped"
    );
    let imported: i64 = sqlx::query_scalar("SELECT count(*) FROM readings")
        .fetch_one(&target.pool)
        .await
        .unwrap();
    assert_eq!(
        imported, 4,
        "the good rows of a table go in, the bad ones are reported"
    );
    source.drop_database().await;
    target.drop_database().await;
}

#[tokio::test]
async fn an_unreachable_wrong_or_malformed_source_fails_fast() {
    let target = TestDatabase::migrated().await;
    let server = url::Url::parse(&database_url()).unwrap();
    let server = format!("{}:{}", server.host_str().unwrap(), server.port().unwrap_or(5432));
    let server = std::net::ToSocketAddrs::to_socket_addrs(&server)
        .unwrap()
        .next()
        .unwrap();
    let proxy = ChaosProxy::start(server).await;
    proxy.set_mode(Mode::BlackHole);
    let url = format!("postgres://postgres@{}/postgres", proxy.addr());
    let started = Instant::now();
    let out = import_command(&target.url, &["--from", &url, "--connect-timeout-secs", "1"]);
    assert!(!out.status.success());
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    assert!(text(&out).contains("did not answer within 1 s"), "{}", text(&out));

    let empty = TestDatabase::empty().await;
    let out = import_command(&target.url, &["--from", &empty.url]);
    assert!(!out.status.success());
    assert!(text(&out).contains("none of the tables"), "{}", text(&out));

    let out = import_command(&target.url, &["--from", "mysql://somewhere/db"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("not a usable Postgres URL"), "{}", text(&out));
    empty.drop_database().await;
    target.drop_database().await;
}

#[tokio::test]
async fn an_imported_user_signs_in_and_sees_their_readings_streak_and_rewards() {
    let source = original(10).await;
    let target = TestDatabase::migrated().await;
    let report = import_pg(&target, &source, false, false).await.unwrap();
    assert!(report.complete(), "{}", report.render());
    let settings = test_settings(&target.url, &[]);
    let pool = neptu_shared::db::pool(&settings.database, "neptu-api-test");
    let app = spawn_on(target, settings, pool).await;

    let pair = Ed25519KeyPair::from_seed_unchecked(&ALICE_SEED).unwrap();
    let wallet = bs58::encode(pair.public_key().as_ref()).into_string();
    let (status, body) = app
        .call(
            Method::POST,
            "/api/auth/nonce",
            None,
            Some(json!({ "walletAddress": wallet })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let signature =
        bs58::encode(pair.sign(body["message"].as_str().unwrap().as_bytes()).as_ref()).into_string();
    let (status, body) = app
        .call(
            Method::POST,
            "/api/auth/verify",
            None,
            Some(json!({ "walletAddress": wallet, "signature": signature })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["user"]["id"], "0b8e4c1a-5f2d-4e7b-9a61-3c2d1e0f4a11",
        "the imported user, not a new one"
    );
    let token = body["accessToken"].as_str().unwrap().to_owned();

    let (status, body) = app.get_as(&format!("/api/users/{wallet}"), &token).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"]["displayName"], "Alice");
    assert_eq!(body["user"]["interests"], json!(["love", "crypto"]));
    assert_eq!(body["user"]["createdAt"], "2026-02-01T09:30:00.123Z");

    let (status, body) = app.get_as(&format!("/api/users/{wallet}/readings"), &token).await;
    assert_eq!(status, 200, "{body}");
    let data: Vec<_> = body["readings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["readingData"].clone())
        .collect();
    assert_eq!(
        data,
        [
            json!({ "peluang": { "day": 4, "lucky": [1, 2] } }),
            json!({ "potensi": { "wuku": "Sinta", "urip": 12, "notes": "quote \" and ü" } }),
        ],
        "both jsonb encodings come back as objects, newest first"
    );

    let (status, body) = app.get_as(&format!("/api/wallet/streak/{wallet}"), &token).await;
    assert_eq!(status, 200, "{body}");
    let streak = &body["streak"];
    assert_eq!(
        (
            &streak["currentStreak"],
            &streak["longestStreak"],
            &streak["totalCheckIns"]
        ),
        (&json!(3), &json!(7), &json!(12))
    );
    assert_eq!(streak["lastCheckIn"], "2026-02-14T23:59:59.999Z");

    let (status, body) = app.get_as(&format!("/api/wallet/rewards/{wallet}"), &token).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["rewards"].as_array().unwrap().len(), 2, "{body}");
    assert_eq!(body["totalPending"], json!(5.1));

    let (status, body) = app
        .get_as(&format!("/api/token/transactions/{wallet}"), &token)
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body.to_string().matches("5h3Y9sigAliceReading").count(),
        1,
        "{body}"
    );

    let (status, _) = app.get_as(&format!("/api/users/{ADMIN_WALLET}"), &token).await;
    assert_eq!(status, 403, "another imported user's data stays theirs");
    let admin_id = uuid::Uuid::parse_str("1c9f5d2b-6a3e-4f8c-8b72-4d3e2f1a5b22").unwrap();
    let user = neptu_shared::db::users::find_by_id(&app.db.pool, admin_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        user.role,
        neptu_shared::domain::enums::Role::Admin,
        "the admin flag became the role"
    );
    source.drop_database().await;
    app.stop().await;
}
