//! Backup settings: where dumps go, how long they are kept, S3 credentials.

use std::path::PathBuf;
use std::time::Duration;

use secrecy::SecretString;

use super::ConfigError;
use super::raw::Raw;

/// Where a backup is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackupTarget {
    /// A local or mounted directory (an Azure Files share, say).
    Dir(PathBuf),
    /// An S3-compatible bucket; `prefix` is empty or ends with `/`.
    S3 { bucket: String, prefix: String },
}

impl BackupTarget {
    /// `s3://bucket/some/prefix` or a directory path.
    pub fn parse(value: &str) -> Result<Self, String> {
        let value = value.trim();
        if value.is_empty() {
            return Err("must be a directory or s3://bucket/prefix, got an empty value".to_owned());
        }
        let Some(rest) = value.strip_prefix("s3://") else {
            if value.contains("://") {
                return Err(format!(
                    "must be a directory or s3://bucket/prefix, got {value:?}"
                ));
            }
            return Ok(Self::Dir(PathBuf::from(value)));
        };
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let valid_bucket = (3..=63).contains(&bucket.len())
            && bucket
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
        if !valid_bucket {
            return Err(format!("has an invalid bucket name {bucket:?}"));
        }
        let prefix = prefix.trim_matches('/');
        let prefix = if prefix.is_empty() {
            String::new()
        } else {
            format!("{prefix}/")
        };
        Ok(Self::S3 {
            bucket: bucket.to_owned(),
            prefix,
        })
    }
}

impl std::fmt::Display for BackupTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Dir(dir) => write!(f, "{}", dir.display()),
            Self::S3 { bucket, prefix } => write!(f, "s3://{bucket}/{prefix}"),
        }
    }
}

/// An S3-compatible endpoint (AWS, Cloudflare R2, MinIO, ...).
#[derive(Debug, Clone)]
pub struct S3Settings {
    pub endpoint: url::Url,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: SecretString,
    /// `https://endpoint/bucket/key` rather than `https://bucket.endpoint/key`.
    pub path_style: bool,
}

#[derive(Debug, Clone)]
pub struct BackupSettings {
    /// Where the scheduled backup goes; `None` switches the job off.
    pub to: Option<BackupTarget>,
    /// Dumps older than this many days are deleted after a successful backup; 0 keeps all.
    pub keep_days: u32,
    /// Needed for `s3://` targets.
    pub s3: Option<S3Settings>,
    /// Directory holding `pg_dump` and `pg_restore`; `None` = found on `PATH`.
    pub pg_bin_dir: Option<PathBuf>,
    /// Longest one backup may take (dump, check and upload).
    pub timeout: Duration,
}

impl BackupSettings {
    /// Settings for an explicit target (the `backup --to` flag), checked like `BACKUP_TO`.
    pub fn with_target(&self, to: BackupTarget) -> Result<Self, ConfigError> {
        if matches!(to, BackupTarget::S3 { .. }) && self.s3.is_none() {
            return Err(ConfigError::Missing {
                var: "BACKUP_S3_ENDPOINT",
            });
        }
        Ok(Self {
            to: Some(to),
            ..self.clone()
        })
    }
}

pub(super) fn backup(raw: &Raw) -> Result<BackupSettings, ConfigError> {
    let to = match raw.get("BACKUP_TO") {
        None => None,
        Some(value) => {
            Some(BackupTarget::parse(value).map_err(|message| ConfigError::invalid("BACKUP_TO", message))?)
        }
    };
    let s3 = match raw.get("BACKUP_S3_ENDPOINT") {
        None => None,
        Some(endpoint) => {
            let endpoint = url::Url::parse(endpoint)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
                .ok_or_else(|| {
                    ConfigError::invalid(
                        "BACKUP_S3_ENDPOINT",
                        format!("must be an http(s) URL, got {endpoint:?}"),
                    )
                })?;
            Some(S3Settings {
                endpoint,
                region: raw.required("BACKUP_S3_REGION")?.to_owned(),
                access_key_id: raw.required("BACKUP_S3_ACCESS_KEY_ID")?.to_owned(),
                secret_access_key: raw
                    .secret("BACKUP_S3_SECRET_ACCESS_KEY")
                    .ok_or(ConfigError::Missing {
                        var: "BACKUP_S3_SECRET_ACCESS_KEY",
                    })?,
                path_style: raw.bool("BACKUP_S3_PATH_STYLE")?.unwrap_or(true),
            })
        }
    };
    let settings = BackupSettings {
        to: None,
        keep_days: raw.bounded("BACKUP_KEEP_DAYS", 0..=3650)? as u32,
        s3,
        pg_bin_dir: raw.string("BACKUP_PG_BIN_DIR").map(PathBuf::from),
        timeout: Duration::from_secs(raw.bounded("BACKUP_TIMEOUT_SECS", 10..=86_400)?),
    };
    match to {
        Some(to) => settings.with_target(to),
        None => Ok(settings),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse() {
        assert_eq!(
            BackupTarget::parse("/var/backups/neptu").unwrap(),
            BackupTarget::Dir("/var/backups/neptu".into())
        );
        assert_eq!(
            BackupTarget::parse("s3://neptu-backups/db/daily/").unwrap(),
            BackupTarget::S3 {
                bucket: "neptu-backups".into(),
                prefix: "db/daily/".into()
            }
        );
        assert_eq!(
            BackupTarget::parse("s3://neptu-backups").unwrap(),
            BackupTarget::S3 {
                bucket: "neptu-backups".into(),
                prefix: String::new()
            }
        );
        assert!(BackupTarget::parse("s3://UPPER/x").is_err());
        assert!(BackupTarget::parse("https://example.com/x").is_err());
        assert!(BackupTarget::parse(" ").is_err());
    }
}
