//! `pg_dump` and `pg_restore --list`, run as child processes. The password travels in the
//! child's environment (`PGPASSWORD`), never on its command line, where any user of the host
//! could read it in the process list.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::Context;
use secrecy::ExposeSecret;
use tokio::process::Command;

use crate::config::DatabaseSettings;

/// What `pg_restore --list` found in a dump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DumpContents {
    pub entries: usize,
    pub tables_with_data: usize,
}

fn program(bin_dir: Option<&Path>, name: &str) -> PathBuf {
    bin_dir.map_or_else(|| PathBuf::from(name), |dir| dir.join(name))
}

/// Writes a custom-format dump of the database to `out`.
pub async fn dump(database: &DatabaseSettings, bin_dir: Option<&Path>, out: &Path) -> anyhow::Result<()> {
    let mut url = url::Url::parse(database.url.expose_secret()).context("DATABASE_URL is not a URL")?;
    let password = url.password().map(|p| {
        percent_encoding::percent_decode_str(p)
            .decode_utf8_lossy()
            .into_owned()
    });
    // Cannot fail for a URL with a host; a socket URL has no password to remove.
    let _ = url.set_password(None);
    let mut command = Command::new(program(bin_dir, "pg_dump"));
    command
        .args(["--format=custom", "--no-owner", "--no-privileges"])
        // Wait at most this long for a table lock (a migration holding one), then fail
        // and retry, rather than queue behind it and block everyone else.
        .arg("--lock-wait-timeout=60s")
        .arg("--file")
        .arg(out)
        .arg("--dbname")
        .arg(url.as_str())
        .env("PGAPPNAME", "neptu-backup");
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    // libpq does not know our built-in roots: under `sslmode=verify-full` it checks the
    // server against this file (or the URL's `sslrootcert`, which wins over the variable).
    if let Some(ca) = &database.ca_file {
        command.env("PGSSLROOTCERT", ca.path());
    }
    run(command, "pg_dump").await.map(drop)
}

/// Reads the dump's table of contents; fails when it is not a readable dump.
pub async fn list_contents(bin_dir: Option<&Path>, file: &Path) -> anyhow::Result<DumpContents> {
    let mut command = Command::new(program(bin_dir, "pg_restore"));
    command.arg("--list").arg(file);
    let listing = run(command, "pg_restore --list").await?;
    let entries: Vec<&str> = listing
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with(';'))
        .collect();
    Ok(DumpContents {
        entries: entries.len(),
        tables_with_data: entries
            .iter()
            .filter(|line| line.contains(" TABLE DATA "))
            .count(),
    })
}

/// Runs a child to completion (killed if the caller gives up on it) and returns its stdout;
/// on failure, the error carries the end of its stderr.
async fn run(mut command: Command, what: &str) -> anyhow::Result<String> {
    let output = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output()
        .await
        .with_context(|| format!("could not start {what} (set BACKUP_PG_BIN_DIR if it is not on PATH)"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        anyhow::bail!("{what} failed ({}): {}", output.status, tail.join(" | "));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
