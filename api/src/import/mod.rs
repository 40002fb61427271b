//! `neptu-api import-d1`: moves a Cloudflare D1 database (a `wrangler d1 export` or
//! `sqlite3 .dump` SQL dump, or an SQLite file) into Postgres.
//!
//! The source is read whole first (`source`), and refused when it cannot be the database
//! asked for: no table of the schema, no rows, a dump that may be cut short (unless
//! `--allow-partial`), row counts that differ from `--expect`. Every table is then converted
//! (`transform`), checked against the schema's rules (`checks`) and written (`load`) in one
//! transaction, the emptying of `--truncate` included: a failure leaves the target as it was.
//! A row that cannot go in is reported with its table, key, column and reason, never
//! silently dropped, and any difference between source and imported counts makes the command
//! exit non-zero. `--dry-run` does all but the writing, without a database.
//!
//! `neptu-api import-pg` reads the original backend's Postgres database instead (`postgres`)
//! and goes through the same checks, conversion and load.
//!
//! This module writes its own SQL, the one place outside `neptu_shared::db` that does: the
//! repositories hold the services' queries over typed rows, while the import moves whole tables
//! generically, with statements built from the table mapping (`mapping`; names never come from
//! the input) and run only by these commands, in their one transaction.

mod checks;
mod load;
mod mapping;
mod postgres;
mod report;
mod rows;
mod source;
mod sql_dump;
mod sqlite;
mod transform;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::time::Instant;

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub use postgres::{PgOptions, run_pg};
pub use report::{Report, TableReport};
pub use rows::Skip;
pub use source::{Source, SourceTable, SourceValue};

#[derive(Debug, Clone)]
pub struct Options<'a> {
    pub from: &'a Path,
    /// Empty the target tables first (in the import's transaction).
    pub truncate: bool,
    /// Read, convert and check only; needs no database.
    pub dry_run: bool,
    /// Import a source that may be cut short (a dump without an export's ending).
    pub allow_partial: bool,
    /// A JSON object of table name to row count in the source database, checked before
    /// anything is written.
    pub expect: Option<&'a Path>,
}

impl<'a> Options<'a> {
    pub fn new(from: &'a Path) -> Self {
        Self {
            from,
            truncate: false,
            dry_run: false,
            allow_partial: false,
            expect: None,
        }
    }
}

/// What to do with a source once read, whatever kind of source it is.
#[derive(Debug, Clone, Default)]
pub struct Load {
    pub truncate: bool,
    pub dry_run: bool,
    pub allow_partial: bool,
    pub expect: Option<BTreeMap<String, u64>>,
}

/// Reads the D1 export and imports it. `pool` may be `None` in a dry run only.
pub async fn run(pool: Option<&PgPool>, options: &Options<'_>) -> anyhow::Result<Report> {
    let started = Instant::now();
    let expect = options.expect.map(read_expect).transpose()?;
    let source = Source::read(options.from)?;
    let load = Load {
        truncate: options.truncate,
        dry_run: options.dry_run,
        allow_partial: options.allow_partial,
        expect,
    };
    let mut report = import_source(pool, source, &load).await?;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// `--expect FILE`: `{"users": 1234, …}`.
fn read_expect(path: &Path) -> anyhow::Result<BTreeMap<String, u64>> {
    let text =
        std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("--expect {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "--expect {}: not a JSON object of table name to row count: {e}",
            path.display()
        )
    })
}

/// Imports a source already read (the D1 reader's, or another one's).
pub async fn import_source(pool: Option<&PgPool>, source: Source, load: &Load) -> anyhow::Result<Report> {
    let started = Instant::now();
    refuse_unusable(&source, load)?;
    let expect_matched = load
        .expect
        .as_ref()
        .map(|expect| check_expect(&source, expect))
        .transpose()?;
    let mut tx = match (load.dry_run, pool) {
        (true, _) => None,
        (false, Some(pool)) => Some(pool.begin().await?),
        (false, None) => anyhow::bail!("a database is needed unless --dry-run"),
    };
    if let Some(tx) = tx.as_mut() {
        prepare_target(tx, load.truncate).await?;
    }
    let now = chrono::Utc::now();
    let mut users: HashSet<Uuid> = HashSet::new();
    let mut tables = Vec::new();
    for table in mapping::TABLES {
        let prepared = rows::prepare(table, source.tables.get(table.name), &users, now);
        if table.name == "users" {
            users = prepared.ids();
        }
        let mut report = TableReport {
            table: table.name,
            source_rows: prepared.source_rows,
            imported: prepared.rows.len() as u64,
            skipped: prepared.skipped.clone(),
            unknown_columns: prepared.unknown_columns.clone(),
            error: None,
        };
        if let Some(tx) = tx.as_mut() {
            let floor = source.sequences.get(table.name).copied();
            match load::load(tx, &prepared, floor).await {
                Ok(inserted) => report.imported = inserted,
                Err(error) => {
                    report.imported = 0;
                    report.error = Some(format!("{error:#}"));
                    if table.name == "users" {
                        users.clear();
                    }
                }
            }
        }
        tables.push(report);
    }
    let rolled_back = tables.iter().any(|t| t.error.is_some());
    if let Some(tx) = tx {
        if rolled_back {
            tx.rollback().await?;
            for t in &mut tables {
                t.imported = 0;
            }
        } else {
            tx.commit().await?;
        }
    }
    let known: HashSet<&str> = mapping::table_names().collect();
    let other_tables = source
        .tables
        .iter()
        .filter(|(name, _)| !known.contains(name.as_str()))
        .map(|(name, t)| (name.clone(), t.rows.len()))
        .collect();
    Ok(Report {
        tables,
        other_tables,
        dry_run: load.dry_run,
        partial: source.incomplete.clone(),
        expect_matched,
        rolled_back,
        elapsed: started.elapsed(),
    })
}

/// A source that holds nothing of ours, or that may be cut short.
fn refuse_unusable(source: &Source, load: &Load) -> anyhow::Result<()> {
    let present: Vec<&str> = mapping::table_names()
        .filter(|name| source.tables.contains_key(*name))
        .collect();
    if present.is_empty() {
        let found: Vec<&str> = source.tables.keys().map(String::as_str).take(10).collect();
        anyhow::bail!(
            "the source holds no table of the Neptu schema (tables found: {})",
            if found.is_empty() {
                "none".into()
            } else {
                found.join(", ")
            }
        );
    }
    if present.iter().all(|name| source.tables[*name].rows.is_empty()) {
        anyhow::bail!(
            "the source holds no rows in the tables of the schema ({})",
            present.join(", ")
        );
    }
    if let Some(reason) = &source.incomplete
        && !load.allow_partial
    {
        anyhow::bail!("{reason}; refusing a partial import (--allow-partial imports it anyway)");
    }
    Ok(())
}

/// Compares the source's row counts with the expected ones; the number of tables compared.
fn check_expect(source: &Source, expect: &BTreeMap<String, u64>) -> anyhow::Result<usize> {
    let mismatches: Vec<String> = expect
        .iter()
        .filter_map(|(name, &expected)| {
            let found = match source.tables.get(name) {
                Some(table) => table.rows.len() as u64,
                None if name == "sqlite_sequence" => source.sequences.len() as u64,
                None => 0,
            };
            (found != expected).then(|| format!("{name} has {found} rows, {expected} expected"))
        })
        .collect();
    if !mismatches.is_empty() {
        anyhow::bail!(
            "the source does not match --expect: {}; nothing was written",
            mismatches.join("; ")
        );
    }
    Ok(expect.len())
}

/// Refuses a target that already holds data, unless asked to empty it first.
async fn prepare_target(conn: &mut PgConnection, truncate: bool) -> anyhow::Result<()> {
    let names: Vec<&str> = mapping::table_names().collect();
    if truncate {
        let sql = format!(
            "TRUNCATE {}, refresh_tokens RESTART IDENTITY CASCADE",
            names.join(", ")
        );
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *conn).await?;
        return Ok(());
    }
    for name in names {
        if load::count(conn, name).await? > 0 {
            anyhow::bail!(
                "the target table {name} is not empty; run with --truncate to replace its contents"
            );
        }
    }
    Ok(())
}
