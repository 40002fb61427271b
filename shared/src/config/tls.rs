//! TLS settings for the connections to Postgres and Redis: the optional CA bundles, and the
//! checks that a bundle is only given where it is actually used.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use sqlx::postgres::{PgConnectOptions, PgSslMode};

use super::ConfigError;
use super::raw::Raw;

/// A PEM file of CA certificates, read and checked once at start.
#[derive(Clone)]
pub struct CaBundle {
    path: PathBuf,
    pem: Arc<[u8]>,
}

impl CaBundle {
    /// Reads `path` and checks that it holds at least one certificate and nothing broken.
    /// `var` names the setting in errors.
    pub fn read(var: &'static str, path: &Path) -> Result<Self, ConfigError> {
        let pem = std::fs::read(path)
            .map_err(|e| ConfigError::invalid(var, format!("cannot be read ({}): {e}", path.display())))?;
        let certificates = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| {
                ConfigError::invalid(var, format!("is not a valid PEM file ({}): {e}", path.display()))
            })?;
        if certificates.is_empty() {
            return Err(ConfigError::invalid(
                var,
                format!("holds no PEM certificate ({})", path.display()),
            ));
        }
        Ok(Self {
            path: path.to_owned(),
            pem: pem.into(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's contents, as read at start.
    pub fn pem(&self) -> &[u8] {
        &self.pem
    }
}

impl std::fmt::Debug for CaBundle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("CaBundle").field(&self.path).finish()
    }
}

pub(super) fn ca_bundle(raw: &Raw, var: &'static str) -> Result<Option<CaBundle>, ConfigError> {
    raw.get(var)
        .map(|path| CaBundle::read(var, Path::new(path)))
        .transpose()
}

/// Whether the server's certificate is checked against trusted roots.
pub(super) fn verifies_certificate(options: &PgConnectOptions) -> bool {
    matches!(
        options.get_ssl_mode(),
        PgSslMode::VerifyCa | PgSslMode::VerifyFull
    )
}

/// A CA bundle is only read under `sslmode=verify-ca`/`verify-full`: under any other mode the
/// server's certificate is not checked at all, so a bundle there is a mistake to report, not
/// a silent no-op.
pub(super) fn check_database_ca(
    options: &PgConnectOptions,
    ca: Option<&CaBundle>,
) -> Result<(), ConfigError> {
    if ca.is_some() && !verifies_certificate(options) {
        return Err(ConfigError::invalid(
            "DATABASE_CA_FILE",
            "is set, but DATABASE_URL does not verify the server's certificate: add sslmode=verify-full",
        ));
    }
    Ok(())
}

/// `rediss://` URLs are TLS. Certificate checks cannot be turned off (the `#insecure` fragment
/// of the redis crate), and a CA bundle without TLS would be ignored.
pub(super) fn check_redis(url: Option<&url::Url>, ca: Option<&CaBundle>) -> Result<(), ConfigError> {
    let tls = url.is_some_and(|u| u.scheme() == "rediss");
    if tls && url.is_some_and(|u| u.fragment() == Some("insecure")) {
        return Err(ConfigError::invalid(
            "REDIS_URL",
            "turns certificate checks off (#insecure), which is not supported; use REDIS_CA_FILE for a private CA",
        ));
    }
    if ca.is_some() && !tls {
        return Err(ConfigError::invalid(
            "REDIS_CA_FILE",
            "is set, but REDIS_URL is not a rediss:// (TLS) URL",
        ));
    }
    Ok(())
}

/// How a connection is protected, for the start-up summary.
pub(super) fn database_tls_summary(options: &PgConnectOptions) -> &'static str {
    match options.get_ssl_mode() {
        PgSslMode::Disable => "off",
        PgSslMode::Allow | PgSslMode::Prefer => "opportunistic (unverified)",
        PgSslMode::Require => "required (unverified)",
        PgSslMode::VerifyCa => "verify-ca",
        PgSslMode::VerifyFull => "verify-full",
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use crate::config::{ConfigError, Service, Settings};
    use crate::testing::{TempDir, TestCa};

    fn load(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let mut env: HashMap<String, String> = HashMap::from([
            ("DATABASE_URL".into(), "postgres://u@db.example/neptu".into()),
            ("ENVIRONMENT".into(), "development".into()),
        ]);
        env.extend(pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        Settings::from_env(Service::Api, &env)
    }

    #[test]
    fn rediss_urls_and_ca_files_are_accepted() {
        let dir = TempDir::new("config-ca");
        let ca = dir.write("ca.pem", TestCa::new("test CA").pem());
        let ca = ca.to_str().unwrap();
        let s = load(&[
            ("REDIS_URL", "rediss://:key%2Fwith%2Bsigns@cache.example:6380"),
            ("REDIS_CA_FILE", ca),
            (
                "DATABASE_URL",
                "postgres://u@db.example/neptu?sslmode=verify-full",
            ),
            ("DATABASE_CA_FILE", ca),
        ])
        .unwrap();
        assert_eq!(s.cache.redis_ca_file.unwrap().path().to_str(), Some(ca));
        assert!(s.database.ca_file.is_some());
        assert!(s.database.verifies_certificate());
        // The CA file's certificates reach the connection options (the debug output names them).
        let options = format!("{:?}", s.database.connect_options("test"));
        assert!(options.contains("root_cert"), "{options}");
    }

    #[test]
    fn ca_files_are_refused_where_nothing_would_check_them() {
        let dir = TempDir::new("config-ca");
        let ca = dir.write("ca.pem", TestCa::new("test CA").pem());
        let ca = ca.to_str().unwrap();
        let err = load(&[("REDIS_URL", "redis://cache.example:6379"), ("REDIS_CA_FILE", ca)]).unwrap_err();
        assert_eq!(err.var(), "REDIS_CA_FILE");
        let err = load(&[("REDIS_CA_FILE", ca)]).unwrap_err();
        assert_eq!(err.var(), "REDIS_CA_FILE");
        for mode in ["", "?sslmode=prefer", "?sslmode=require"] {
            let url = format!("postgres://u@db.example/neptu{mode}");
            let err = load(&[("DATABASE_URL", &url), ("DATABASE_CA_FILE", ca)]).unwrap_err();
            assert_eq!(err.var(), "DATABASE_CA_FILE", "{mode}");
            assert!(err.to_string().contains("sslmode=verify-full"), "{err}");
        }
    }

    #[test]
    fn unreadable_or_empty_ca_files_name_the_variable() {
        let dir = TempDir::new("config-ca");
        let empty = dir.write("empty.pem", "");
        let junk = dir.write(
            "junk.pem",
            "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
        );
        let missing = dir.path().join("missing.pem");
        for path in [&empty, &junk, &missing] {
            let path = path.to_str().unwrap();
            let err = load(&[
                ("REDIS_URL", "rediss://cache.example:6380"),
                ("REDIS_CA_FILE", path),
            ])
            .unwrap_err();
            assert_eq!(err.var(), "REDIS_CA_FILE", "{path}");
            assert!(err.to_string().contains(path), "{err}");
        }
    }

    #[test]
    fn turning_redis_certificate_checks_off_is_refused() {
        let err = load(&[("REDIS_URL", "rediss://cache.example:6380/#insecure")]).unwrap_err();
        assert_eq!(err.var(), "REDIS_URL");
        assert!(!err.to_string().contains("cache.example"), "{err}");
    }
}
