//! Every configuration variable the services read, in one table.
//!
//! The table is the single source of truth: loading only looks at these names, the README's
//! configuration table is checked against it by a test, and secrets are marked here so that no
//! code path can print them.

/// Which binary a variable applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Both,
    Api,
    Worker,
}

/// One configuration variable.
#[derive(Debug, Clone, Copy)]
pub struct Var {
    /// Environment variable name (the file key is the same name in lower case).
    pub name: &'static str,
    /// Default, as written in the README; `None` means unset unless given.
    pub default: Option<&'static str>,
    pub scope: Scope,
    /// Secrets are never logged and are redacted in `Debug` output.
    pub secret: bool,
    pub meaning: &'static str,
}

const fn var(
    name: &'static str,
    default: Option<&'static str>,
    scope: Scope,
    secret: bool,
    meaning: &'static str,
) -> Var {
    Var {
        name,
        default,
        scope,
        secret,
        meaning,
    }
}

use Scope::{Api, Both, Worker};

/// The origins the original service allowed (its shared list plus the ones its API added).
pub const DEFAULT_CORS_ORIGINS: &str = "https://neptu.sudigital.com,https://neptu-web-production.pages.dev,http://localhost:3001,http://localhost:3000,http://localhost:5173,http://localhost:8787,https://neptu.pages.dev";

pub const VARS: &[Var] = &[
    var(
        "CONFIG_FILE",
        Some("neptu.toml"),
        Both,
        false,
        "Optional TOML file with any of these keys in lower case; environment variables override it",
    ),
    var(
        "ENVIRONMENT",
        Some("production"),
        Both,
        false,
        "`production` or `development`. Production (also when unset) requires `AUTH_TOKEN_SECRET` (and `API_KEY_SECRET` for the API), adds HSTS, logs JSON and ignores `http://localhost` CORS origins; local runs and tests set `development`",
    ),
    var("HOST", Some("0.0.0.0"), Both, false, "Listen address"),
    var("PORT", None, Both, false, "Listen port (api 3000, worker 8080)"),
    var(
        "DATABASE_URL",
        None,
        Both,
        true,
        "Postgres connection URL (required); TLS by its `sslmode` (`verify-full` checks the certificate and host name)",
    ),
    var(
        "DATABASE_CA_FILE",
        None,
        Both,
        false,
        "PEM file of CA certificates trusted for Postgres besides the built-in roots; needs `sslmode=verify-full` (or `verify-ca`) in `DATABASE_URL`",
    ),
    var(
        "DATABASE_MAX_CONNECTIONS",
        Some("10"),
        Both,
        false,
        "Pool size per process",
    ),
    var(
        "DATABASE_ACQUIRE_TIMEOUT_MS",
        Some("3000"),
        Both,
        false,
        "Longest wait for a pooled connection before a request fails with 503",
    ),
    var(
        "DATABASE_STATEMENT_TIMEOUT_MS",
        Some("30000"),
        Both,
        false,
        "Server-side statement timeout",
    ),
    var(
        "RUN_MIGRATIONS",
        Some("true"),
        Api,
        false,
        "Apply pending migrations when the API starts",
    ),
    var(
        "SCHEMA_WAIT_SECS",
        Some("120"),
        Both,
        false,
        "How long start-up waits for the database: the API to migrate it, the worker for the migrated schema",
    ),
    var(
        "REDIS_URL",
        None,
        Both,
        true,
        "Redis URL (`redis://`, or `rediss://` for TLS with certificate and host name checks); unset means an in-process memory cache",
    ),
    var(
        "REDIS_CA_FILE",
        None,
        Both,
        false,
        "PEM file of CA certificates a `rediss://` server must chain to, instead of the built-in roots",
    ),
    var(
        "CACHE_PREFIX",
        Some("neptu:"),
        Both,
        false,
        "Namespace put in front of every cache key",
    ),
    var(
        "CACHE_TIMEOUT_MS",
        Some("200"),
        Both,
        false,
        "Bound on each cache call; slower calls count as a miss",
    ),
    var(
        "LOG_LEVEL",
        Some("info,sqlx=warn"),
        Both,
        false,
        "Log filter (`RUST_LOG` syntax); `RUST_LOG` wins when both are set",
    ),
    var("RUST_LOG", None, Both, false, "Log filter, overrides `LOG_LEVEL`"),
    var(
        "LOG_FORMAT",
        None,
        Both,
        false,
        "`json` or `pretty` (default json in production, pretty otherwise)",
    ),
    var(
        "CORS_ALLOWED_ORIGINS",
        Some(DEFAULT_CORS_ORIGINS),
        Both,
        false,
        "Comma-separated origins allowed by CORS (credentials on); `http://localhost` and loopback origins only in development",
    ),
    var(
        "REQUEST_TIMEOUT_SECS",
        Some("20"),
        Both,
        false,
        "Longest a request may take before a 503",
    ),
    var(
        "SHUTDOWN_GRACE_SECS",
        Some("30"),
        Both,
        false,
        "Hard deadline for in-flight requests once the drain is over",
    ),
    var(
        "SHUTDOWN_DRAIN_MS",
        Some("3000"),
        Both,
        false,
        "After SIGTERM/SIGINT, keep serving this long with `/ready` 503 and `Connection: close` before the listener closes, so the load balancer moves traffic away first; drain + grace must stay below the platform's kill timeout",
    ),
    var(
        "HEADER_READ_TIMEOUT_SECS",
        Some("10"),
        Both,
        false,
        "A connection that has not sent a request's whole header section this long after the server began waiting for it is closed (slow clients); an idle kept-alive connection is closed after as long, so a load balancer's idle timeout towards the service should be shorter",
    ),
    var(
        "MAX_CONNECTIONS",
        Some("2048"),
        Both,
        false,
        "Connections one process serves at once; further ones wait in the listen backlog until one closes",
    ),
    var(
        "METRICS_LISTEN",
        None,
        Both,
        false,
        "Address of a separate, internal listener serving `/metrics` without a token (e.g. `0.0.0.0:9100`)",
    ),
    var(
        "METRICS_TOKEN",
        None,
        Both,
        true,
        "Bearer token for `/metrics` on the main port (at least 16 characters); without it and without `METRICS_LISTEN`, `/metrics` is not served",
    ),
    var(
        "ADMIN_WALLET_ADDRESS",
        None,
        Both,
        false,
        "Wallet that is always an admin",
    ),
    var(
        "AUTH_TOKEN_SECRET",
        None,
        Both,
        true,
        "HS256 key for access tokens; required (>= 32 bytes) in production",
    ),
    var(
        "AUTH_LEGACY_WALLET_HEADER",
        Some("false"),
        Both,
        false,
        "Development only: accept a bare `X-Wallet-Address` header instead of a token (refused in production)",
    ),
    var(
        "AUTH_REVOCATION_POLL_MS",
        Some("2000"),
        Both,
        false,
        "How often each process reads revoked sessions and role changes from Postgres besides being notified of them (LISTEN/NOTIFY): the most a missed notification delays refusing a revoked access token",
    ),
    var(
        "REFRESH_REUSE_WINDOW_SECS",
        Some("5"),
        Api,
        false,
        "Seconds after a refresh during which the same refresh token gives the same new pair again (parallel refreshes of one page); after it, reuse ends the session. `0`: strict one-time use",
    ),
    var(
        "SOLANA_RPC_URL",
        None,
        Api,
        true,
        "Solana JSON-RPC endpoint; payment routes answer 503 without it",
    ),
    var(
        "SOLANA_NETWORK",
        Some("devnet"),
        Api,
        false,
        "`devnet`, `testnet` or `mainnet-beta`",
    ),
    var(
        "NEPTU_TREASURY",
        Some("BRW7fxvTcnnzi6dvgfiCoTnWJRFSMCirKAGRVn41Co4E"),
        Api,
        false,
        "Receives SOL payments (default: the economy program's authority, the original's treasury on every network)",
    ),
    var(
        "NEPTU_ECOSYSTEM_POOL",
        None,
        Api,
        false,
        "NEPTU token account (or its owner) receiving the unburned half of NEPTU reading payments, and NEPTU payments of API plans and credit packs (sent to it as a token account, so give the account itself); NEPTU payments answer 503 without it",
    ),
    var(
        "SUDIGITAL_TREASURY",
        None,
        Api,
        false,
        "Wallet (or token account) receiving SUDIGITAL payments; SUDIGITAL payments answer 503 without it",
    ),
    var(
        "NEPTU_TOKEN_MINT",
        Some("J4rUwfHS74XKTcNAX5wh5vuwYH4Fv5MR4Pdo4Gt4dhrq"),
        Api,
        false,
        "NEPTU mint (6 decimals; default: the token program's mint, the same on every network)",
    ),
    var(
        "SUDIGITAL_TOKEN_MINT",
        Some("7zsunv4pLAzVWGCQts2k266TYJuLJfMvHcMbcRSR8xqf"),
        Api,
        false,
        "SUDIGITAL mint (6 decimals)",
    ),
    var(
        "AZURE_OPENAI_API_KEY",
        None,
        Both,
        true,
        "Azure OpenAI key; oracle routes (worker `/api/oracle`, API `/api/v1/oracle`) answer 503 without it",
    ),
    var(
        "AZURE_OPENAI_ENDPOINT",
        None,
        Both,
        false,
        "Azure OpenAI resource URL",
    ),
    var(
        "AZURE_OPENAI_DEPLOYMENT",
        None,
        Both,
        false,
        "Azure OpenAI deployment name",
    ),
    var(
        "AZURE_OPENAI_API_VERSION",
        Some("2024-10-21"),
        Both,
        false,
        "Azure OpenAI API version",
    ),
    var(
        "COLOSSEUM_API_KEY",
        None,
        Worker,
        true,
        "Colosseum agents API key; the forum heartbeat is skipped without it",
    ),
    var(
        "COLOSSEUM_API_URL",
        Some("https://agents.colosseum.com/api"),
        Worker,
        false,
        "Colosseum agents API base URL",
    ),
    var(
        "COLOSSEUM_AGENT_ID",
        Some("206"),
        Worker,
        false,
        "Our agent id on the forum",
    ),
    var(
        "COLOSSEUM_AGENT_NAME",
        Some("Neptu"),
        Worker,
        false,
        "Our agent name on the forum",
    ),
    var(
        "COINGECKO_API_KEY",
        None,
        Worker,
        true,
        "CoinGecko demo API key (optional)",
    ),
    var(
        "COINGECKO_API_URL",
        Some("https://api.coingecko.com/api/v3"),
        Worker,
        false,
        "CoinGecko API base URL",
    ),
    // Worker: schedules (UTC; a 5-field crontab expression gets seconds = 0; `off` switches a
    // schedule off), the job runtime, outbound calls and the oracle rate limit.
    var(
        "SCHEDULE_FORUM_REPLIES",
        Some("0 */3 * * * *"),
        Worker,
        false,
        "Forum heartbeat: reply to new comments on our posts",
    ),
    var(
        "SCHEDULE_FORUM_COMMENTS",
        Some("0 */5 * * * *"),
        Worker,
        false,
        "Forum heartbeat: comment on others' new posts; also vote on the :00/:15/:30/:45 slots",
    ),
    var(
        "SCHEDULE_FORUM_POSTS",
        Some("0 */10 * * * *"),
        Worker,
        false,
        "Forum heartbeat: post a thread; other activity (mentions, birthday requests) on the :00/:20/:40 slots",
    ),
    var(
        "SCHEDULE_MARKET_REFRESH",
        Some("0 */10 * * * *"),
        Worker,
        false,
        "Crypto market refresh from CoinGecko",
    ),
    var(
        "SCHEDULE_DAILY_TASKS",
        Some("0 0 0 * * *"),
        Worker,
        false,
        "Daily readings for today and the next 6 days, then a market refresh",
    ),
    var(
        "SCHEDULE_DEVELOPER_MAINTENANCE",
        Some("0 5 0 * * *"),
        Worker,
        false,
        "Developer platform upkeep: expire subscriptions whose cycle ended, create this and next month's usage partitions, drop those past `API_USAGE_RETENTION_DAYS`",
    ),
    var(
        "SCHEDULE_BACKUP",
        Some("0 0 3 * * *"),
        Worker,
        false,
        "Database backup to `BACKUP_TO`, then old dumps pruned (runs only when `BACKUP_TO` is set)",
    ),
    var(
        "JOB_MAX_ATTEMPTS",
        Some("3"),
        Worker,
        false,
        "Attempts per scheduled run, the first included",
    ),
    var(
        "JOB_RETRY_BACKOFF_MS",
        Some("2000"),
        Worker,
        false,
        "Delay before the first retry; doubles with each further retry, up to 60 s",
    ),
    var(
        "JOB_TIMEOUT_SECS",
        Some("240"),
        Worker,
        false,
        "Longest one attempt of a job may take",
    ),
    var(
        "JOB_CONCURRENCY",
        Some("2"),
        Worker,
        false,
        "Jobs one replica runs at once (forum phases always run one at a time across replicas)",
    ),
    var(
        "JOB_HEARTBEAT_SECS",
        Some("10"),
        Worker,
        false,
        "Job queue heartbeat; jobs of a replica silent for 3 heartbeats are run elsewhere",
    ),
    var(
        "JOB_RESTART_LIMIT",
        Some("10"),
        Worker,
        false,
        "Consecutive failed restarts of a job worker before the process exits 1 (backoff 0.1 s doubling to 60 s: 10 ≈ 100 s of storage outage)",
    ),
    var(
        "FORUM_PACING_MS",
        Some("2000"),
        Worker,
        false,
        "Pause between two forum writes (the forum limits posting rates)",
    ),
    var(
        "OUTBOUND_CONNECT_TIMEOUT_MS",
        Some("3000"),
        Both,
        false,
        "Connect timeout for calls to outside APIs (the API's Solana RPC calls included)",
    ),
    var(
        "OUTBOUND_TIMEOUT_SECS",
        Some("15"),
        Both,
        false,
        "Total timeout of one call to an outside API",
    ),
    var(
        "ORACLE_RATE_LIMIT_PER_HOUR",
        Some("20"),
        Worker,
        false,
        "Oracle requests per wallet (signed-in) or IP per hour; `0` switches the limit off",
    ),
    var(
        "CHART_RATE_LIMIT_PER_MINUTE",
        Some("30"),
        Worker,
        false,
        "`/api/crypto/chart/{id}` requests per wallet (signed-in) or IP per minute; `0` switches the limit off",
    ),
    var(
        "CHART_UNTRACKED_PER_HOUR",
        Some("20"),
        Worker,
        false,
        "CoinGecko chart lookups per hour, all callers together, for coin ids outside the tracked list; `0` serves only the tracked coins",
    ),
    var(
        "ORACLE_RATE_LIMIT_PER_ADDRESS_PER_HOUR",
        Some("60"),
        Worker,
        false,
        "Oracle requests per client address per hour, signed-in or not and whatever the wallet (fresh wallets from one address share it); `0` switches the limit off",
    ),
    var(
        "RATE_LIMIT_AUTH_PER_MINUTE",
        Some("10"),
        Both,
        false,
        "Requests per minute per client address to `/api/auth/*` except `/api/auth/refresh`; `0` switches the limit off",
    ),
    var(
        "RATE_LIMIT_REFRESH_PER_MINUTE",
        Some("60"),
        Both,
        false,
        "Requests per minute per client address to `/api/auth/refresh` (its own quota, so token refreshes never use up sign-in's); `0` switches the limit off",
    ),
    var(
        "RATE_LIMIT_PUBLIC_PER_MINUTE",
        Some("300"),
        Both,
        false,
        "Requests per minute per client address without a valid token; `0` switches the limit off",
    ),
    var(
        "RATE_LIMIT_SIGNED_IN_PER_MINUTE",
        Some("120"),
        Both,
        false,
        "Requests per minute per signed-in wallet; `0` switches the limit off",
    ),
    var(
        "RATE_LIMIT_SIGN_INS_PER_HOUR",
        Some("10"),
        Api,
        false,
        "Distinct wallets that may complete a sign-in from one client address per hour (a wallet signing in again is not counted twice); `0` switches the limit off",
    ),
    var(
        "TRUST_PROXY",
        Some("false"),
        Both,
        false,
        "Take the client address from the last `X-Forwarded-For` entry, the one the proxy in front added (only behind such a proxy)",
    ),
    // Backups (`neptu-api backup` and the worker's daily backup job).
    var(
        "BACKUP_TO",
        None,
        Both,
        false,
        "Where backups go: a directory or `s3://bucket/prefix`; the worker's backup job runs only when set",
    ),
    var(
        "BACKUP_KEEP_DAYS",
        Some("7"),
        Both,
        false,
        "Dumps older than this many days are deleted after each successful backup; `0` keeps all",
    ),
    var(
        "BACKUP_S3_ENDPOINT",
        None,
        Both,
        false,
        "S3-compatible endpoint for `s3://` targets, e.g. `https://s3.eu-west-1.amazonaws.com`",
    ),
    var(
        "BACKUP_S3_REGION",
        Some("us-east-1"),
        Both,
        false,
        "Region used to sign S3 requests",
    ),
    var("BACKUP_S3_ACCESS_KEY_ID", None, Both, false, "S3 access key id"),
    var(
        "BACKUP_S3_SECRET_ACCESS_KEY",
        None,
        Both,
        true,
        "S3 secret access key",
    ),
    var(
        "BACKUP_S3_PATH_STYLE",
        Some("true"),
        Both,
        false,
        "Path-style bucket URLs (`endpoint/bucket/key`); `false` for virtual-host style",
    ),
    var(
        "BACKUP_PG_BIN_DIR",
        None,
        Both,
        false,
        "Directory holding `pg_dump` and `pg_restore` (default: found on `PATH`); their major version must be at least the server's",
    ),
    var(
        "BACKUP_TIMEOUT_SECS",
        Some("3600"),
        Both,
        false,
        "Longest one backup (dump, check, upload) may take",
    ),
    var(
        "API_KEY_SECRET",
        None,
        Api,
        true,
        "Secret the developer API keys are hashed with (HMAC-SHA-256, at least 32 bytes; required in production). Changing it invalidates every key",
    ),
    var(
        "API_USAGE_RETENTION_DAYS",
        Some("90"),
        Both,
        false,
        "How long `/api/v1` usage rows are kept; the daily job drops monthly partitions that ended longer ago",
    ),
    var(
        "API_CREDIT_LEASE",
        Some("25"),
        Api,
        false,
        "First block of credits one API replica takes from a subscription to spend from memory; a busy subscription's blocks grow to 64 × this, never more than a quarter of the balance (1 spends straight from Postgres)",
    ),
    var(
        "API_USAGE_BUFFER",
        Some("100000"),
        Api,
        false,
        "Usage rows held in memory while Postgres is unreachable; beyond it rows are dropped and counted",
    ),
];

/// Looks a variable up by name; the table above is the only place names are defined.
pub fn find(name: &str) -> Option<&'static Var> {
    VARS.iter().find(|v| v.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_upper_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for v in VARS {
            assert!(seen.insert(v.name), "{} listed twice", v.name);
            assert!(
                v.name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
                "{} is not UPPER_SNAKE_CASE",
                v.name
            );
        }
    }

    /// The README's configuration table lists every variable with its default.
    #[test]
    fn readme_documents_every_variable() {
        let readme = include_str!("../../../README.md");
        for v in VARS {
            let row = readme
                .lines()
                .find(|line| line.starts_with(&format!("| `{}` |", v.name)))
                .unwrap_or_else(|| panic!("README has no row for {}", v.name));
            match v.default {
                Some(default) if default != DEFAULT_CORS_ORIGINS => {
                    assert!(
                        row.contains(&format!("`{default}`")),
                        "README default of {}: {row}",
                        v.name
                    )
                }
                Some(_) => {
                    for origin in default_origins() {
                        assert!(
                            readme.contains(&format!("`{origin}`")),
                            "README misses origin {origin}"
                        );
                    }
                }
                None => {}
            }
            if v.secret {
                assert!(row.contains("secret"), "README should mark {} secret", v.name);
            }
        }
    }

    fn default_origins() -> impl Iterator<Item = &'static str> {
        DEFAULT_CORS_ORIGINS.split(',')
    }

    #[test]
    fn secrets_have_no_default() {
        for v in VARS.iter().filter(|v| v.secret) {
            assert!(v.default.is_none(), "{} is secret but has a default", v.name);
        }
    }
}
