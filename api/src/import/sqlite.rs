//! Reads an SQLite database: a D1 database downloaded as `.sqlite` (opened read-only), or the
//! temporary database a SQL dump was executed into.

use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::source::{Source, SourceTable, SourceValue};

pub fn read(path: &Path) -> anyhow::Result<Source> {
    let db = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    // A partly downloaded or damaged file: refuse it rather than read what is left.
    let check: String = db
        .query_row("PRAGMA quick_check", [], |row| row.get(0))
        .map_err(|e| anyhow::anyhow!("a damaged SQLite database: {e}"))?;
    if check != "ok" {
        anyhow::bail!("a damaged SQLite database: {check}");
    }
    read_connection(&db)
}

/// Every table but SQLite's own (and D1's internal `_cf_` ones), and the `sqlite_sequence`
/// counters of its AUTOINCREMENT tables.
pub fn read_connection(db: &Connection) -> anyhow::Result<Source> {
    let names: Vec<String> = db
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' ORDER BY name",
        )?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    let mut source = Source::default();
    for name in names {
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        let mut statement = db.prepare(&format!("SELECT * FROM {quoted}"))?;
        let columns: Vec<String> = statement.column_names().iter().map(|c| (*c).to_owned()).collect();
        let width = columns.len();
        let mut rows = Vec::new();
        let mut cursor = statement.query([])?;
        while let Some(row) = cursor.next()? {
            let mut values = Vec::with_capacity(width);
            for i in 0..width {
                values.push(match row.get_ref(i)? {
                    ValueRef::Null => SourceValue::Null,
                    ValueRef::Integer(n) => SourceValue::Integer(n),
                    ValueRef::Real(r) => SourceValue::Real(r),
                    ValueRef::Text(t) => SourceValue::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(b) => SourceValue::Blob(b.to_vec()),
                });
            }
            rows.push(values);
        }
        source.tables.insert(name, SourceTable { columns, rows });
    }
    let has_sequences: bool = db.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'",
        [],
        |row| row.get(0),
    )?;
    if has_sequences {
        let mut statement = db.prepare("SELECT name, seq FROM sqlite_sequence")?;
        let mut cursor = statement.query([])?;
        while let Some(row) = cursor.next()? {
            // A hand-edited sequence row may hold anything; only integers mean a counter.
            if let (ValueRef::Text(name), ValueRef::Integer(seq)) = (row.get_ref(0)?, row.get_ref(1)?) {
                source
                    .sequences
                    .insert(String::from_utf8_lossy(name).into_owned(), seq);
            }
        }
    }
    Ok(source)
}
