//! `neptu-api import-d1`: moves a Cloudflare D1 database (a `wrangler d1 export` SQL dump or
//! an SQLite file) into Postgres.
//!
//! Every table of the schema is read, converted (`transform`) and written in one transaction
//! per table (`load`). A row that cannot be converted is reported with its table, key, column
//! and reason, never silently dropped; any difference between source and imported counts makes
//! the command exit non-zero. The target must be empty unless `--truncate`; `--dry-run` reads
//! and converts without writing.
//!
//! `neptu-api import-pg` reads the original backend's Postgres database instead (`postgres`)
//! and goes through the same conversion, checks and load.

mod load;
mod mapping;
mod postgres;
mod rows;
mod source;
mod sql_dump;
mod sqlite;
mod transform;

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use sqlx::PgPool;
use uuid::Uuid;

pub use postgres::{PgOptions, run_pg};
pub use rows::Skip;
pub use source::{Source, SourceTable, SourceValue};

/// What happened to one table.
#[derive(Debug, Clone)]
pub struct TableReport {
    pub table: &'static str,
    pub source_rows: usize,
    pub imported: u64,
    pub skipped: Vec<Skip>,
    pub unknown_columns: Vec<String>,
    /// The database refused the table (its transaction was rolled back).
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub tables: Vec<TableReport>,
    /// Source tables outside the schema, with their row counts (not imported).
    pub other_tables: Vec<(String, usize)>,
    pub dry_run: bool,
    pub elapsed: Duration,
}

impl Report {
    /// Every row of every table went in (or, in a dry run, would).
    pub fn complete(&self) -> bool {
        self.tables
            .iter()
            .all(|t| t.error.is_none() && t.skipped.is_empty() && t.imported == t.source_rows as u64)
    }

    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.imported).sum()
    }

    /// The printed summary.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let verb = if self.dry_run { "would import" } else { "imported" };
        let _ = writeln!(
            out,
            "{:<24} {:>10} {:>10} {:>8}",
            "table", "source", verb, "skipped"
        );
        for t in &self.tables {
            let _ = writeln!(
                out,
                "{:<24} {:>10} {:>10} {:>8}",
                t.table,
                t.source_rows,
                t.imported,
                t.skipped.len()
            );
        }
        for t in &self.tables {
            for skip in t.skipped.iter().take(50) {
                let _ = writeln!(
                    out,
                    "skipped {} {} (column {}): {}",
                    t.table, skip.key, skip.column, skip.reason
                );
            }
            if t.skipped.len() > 50 {
                let _ = writeln!(
                    out,
                    "… and {} more skipped rows in {}",
                    t.skipped.len() - 50,
                    t.table
                );
            }
            if !t.unknown_columns.is_empty() {
                let _ = writeln!(
                    out,
                    "unknown columns in {} (not imported): {}",
                    t.table,
                    t.unknown_columns.join(", ")
                );
            }
            if let Some(error) = &t.error {
                let _ = writeln!(out, "FAILED {}: {error}", t.table);
            }
        }
        for (name, rows) in &self.other_tables {
            let _ = writeln!(out, "not in the schema, not imported: {name} ({rows} rows)");
        }
        let secs = self.elapsed.as_secs_f64().max(1e-9);
        let _ = writeln!(
            out,
            "{} rows in {:.2} s ({:.0} rows/s); {}",
            self.rows(),
            secs,
            self.rows() as f64 / secs,
            if self.complete() {
                "every row accounted for"
            } else {
                "INCOMPLETE: see above"
            }
        );
        out
    }
}

#[derive(Debug, Clone)]
pub struct Options<'a> {
    pub from: &'a Path,
    pub truncate: bool,
    pub dry_run: bool,
}

/// Runs the import. `pool` is not used in a dry run.
pub async fn run(pool: &PgPool, options: Options<'_>) -> anyhow::Result<Report> {
    let started = Instant::now();
    let source = Source::read(options.from)?;
    import(pool, source, options.truncate, options.dry_run, started).await
}

/// Imports a source that has been read (a D1 export, or the original's Postgres database).
async fn import(
    pool: &PgPool,
    source: Source,
    truncate: bool,
    dry_run: bool,
    started: Instant,
) -> anyhow::Result<Report> {
    if !dry_run {
        prepare_target(pool, truncate).await?;
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
        if !dry_run {
            match load::load(pool, &prepared).await {
                Ok(inserted) => {
                    report.imported = inserted;
                    let counted = load::count(pool, table.name).await?;
                    if counted != inserted as i64 {
                        report.error =
                            Some(format!("{counted} rows in the table after inserting {inserted}"));
                    }
                }
                Err(error) => {
                    report.imported = 0;
                    report.error = Some(error.to_string());
                    if table.name == "users" {
                        users.clear();
                    }
                }
            }
        }
        tables.push(report);
    }
    let known: HashSet<&str> = mapping::table_names().collect();
    let other_tables = source
        .tables
        .iter()
        .filter(|(name, _)| !known.contains(name.as_str()) && !name.starts_with("sqlite_"))
        .map(|(name, t)| (name.clone(), t.rows.len()))
        .collect();
    Ok(Report {
        tables,
        other_tables,
        dry_run,
        elapsed: started.elapsed(),
    })
}

/// Refuses a target that already holds data, unless asked to empty it first.
async fn prepare_target(pool: &PgPool, truncate: bool) -> anyhow::Result<()> {
    let names: Vec<&str> = mapping::table_names().collect();
    if truncate {
        let sql = format!(
            "TRUNCATE {}, refresh_tokens RESTART IDENTITY CASCADE",
            names.join(", ")
        );
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(pool).await?;
        return Ok(());
    }
    for name in names {
        if load::count(pool, name).await? > 0 {
            anyhow::bail!(
                "the target table {name} is not empty; run with --truncate to replace its contents"
            );
        }
    }
    Ok(())
}
