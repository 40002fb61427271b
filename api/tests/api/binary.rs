//! The `neptu-api` binary itself: exit codes, concurrent migrations, signals, log lines.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use neptu_shared::testing::{Mode, TestDatabase, closed_port, redis_url, unique_prefix};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_neptu-api");

pub(crate) fn api(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        // Production is the default; the cases that want it say so (or unset this with "").
        .env("ENVIRONMENT", "development");
    for (k, v) in env {
        command.env(k, v);
    }
    command
}

pub(crate) fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    api(args, env).output().expect("run neptu-api")
}

#[test]
fn bad_configuration_exits_2_with_one_line_naming_the_variable() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("DATABASE_URL", "postgres://u@h/db"), ("PORT", "abc")], "PORT"),
        (&[("DATABASE_URL", "nonsense")], "DATABASE_URL"),
        (&[], "DATABASE_URL"),
        (
            &[
                ("DATABASE_URL", "postgres://u@h/db"),
                ("ENVIRONMENT", "production"),
            ],
            "AUTH_TOKEN_SECRET",
        ),
        // Without ENVIRONMENT it is production: the development secret is refused too.
        (
            &[("DATABASE_URL", "postgres://u@h/db"), ("ENVIRONMENT", "")],
            "AUTH_TOKEN_SECRET",
        ),
    ];
    for (env, var) in cases {
        let out = run(&[], env);
        assert_eq!(out.status.code(), Some(2), "{var}: {out:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(var), "{stderr}");
        assert!(out.stdout.is_empty());
    }
}

#[tokio::test]
async fn concurrent_migrations_both_succeed() {
    let db = TestDatabase::empty().await;
    let env = [("DATABASE_URL", db.url.as_str()), ("LOG_LEVEL", "warn")];
    let first = api(&["migrate"], &env).spawn().unwrap();
    let second = api(&["migrate"], &env).spawn().unwrap();
    for child in [first, second] {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    assert!(neptu_shared::db::schema_is_current(&db.pool).await.unwrap());
    let again = run(&["migrate"], &env);
    assert!(again.status.success(), "migrating a current schema is a no-op");
    db.drop_database().await;
}

/// The binary on a free port, its stdout collected as it comes (a busy server writes more log
/// than a pipe holds, and would block on a full one).
pub(crate) struct Server {
    child: Child,
    pub(crate) port: u16,
    stdout: Option<std::thread::JoinHandle<Vec<String>>>,
}

impl Server {
    pub(crate) fn start(database_url: &str, extra: &[(&str, &str)]) -> Self {
        let port = closed_port().port();
        let port_text = port.to_string();
        let prefix = unique_prefix();
        let redis = redis_url();
        let mut env = vec![
            ("DATABASE_URL", database_url),
            ("REDIS_URL", redis.as_str()),
            ("CACHE_PREFIX", prefix.as_str()),
            ("PORT", port_text.as_str()),
            ("HOST", "127.0.0.1"),
            ("LOG_FORMAT", "json"),
            ("SHUTDOWN_DRAIN_MS", "0"),
        ];
        env.extend_from_slice(extra);
        let mut child = api(&[], &env)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let out = child.stdout.take().unwrap();
        let stdout = std::thread::spawn(move || BufReader::new(out).lines().map_while(Result::ok).collect());
        Self {
            child,
            port,
            stdout: Some(stdout),
        }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub(crate) async fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(r) = reqwest::get(self.url("/ready")).await
                && r.status() == 200
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("neptu-api did not become ready");
    }

    pub(crate) fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for exit; returns the exit code and stdout lines.
    pub(crate) fn finish(mut self, within: Duration) -> (Option<i32>, Vec<String>) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let lines = self.stdout.take().unwrap().join().unwrap();
                return (status.code(), lines);
            }
            if started.elapsed() > within {
                let _ = self.child.kill();
                panic!("neptu-api did not exit within {within:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[tokio::test]
async fn sigterm_lets_the_in_flight_request_finish_then_exits_0() {
    let db = TestDatabase::migrated().await;
    // The database goes through a proxy so a request can be made slow: with Postgres
    // black-holed, /ready takes about a second to give up.
    let (proxy, via_proxy) = crate::postgres_via_proxy(&db).await;
    let server = Server::start(via_proxy.as_str(), &[]);
    server.wait_ready().await;

    proxy.set_mode(Mode::BlackHole);
    let slow = tokio::spawn(reqwest::get(server.url("/ready")));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let signalled = Instant::now();
    server.terminate();

    let response = slow
        .await
        .unwrap()
        .expect("the in-flight request gets its answer");
    assert_eq!(response.status(), 503);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["checks"]["database"], "unavailable");
    let (code, _) = server.finish(Duration::from_secs(10));
    assert_eq!(code, Some(0));
    assert!(signalled.elapsed() < Duration::from_secs(10));
    proxy.set_mode(Mode::Up);
    db.drop_database().await;
}

#[tokio::test]
async fn every_request_log_line_is_json_with_the_request_id() {
    let db = TestDatabase::migrated().await;
    let server = Server::start(&db.url, &[]);
    server.wait_ready().await;
    let client = reqwest::Client::new();
    let r = client
        .get(server.url("/"))
        .header("x-request-id", "trace-me-123")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    client
        .get(server.url("/missing"))
        .header("x-request-id", "trace-me-456")
        .send()
        .await
        .unwrap();

    let healthy = run(&["healthcheck"], &[("PORT", &server.port.to_string())]);
    assert!(healthy.status.success(), "{healthy:?}");

    server.terminate();
    let (code, lines) = server.finish(Duration::from_secs(10));
    assert_eq!(code, Some(0));
    let logs: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}")))
        .collect();
    for id in ["trace-me-123", "trace-me-456"] {
        let line = logs
            .iter()
            .find(|l| l["span"]["request_id"] == id)
            .unwrap_or_else(|| panic!("no line for {id}: {lines:?}"));
        assert_eq!(line["message"], "request finished");
        assert!(line["status"].is_u64() && line["span"]["route"].is_string());
    }
    assert!(
        !lines.iter().any(|l| l.contains("/health")),
        "probes are not access-logged"
    );
    db.drop_database().await;
}

#[test]
fn healthcheck_fails_without_a_server() {
    let out = run(&["healthcheck"], &[("PORT", &closed_port().port().to_string())]);
    assert_eq!(out.status.code(), Some(1));
}

#[tokio::test]
async fn metrics_on_the_internal_listener() {
    let db = TestDatabase::migrated().await;
    let metrics_port = closed_port().port().to_string();
    let listen = format!("127.0.0.1:{metrics_port}");
    let server = Server::start(&db.url, &[("METRICS_LISTEN", &listen)]);
    server.wait_ready().await;
    reqwest::get(server.url("/api/reading/today")).await.unwrap();
    let page = reqwest::get(format!("http://{listen}/metrics")).await.unwrap();
    assert_eq!(page.status(), 200);
    let text = page.text().await.unwrap();
    assert!(text.contains(r#"route="/api/reading/today""#), "{text}");
    assert_eq!(
        reqwest::get(server.url("/metrics")).await.unwrap().status(),
        404,
        "not on the public port"
    );
    server.terminate();
    let (code, _) = server.finish(Duration::from_secs(10));
    assert_eq!(code, Some(0));
    db.drop_database().await;
}

#[tokio::test]
async fn logs_never_contain_credentials_or_secrets() {
    use ring::rand::SystemRandom;
    use ring::signature::{Ed25519KeyPair, KeyPair};

    let db = TestDatabase::migrated().await;
    let secret = "log-hygiene-secret-0123456789abcdef0123";
    let metrics_token = "log-hygiene-metrics-token";
    let server = Server::start(
        &db.url,
        &[
            ("AUTH_TOKEN_SECRET", secret),
            ("METRICS_TOKEN", metrics_token),
            ("LOG_LEVEL", "debug"),
        ],
    );
    server.wait_ready().await;

    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
    let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
    let wallet = bs58::encode(pair.public_key().as_ref()).into_string();
    let client = reqwest::Client::new();
    let nonce: Value = client
        .post(server.url("/api/auth/nonce"))
        .json(&serde_json::json!({ "walletAddress": wallet }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let signature =
        bs58::encode(pair.sign(nonce["message"].as_str().unwrap().as_bytes()).as_ref()).into_string();
    let session: Value = client
        .post(server.url("/api/auth/verify"))
        .json(&serde_json::json!({ "walletAddress": wallet, "signature": signature }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = session["accessToken"].as_str().unwrap().to_owned();
    let refresh = session["refreshToken"].as_str().unwrap().to_owned();
    let r = client
        .get(server.url(&format!("/api/users/{wallet}")))
        .bearer_auth(&access)
        .header("cookie", "session=cookie-secret-value")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    client
        .post(server.url("/api/auth/refresh"))
        .json(&serde_json::json!({ "refreshToken": refresh }))
        .send()
        .await
        .unwrap();
    client
        .get(server.url("/metrics"))
        .bearer_auth(metrics_token)
        .send()
        .await
        .unwrap();
    client
        .get(server.url(&format!("/api/users/{wallet}")))
        .bearer_auth("not-a-valid-token-xyz")
        .send()
        .await
        .unwrap();

    server.terminate();
    let (code, lines) = server.finish(Duration::from_secs(10));
    assert_eq!(code, Some(0));
    let logs = lines.join("\n");
    assert!(logs.contains("request finished"), "requests were logged");
    for needle in [
        access.as_str(),
        refresh.as_str(),
        signature.as_str(),
        nonce["nonce"].as_str().unwrap(),
        "cookie-secret-value",
        secret,
        metrics_token,
        "not-a-valid-token-xyz",
        "Bearer",
    ] {
        assert!(!logs.contains(needle), "the logs contain {needle}");
    }
    db.drop_database().await;
}

#[tokio::test]
async fn dev_token_prints_a_working_token_and_is_refused_in_production() {
    let db = TestDatabase::migrated().await;
    let secret = "dev-token-test-secret-0123456789abcdef";
    let wallet = crate::wallet_address(42);
    let env = [("DATABASE_URL", db.url.as_str()), ("AUTH_TOKEN_SECRET", secret)];
    let out = run(&["dev-token", &wallet], &env);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "the token alone: {stdout}");
    let keys = neptu_shared::auth::TokenKeys::new(secret.as_bytes());
    let claims = keys
        .verify_access(stdout.trim(), chrono::Utc::now().timestamp())
        .expect("a valid access token");
    let user = neptu_shared::db::users::find_by_wallet(&db.pool, &wallet)
        .await
        .unwrap()
        .expect("the user was created");
    assert_eq!((claims.sub, claims.wal.as_str()), (user.id, wallet.as_str()));

    let production = [
        ("DATABASE_URL", db.url.as_str()),
        ("AUTH_TOKEN_SECRET", secret),
        ("API_KEY_SECRET", "fedcba9876543210fedcba9876543210"),
        ("ENVIRONMENT", "production"),
    ];
    let out = run(&["dev-token", &wallet], &production);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "no token");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("ENVIRONMENT=production"), "{stderr}");

    let out = run(&["dev-token", "not-a-wallet"], &env);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    db.drop_database().await;
}
