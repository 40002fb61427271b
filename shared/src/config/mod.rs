//! Typed configuration for both binaries.
//!
//! Loaded once at start from defaults ← optional TOML file ← environment (see [`vars::VARS`]
//! for every variable). Any missing or invalid value is a [`ConfigError`] naming the variable;
//! the binaries print it on one line and exit with status 2. Secrets are [`SecretString`]s,
//! so `Debug` output and logs never contain them.

mod backup;
mod developer;
mod raw;
mod redact;
mod tls;
pub mod vars;
mod worker;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use sqlx::postgres::PgConnectOptions;

pub use backup::{BackupSettings, BackupTarget, S3Settings};
pub use developer::DeveloperSettings;
use raw::Raw;
pub use redact::redact_url;
pub use tls::CaBundle;
pub use worker::{JobSettings, OutboundSettings, RateLimitSettings, ScheduledJob, parse_schedule};

/// Which binary is loading the configuration (decides the default port).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Api,
    Worker,
}

impl Service {
    pub fn name(self) -> &'static str {
        match self {
            Service::Api => "neptu-api",
            Service::Worker => "neptu-worker",
        }
    }

    fn default_port(self) -> &'static str {
        match self {
            Service::Api => "3000",
            Service::Worker => "8080",
        }
    }

    pub fn default_port_number(self) -> u16 {
        match self {
            Service::Api => 3000,
            Service::Worker => 8080,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Pretty,
}

/// A configuration problem, always naming the variable to fix.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{var} is required but not set")]
    Missing { var: &'static str },
    #[error("{var} {message}")]
    Invalid { var: &'static str, message: String },
}

impl ConfigError {
    fn invalid(var: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            var,
            message: message.into(),
        }
    }

    /// The variable at fault.
    pub fn var(&self) -> &'static str {
        match self {
            Self::Missing { var } | Self::Invalid { var, .. } => var,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub service: Service,
    pub environment: Environment,
    pub http: HttpSettings,
    pub log: LogSettings,
    pub database: DatabaseSettings,
    pub cache: CacheSettings,
    pub auth: AuthSettings,
    pub solana: SolanaSettings,
    pub azure_openai: AzureOpenAiSettings,
    pub colosseum: ColosseumSettings,
    pub coingecko: CoinGeckoSettings,
    pub metrics: MetricsSettings,
    pub jobs: JobSettings,
    pub outbound: OutboundSettings,
    pub rate_limit: RateLimitSettings,
    pub backup: BackupSettings,
    pub developer: DeveloperSettings,
}

/// Where `/metrics` is served: a separate internal listener, and/or the main port behind a token.
#[derive(Debug, Clone)]
pub struct MetricsSettings {
    pub listen: Option<SocketAddr>,
    pub token: Option<SecretString>,
}

#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub listen: SocketAddr,
    pub cors_allowed_origins: Vec<String>,
    pub request_timeout: Duration,
    pub shutdown_grace: Duration,
    /// Lame-duck time after the signal, before the listener closes.
    pub shutdown_drain: Duration,
    /// Longest wait for a request's header section, and for the next request on an idle
    /// connection.
    pub header_read_timeout: Duration,
    /// Connections served at once; more wait in the listen backlog.
    pub max_connections: usize,
}

#[derive(Debug, Clone)]
pub struct LogSettings {
    pub filter: String,
    pub format: LogFormat,
}

#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    pub url: SecretString,
    pub max_connections: u32,
    pub acquire_timeout: Duration,
    pub statement_timeout: Duration,
    pub run_migrations: bool,
    pub schema_wait: Duration,
    /// Extra CA certificates for `sslmode=verify-ca`/`verify-full` (`DATABASE_CA_FILE`).
    pub ca_file: Option<CaBundle>,
}

#[derive(Debug, Clone)]
pub struct CacheSettings {
    /// `None`: use the in-process memory cache.
    pub redis_url: Option<SecretString>,
    /// CA certificates a `rediss://` server is checked against instead of the built-in roots.
    pub redis_ca_file: Option<CaBundle>,
    pub prefix: String,
    pub timeout: Duration,
}

#[derive(Debug, Clone)]
pub struct AuthSettings {
    pub token_secret: SecretString,
    /// True when no secret was configured and the fixed development secret is in use.
    pub token_secret_is_development_default: bool,
    pub admin_wallet: Option<String>,
    /// Development only: accept a bare `X-Wallet-Address` header as identity.
    pub legacy_wallet_header: bool,
    /// How long after a refresh the same refresh token yields the same successor again.
    pub refresh_reuse_window: Duration,
    /// How often revocations are read besides being notified (at most 5 s, the promise).
    pub revocation_poll: Duration,
}

#[derive(Debug, Clone)]
pub struct SolanaSettings {
    pub rpc_url: Option<SecretString>,
    pub network: String,
    /// Addresses below are checked to be base58 32-byte keys at start.
    pub treasury: String,
    pub ecosystem_pool: Option<String>,
    pub sudigital_treasury: Option<String>,
    pub neptu_mint: String,
    pub sudigital_mint: String,
}

#[derive(Debug, Clone)]
pub struct AzureOpenAiSettings {
    pub api_key: Option<SecretString>,
    pub endpoint: Option<String>,
    pub deployment: Option<String>,
    pub api_version: String,
}

#[derive(Debug, Clone)]
pub struct ColosseumSettings {
    pub api_key: Option<SecretString>,
    pub api_url: String,
    pub agent_id: String,
    pub agent_name: String,
}

#[derive(Debug, Clone)]
pub struct CoinGeckoSettings {
    pub api_key: Option<SecretString>,
    pub api_url: String,
}

/// Used only outside production when `AUTH_TOKEN_SECRET` is unset; a warning is logged.
const DEVELOPMENT_TOKEN_SECRET: &str = "neptu-development-token-secret-do-not-use-in-production";
const MIN_TOKEN_SECRET_BYTES: usize = 32;

impl Settings {
    /// Reads the process environment (and the optional file).
    pub fn load(service: Service) -> Result<Self, ConfigError> {
        Self::from_env(service, &std::env::vars().collect())
    }

    /// Same as [`Settings::load`] with an explicit environment, for tests.
    pub fn from_env(service: Service, env: &HashMap<String, String>) -> Result<Self, ConfigError> {
        let raw = Raw::layer(env, &[("PORT", service.default_port())])?;
        let environment = match raw.get("ENVIRONMENT").map(str::to_ascii_lowercase).as_deref() {
            Some("development" | "dev") => Environment::Development,
            Some("production" | "prod") => Environment::Production,
            other => {
                return Err(ConfigError::invalid(
                    "ENVIRONMENT",
                    format!("must be development or production, got {other:?}"),
                ));
            }
        };
        let production = environment == Environment::Production;
        Ok(Self {
            service,
            environment,
            http: http(&raw, production)?,
            log: log(&raw, production)?,
            database: database(&raw)?,
            cache: cache(&raw)?,
            auth: auth(&raw, production)?,
            solana: solana(&raw)?,
            azure_openai: AzureOpenAiSettings {
                api_key: raw.secret("AZURE_OPENAI_API_KEY"),
                endpoint: plain_url(&raw, "AZURE_OPENAI_ENDPOINT")?,
                deployment: raw.string("AZURE_OPENAI_DEPLOYMENT"),
                api_version: raw.required("AZURE_OPENAI_API_VERSION")?.to_owned(),
            },
            colosseum: ColosseumSettings {
                api_key: raw.secret("COLOSSEUM_API_KEY"),
                api_url: required_url(&raw, "COLOSSEUM_API_URL")?,
                agent_id: raw.required("COLOSSEUM_AGENT_ID")?.to_owned(),
                agent_name: raw.required("COLOSSEUM_AGENT_NAME")?.to_owned(),
            },
            coingecko: CoinGeckoSettings {
                api_key: raw.secret("COINGECKO_API_KEY"),
                api_url: required_url(&raw, "COINGECKO_API_URL")?,
            },
            metrics: metrics(&raw)?,
            jobs: worker::jobs(&raw)?,
            outbound: worker::outbound(&raw)?,
            rate_limit: worker::rate_limit(&raw)?,
            backup: backup::backup(&raw)?,
            developer: developer::developer(&raw, production && service == Service::Api)?,
        })
    }

    pub fn is_production(&self) -> bool {
        self.environment == Environment::Production
    }

    /// Logs the effective configuration, secrets redacted, once at start.
    pub fn log_summary(&self) {
        tracing::info!(
            service = self.service.name(),
            environment = ?self.environment,
            listen = %self.http.listen,
            database = %redact_url(&self.database.url),
            database_max_connections = self.database.max_connections,
            database_tls = self.database.tls_summary(),
            cache = %self.cache.redis_url.as_ref().map_or_else(|| "memory".to_owned(), redact_url),
            cache_tls = self.cache.tls_summary(),
            cache_prefix = %self.cache.prefix,
            cors_origins = self.http.cors_allowed_origins.len(),
            solana_rpc = self.solana.rpc_url.is_some(),
            azure_openai = self.azure_openai.api_key.is_some(),
            colosseum = self.colosseum.api_key.is_some(),
            "configuration loaded"
        );
        if self.auth.token_secret_is_development_default {
            tracing::warn!(
                "AUTH_TOKEN_SECRET is not set: using the fixed development secret; tokens are forgeable"
            );
        }
        if self.service == Service::Api && self.developer.key_secret_is_development_default {
            tracing::warn!(
                "API_KEY_SECRET is not set: API keys are hashed with the fixed development secret"
            );
        }
    }
}

impl DatabaseSettings {
    /// Connection options with the server-side statement timeout and an application name
    /// (visible in `pg_stat_activity`).
    ///
    /// TLS follows the URL's `sslmode`; with `DATABASE_CA_FILE`, its certificates are trusted
    /// besides the built-in roots.
    pub fn connect_options(&self, application_name: &str) -> PgConnectOptions {
        let options = self.url_options().application_name(application_name).options([(
            "statement_timeout",
            format!("{}", self.statement_timeout.as_millis()),
        )]);
        match &self.ca_file {
            Some(ca) => options.ssl_root_cert_from_pem(ca.pem().to_vec()),
            None => options,
        }
    }

    fn url_options(&self) -> PgConnectOptions {
        // Validated in `database()`, so parsing cannot fail here.
        PgConnectOptions::from_str(self.url.expose_secret()).unwrap_or_else(|_| PgConnectOptions::new())
    }

    /// Whether the server's certificate is checked (`sslmode=verify-ca` or `verify-full`).
    pub fn verifies_certificate(&self) -> bool {
        tls::verifies_certificate(&self.url_options())
    }

    fn tls_summary(&self) -> &'static str {
        tls::database_tls_summary(&self.url_options())
    }
}

impl CacheSettings {
    fn tls_summary(&self) -> &'static str {
        match &self.redis_url {
            None => "n/a",
            Some(url) if url.expose_secret().starts_with("rediss://") => "verified",
            Some(_) => "off",
        }
    }
}

fn http(raw: &Raw, production: bool) -> Result<HttpSettings, ConfigError> {
    let host: IpAddr = raw.parse_or("HOST", "an IP address", IpAddr::from([0, 0, 0, 0]))?;
    let port: u16 = raw
        .parse("PORT", "a port number (0-65535)")?
        .ok_or(ConfigError::Missing { var: "PORT" })?;
    let origins = raw.required("CORS_ALLOWED_ORIGINS")?;
    let mut cors_allowed_origins = Vec::new();
    for origin in origins.split(',').map(str::trim).filter(|o| !o.is_empty()) {
        let valid = url::Url::parse(origin).is_ok_and(|u| {
            matches!(u.scheme(), "http" | "https") && u.path() == "/" && !origin.ends_with('/')
        });
        if !valid {
            return Err(ConfigError::invalid(
                "CORS_ALLOWED_ORIGINS",
                format!("must list origins like https://example.com, got {origin:?}"),
            ));
        }
        // A page on a developer's machine may call a development server only: in production
        // such an origin (the defaults list some) would let any local page act as the user.
        if production && is_local_http(origin) {
            continue;
        }
        cors_allowed_origins.push(origin.to_owned());
    }
    Ok(HttpSettings {
        listen: SocketAddr::new(host, port),
        cors_allowed_origins,
        request_timeout: Duration::from_secs(raw.bounded("REQUEST_TIMEOUT_SECS", 1..=600)?),
        shutdown_grace: Duration::from_secs(raw.bounded("SHUTDOWN_GRACE_SECS", 1..=600)?),
        shutdown_drain: Duration::from_millis(raw.bounded("SHUTDOWN_DRAIN_MS", 0..=600_000)?),
        header_read_timeout: Duration::from_secs(raw.bounded("HEADER_READ_TIMEOUT_SECS", 1..=600)?),
        max_connections: raw.bounded("MAX_CONNECTIONS", 1..=1_000_000)? as usize,
    })
}

/// `http://localhost[:port]` and the loopback addresses: origins of a developer's machine.
fn is_local_http(origin: &str) -> bool {
    url::Url::parse(origin).is_ok_and(|u| {
        u.scheme() == "http"
            && match u.host() {
                Some(url::Host::Domain(domain)) => domain == "localhost",
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                None => false,
            }
    })
}

fn log(raw: &Raw, production: bool) -> Result<LogSettings, ConfigError> {
    let (var, filter) = match raw.get("RUST_LOG") {
        Some(filter) => ("RUST_LOG", filter),
        None => ("LOG_LEVEL", raw.required("LOG_LEVEL")?),
    };
    if tracing_subscriber::EnvFilter::try_new(filter).is_err() {
        return Err(ConfigError::invalid(
            var,
            format!("is not a valid log filter: {filter:?}"),
        ));
    }
    let format = match raw.get("LOG_FORMAT").map(str::to_ascii_lowercase).as_deref() {
        None if production => LogFormat::Json,
        None => LogFormat::Pretty,
        Some("json") => LogFormat::Json,
        Some("pretty" | "text") => LogFormat::Pretty,
        Some(other) => {
            return Err(ConfigError::invalid(
                "LOG_FORMAT",
                format!("must be json or pretty, got {other:?}"),
            ));
        }
    };
    Ok(LogSettings {
        filter: filter.to_owned(),
        format,
    })
}

fn database(raw: &Raw) -> Result<DatabaseSettings, ConfigError> {
    let url = raw.required("DATABASE_URL")?;
    // The value may hold a password: the error never repeats it.
    let scheme_ok = url.starts_with("postgres://") || url.starts_with("postgresql://");
    let options = PgConnectOptions::from_str(url).ok().filter(|_| scheme_ok);
    let Some(options) = options else {
        return Err(ConfigError::invalid(
            "DATABASE_URL",
            "must be a postgres:// or postgresql:// URL",
        ));
    };
    let ca_file = tls::ca_bundle(raw, "DATABASE_CA_FILE")?;
    tls::check_database_ca(&options, ca_file.as_ref())?;
    Ok(DatabaseSettings {
        url: SecretString::from(url.to_owned()),
        max_connections: raw.bounded("DATABASE_MAX_CONNECTIONS", 1..=1000)? as u32,
        acquire_timeout: Duration::from_millis(raw.bounded("DATABASE_ACQUIRE_TIMEOUT_MS", 100..=60_000)?),
        statement_timeout: Duration::from_millis(
            raw.bounded("DATABASE_STATEMENT_TIMEOUT_MS", 100..=3_600_000)?,
        ),
        run_migrations: raw.bool("RUN_MIGRATIONS")?.unwrap_or(true),
        schema_wait: Duration::from_secs(raw.bounded("SCHEMA_WAIT_SECS", 0..=3600)?),
        ca_file,
    })
}

fn cache(raw: &Raw) -> Result<CacheSettings, ConfigError> {
    let redis_url = optional_url(raw, "REDIS_URL", &["redis", "rediss", "redis+unix", "unix"])?;
    let redis_ca_file = tls::ca_bundle(raw, "REDIS_CA_FILE")?;
    let parsed = redis_url
        .as_ref()
        .and_then(|u| url::Url::parse(u.expose_secret()).ok());
    tls::check_redis(parsed.as_ref(), redis_ca_file.as_ref())?;
    Ok(CacheSettings {
        redis_url,
        redis_ca_file,
        prefix: raw.get("CACHE_PREFIX").unwrap_or_default().to_owned(),
        timeout: Duration::from_millis(raw.bounded("CACHE_TIMEOUT_MS", 10..=10_000)?),
    })
}

fn auth(raw: &Raw, production: bool) -> Result<AuthSettings, ConfigError> {
    let configured = raw.get("AUTH_TOKEN_SECRET");
    let (token_secret, development_default) = match configured {
        Some(secret) if secret.len() >= MIN_TOKEN_SECRET_BYTES => (secret, false),
        Some(_) => {
            return Err(ConfigError::invalid(
                "AUTH_TOKEN_SECRET",
                format!("must be at least {MIN_TOKEN_SECRET_BYTES} bytes long"),
            ));
        }
        None if production => {
            return Err(ConfigError::Missing {
                var: "AUTH_TOKEN_SECRET",
            });
        }
        None => (DEVELOPMENT_TOKEN_SECRET, true),
    };
    let legacy_wallet_header = raw.bool("AUTH_LEGACY_WALLET_HEADER")?.unwrap_or(false);
    if legacy_wallet_header && production {
        return Err(ConfigError::invalid(
            "AUTH_LEGACY_WALLET_HEADER",
            "is a development-only mode and is refused in production",
        ));
    }
    Ok(AuthSettings {
        token_secret: SecretString::from(token_secret.to_owned()),
        token_secret_is_development_default: development_default,
        admin_wallet: raw.string("ADMIN_WALLET_ADDRESS"),
        legacy_wallet_header,
        refresh_reuse_window: Duration::from_secs(raw.bounded("REFRESH_REUSE_WINDOW_SECS", 0..=300)?),
        revocation_poll: Duration::from_millis(raw.bounded("AUTH_REVOCATION_POLL_MS", 100..=5_000)?),
    })
}

fn solana(raw: &Raw) -> Result<SolanaSettings, ConfigError> {
    let address = |name: &'static str| -> Result<Option<String>, ConfigError> {
        match raw.get(name) {
            Some(value) if crate::auth::wallet::is_valid_address(value) => Ok(Some(value.to_owned())),
            Some(value) => Err(ConfigError::invalid(
                name,
                format!("must be a base58 Solana address, got {value:?}"),
            )),
            None => Ok(None),
        }
    };
    let required = |name: &'static str| address(name)?.ok_or(ConfigError::Missing { var: name });
    Ok(SolanaSettings {
        rpc_url: optional_url(raw, "SOLANA_RPC_URL", &["http", "https"])?,
        network: one_of(raw, "SOLANA_NETWORK", &["devnet", "testnet", "mainnet-beta"])?,
        treasury: required("NEPTU_TREASURY")?,
        ecosystem_pool: address("NEPTU_ECOSYSTEM_POOL")?,
        sudigital_treasury: address("SUDIGITAL_TREASURY")?,
        neptu_mint: required("NEPTU_TOKEN_MINT")?,
        sudigital_mint: required("SUDIGITAL_TOKEN_MINT")?,
    })
}

fn metrics(raw: &Raw) -> Result<MetricsSettings, ConfigError> {
    let token = raw.get("METRICS_TOKEN");
    if token.is_some_and(|t| t.len() < 16) {
        return Err(ConfigError::invalid(
            "METRICS_TOKEN",
            "must be at least 16 characters long",
        ));
    }
    Ok(MetricsSettings {
        listen: raw.parse("METRICS_LISTEN", "an address such as 0.0.0.0:9100")?,
        token: token.map(|t| SecretString::from(t.to_owned())),
    })
}

fn one_of(raw: &Raw, name: &'static str, allowed: &[&str]) -> Result<String, ConfigError> {
    let value = raw.required(name)?;
    if allowed.contains(&value) {
        Ok(value.to_owned())
    } else {
        Err(ConfigError::invalid(
            name,
            format!("must be one of {}, got {value:?}", allowed.join(", ")),
        ))
    }
}

/// A URL that may carry credentials: validated, kept secret, never echoed in errors.
fn optional_url(
    raw: &Raw,
    name: &'static str,
    schemes: &[&str],
) -> Result<Option<SecretString>, ConfigError> {
    let Some(value) = raw.get(name) else {
        return Ok(None);
    };
    match url::Url::parse(value) {
        Ok(u) if schemes.contains(&u.scheme()) => Ok(Some(SecretString::from(value.to_owned()))),
        _ => Err(ConfigError::invalid(
            name,
            format!("must be a URL with scheme {}", schemes.join(" or ")),
        )),
    }
}

fn plain_url(raw: &Raw, name: &'static str) -> Result<Option<String>, ConfigError> {
    let Some(value) = raw.get(name) else {
        return Ok(None);
    };
    match url::Url::parse(value) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => Ok(Some(value.trim_end_matches('/').to_owned())),
        _ => Err(ConfigError::invalid(
            name,
            format!("must be an http(s) URL, got {value:?}"),
        )),
    }
}

fn required_url(raw: &Raw, name: &'static str) -> Result<String, ConfigError> {
    plain_url(raw, name)?.ok_or(ConfigError::Missing { var: name })
}

#[cfg(test)]
mod tests;
