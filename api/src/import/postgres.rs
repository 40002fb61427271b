//! `neptu-api import-pg`: reads the original backend's own Postgres database as a second
//! source of the same import. Every table is read into the values an SQLite export would hold
//! (booleans as 0/1, integers, doubles, everything else as text), so the conversion, the
//! checks and the load are exactly those of the D1 import:
//!
//! - text ids stay text here and become `uuid` in `transform` (references parse to the same id);
//! - `timestamptz` columns are read as ISO-8601 UTC text, the text date-times as they are;
//! - `jsonb` is read as its JSON text, so a real object and the original's JSON string stored
//!   inside jsonb both reach `transform`, which unwraps the string;
//! - `numeric` is read as its exact decimal text, never through a double;
//! - the admin flag `users.is_admin` becomes `role` (when both columns exist, a set flag wins).
//!
//! The source is only read: one read-only, repeatable-read transaction, so every table comes
//! from the same snapshot of a database that is still being written to.
//!
//! Its queries read the original backend's schema, not ours, so they live here with the
//! import rather than among the repositories (see the module `import`).

use std::collections::HashSet;
use std::str::FromStr;
use std::time::{Duration, Instant};

use sqlx::postgres::{PgConnectOptions, PgRow};
use sqlx::{Connection, PgConnection, PgPool, Row};

use super::source::{Source, SourceTable, SourceValue};
use super::{Report, mapping};

#[derive(Debug, Clone)]
pub struct PgOptions<'a> {
    /// The source database's URL (`postgres://…`).
    pub from: &'a str,
    pub connect_timeout: Duration,
    pub truncate: bool,
    pub dry_run: bool,
}

/// Runs the import from the original's Postgres database. `pool` (the target) is not used in
/// a dry run.
pub async fn run_pg(pool: &PgPool, options: PgOptions<'_>) -> anyhow::Result<Report> {
    let started = Instant::now();
    let read = read(options.from, options.connect_timeout).await?;
    let load = super::Load {
        truncate: options.truncate,
        dry_run: options.dry_run,
        ..super::Load::default()
    };
    let mut report = super::import_source(Some(pool), read.source, &load).await?;
    report.other_tables.extend(read.other_tables);
    report.elapsed = started.elapsed();
    Ok(report)
}

pub struct PgSource {
    /// The tables of the schema, read in full.
    pub source: Source,
    /// Other tables of the source, counted but not read.
    pub other_tables: Vec<(String, usize)>,
}

/// How a column is read, and so which `SourceValue` it becomes.
#[derive(Debug, Clone, Copy)]
enum Read {
    Integer,
    Real,
    Text,
    Blob,
}

/// Reads every table of the schema from the source database (its `search_path` schema).
pub async fn read(url: &str, connect_timeout: Duration) -> anyhow::Result<PgSource> {
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        anyhow::bail!("--from is not a usable Postgres URL: it must start with postgres://");
    }
    let options = PgConnectOptions::from_str(url)
        .map_err(|e| anyhow::anyhow!("--from is not a usable Postgres URL: {e}"))?
        .application_name("neptu-api-import-pg")
        // Text forms below depend on these; never write to the source; do not queue behind DDL.
        .options([
            ("TimeZone", "UTC"),
            ("DateStyle", "ISO, YMD"),
            ("default_transaction_read_only", "on"),
            ("lock_timeout", "10000"),
        ]);
    let mut conn = tokio::time::timeout(connect_timeout, PgConnection::connect_with(&options))
        .await
        .map_err(|_| {
            anyhow::anyhow!(
                "the source database did not answer within {} s",
                connect_timeout.as_secs_f64()
            )
        })?
        .map_err(|e| anyhow::anyhow!("connecting to the source database: {e}"))?;
    let mut tx = conn
        .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .await?;

    let names: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c
         WHERE c.relnamespace = current_schema()::regnamespace
           AND c.relkind IN ('r', 'p') AND NOT c.relispartition
         ORDER BY 1",
    )
    .fetch_all(&mut *tx)
    .await?;
    let known: HashSet<&str> = mapping::table_names().collect();
    let mut source = Source::default();
    let mut other_tables = Vec::new();
    for name in names {
        if known.contains(name.as_str()) {
            let table = read_table(&mut tx, &name).await?;
            source.tables.insert(name, table);
        } else {
            let rows: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT count(*) FROM {}",
                quote(&name)
            )))
            .fetch_one(&mut *tx)
            .await?;
            other_tables.push((name, rows as usize));
        }
    }
    tx.commit().await?;
    let _ = conn.close().await;
    if source.tables.is_empty() {
        // Most likely the wrong database or schema: importing nothing would look like success.
        anyhow::bail!(
            "the source database has none of the tables to import ({}) in its current schema",
            mapping::table_names().collect::<Vec<_>>().join(", ")
        );
    }
    Ok(PgSource { source, other_tables })
}

async fn read_table(conn: &mut PgConnection, name: &str) -> anyhow::Result<SourceTable> {
    // Domains are read as their base type.
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT a.attname::text, b.typname::text
         FROM pg_attribute a
         JOIN pg_type t ON t.oid = a.atttypid
         JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
         WHERE a.attrelid = (quote_ident(current_schema()) || '.' || quote_ident($1))::regclass
           AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attnum",
    )
    .bind(name)
    .fetch_all(&mut *conn)
    .await?;
    let names: HashSet<&str> = columns.iter().map(|(c, _)| c.as_str()).collect();
    let mut select = Vec::with_capacity(columns.len());
    let mut reads = Vec::with_capacity(columns.len());
    for (column, type_name) in &columns {
        let (expression, read) = if name == "users" && column == "role" && names.contains("is_admin") {
            let expression = format!(
                "CASE WHEN {} THEN 'admin' ELSE {}::text END",
                quote("is_admin"),
                quote("role")
            );
            (expression, Read::Text)
        } else {
            expression(&quote(column), type_name)
        };
        select.push(expression);
        reads.push(read);
    }
    let sql = format!("SELECT {} FROM {}", select.join(", "), quote(name));
    let fetched = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| anyhow::anyhow!("reading the source table {name}: {e}"))?;
    let mut rows = Vec::with_capacity(fetched.len());
    for row in &fetched {
        rows.push(values(row, &reads).map_err(|e| anyhow::anyhow!("reading the source table {name}: {e}"))?);
    }
    Ok(SourceTable {
        columns: columns.into_iter().map(|(c, _)| c).collect(),
        rows,
    })
}

/// The SELECT expression for a column of this type, and how its result is read.
fn expression(column: &str, type_name: &str) -> (String, Read) {
    match type_name {
        "bool" => (format!("{column}::int::int8"), Read::Integer),
        "int2" | "int4" | "int8" => (format!("{column}::int8"), Read::Integer),
        "float4" | "float8" => (format!("{column}::float8"), Read::Real),
        "bytea" => (column.to_owned(), Read::Blob),
        // ISO-8601 in UTC (the session's zone), microseconds kept. Infinities and years outside
        // 1..9999 keep Postgres's own text, which the conversion reports instead of misreading.
        "timestamptz" | "timestamp" => (
            format!(
                "CASE WHEN isfinite({column}) AND {column} >= '0001-01-01' AND {column} < '10000-01-01' \
                 THEN to_char({column}, 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') ELSE {column}::text END"
            ),
            Read::Text,
        ),
        // numeric as its exact decimal text; jsonb as its JSON text; the rest as text.
        _ => (format!("{column}::text"), Read::Text),
    }
}

fn values(row: &PgRow, reads: &[Read]) -> Result<Vec<SourceValue>, sqlx::Error> {
    let mut values = Vec::with_capacity(reads.len());
    for (i, read) in reads.iter().enumerate() {
        let value = match read {
            Read::Integer => row.try_get::<Option<i64>, _>(i)?.map(SourceValue::Integer),
            Read::Real => row.try_get::<Option<f64>, _>(i)?.map(SourceValue::Real),
            Read::Text => row.try_get::<Option<String>, _>(i)?.map(SourceValue::Text),
            Read::Blob => row.try_get::<Option<Vec<u8>>, _>(i)?.map(SourceValue::Blob),
        };
        values.push(value.unwrap_or(SourceValue::Null));
    }
    Ok(values)
}

/// A quoted identifier.
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
