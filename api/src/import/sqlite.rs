//! Reads an SQLite database file (a D1 database downloaded as `.sqlite`), read-only.

use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::source::{Source, SourceTable, SourceValue};

pub fn read(path: &Path) -> anyhow::Result<Source> {
    let db = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let names: Vec<String> = db
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
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
    Ok(source)
}
