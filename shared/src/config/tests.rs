use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

use super::*;

const DB: &str = "postgres://neptu:db-password-123@127.0.0.1:5432/neptu";

/// A development environment (production is the default, and needs secrets) with `pairs`.
fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    let mut map: HashMap<String, String> = HashMap::from([
        ("DATABASE_URL".into(), DB.into()),
        ("ENVIRONMENT".into(), "development".into()),
    ]);
    for (k, v) in pairs {
        map.insert((*k).into(), (*v).into());
    }
    map
}

fn error(service: Service, pairs: &[(&str, &str)]) -> ConfigError {
    Settings::from_env(service, &env(pairs)).expect_err("configuration should be rejected")
}

#[test]
fn defaults_depend_on_the_service() {
    let api = Settings::from_env(Service::Api, &env(&[])).unwrap();
    let worker = Settings::from_env(Service::Worker, &env(&[])).unwrap();
    assert_eq!(api.http.listen.port(), 3000);
    assert_eq!(worker.http.listen.port(), 8080);
    assert_eq!(api.database.max_connections, 10);
    assert_eq!(api.cache.prefix, "neptu:");
    assert!(api.cache.redis_url.is_none());
    assert_eq!(api.http.cors_allowed_origins.len(), 7);
    assert!(api.database.run_migrations);
    assert_eq!(api.log.format, LogFormat::Pretty);
    assert!(api.auth.token_secret_is_development_default);
}

#[test]
fn bad_port_names_the_variable_and_value() {
    let err = error(Service::Api, &[("PORT", "abc")]);
    assert_eq!(err.var(), "PORT");
    assert!(err.to_string().contains("\"abc\""), "{err}");
}

#[test]
fn nonsense_database_url_is_rejected_without_echoing_it() {
    let err = error(Service::Api, &[("DATABASE_URL", "nonsense-with-secret")]);
    assert_eq!(err.var(), "DATABASE_URL");
    assert!(!err.to_string().contains("nonsense-with-secret"));
    let err = error(Service::Worker, &[("DATABASE_URL", "mysql://u:p@h/db")]);
    assert_eq!(err.var(), "DATABASE_URL");
}

#[test]
fn missing_database_url_is_an_error() {
    let err = Settings::from_env(Service::Api, &HashMap::new()).unwrap_err();
    assert_eq!(err, ConfigError::Missing { var: "DATABASE_URL" });
}

#[test]
fn empty_values_count_as_unset() {
    let s = Settings::from_env(Service::Api, &env(&[("REDIS_URL", ""), ("PORT", " ")])).unwrap();
    assert!(s.cache.redis_url.is_none());
    assert_eq!(s.http.listen.port(), 3000);
}

#[test]
fn invalid_values_are_named() {
    let cases: &[(&str, &str)] = &[
        ("ENVIRONMENT", "staging"),
        ("REDIS_URL", "http://not-redis"),
        ("DATABASE_MAX_CONNECTIONS", "0"),
        ("RUN_MIGRATIONS", "maybe"),
        ("LOG_FORMAT", "xml"),
        ("LOG_LEVEL", "info,[[["),
        ("CORS_ALLOWED_ORIGINS", "*"),
        (
            "CORS_ALLOWED_ORIGINS",
            "https://ok.example,https://bad.example/path",
        ),
        ("SOLANA_NETWORK", "localnet"),
        ("HOST", "localhost:80"),
        ("CACHE_TIMEOUT_MS", "1"),
        ("METRICS_LISTEN", "nowhere"),
        ("METRICS_TOKEN", "short"),
    ];
    for (name, value) in cases {
        let err = error(Service::Api, &[(name, value)]);
        assert_eq!(err.var(), *name, "{name}={value} gave {err}");
    }
}

#[test]
fn production_api_requires_a_long_key_secret() {
    let token = ("AUTH_TOKEN_SECRET", "0123456789abcdef0123456789abcdef");
    let err = error(Service::Api, &[("ENVIRONMENT", "production"), token]);
    assert_eq!(
        err,
        ConfigError::Missing {
            var: "API_KEY_SECRET"
        }
    );
    let err = error(
        Service::Api,
        &[("ENVIRONMENT", "production"), token, ("API_KEY_SECRET", "short")],
    );
    assert_eq!(err.var(), "API_KEY_SECRET");
    // The worker hashes no keys.
    assert!(Settings::from_env(Service::Worker, &env(&[("ENVIRONMENT", "production"), token])).is_ok());
    let dev = Settings::from_env(Service::Api, &env(&[])).unwrap();
    assert!(dev.developer.key_secret_is_development_default);
}

#[test]
fn production_requires_a_long_token_secret() {
    let err = error(Service::Api, &[("ENVIRONMENT", "production")]);
    assert_eq!(
        err,
        ConfigError::Missing {
            var: "AUTH_TOKEN_SECRET"
        }
    );
    let err = error(
        Service::Api,
        &[("ENVIRONMENT", "production"), ("AUTH_TOKEN_SECRET", "short")],
    );
    assert_eq!(err.var(), "AUTH_TOKEN_SECRET");
    let s = Settings::from_env(
        Service::Api,
        &env(&[
            ("ENVIRONMENT", "production"),
            ("AUTH_TOKEN_SECRET", "0123456789abcdef0123456789abcdef"),
            ("API_KEY_SECRET", "fedcba9876543210fedcba9876543210"),
        ]),
    )
    .unwrap();
    assert!(!s.auth.token_secret_is_development_default);
    assert!(!s.developer.key_secret_is_development_default);
    assert_eq!(s.log.format, LogFormat::Json);
}

#[test]
fn the_legacy_wallet_header_is_refused_in_production() {
    let dev = Settings::from_env(Service::Api, &env(&[("AUTH_LEGACY_WALLET_HEADER", "true")])).unwrap();
    assert!(dev.auth.legacy_wallet_header);
    let err = error(
        Service::Api,
        &[
            ("ENVIRONMENT", "production"),
            ("AUTH_TOKEN_SECRET", "0123456789abcdef0123456789abcdef"),
            ("AUTH_LEGACY_WALLET_HEADER", "true"),
        ],
    );
    assert_eq!(err.var(), "AUTH_LEGACY_WALLET_HEADER");
}

#[test]
fn file_layer_sits_between_defaults_and_environment() {
    let dir = std::env::temp_dir().join(format!("neptu-config-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("neptu.toml");
    let mut file = std::fs::File::create(&path).unwrap();
    writeln!(file, "port = 4100\ncache_prefix = \"from-file:\"").unwrap();
    let path = path.to_str().unwrap();

    let s = Settings::from_env(Service::Api, &env(&[("CONFIG_FILE", path)])).unwrap();
    assert_eq!(s.http.listen.port(), 4100);
    assert_eq!(s.cache.prefix, "from-file:");

    let s = Settings::from_env(Service::Api, &env(&[("CONFIG_FILE", path), ("PORT", "4200")])).unwrap();
    assert_eq!(s.http.listen.port(), 4200);
    assert_eq!(s.cache.prefix, "from-file:");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_named_file_must_exist() {
    let err = error(Service::Api, &[("CONFIG_FILE", "/nonexistent/neptu.toml")]);
    assert_eq!(err.var(), "CONFIG_FILE");
}

const SECRETS: &[(&str, &str)] = &[
    ("REDIS_URL", "redis://:redis-password-456@127.0.0.1:6379"),
    ("AUTH_TOKEN_SECRET", "token-secret-789-token-secret-789-xyz"),
    ("SOLANA_RPC_URL", "https://rpc.example/?api-key=solana-key-000"),
    ("AZURE_OPENAI_API_KEY", "azure-key-111"),
    ("COLOSSEUM_API_KEY", "colosseum-key-222"),
    ("COINGECKO_API_KEY", "coingecko-key-333"),
    ("METRICS_TOKEN", "metrics-token-444-long"),
];
const MARKERS: &[&str] = &[
    "db-password-123",
    "redis-password-456",
    "token-secret-789",
    "solana-key-000",
    "azure-key-111",
    "colosseum-key-222",
    "coingecko-key-333",
    "metrics-token-444",
];

#[test]
fn debug_output_never_contains_secrets() {
    let s = Settings::from_env(Service::Worker, &env(SECRETS)).unwrap();
    let debug = format!("{s:?} {s:#?}");
    for marker in MARKERS {
        assert!(!debug.contains(marker), "Debug output leaks {marker}");
    }
    assert!(debug.contains("REDACTED"));
}

/// A `MakeWriter` that keeps everything written, to inspect log output.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn startup_log_never_contains_secrets() {
    let s = Settings::from_env(Service::Worker, &env(SECRETS)).unwrap();
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::with_default(subscriber, || s.log_summary());
    let logged = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logged.contains("configuration loaded"), "{logged}");
    assert!(
        logged.contains("postgres://neptu:***@127.0.0.1:5432/neptu"),
        "{logged}"
    );
    for marker in MARKERS {
        assert!(!logged.contains(marker), "log leaks {marker}: {logged}");
    }
}

#[test]
fn worker_jobs_default_to_the_seed_schedules() {
    let s = Settings::from_env(Service::Worker, &env(&[])).unwrap();
    assert_eq!(s.jobs.schedule(ScheduledJob::ForumReplies), Some("0 */3 * * * *"));
    assert_eq!(
        s.jobs.schedule(ScheduledJob::ForumComments),
        Some("0 */5 * * * *")
    );
    assert_eq!(s.jobs.schedule(ScheduledJob::ForumPosts), Some("0 */10 * * * *"));
    assert_eq!(
        s.jobs.schedule(ScheduledJob::MarketRefresh),
        Some("0 */10 * * * *")
    );
    assert_eq!(s.jobs.schedule(ScheduledJob::DailyTasks), Some("0 0 0 * * *"));
    assert_eq!(s.jobs.max_attempts, 3);
    assert_eq!(s.rate_limit.oracle_per_hour, 20);
    assert!(!s.rate_limit.trust_proxy);
    assert_eq!(
        (
            s.rate_limit.auth_per_minute,
            s.rate_limit.public_per_minute,
            s.rate_limit.signed_in_per_minute
        ),
        (10, 300, 120)
    );
    assert_eq!(s.rate_limit.refresh_per_minute, 60);

    let s = Settings::from_env(
        Service::Worker,
        &env(&[
            ("SCHEDULE_FORUM_POSTS", "off"),
            ("SCHEDULE_MARKET_REFRESH", "*/2 * * * *"),
        ]),
    )
    .unwrap();
    assert_eq!(s.jobs.schedule(ScheduledJob::ForumPosts), None);
    assert_eq!(
        s.jobs.schedule(ScheduledJob::MarketRefresh),
        Some("0 */2 * * * *")
    );
}

#[test]
fn invalid_worker_values_are_named() {
    let cases: &[(&str, &str)] = &[
        ("SCHEDULE_DAILY_TASKS", "at midnight"),
        ("SCHEDULE_FORUM_REPLIES", "0 61 * * * *"),
        ("JOB_MAX_ATTEMPTS", "0"),
        ("JOB_TIMEOUT_SECS", "forever"),
        ("JOB_CONCURRENCY", "0"),
        ("OUTBOUND_TIMEOUT_SECS", "0"),
        ("ORACLE_RATE_LIMIT_PER_HOUR", "-1"),
        ("TRUST_PROXY", "perhaps"),
        ("RATE_LIMIT_PUBLIC_PER_MINUTE", "-1"),
        ("RATE_LIMIT_REFRESH_PER_MINUTE", "many"),
    ];
    for (name, value) in cases {
        let err = error(Service::Worker, &[(name, value)]);
        assert_eq!(err.var(), *name, "{name}={value} gave {err}");
    }
}

#[test]
fn solana_addresses_default_to_the_originals_and_are_checked() {
    let s = Settings::from_env(Service::Api, &env(&[])).unwrap();
    assert_eq!(s.solana.treasury, "BRW7fxvTcnnzi6dvgfiCoTnWJRFSMCirKAGRVn41Co4E");
    assert_eq!(
        s.solana.neptu_mint,
        "J4rUwfHS74XKTcNAX5wh5vuwYH4Fv5MR4Pdo4Gt4dhrq"
    );
    assert_eq!(
        s.solana.sudigital_mint,
        "7zsunv4pLAzVWGCQts2k266TYJuLJfMvHcMbcRSR8xqf"
    );
    assert_eq!(
        (s.solana.ecosystem_pool, s.solana.sudigital_treasury),
        (None, None)
    );
    let err = error(Service::Api, &[("NEPTU_ECOSYSTEM_POOL", "not-an-address")]);
    assert_eq!(err.var(), "NEPTU_ECOSYSTEM_POOL");
    let err = error(Service::Api, &[("NEPTU_TREASURY", "0x1234")]);
    assert_eq!(err.var(), "NEPTU_TREASURY");
}

#[test]
fn the_refresh_reuse_window_defaults_to_a_few_seconds_and_is_bounded() {
    let s = Settings::from_env(Service::Api, &env(&[])).unwrap();
    assert_eq!(s.auth.refresh_reuse_window, Duration::from_secs(5));
    let strict = Settings::from_env(Service::Api, &env(&[("REFRESH_REUSE_WINDOW_SECS", "0")])).unwrap();
    assert_eq!(strict.auth.refresh_reuse_window, Duration::ZERO);
    let err = error(Service::Api, &[("REFRESH_REUSE_WINDOW_SECS", "301")]);
    assert_eq!(err.var(), "REFRESH_REUSE_WINDOW_SECS");
}

#[test]
fn without_environment_it_is_production_and_refuses_the_development_secrets() {
    let bare = |pairs: &[(&str, &str)]| {
        let mut map: HashMap<String, String> = HashMap::from([("DATABASE_URL".into(), DB.into())]);
        map.extend(pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        Settings::from_env(Service::Api, &map)
    };
    assert_eq!(
        bare(&[]).unwrap_err(),
        ConfigError::Missing {
            var: "AUTH_TOKEN_SECRET"
        }
    );
    let token = ("AUTH_TOKEN_SECRET", "0123456789abcdef0123456789abcdef");
    assert_eq!(
        bare(&[token]).unwrap_err(),
        ConfigError::Missing {
            var: "API_KEY_SECRET"
        }
    );
    let s = bare(&[token, ("API_KEY_SECRET", "fedcba9876543210fedcba9876543210")]).unwrap();
    assert!(s.is_production());
    assert!(!s.auth.token_secret_is_development_default);
    assert_eq!(s.log.format, LogFormat::Json);
}

#[test]
fn local_cors_origins_only_in_development() {
    let dev = Settings::from_env(Service::Api, &env(&[])).unwrap();
    assert!(
        dev.http
            .cors_allowed_origins
            .iter()
            .any(|o| o == "http://localhost:5173")
    );
    let secrets = [
        ("ENVIRONMENT", "production"),
        ("AUTH_TOKEN_SECRET", "0123456789abcdef0123456789abcdef"),
        ("API_KEY_SECRET", "fedcba9876543210fedcba9876543210"),
    ];
    let prod = Settings::from_env(Service::Api, &env(&secrets)).unwrap();
    assert_eq!(
        prod.http.cors_allowed_origins,
        [
            "https://neptu.sudigital.com",
            "https://neptu-web-production.pages.dev",
            "https://neptu.pages.dev"
        ]
    );
    let mut configured = secrets.to_vec();
    configured.push((
        "CORS_ALLOWED_ORIGINS",
        "https://app.example,http://127.0.0.1:3000,http://[::1]:8080,http://localhost",
    ));
    let prod = Settings::from_env(Service::Api, &env(&configured)).unwrap();
    assert_eq!(prod.http.cors_allowed_origins, ["https://app.example"]);
}

#[test]
fn slow_client_bounds_default_and_are_checked() {
    let s = Settings::from_env(Service::Worker, &env(&[])).unwrap();
    assert_eq!(s.http.header_read_timeout, Duration::from_secs(10));
    assert_eq!(s.http.max_connections, 2048);
    let s = Settings::from_env(
        Service::Api,
        &env(&[("HEADER_READ_TIMEOUT_SECS", "3"), ("MAX_CONNECTIONS", "5")]),
    )
    .unwrap();
    assert_eq!(
        (s.http.header_read_timeout, s.http.max_connections),
        (Duration::from_secs(3), 5)
    );
    for (var, value) in [("HEADER_READ_TIMEOUT_SECS", "0"), ("MAX_CONNECTIONS", "0")] {
        assert_eq!(error(Service::Api, &[(var, value)]).var(), var);
    }
}
