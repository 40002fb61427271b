//! Where dumps are kept: a directory, or an S3-compatible bucket reached with SigV4-presigned
//! requests (signed by `rusty-s3`, sent by reqwest).

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use rusty_s3::actions::ListObjectsV2;
use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};
use secrecy::ExposeSecret;

use super::names::dump_time;
use crate::config::{BackupTarget, S3Settings};

/// How long a presigned request stays valid; each is sent at once.
const SIGNATURE_TTL: Duration = Duration::from_secs(15 * 60);

pub enum Store {
    Dir(PathBuf),
    S3(Box<S3Store>),
}

pub struct S3Store {
    bucket: Bucket,
    credentials: Credentials,
    prefix: String,
    http: reqwest::Client,
}

impl Store {
    pub fn new(target: &BackupTarget, s3: Option<&S3Settings>) -> anyhow::Result<Self> {
        match target {
            BackupTarget::Dir(dir) => Ok(Self::Dir(dir.clone())),
            BackupTarget::S3 { bucket, prefix } => {
                let s3 = s3.context("s3:// targets need BACKUP_S3_ENDPOINT and its keys")?;
                let style = if s3.path_style {
                    UrlStyle::Path
                } else {
                    UrlStyle::VirtualHost
                };
                let bucket = Bucket::new(s3.endpoint.clone(), style, bucket.clone(), s3.region.clone())
                    .map_err(|e| anyhow::anyhow!("invalid S3 bucket or endpoint: {e}"))?;
                crate::clients::install_crypto_provider();
                // No total timeout: a large upload may take long (the backup as a whole has
                // one); a stalled connection is caught by the read timeout.
                let http = reqwest::Client::builder()
                    .connect_timeout(Duration::from_secs(10))
                    .read_timeout(Duration::from_secs(120))
                    .build()?;
                Ok(Self::S3(Box::new(S3Store {
                    bucket,
                    credentials: Credentials::new(
                        s3.access_key_id.clone(),
                        s3.secret_access_key.expose_secret().to_owned(),
                    ),
                    prefix: prefix.clone(),
                    http,
                })))
            }
        }
    }

    /// Stores `file` as `name`; returns where it is.
    pub async fn put(&self, file: &Path, name: &str, bytes: u64) -> anyhow::Result<String> {
        match self {
            Self::Dir(dir) => {
                let dest = dir.join(name);
                // The data is on disk before the name appears.
                tokio::fs::File::open(file).await?.sync_all().await?;
                tokio::fs::rename(file, &dest)
                    .await
                    .with_context(|| format!("moving the dump to {}", dest.display()))?;
                Ok(dest.display().to_string())
            }
            Self::S3(s3) => s3.put(file, name, bytes).await,
        }
    }

    /// The names of our dumps in the store (other files are left out).
    pub async fn list(&self) -> anyhow::Result<Vec<String>> {
        match self {
            Self::Dir(dir) => {
                let mut names = Vec::new();
                let mut entries = tokio::fs::read_dir(dir).await?;
                while let Some(entry) = entries.next_entry().await? {
                    if let Some(name) = entry.file_name().to_str().filter(|n| dump_time(n).is_some()) {
                        names.push(name.to_owned());
                    }
                }
                names.sort();
                Ok(names)
            }
            Self::S3(s3) => s3.list().await,
        }
    }

    pub async fn delete(&self, name: &str) -> anyhow::Result<()> {
        match self {
            Self::Dir(dir) => Ok(tokio::fs::remove_file(dir.join(name)).await?),
            Self::S3(s3) => s3.delete(name).await,
        }
    }
}

impl S3Store {
    fn key(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    async fn put(&self, file: &Path, name: &str, bytes: u64) -> anyhow::Result<String> {
        let key = self.key(name);
        let url = self
            .bucket
            .put_object(Some(&self.credentials), &key)
            .sign(SIGNATURE_TTL);
        let body = reqwest::Body::from(tokio::fs::File::open(file).await?);
        // S3 refuses chunked uploads: the length goes in the header.
        let response = self
            .http
            .put(url)
            .header(reqwest::header::CONTENT_LENGTH, bytes)
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            .body(body)
            .send()
            .await
            .context("uploading the dump")?;
        check(response, "upload").await?;
        Ok(format!("s3://{}/{key}", self.bucket.name()))
    }

    async fn list(&self) -> anyhow::Result<Vec<String>> {
        let mut names = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut action = self.bucket.list_objects_v2(Some(&self.credentials));
            if !self.prefix.is_empty() {
                action.with_prefix(self.prefix.as_str());
            }
            if let Some(token) = &token {
                action.with_continuation_token(token.as_str());
            }
            let url = action.sign(SIGNATURE_TTL);
            let response = self.http.get(url).send().await.context("listing backups")?;
            let text = check(response, "list").await?.text().await?;
            let page = ListObjectsV2::parse_response(&text)
                .map_err(|e| anyhow::anyhow!("unreadable bucket listing: {e}"))?;
            names.extend(
                page.contents
                    .into_iter()
                    .filter_map(|o| o.key.strip_prefix(&self.prefix).map(str::to_owned))
                    .filter(|n| !n.contains('/') && dump_time(n).is_some()),
            );
            match page.next_continuation_token {
                Some(next) => token = Some(next),
                None => break,
            }
        }
        names.sort();
        Ok(names)
    }

    async fn delete(&self, name: &str) -> anyhow::Result<()> {
        let key = self.key(name);
        let url = self
            .bucket
            .delete_object(Some(&self.credentials), &key)
            .sign(SIGNATURE_TTL);
        let response = self
            .http
            .delete(url)
            .send()
            .await
            .context("deleting an old backup")?;
        check(response, "delete").await.map(drop)
    }
}

/// A non-2xx answer becomes an error with the start of S3's XML message (never the URL,
/// which carries a signature).
async fn check(response: reqwest::Response, what: &str) -> anyhow::Result<reqwest::Response> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let body = response.text().await.unwrap_or_default();
    let excerpt: String = body.chars().take(300).collect();
    anyhow::bail!("S3 {what} answered {status}: {excerpt}")
}
