//! Developer platform settings: the API key secret, usage retention, and the knobs of the
//! metered `/api/v1` hot path.

use secrecy::SecretString;

use super::ConfigError;
use super::raw::Raw;

/// Used only outside production when `API_KEY_SECRET` is unset; a warning is logged.
const DEVELOPMENT_KEY_SECRET: &str = "neptu-development-api-key-secret-do-not-use-in-production";
const MIN_KEY_SECRET_BYTES: usize = 32;

#[derive(Debug, Clone)]
pub struct DeveloperSettings {
    pub key_secret: SecretString,
    pub key_secret_is_development_default: bool,
    pub usage_retention_days: u32,
    /// Most credits a replica leases at once.
    pub credit_lease: u32,
    /// Usage rows buffered while they cannot be written.
    pub usage_buffer: usize,
}

pub(super) fn developer(raw: &Raw, production: bool) -> Result<DeveloperSettings, ConfigError> {
    let (secret, development_default) = match raw.get("API_KEY_SECRET") {
        Some(secret) if secret.len() >= MIN_KEY_SECRET_BYTES => (secret, false),
        Some(_) => {
            return Err(ConfigError::invalid(
                "API_KEY_SECRET",
                format!("must be at least {MIN_KEY_SECRET_BYTES} bytes long"),
            ));
        }
        None if production => {
            return Err(ConfigError::Missing {
                var: "API_KEY_SECRET",
            });
        }
        None => (DEVELOPMENT_KEY_SECRET, true),
    };
    Ok(DeveloperSettings {
        key_secret: SecretString::from(secret.to_owned()),
        key_secret_is_development_default: development_default,
        usage_retention_days: raw.bounded("API_USAGE_RETENTION_DAYS", 1..=3650)? as u32,
        credit_lease: raw.bounded("API_CREDIT_LEASE", 1..=10_000)? as u32,
        usage_buffer: raw.bounded("API_USAGE_BUFFER", 1_000..=10_000_000)? as usize,
    })
}
