//! `neptu-api backup` and `neptu-api backup-verify`.

use std::path::{Path, PathBuf};

use chrono::Utc;
use neptu_shared::backup;
use neptu_shared::config::{BackupTarget, Settings};

/// Takes a backup to `to` (or `BACKUP_TO`) and prints the report as JSON.
pub async fn run(settings: &Settings, to: Option<&str>) -> anyhow::Result<()> {
    let backup_settings = match to {
        Some(to) => {
            let target = BackupTarget::parse(to).map_err(|message| anyhow::anyhow!("--to {message}"))?;
            settings.backup.with_target(target)?
        }
        None => settings.backup.clone(),
    };
    let report = backup::run(&backup_settings, &settings.database, Utc::now()).await?;
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

/// Checks a dump with `pg_restore --list`. Needs no database or other configuration, so it
/// runs on any machine holding the file; only `BACKUP_PG_BIN_DIR` is read.
pub async fn verify(file: &Path) -> anyhow::Result<()> {
    let pg_bin_dir = std::env::var_os("BACKUP_PG_BIN_DIR").map(PathBuf::from);
    match backup::verify(pg_bin_dir.as_deref(), file).await {
        Ok(contents) => {
            println!(
                "{}: ok, {} entries, {} tables with data",
                file.display(),
                contents.entries,
                contents.tables_with_data
            );
            Ok(())
        }
        Err(error) => {
            eprintln!("{}: not a usable backup: {error:#}", file.display());
            Err(error)
        }
    }
}
